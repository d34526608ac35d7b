import { describe, expect, it } from 'vitest';
import { bradleyTerry, bradleyTerryBootstrap, type PairComparison } from '../../../src/shared/metrics/bradley-terry';

const won = (a: number, b: number): PairComparison => ({ a, b, outcome: 'a' });
const lost = (a: number, b: number): PairComparison => ({ a, b, outcome: 'b' });
const tied = (a: number, b: number): PairComparison => ({ a, b, outcome: 'tie' });

// 4 models, 22 comparisons, no ties; every model beats and loses to someone, so the MLE is finite.
const REF_DATA: PairComparison[] = [
  won(0, 1),
  won(0, 1),
  lost(0, 1),
  won(0, 2),
  won(0, 2),
  won(0, 2),
  lost(0, 2),
  won(0, 3),
  lost(0, 3),
  won(1, 2),
  lost(1, 2),
  won(1, 2),
  won(1, 3),
  won(1, 3),
  lost(1, 3),
  won(1, 3),
  won(2, 3),
  lost(2, 3),
  lost(2, 3),
  won(3, 0),
  won(2, 1),
  lost(3, 2),
];
// Reference: the same data as a logistic regression without intercept (one row per comparison,
// column +1 for a and −1 for b, y = 1 when a won; model 0's column dropped, then centred),
// fitted by IRLS/Newton to 1e-15 in numpy 2.x and cross-checked with scipy BFGS (agree to 3e-8).
// statsmodels/scikit-learn were not installed here, so the fit was written out in numpy.
const REF_STRENGTHS = [0.29404444352698667, 0.11517613768570809, -0.2543943727103063, -0.15482620850238854];

const swap = (c: PairComparison): PairComparison => ({
  ...c,
  outcome: c.outcome === 'a' ? 'b' : c.outcome === 'b' ? 'a' : 'tie',
});

