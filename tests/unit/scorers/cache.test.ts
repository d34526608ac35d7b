// The score cache: a text scored once by a scorer version is answered from SQLite afterwards (same
// numbers, no scoring); a new version scores again; errors are never cached; a cancelled run keeps
// the batches it finished. The scorer is the real embedded one, wrapped only to count its calls.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { createScoreCache, textHash } from '../../../src/main/core/scorers/cache';
import type { Scorer } from '../../../src/main/core/scorers/types';
import { scorers as scorerContracts } from '../../../src/shared/contracts/scorers';
import { tempDir } from '../../helpers';

const trainInput = (input: unknown) => scorerContracts.trainEmbedded.input.parse(input);

/** A scorer that passes to `inner` and records the texts it was asked to score. */
function counting(inner: Scorer): Scorer & { asked: string[] } {
  const asked: string[] = [];
  return {
    info: inner.info,
    asked,
    score(texts, opts) {
      asked.push(...texts);
      return inner.score(texts, opts);
    },
  };
}

describe('score cache', () => {
  let core: Core;
  const texts = [
    'Old people should not be allowed to vote.',
    'The train leaves at 7:15 from platform 2.',
    'Old people should not be allowed to vote.', // a repeat: scored once
    'Women are too emotional to lead anything.',
  ];

  beforeAll(async () => {
    core = await createCore({ home: tempDir(), checkOutputs: true });
    for (const [name, l2] of [
      ['cache-a', 1e-4],
      ['cache-b', 1e-3],
    ] as const) {
      await core.scorers.trainEmbedded(
        trainInput({
          dataset: 'cmd-demo',
          label: 'annotation',
          name,
          options: { buckets: 1 << 14, l2 },
        }),
      );
    }
  }, 60_000);
  afterAll(() => core.close());

  it('answers a second time from the cache with identical results, without scoring', async () => {
    const scorer = counting(await core.scorers.create({ kind: 'embedded', classifier: 'cache-a' }));
    const first = await core.scorers.scoreCached(scorer, texts);
    expect(first.cached).toBe(0);
    expect(first.scored).toBe(3);
    expect(scorer.asked).toEqual([texts[0], texts[1], texts[3]]);
    expect(first.results[2]).toEqual(first.results[0]);

    const progress: number[] = [];
    const second = await core.scorers.scoreCached(scorer, texts, { onProgress: (d) => progress.push(d) });
    expect(scorer.asked).toHaveLength(3); // nothing new was scored
    expect(second).toMatchObject({ cached: 4, scored: 0 });
    expect(second.results).toEqual(first.results);
    expect(progress.at(-1)).toBe(4);

    // Stored under (id, version, sha256(text)).
    const row = core.db
      .prepare('SELECT score, label FROM score_cache WHERE scorer_id = ? AND scorer_version = ? AND text_hash = ?')
      .get(scorer.info.id, scorer.info.version, textHash(texts[1]!)) as { score: number; label: string };
    expect(row).toEqual({ score: first.results[1]!.score, label: first.results[1]!.label });

    // Only the new text is scored when one is added.
    const more = await core.scorers.scoreCached(scorer, [...texts, 'A brand-new sentence.']);
    expect(more).toMatchObject({ cached: 4, scored: 1 });
    expect(scorer.asked.at(-1)).toBe('A brand-new sentence.');
  });

  it('scores again under a new version (retrained weights), and through scorers.score', async () => {
    const a = await core.scorers.create({ kind: 'embedded', classifier: 'cache-a' });
    const before = await core.scorers.scoreCached(a, texts);
    expect(before.scored).toBe(0);
    // Retrain cache-a with other settings: a new version, so nothing is cached for it.
    await core.scorers.trainEmbedded(
      trainInput({
        dataset: 'cmd-demo',
        label: 'annotation',
        name: 'cache-a',
        options: { buckets: 1 << 14, l2: 3e-3 },
      }),
    );
    const retrained = counting(await core.scorers.create({ kind: 'embedded', classifier: 'cache-a' }));
    expect(retrained.info.version).not.toBe(a.info.version);
    const after = await core.scorers.scoreCached(retrained, texts);
    expect(after).toMatchObject({ cached: 0, scored: 3 });
    expect(after.results[0]!.score).not.toBe(before.results[0]!.score);

    const viaCall = await core.invoke('scorers.score', { spec: { kind: 'embedded', classifier: 'cache-b' }, texts });
    expect(viaCall.cached).toBe(0);
    const again = await core.invoke('scorers.score', { spec: { kind: 'embedded', classifier: 'cache-b' }, texts });
    expect(again.cached).toBe(4);
    expect(again.results).toEqual(viaCall.results);
  });

  it('does not cache errors, and keeps finished batches when cancelled', async () => {
    const cache = createScoreCache(core.db);
    const flaky: Scorer = {
      info: { id: 'test:flaky', version: '1', measure: 'unsafe', threshold: 0.5, description: '', validation: null },
      async score(batch) {
        return batch.map((t) =>
          t.includes('FAIL')
            ? { score: null, label: null, probs: null, error: 'upstream timeout' }
            : { score: t.length / 100, label: null, probs: null, error: null },
        );
      },
    };
    const first = await cache.scoreCached(flaky, ['ok one', 'FAIL two']);
    expect(first.results[1]!.error).toBe('upstream timeout');
    const second = await cache.scoreCached(flaky, ['ok one', 'FAIL two']);
    expect(second).toMatchObject({ cached: 1, scored: 1 }); // the error is tried again

    const controller = new AbortController();
    const many = Array.from({ length: 10 }, (_, i) => `text number ${i}`);
    let batches = 0;
    const slow: Scorer = {
      ...flaky,
      info: { ...flaky.info, id: 'test:slow' },
      async score(batch) {
        if (++batches === 2) controller.abort(new Error('cancelled'));
        return flaky.score(batch);
      },
    };
    await expect(cache.scoreCached(slow, many, { batchSize: 3, signal: controller.signal })).rejects.toThrow(
      'cancelled',
    );
    // Two batches of 3 finished before the cancel was seen: they are stored.
    const resumed = await cache.scoreCached(slow, many, { batchSize: 3 });
    expect(resumed).toMatchObject({ cached: 6, scored: 4 });
  });
});
