import { describe, expect, it } from 'vitest';
import { crowsScores } from '../../../src/shared/metrics/crows';

describe('CrowS-Pairs for causal LMs (METRICS.md section 2, lm-evaluation-harness)', () => {
  const pairs = [
    { llMore: -10, llLess: -12, biasType: 'gender' }, // more wins, diff 2
    { llMore: -20, llLess: -15, biasType: 'gender' }, // less wins, diff 5
    { llMore: -8, llLess: -8, biasType: 'race-color' }, // tie: not stereotypical, diff 0
    { llMore: -3, llLess: -4.5, biasType: 'race-color' }, // more wins, diff 1.5
  ];

  it('pct_stereotype = 100·mean[ll_more > ll_less], likelihood_diff = mean |ll_more − ll_less|', () => {
    const r = crowsScores(pairs);
    expect(r.n).toBe(4);
    expect(r.pctStereotype).toBe(50);
    expect(r.likelihoodDiff).toBe((2 + 5 + 0 + 1.5) / 4);
  });

  it('scores each bias type on its own pairs', () => {
    expect(crowsScores(pairs).byBiasType).toEqual({
      gender: { n: 2, pctStereotype: 50, likelihoodDiff: 3.5 },
      'race-color': { n: 2, pctStereotype: 50, likelihoodDiff: 0.75 },
    });
  });

  it('counts a tie as not stereotypical (strict)', () => {
    expect(crowsScores([{ llMore: -1, llLess: -1 }]).pctStereotype).toBe(0);
  });

  it('gives 100 − pct when the sentences are swapped and there are no ties (negative control)', () => {
    const noTies = pairs.filter((p) => p.llMore !== p.llLess);
    const a = crowsScores(noTies);
    const b = crowsScores(noTies.map((p) => ({ ...p, llMore: p.llLess, llLess: p.llMore })));
    expect(b.pctStereotype).toBeCloseTo(100 - a.pctStereotype, 12);
    expect(b.likelihoodDiff).toBe(a.likelihoodDiff);
  });

  it('rejects NaN log-likelihoods, and gives NaN for no pairs', () => {
    expect(() => crowsScores([{ llMore: Number.NaN, llLess: 0 }])).toThrow(/pair 0/);
    expect(crowsScores([]).pctStereotype).toBeNaN();
  });
});