describe('bradleyTerry', () => {
  it('matches a logistic-regression fit of the same comparisons (prior 0)', () => {
    const fit = bradleyTerry(4, REF_DATA, { prior: 0 });
    expect(fit.converged).toBe(true);
    fit.strengths.forEach((s, i) => expect(Math.abs(s - REF_STRENGTHS[i]!)).toBeLessThan(1e-6));
  });

  it('centres the strengths to mean 0', () => {
    const s = bradleyTerry(4, REF_DATA).strengths;
    expect(Math.abs(s.reduce((x, y) => x + y, 0))).toBeLessThan(1e-12);
  });

  it('orders a round robin by wins and the prior shrinks towards 0 without changing the order', () => {
    // 0 beats 1 three times in four, 1 beats 2 three times in four, 0 beats 2 three times in four.
    const data = [
      ...[won(0, 1), won(0, 1), won(0, 1), lost(0, 1)],
      ...[won(1, 2), won(1, 2), won(1, 2), lost(1, 2)],
      ...[won(0, 2), won(0, 2), won(0, 2), lost(0, 2)],
    ];
    const mle = bradleyTerry(3, data, { prior: 0 }).strengths;
    const reg = bradleyTerry(3, data).strengths;
    expect(mle[0]).toBeGreaterThan(mle[1]!);
    expect(mle[1]).toBeGreaterThan(mle[2]!);
    expect(reg[0]).toBeGreaterThan(reg[1]!);
    expect(reg[1]).toBeGreaterThan(reg[2]!);
    expect(reg[0]).toBeLessThan(mle[0]!);
    // Symmetric data: the middle model sits at 0 and the others are mirror images.
    expect(mle[1]).toBeCloseTo(0, 9);
    expect(mle[0]).toBeCloseTo(-mle[2]!, 9);
  });

  it('gives equal strengths to models that split their games evenly', () => {
    const s = bradleyTerry(2, [won(0, 1), lost(0, 1), tied(1, 0)], { prior: 0 }).strengths;
    expect(s[0]).toBeCloseTo(0, 12);
    expect(s[1]).toBeCloseTo(0, 12);
  });

  it('is the logit of the win rate for two models', () => {
    // 3 wins in 4: p0/(p0+p1) = 3/4 → s0 − s1 = log 3.
    const s = bradleyTerry(2, [won(0, 1), won(0, 1), won(0, 1), lost(0, 1)], { prior: 0 }).strengths;
    expect(s[0]! - s[1]!).toBeCloseTo(Math.log(3), 9);
  });

  it('does not depend on which side of a pair a model is listed on, nor on model numbering', () => {
    const flipped = REF_DATA.map((c) => ({ a: c.b, b: c.a, outcome: swap(c).outcome }));
    const base = bradleyTerry(4, REF_DATA).strengths;
    bradleyTerry(4, flipped).strengths.forEach((s, i) => expect(s).toBeCloseTo(base[i]!, 9));
    const perm = [2, 0, 3, 1];
    const renamed = REF_DATA.map((c) => ({ ...c, a: perm[c.a]!, b: perm[c.b]! }));
    const s = bradleyTerry(4, renamed).strengths;
    perm.forEach((to, from) => expect(s[to]).toBeCloseTo(base[from]!, 9));
  });

  it('negative control: swapping every outcome negates the strengths and flips the order', () => {
    const base = bradleyTerry(4, REF_DATA).strengths;
    const swapped = bradleyTerry(4, REF_DATA.map(swap)).strengths;
    swapped.forEach((s, i) => expect(s).toBeCloseTo(-base[i]!, 9));
    const order = (x: number[]): number[] => x.map((_, i) => i).sort((i, j) => x[j]! - x[i]!);
    expect(order(swapped)).toEqual(order(base).reverse());
    expect(order(base)[0]).toBe(0);
  });

  it('keeps a model that always wins finite with the default prior', () => {
    const data = [won(0, 1), won(0, 1), won(0, 2), won(0, 2), won(1, 2), lost(1, 2), won(1, 2)];
    const fit = bradleyTerry(3, data);
    expect(fit.converged).toBe(true);
    expect(fit.strengths.every(Number.isFinite)).toBe(true);
    expect(fit.strengths[0]).toBeGreaterThan(fit.strengths[1]!);
    // Without the prior the MLE does not exist, and that is said rather than returned as ∞.
    expect(() => bradleyTerry(3, data, { prior: 0 })).toThrow(/never wins or never loses.*prior > 0/);
  });

  it('places a model with no comparisons between the others under the prior', () => {
    const fit = bradleyTerry(3, [won(0, 1), lost(0, 1), won(0, 1)]);
    expect(fit.strengths.every(Number.isFinite)).toBe(true);
    // Its only information is the prior's virtual ties, so it sits between the two others.
    expect(fit.strengths[0]).toBeGreaterThan(fit.strengths[2]!);
    expect(fit.strengths[2]).toBeGreaterThan(fit.strengths[1]!);
  });

  it('counts a tie as half a win each: same fit as a tie duplicated into one win each way', () => {
    // Duplicating a tie into two games doubles its weight, so every other comparison (and the
    // prior's virtual ties) is doubled too; the likelihood is then exactly 2× the original.
    const data = [...REF_DATA, tied(0, 1), tied(2, 3), tied(0, 2), tied(3, 1)];
    const doubled = data.flatMap((c) => (c.outcome === 'tie' ? [won(c.a, c.b), lost(c.a, c.b)] : [c, c]));
    for (const [prior, doubledPrior] of [
      [0, 0],
      [0.5, 1],
    ] as const) {
      const s = bradleyTerry(4, data, { prior }).strengths;
      const d = bradleyTerry(4, doubled, { prior: doubledPrior }).strengths;
      d.forEach((v, i) => expect(Math.abs(v - s[i]!)).toBeLessThan(1e-8));
    }
    // Negative control: counting a tie as nothing (dropping it) gives a different fit.
    const dropped = bradleyTerry(4, REF_DATA, { prior: 0 }).strengths;
    const withTies = bradleyTerry(4, data, { prior: 0 }).strengths;
    expect(Math.max(...dropped.map((v, i) => Math.abs(v - withTies[i]!)))).toBeGreaterThan(1e-3);
  });

  it('reports non-convergence when the iteration budget is too small', () => {
    const fit = bradleyTerry(4, REF_DATA, { maxIterations: 1 });
    expect(fit).toMatchObject({ iterations: 1, converged: false });
  });

  it.each([
    [1, [], /k must be an integer ≥ 2/],
    [2.5, [], /k must be an integer ≥ 2/],
    [3, [won(0, 3)], /comparisons\[0\]\.b is 3, outside the model indices 0\.\.2/],
    [3, [won(0, 1), won(-1, 1)], /comparisons\[1\]\.a is -1/],
    [3, [won(1, 1)], /comparisons\[0\] compares model 1 with itself/],
    [3, [{ a: 0, b: 1, outcome: 'draw' } as unknown as PairComparison], /comparisons\[0\]\.outcome is draw/],
  ] as const)('rejects k=%s with %j', (k, data, message) => {
    expect(() => bradleyTerry(k, data)).toThrow(RangeError);
    expect(() => bradleyTerry(k, data)).toThrow(message);
  });

  it('rejects bad options, naming them', () => {
    expect(() => bradleyTerry(2, [], { prior: -1 })).toThrow(/prior must be/);
    expect(() => bradleyTerry(2, [], { tolerance: 0 })).toThrow(/tolerance must be/);
    expect(() => bradleyTerry(2, [], { maxIterations: 0 })).toThrow(/maxIterations must be/);
  });
});

