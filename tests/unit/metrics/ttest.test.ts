import { describe, expect, it } from 'vitest';
import {
  lgamma,
  oneSampleTTest,
  oneSampleTTestFromSummary,
  regIncBeta,
  studentTCdf,
  studentTQuantile,
  tCritical,
} from '../../../src/shared/metrics/ttest';

describe('one-sample t-test (METRICS.md section 5)', () => {
  it.each([
    { n: 10, mean: 5.5, sd: 1.2, mu: 5.0, t: 1.317616, p: 0.220185, greater: 0.110093 },
    { n: 25, mean: 3.8, sd: 0.9, mu: 3.5, t: 1.666667, p: 0.10858, greater: 0.05429 },
  ])('n $n, x̄ $mean, s $sd, μ $mu → t $t, p $p, p_greater $greater', ({ n, mean, sd, mu, t, p, greater }) => {
    const r = oneSampleTTestFromSummary({ n, mean, sd }, mu);
    expect(r.df).toBe(n - 1);
    expect(r.t).toBeCloseTo(t, 6);
    expect(r.pTwoSided).toBeCloseTo(p, 6);
    expect(r.pGreater).toBeCloseTo(greater, 6);
    expect(r.pLess).toBeCloseTo(1 - greater, 6);
  });

  it('n 5, x̄ 2.0, s 1.5, μ 3.0 → t −1.490712, p 0.210295, p_less 0.105148', () => {
    const r = oneSampleTTestFromSummary({ n: 5, mean: 2, sd: 1.5 }, 3);
    expect(r.t).toBeCloseTo(-1.490712, 6);
    expect(r.pTwoSided).toBeCloseTo(0.210295, 6);
    expect(r.pLess).toBeCloseTo(0.105148, 6);
  });

  it('raw x = 1..10 against μ 5 uses the sample SD: t 0.522233, p 0.614117', () => {
    const r = oneSampleTTest([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5);
    expect(r.sd).toBeCloseTo(3.0276503541, 10);
    expect(r.t).toBeCloseTo(0.522233, 6);
    expect(r.pTwoSided).toBeCloseTo(0.614117, 6);
  });

  it('keeps tiny p-values in the far tail (the paper: t 28.17, ν 16601) instead of rounding to 0', () => {
    const n = 16602;
    const r = oneSampleTTestFromSummary({ n, mean: 28.17 / Math.sqrt(n), sd: 1 }, 0);
    expect(r.t).toBeCloseTo(28.17, 10);
    expect(r.pTwoSided).toBeGreaterThan(0);
    expect(r.pTwoSided).toBeLessThan(1e-150);
    expect(r.pGreater).toBeCloseTo(r.pTwoSided / 2, 300);
  });

  it('gives NaN for fewer than 2 values', () => {
    expect(oneSampleTTest([3], 1).t).toBeNaN();
    expect(oneSampleTTest([], 1).pTwoSided).toBeNaN();
  });

  it.each([
    { x: [2, 2, 2], mu: 1, t: Infinity, p: 0, greater: 0, less: 1 },
    { x: [2, 2, 2], mu: 3, t: -Infinity, p: 0, greater: 1, less: 0 },
  ])('with s = 0 gives t = $t and p = 0 (x = $x, μ = $mu)', ({ x, mu, t, p, greater, less }) => {
    expect(oneSampleTTest(x, mu)).toMatchObject({ t, pTwoSided: p, pGreater: greater, pLess: less });
  });

  it('with s = 0 and x̄ = μ gives NaN', () => {
    const r = oneSampleTTest([2, 2, 2], 2);
    expect(r.t).toBeNaN();
    expect(r.pTwoSided).toBeNaN();
  });
});

describe('critical t values', () => {
  it.each([
    { df: 4, two05: 2.7764, two01: 4.6041, one05: 2.1318, one01: 3.7469 },
    { df: 9, two05: 2.2622, two01: 3.2498, one05: 1.8331, one01: 2.8214 },
    { df: 29, two05: 2.0452, two01: 2.7564, one05: 1.6991, one01: 2.462 },
  ])('ν $df: two-sided .05 $two05, .01 $two01; one-sided .05 $one05, .01 $one01', ({ df, two05, two01, one05, one01 }) => {
    expect(tCritical(0.05, df).toFixed(4)).toBe(two05.toFixed(4));
    expect(tCritical(0.01, df).toFixed(4)).toBe(two01.toFixed(4));
    expect(tCritical(0.05, df, 'greater').toFixed(4)).toBe(one05.toFixed(4));
    expect(tCritical(0.01, df, 'greater').toFixed(4)).toBe(one01.toFixed(4));
  });

  it.each([
    // Closed forms: ν = 1 is Cauchy, t = tan(π(p − ½)); ν = 2: t = (2p − 1)/√(2p(1 − p)).
    { p: 0.975, df: 1, t: Math.tan(Math.PI * 0.475) },
    { p: 1 - 1e-10, df: 1, t: Math.tan(Math.PI * (0.5 - 1e-10)) },
    { p: 0.9, df: 2, t: 0.8 / Math.sqrt(2 * 0.9 * 0.1) },
    { p: 0.01, df: 2, t: -0.98 / Math.sqrt(2 * 0.01 * 0.99) },
    // Large ν approaches the normal quantile z(0.975) = 1.959963985.
    { p: 0.975, df: 1e7, t: 1.959963985 },
  ])('inverts the CDF: quantile($p, ν $df) = $t', ({ p, df, t }) => {
    const q = studentTQuantile(p, df);
    expect(q / t).toBeCloseTo(1, 8);
    expect(studentTCdf(q, df)).toBeCloseTo(p, 12);
  });

  it('returns 0 at p = ½ and ±∞ at 0 and 1', () => {
    expect(studentTQuantile(0.5, 3)).toBe(0);
    expect(studentTQuantile(0, 3)).toBe(-Infinity);
    expect(studentTQuantile(1, 3)).toBe(Infinity);
  });
});

describe('Student-t CDF and the incomplete beta', () => {
  it.each([0.1, 1, 2.5, 10, 100])('is symmetric: F(t) + F(−t) = 1 at t = %d', (t) => {
    expect(studentTCdf(t, 7) + studentTCdf(-t, 7)).toBeCloseTo(1, 14);
  });

  it.each([
    { x: 0.3, a: 1, b: 1, want: 0.3 },
    { x: 0.3, a: 3, b: 1, want: 0.3 ** 3 },
    { x: 0.3, a: 1, b: 4, want: 1 - 0.7 ** 4 },
    { x: 0.5, a: 6.5, b: 6.5, want: 0.5 },
    { x: 0.9, a: 2, b: 3, want: 0.9963 }, // I_x(2,3) = 6x²/2 − 8x³/3 + 3x⁴ ... = 0.9963 at 0.9
  ])('I_$x($a, $b) = $want', ({ x, a, b, want }) => {
    expect(regIncBeta(x, a, b)).toBeCloseTo(want, 12);
  });

  it.each([
    { x: 0.5, want: 0.5 * Math.log(Math.PI) },
    { x: 1, want: 0 },
    { x: 10, want: Math.log(362880) },
    { x: 100.5, want: 359.13420536957539878 },
  ])('lgamma($x) = $want', ({ x, want }) => {
    expect(lgamma(x)).toBeCloseTo(want, 10);
  });
});
