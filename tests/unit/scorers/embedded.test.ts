// The embedded CMD classifiers: hashed n-gram features, L2 logistic regression by L-BFGS, Platt /
// isotonic calibration on dev, validation on test — trained on real data (the demo CMD dataset a
// new data home gets, and the paper authors' srllm/train_500.csv through the srllm-csv import),
// against a shuffled-label negative control.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../src/main/core';
import { calibrate, fitIsotonic, fitPlatt } from '../../../src/main/core/scorers/calibration';
import { trainingSets } from '../../../src/main/core/scorers/embedded-store';
import { logits, modelVersion, trainEmbedded, type TrainingSets } from '../../../src/main/core/scorers/embedded-train';
import { Featuriser, featuriseAll } from '../../../src/main/core/scorers/features';
import { fitLogreg } from '../../../src/main/core/scorers/logreg';
import { EmbeddedTrainOptions } from '../../../src/shared/contracts/scorers';
import { hasSharedData, sharedData, tempDir } from '../../helpers';

/** Smaller than the default feature space, so the tests train fast; the maths is the same. */
const OPTIONS = { ...EmbeddedTrainOptions.parse({}), buckets: 1 << 16 };
const { benignVariations: _unused, ...TRAIN_OPTIONS } = OPTIONS;

/** A seeded permutation (mulberry32), for the shuffled-label control. */
function shuffled<T>(xs: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The same texts with the train split's labels permuted: no text→label signal is left to learn. */
function withShuffledTrainLabels(sets: TrainingSets, seed: number): TrainingSets {
  const labels = shuffled(
    sets.train.map((e) => e.positive),
    seed,
  );
  return { ...sets, train: sets.train.map((e, i) => ({ text: e.text, positive: labels[i]! })) };
}

describe('hashed n-gram features', () => {
  const f = new Featuriser({ buckets: 1 << 16, charNgrams: true });
  const asMap = (text: string, g = f) => {
    const v = g.featurise(text);
    const m = new Map<number, number>();
    for (let k = 0; k < v.length; k++) m.set(v.indices[k]!, v.values[k]!);
    return m;
  };

  it('are deterministic, case-insensitive and of unit length', () => {
    const a = asMap('Old people are a burden, honestly.');
    expect(asMap('OLD people are a BURDEN, honestly.')).toEqual(a);
    const norm = Math.sqrt([...a.values()].reduce((s, v) => s + v * v, 0));
    expect(norm).toBeCloseTo(1, 6);
    // The featuriser's scratch space is reset between texts: a long text in between changes nothing.
    f.featurise('something else entirely with many many words '.repeat(50));
    expect(asMap('Old people are a burden, honestly.')).toEqual(a);
  });

  it('count word unigrams and bigrams; char n-grams add features', () => {
    const words = new Featuriser({ buckets: 1 << 20, charNgrams: false });
    // 3 words: 3 unigrams + 2 bigrams (no collisions in 2^20 buckets for these).
    expect(words.featurise('alpha beta gamma').length).toBe(5);
    // Word order matters through the bigrams.
    expect(asMap('alpha beta gamma', words)).not.toEqual(asMap('gamma beta alpha', words));
    expect(f.featurise('alpha beta gamma').length).toBeGreaterThan(5);
    expect(words.featurise('  ...  ').length).toBe(0);
  });

  it('store many texts as CSR rows equal to one-by-one featurising', () => {
    const texts = ['a b c', '', 'Zürich ist schön', 'x'.repeat(3000)];
    const m = featuriseAll(texts, { buckets: 1 << 16, charNgrams: true });
    expect(m.rows).toBe(4);
    texts.forEach((t, r) => {
      const one = f.featurise(t);
      expect(m.rowStart[r + 1]! - m.rowStart[r]!).toBe(one.length);
      expect(Array.from(m.indices.subarray(m.rowStart[r]!, m.rowStart[r + 1]!))).toEqual(
        Array.from(one.indices.subarray(0, one.length)),
      );
    });
  });
});

describe('L2 logistic regression (L-BFGS)', () => {
  it('reaches the optimum: the gradient of the regularised objective vanishes', async () => {
    const texts = ['good kind helpful', 'kind and good', 'helpful friend', 'hate them all', 'vile hate', 'them vile'];
    const y = [false, false, false, true, true, true];
    const dim = 1 << 10;
    const x = featuriseAll(texts, { buckets: dim, charNgrams: false });
    const l2 = 0.01;
    const m = await fitLogreg(x, y, dim, { l2, maxIterations: 500, tolerance: 1e-9 });
    // Recompute the gradient here, independently of logreg.ts.
    const g = new Float64Array(dim);
    let gb = 0;
    for (let r = 0; r < x.rows; r++) {
      let z = m.bias;
      for (let k = x.rowStart[r]!; k < x.rowStart[r + 1]!; k++) z += m.weights[x.indices[k]!]! * x.values[k]!;
      const p = 1 / (1 + Math.exp(-z));
      const d = (p - (y[r] ? 1 : 0)) / x.rows;
      gb += d;
      for (let k = x.rowStart[r]!; k < x.rowStart[r + 1]!; k++) g[x.indices[k]!]! += d * x.values[k]!;
    }
    let worst = Math.abs(gb);
    for (let j = 0; j < dim; j++) worst = Math.max(worst, Math.abs(g[j]! + l2 * m.weights[j]!));
    // Float32 storage of the weights limits how exactly the stored optimum satisfies it.
    expect(worst).toBeLessThan(1e-5);
    // And it separates the two classes.
    for (let r = 0; r < x.rows; r++) {
      let z = m.bias;
      for (let k = x.rowStart[r]!; k < x.rowStart[r + 1]!; k++) z += m.weights[x.indices[k]!]! * x.values[k]!;
      expect(z > 0).toBe(y[r]);
    }
  });
});

describe('calibration', () => {
  it('Platt scaling recovers the slope and offset that generated the labels', () => {
    // Labels drawn deterministically with P(y=1 | z) = σ(2z − 1): quantiles instead of randomness.
    const z: number[] = [];
    const y: boolean[] = [];
    for (let i = 0; i < 400; i++) {
      const zi = -3 + (6 * i) / 399;
      const p = 1 / (1 + Math.exp(-(2 * zi - 1)));
      for (let k = 0; k < 20; k++) {
        z.push(zi);
        y.push((k + 0.5) / 20 < p);
      }
    }
    const c = fitPlatt(z, y);
    if (c.method !== 'platt') throw new Error('expected platt');
    expect(Math.abs(c.a - 2)).toBeLessThan(0.15);
    expect(Math.abs(c.b + 1)).toBeLessThan(0.15);
    // Exactly: the maximum-likelihood conditions with Platt's smoothed targets hold at (a, b).
    const nPos = y.filter(Boolean).length;
    const t = y.map((p) => (p ? (nPos + 1) / (nPos + 2) : 1 / (y.length - nPos + 2)));
    let ga = 0;
    let gb = 0;
    z.forEach((zi, i) => {
      const d = 1 / (1 + Math.exp(-(c.a * zi + c.b))) - t[i]!;
      ga += d * zi;
      gb += d;
    });
    expect(Math.abs(ga) / z.length).toBeLessThan(1e-9);
    expect(Math.abs(gb) / z.length).toBeLessThan(1e-9);
  });

  it('isotonic regression is the pool-adjacent-violators fit, read by interpolation', () => {
    // Sorted by z, labels 0 1 0 1 1: PAV pools (1, 0) into 0.5 → blocks [0], [0.5, 0.5], [1, 1].
    const c = fitIsotonic([1, 2, 3, 4, 5], [false, true, false, true, true]);
    expect(c).toEqual({ method: 'isotonic', x: [1, 2.5, 4.5], y: [0, 0.5, 1] });
    expect(calibrate(c, 0)).toBe(0);
    expect(calibrate(c, 2.5)).toBe(0.5);
    expect(calibrate(c, 3.5)).toBeCloseTo(0.75, 12);
    expect(calibrate(c, 9)).toBe(1);
  });
});

describe('embedded classifiers trained on real CMD data', () => {
  let core: Core;

  beforeAll(async () => {
    // A new data home gets the demo CMD dataset, imported and split (core/index.ts).
    core = await createCore({ home: tempDir(), checkOutputs: true });
  });
  afterAll(() => core.close());

  it('the demo dataset: high test metrics, far above the same training with shuffled labels', async () => {
    const sets = trainingSets(core.db, 'cmd-demo', 'annotation', false);
    expect(sets.train.length).toBeGreaterThan(100);
    expect(sets.test.length).toBeGreaterThan(20);
    const real = await trainEmbedded(sets, TRAIN_OPTIONS);
    const control = await trainEmbedded(withShuffledTrainLabels(sets, 7), TRAIN_OPTIONS);
    expect(real.validation!.rocAuc!).toBeGreaterThan(0.9);
    expect(real.validation!.accuracy).toBeGreaterThan(0.85);
    expect(real.validation!.macroF1).toBeGreaterThan(0.85);
    // The negative control: the same texts, pipeline and test split, but nothing to learn.
    expect(control.validation!.rocAuc!).toBeLessThan(0.75);
    expect(real.validation!.rocAuc! - control.validation!.rocAuc!).toBeGreaterThan(0.2);
    expect(real.validation!.macroF1 - control.validation!.macroF1).toBeGreaterThan(0.2);
    expect(real.calibration.method).toBe('platt');
  });

  it('is deterministic: the same data and settings give the same weights and version', async () => {
    const sets = trainingSets(core.db, 'cmd-demo', 'bias', false);
    const a = await trainEmbedded(sets, TRAIN_OPTIONS);
    const b = await trainEmbedded(sets, TRAIN_OPTIONS);
    expect(modelVersion(b)).toBe(modelVersion(a));
    expect(Buffer.from(b.weights.buffer).equals(Buffer.from(a.weights.buffer))).toBe(true);
    const c = await trainEmbedded(sets, { ...TRAIN_OPTIONS, l2: 1e-3 });
    expect(modelVersion(c)).not.toBe(modelVersion(a));
  });

  it('trains as a job, stores the classifier, and scores through the registry as the model computes', async () => {
    const { job } = await core.invoke('scorers.trainEmbedded', {
      dataset: 'cmd-demo',
      label: 'annotation',
      name: 'demo-unsafe',
      options: { buckets: OPTIONS.buckets },
    });
    expect(job.kind).toBe('scorer-train');
    const end = await core.invoke('jobs.wait', { id: job.id });
    expect(end.job.state).toBe('succeeded');
    const { embedded, kinds } = await core.invoke('scorers.list', {});
    const stored = embedded.find((c) => c.name === 'demo-unsafe')!;
    expect(stored).toMatchObject({ dataset: 'cmd-demo', label: 'annotation', positive: 'unsafe' });
    expect(stored.validation!.n).toBe(trainingSets(core.db, 'cmd-demo', 'annotation', false).test.length);
    expect(kinds.find((k) => k.kind === 'embedded')!.available).toBe(true);

    const texts = ['Those people are vermin and should be thrown out.', 'The library opens at nine on weekdays.'];
    const scorer = await core.scorers.create({ kind: 'embedded', classifier: 'demo-unsafe' });
    expect(scorer.info).toMatchObject({ id: 'embedded:demo-unsafe', version: stored.version, measure: 'unsafe' });
    const results = await scorer.score(texts);
    // The same numbers straight from the model's weights and calibration.
    const loaded = (await import('../../../src/main/core/scorers/embedded-store')).loadEmbedded(core.db, 'demo-unsafe');
    const expected = logits(loaded.model, texts).map((z) => calibrate(loaded.model.calibration, z));
    results.forEach((r, i) => {
      expect(r.score).toBeCloseTo(expected[i]!, 12);
      expect(r.label).toBe(r.score! > 0.5 ? 'unsafe' : 'safe');
      expect(r.probs!.unsafe! + r.probs!.safe!).toBeCloseTo(1, 12);
    });
    expect(results[0]!.score!).toBeGreaterThan(results[1]!.score!);
  });

  it('refuses bad input with errors that say what to do', async () => {
    await expect(core.scorers.create({ kind: 'embedded', classifier: 'nope' })).rejects.toThrow(
      /no embedded classifier "nope"/,
    );
    const r = await core.call('scorers.trainEmbedded', { dataset: 'missing', label: 'annotation' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'not-found' } });
    const s = await core.call('scorers.trainEmbedded', {
      dataset: 'cmd-demo',
      label: 'sentiment',
      options: { benignVariations: true },
    });
    expect(s).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    // Every kind goes through the registry: a moderation spec naming no saved endpoint says so.
    const moderation = await core.call('scorers.score', { spec: { kind: 'moderation', endpoint: 'x' }, texts: ['a'] });
    expect(moderation).toMatchObject({
      ok: false,
      error: { kind: 'not-found', message: expect.stringContaining('no endpoint "x"') },
    });
    const badSpec = await core.call('scorers.score', { spec: { kind: 'embedded' }, texts: ['a'] });
    expect(badSpec).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
  });

  it.runIf(hasSharedData('srllm', 'train_500.csv'))(
    "srllm/train_500.csv: biased texts against their authors' debiased rewrites",
    async () => {
      const { job } = await core.invoke('datasets.import', {
        dataset: 'srllm',
        source: { kind: 'path', path: sharedData('srllm', 'train_500.csv') },
      });
      expect((await core.invoke('jobs.wait', { id: job.id })).job.state).toBe('succeeded');
      await core.invoke('datasets.split', { dataset: 'srllm' });
      // Every row is Bias = Yes: without the rewrites there is one class, and the error says what to do.
      const oneClass = await core.invoke('scorers.trainEmbedded', { dataset: 'srllm', label: 'bias' });
      const failed = await core.invoke('jobs.wait', { id: oneClass.job.id });
      expect(failed.job.state).toBe('failed');
      expect(failed.error).toMatchObject({
        kind: 'invalid-input',
        message: expect.stringMatching(/only positive.*--benign-variations/),
      });

      const sets = trainingSets(core.db, 'srllm', 'bias', true);
      expect(sets.train.filter((e) => e.positive).length).toBe(sets.train.filter((e) => !e.positive).length);
      const real = await trainEmbedded(sets, TRAIN_OPTIONS);
      const control = await trainEmbedded(withShuffledTrainLabels(sets, 11), TRAIN_OPTIONS);
      expect(real.validation!.rocAuc!).toBeGreaterThan(0.85);
      expect(real.validation!.accuracy).toBeGreaterThan(0.75);
      expect(control.validation!.rocAuc!).toBeLessThan(0.7);
      expect(real.validation!.rocAuc! - control.validation!.rocAuc!).toBeGreaterThan(0.2);
    },
  );
});
