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
  ])(
    'ν $df: two-sided .05 $two05, .01 $two01; one-sided .05 $one05, .01 $one01',
    ({ df, two05, two01, one05, one01 }) => {
      expect(tCritical(0.05, df).toFixed(4)).toBe(two05.toFixed(4));
      expect(tCritical(0.01, df).toFixed(4)).toBe(two01.toFixed(4));
      expect(tCritical(0.05, df, 'greater').toFixed(4)).toBe(one05.toFixed(4));
      expect(tCritical(0.01, df, 'greater').toFixed(4)).toBe(one01.toFixed(4));
    },
  );

  it.each([
    // Closed forms: ν = 1 is Cauchy, t = tan(π(p − ½)) = 1/tan(π(1 − p)); ν = 2: t = (2p − 1)/√(2p(1 − p)).
    { p: 0.975, df: 1, t: Math.tan(Math.PI * 0.475) },
    { p: 1 - 1e-10, df: 1, t: 1 / Math.tan(Math.PI * (1 - (1 - 1e-10))) },
    { p: 0.9, df: 2, t: 0.8 / Math.sqrt(2 * 0.9 * 0.1) },
    { p: 0.01, df: 2, t: -0.98 / Math.sqrt(2 * 0.01 * 0.99) },
    // Large ν: the normal quantile z = 1.959963984540054 plus the first Cornish-Fisher term (z³ + z)/(4ν).
    { p: 0.975, df: 1e7, t: 1.959963984540054 + (1.959963984540054 ** 3 + 1.959963984540054) / 4e7 },
  ])('inverts the CDF: quantile($p, ν $df) = $t', ({ p, df, t }) => {
    const q = studentTQuantile(p, df);
    expect(q / t).toBeCloseTo(1, 8);
    expect(studentTCdf(q, df)).toBeCloseTo(p, 11);
  });

  it('returns 0 at p = ½ and ±∞ at 0 and 1', () => {
    expect(studentTQuantile(0.5, 3)).toBe(0);
    expect(studentTQuantile(0, 3)).toBe(-Infinity);
    expect(studentTQuantile(1, 3)).toBe(Infinity);
  });
});

describe('Student-t CDF and the incomplete beta', () => {
  // Lower tails F(−t) computed independently at 60 digits with mpmath:
  //   python3 -c "import mpmath as mp; mp.mp.dps=60; t,v=28.17,16601; \
  //     print(float(mp.betainc(mp.mpf(v)/2, mp.mpf(1)/2, 0, v/(v+mp.mpf(t)**2), regularized=True)/2))"
  it.each([
    { t: 1.7, df: 4, tail: 0.08217747063502508 },
    { t: 5, df: 4, tail: 0.003745216940637262 },
    { t: 28.17, df: 4, tail: 4.7242634493303485e-6 },
    { t: 1.7, df: 29, tail: 0.04991689574423469 },
    { t: 28.17, df: 29, tail: 6.429501008600226e-23 },
    { t: 1.7, df: 16601, tail: 0.044574828838028664 },
    { t: 5, df: 16601, tail: 2.895740719275573e-7 },
    { t: 28.17, df: 16601, tail: 6.847428808429934e-171 },
    { t: 1.7, df: 1e6, tail: 0.04456561824517438 },
    { t: 5, df: 1e6, tail: 2.866998935445371e-7 },
    { t: 28.17, df: 1e6, tail: 7.982343502662188e-175 },
  ])('F(−$t) with ν $df is $tail to 1e-10 relative', ({ t, df, tail }) => {
    expect(Math.abs(studentTCdf(-t, df) / tail - 1)).toBeLessThan(1e-10);
    expect(
      oneSampleTTestFromSummary({ n: df + 1, mean: t * Math.sqrt(1 / (df + 1)), sd: 1 }, 0).pGreater / tail,
    ).toBeCloseTo(1, 9);
  });

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
    { x: 100.5, want: 361.4355404677776 }, // Python math.lgamma(100.5)
  ])('lgamma($x) = $want', ({ x, want }) => {
    expect(lgamma(x)).toBeCloseTo(want, 10);
  });
});