describe('bradleyTerryBootstrap', () => {
  const opts = { resamples: 300, confidence: 0.95, seed: 7 };

  it('is deterministic per seed and differs across seeds', () => {
    const a = bradleyTerryBootstrap(4, REF_DATA, opts);
    const b = bradleyTerryBootstrap(4, REF_DATA, opts);
    expect(b).toEqual(a);
    const c = bradleyTerryBootstrap(4, REF_DATA, { ...opts, seed: 8 });
    expect(c.ci).not.toEqual(a.ci);
    expect(c.fit).toEqual(a.fit);
  });

  it('returns the default-prior fit and intervals that contain it', () => {
    const { fit, ci } = bradleyTerryBootstrap(4, REF_DATA, opts);
    expect(fit).toEqual(bradleyTerry(4, REF_DATA));
    ci.forEach((interval, i) => {
      expect(interval).not.toBeNull();
      const [lo, hi] = interval!;
      expect(lo).toBeLessThan(fit.strengths[i]!);
      expect(hi).toBeGreaterThan(fit.strengths[i]!);
    });
  });

  it('narrows with more data and widens with more confidence', () => {
    const width = (data: PairComparison[], confidence: number): number => {
      const [lo, hi] = bradleyTerryBootstrap(4, data, { ...opts, confidence }).ci[0]!;
      return hi - lo;
    };
    const more = [...REF_DATA, ...REF_DATA, ...REF_DATA, ...REF_DATA];
    expect(width(more, 0.95)).toBeLessThan(width(REF_DATA, 0.95));
    expect(width(REF_DATA, 0.8)).toBeLessThan(width(REF_DATA, 0.95));
  });

  it('gives null for a model with no comparisons', () => {
    const { ci } = bradleyTerryBootstrap(3, [won(0, 1), lost(0, 1), won(0, 1)], opts);
    expect(ci[2]).toBeNull();
    expect(ci[0]).not.toBeNull();
  });

  it('rejects bad options, naming them', () => {
    expect(() => bradleyTerryBootstrap(4, REF_DATA, { ...opts, resamples: 0 })).toThrow(/resamples must be/);
    expect(() => bradleyTerryBootstrap(4, REF_DATA, { ...opts, confidence: 1 })).toThrow(/confidence must lie/);
    expect(() => bradleyTerryBootstrap(4, REF_DATA, { ...opts, seed: Number.NaN })).toThrow(/seed must be/);
    expect(() => bradleyTerryBootstrap(4, [won(0, 4)], opts)).toThrow(/comparisons\[0\]\.b is 4/);
  });
});
