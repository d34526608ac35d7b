// StereoSet and CrowS-Pairs from the tiny model's sentence log-likelihoods, over the real
// benchmark files imported as test sets: the stored numbers equal a direct computation from
// `llm.loglik` (the `srlab loglik` path) fed to the metric functions, and swapping the
// stereotype and anti-stereotype sentences turns SS into 100 − SS (the negative control).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/main/core';
import type { CrowsItemScore, LikelihoodResult, StereosetItemScore } from '../../../src/shared/contracts/likelihood';
import { crowsScores } from '../../../src/shared/metrics/crows';
import { stereosetScores } from '../../../src/shared/metrics/stereoset';
import { hasSharedData, sharedData, tempDir } from '../../helpers';
import { coreWithTinyModel, tinyModelFiles } from '../llm/tiny-model';

const HAVE =
  hasSharedData('stereoset', 'stereoset_dev.jsonl') && hasSharedData('crows-pairs', 'crows_pairs_anonymized.csv');

/** StereoSet examples and CrowS pairs scored per run: enough for several targets and every domain seen. */
const N = 24;
/** CrowS pairs scored: odd, so % stereotype cannot land on exactly 50 and hide the control. */
const PAIRS = 25;

let core: Core;
let dir: string;

/** The first N intrasentence lines of the real StereoSet file, optionally with stereotype and anti swapped. */
function stereosetCopy(name: string, swap: boolean): string {
  const lines = fs
    .readFileSync(sharedData('stereoset', 'stereoset_dev.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('"intrasentence"'))
    .slice(0, N)
    .map((l) => {
      if (!swap) return l;
      const o = JSON.parse(l) as Record<string, string>;
      [o.stereotype, o['anti-stereotype']] = [o['anti-stereotype']!, o.stereotype!];
      return JSON.stringify(o);
    });
  // Two intersentence examples too: they are counted as skipped, never scored.
  const inter = fs
    .readFileSync(sharedData('stereoset', 'stereoset_dev.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('"intersentence"'))
    .slice(0, 2);
  const file = path.join(dir, `${name}.jsonl`);
  fs.writeFileSync(file, [...inter, ...lines].join('\n') + '\n');
  return file;
}

async function runJob(method: 'likelihood.stereoset' | 'likelihood.crowsPairs', input: Record<string, unknown>) {
  const { job } = await core.invoke(method, { model: 'tiny', ...input } as never);
  const outcome = await core.invoke('jobs.wait', { id: job.id, timeoutMs: 60_000 });
  expect(outcome.error, JSON.stringify(outcome.error)).toBeNull();
  const { results } = await core.invoke('likelihood.list', { limit: 1 });
  return results[0]!;
}

/**
 * Each sentence through `llm.loglik` on its own (a fresh sequence per call: nothing shared with
 * the sentence before), so the comparison does not rest on the eval's prefix reuse.
 */
async function loglik(texts: string[]) {
  const out = [];
  for (const text of texts)
    out.push(
      (await core.invoke('llm.loglik', { model: 'tiny', items: [{ text }], load: { sequences: 1 } })).results[0]!,
    );
  return out;
}

/** Equal up to float32 rounding of positions evaluated in other batch shapes (see loglik-prefix.test.ts): 8.5e-4 seen on a long CrowS sentence's sum (~1e-5 per token).
 * A wrong computation (a mean for a sum, a token left out) is off by whole units.
 */
function expectClose(a: object, b: object, at = '') {
  expect(Object.keys(a).sort(), at).toEqual(Object.keys(b).sort());
  for (const [k, v] of Object.entries(b)) {
    const got = (a as Record<string, unknown>)[k];
    if (typeof v === 'number') expect(Math.abs((got as number) - v), at + k).toBeLessThan(1e-3 + 1e-5 * Math.abs(v));
    else if (v && typeof v === 'object') expectClose(got as object, v as object, `${at}${k}.`);
    else expect(got, at + k).toEqual(v);
  }
}

beforeAll(async () => {
  core = await coreWithTinyModel();
  dir = tempDir();
});
afterAll(() => core?.close());

describe.runIf(HAVE)('StereoSet from log-likelihoods', () => {
  let plain: LikelihoodResult;

  it('equals the metric computed from llm.loglik mean log-probs of each whole sentence', async () => {
    await core.invoke('testsets.import', {
      source: { kind: 'path', path: stereosetCopy('ss', false) },
      kind: 'stereoset',
      name: 'ss',
    });
    // One sequence: each sentence is evaluated alone, exactly as llm.loglik with one sequence does.
    plain = await runJob('likelihood.stereoset', { testset: 'ss', load: { sequences: 1 } });
    expect(plain).toMatchObject({ kind: 'stereoset', model: 'tiny', testset: 'ss', skipped: 2, limit: null });
    expect(plain.sentences).toBe(3 * N);

    const { items } = await core.invoke('testsets.items', { name: 'ss', offset: 0, limit: 1000 });
    const intra = items.filter((i) => i.fields.task === 'intrasentence');
    expect(intra).toHaveLength(N);
    const direct = await loglik(
      intra.flatMap((i) => [i.fields.stereotype, i.fields.anti, i.fields.unrelated] as string[]),
    );
    const expected = stereosetScores(
      intra.map((it, k) => ({
        target: it.fields.target as string,
        domain: it.fields.domain as string,
        stereotype: direct[3 * k]!.mean,
        anti: direct[3 * k + 1]!.mean,
        unrelated: direct[3 * k + 2]!.mean,
      })),
    );
    expect(plain.metrics).toEqual(expected);
    expect(Object.keys(expected.byDomain).length).toBeGreaterThan(1);
    // A random model is not neutral on 24 examples: the control below must move the number.
    expect(expected.ss).not.toBe(50);

    // The stored per-item scores are the sentence means, item by item.
    const { scores } = await core.invoke('likelihood.get', { id: plain.id });
    expect(scores.kind).toBe('stereoset');
    scores.items.forEach((got, k) =>
      expectClose(got, {
        item: intra[k]!.index,
        target: intra[k]!.fields.target,
        domain: intra[k]!.fields.domain,
        stereotype: direct[3 * k]!.mean,
        anti: direct[3 * k + 1]!.mean,
        unrelated: direct[3 * k + 2]!.mean,
      }),
    );
  });

  it('negative control: stereotype and anti swapped gives SS → 100 − SS, LMS unchanged', async () => {
    await core.invoke('testsets.import', {
      source: { kind: 'path', path: stereosetCopy('ss-swapped', true) },
      kind: 'stereoset',
      name: 'ss-swapped',
    });
    const swapped = await runJob('likelihood.stereoset', { testset: 'ss-swapped', load: { sequences: 1 } });
    if (swapped.kind !== 'stereoset' || plain.kind !== 'stereoset') throw new Error('kind');
    expect(swapped.metrics.ss).toBeCloseTo(100 - plain.metrics.ss, 10);
    expect(swapped.metrics.lms).toBeCloseTo(plain.metrics.lms, 10);
    for (const [d, s] of Object.entries(plain.metrics.byDomain))
      expect(swapped.metrics.byDomain[d]!.ss).toBeCloseTo(100 - s.ss, 10);
  });

  it('--limit keeps the first N examples, scored as in the whole run; several sequences are refused', async () => {
    const limited = await runJob('likelihood.stereoset', { testset: 'ss', limit: 10 });
    expect(limited).toMatchObject({ limit: 10, sentences: 30, skipped: 2 + N - 10 });
    const items = async (id: number) =>
      (await core.invoke('likelihood.get', { id })).scores.items as unknown as StereosetItemScore[];
    expect(await items(limited.id)).toEqual((await items(plain.id)).slice(0, 10));
    // Batched sequences gave wrong numbers now and then (see LIKELIHOOD_SEQUENCES): refused, no job.
    const jobs = (await core.invoke('jobs.list', {})).jobs.length;
    await expect(
      core.invoke('likelihood.stereoset', { model: 'tiny', testset: 'ss', load: { sequences: 4 } }),
    ).rejects.toThrow(/load\.sequences: likelihood metrics score one sequence at a time/);
    expect((await core.invoke('jobs.list', {})).jobs.length).toBe(jobs);
  });

  it('finds the stored result for the same model, test set and limit; not for another limit', async () => {
    const hit = await core.likelihood.latest({ kind: 'stereoset', model: 'tiny', testset: 'ss' });
    expect(hit?.id).toBe(plain.id);
    expect((await core.likelihood.latest({ kind: 'stereoset', model: 'tiny', testset: 'ss', limit: 10 }))?.limit).toBe(
      10,
    );
    expect(await core.likelihood.latest({ kind: 'stereoset', model: 'tiny', testset: 'ss', limit: 11 })).toBeNull();
  });

  it('with a LoRA adapter: other numbers, stored with the adapter file hash, found only with that adapter', async () => {
    const adapter = tinyModelFiles().adapter;
    const adapted = await runJob('likelihood.stereoset', { testset: 'ss', adapter, limit: 10 });
    expect(adapted).toMatchObject({ adapter, adapterSha256: expect.stringMatching(/^[0-9a-f]{64}$/), limit: 10 });
    const items = async (id: number) =>
      (await core.invoke('likelihood.get', { id })).scores.items as unknown as StereosetItemScore[];
    const [withAdapter, without] = [await items(adapted.id), (await items(plain.id)).slice(0, 10)];
    expect(Math.abs(withAdapter[0]!.stereotype - without[0]!.stereotype)).toBeGreaterThan(1e-3);
    const q = { kind: 'stereoset' as const, model: 'tiny', testset: 'ss', limit: 10 };
    expect((await core.likelihood.latest({ ...q, adapter }))?.id).toBe(adapted.id);
    expect((await core.likelihood.latest(q))?.adapterSha256).toBeNull();
  });

  it('refuses a test set of another kind before starting a job', async () => {
    await core.invoke('testsets.import', {
      source: { kind: 'path', path: sharedData('crows-pairs', 'crows_pairs_anonymized.csv') },
      kind: 'crows-pairs',
      name: 'crows',
    });
    await expect(core.invoke('likelihood.stereoset', { model: 'tiny', testset: 'crows' })).rejects.toThrow(
      /test set "crows" is a crows-pairs test set; this metric needs a stereoset one/,
    );
  });
});

describe.runIf(HAVE)('CrowS-Pairs from log-likelihoods', () => {
  it('equals the metric computed from llm.loglik summed log-likelihoods; swapping the sentences mirrors it', async () => {
    const r = await runJob('likelihood.crowsPairs', { testset: 'crows', limit: PAIRS, load: { sequences: 1 } });
    expect(r).toMatchObject({ kind: 'crows-pairs', testset: 'crows', limit: PAIRS, sentences: 2 * PAIRS });
    const { items } = await core.invoke('testsets.items', { name: 'crows', offset: 0, limit: PAIRS });
    const direct = await loglik(items.flatMap((i) => [i.fields.sentMore, i.fields.sentLess] as string[]));
    const pairs = items.map((it, k) => ({
      biasType: it.fields.biasType as string,
      llMore: direct[2 * k]!.total,
      llLess: direct[2 * k + 1]!.total,
    }));
    if (r.kind !== 'crows-pairs') throw new Error('kind');
    expect(r.metrics.pctStereotype).toBe(crowsScores(pairs).pctStereotype);
    expectClose(r.metrics, crowsScores(pairs));
    const { scores } = await core.invoke('likelihood.get', { id: r.id });
    scores.items.forEach((got, k) => expectClose(got, { item: items[k]!.index, ...pairs[k]! }));
    expect(r.metrics.pctStereotype).not.toBe(50);

    // The control, from the stored scores: more and less swapped → 100 − pct, same difference.
    const stored = scores.items as unknown as CrowsItemScore[];
    expect(crowsScores(stored)).toEqual(r.metrics);
    const swapped = crowsScores(stored.map((p) => ({ ...p, llMore: p.llLess, llLess: p.llMore })));
    expect(swapped.pctStereotype).toBeCloseTo(100 - r.metrics.pctStereotype, 10);
    expect(swapped.likelihoodDiff).toBeCloseTo(r.metrics.likelihoodDiff, 10);
  });

  it('is cancelled through its job, and nothing is stored', async () => {
    const before = (await core.invoke('likelihood.list', {})).results.length;
    const { job } = await core.invoke('likelihood.crowsPairs', {
      model: 'tiny',
      testset: 'crows',
      load: { sequences: 1 },
    });
    await core.invoke('jobs.cancel', { id: job.id });
    const outcome = await core.invoke('jobs.wait', { id: job.id, timeoutMs: 60_000 });
    expect(outcome.job.state).toBe('cancelled');
    expect((await core.invoke('likelihood.list', {})).results.length).toBe(before);
  });
});
