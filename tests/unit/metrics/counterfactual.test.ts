import { describe, expect, it } from 'vitest';
import { counterfactualConsistency } from '../../../src/shared/metrics/counterfactual';

describe('counterfactual consistency', () => {
  const scores = [
    { original: 1, variant: 'original', score: 0.7 },
    { original: 1, variant: 'gender', score: 0.3 }, // flips at 0.5
    { original: 2, variant: 'original', score: 0.2 },
    { original: 2, variant: 'gender', score: 0.4 }, // both benign: no flip
    { original: 3, variant: 'original', score: 0.9 }, // a single variant: skipped
  ];

  it('per original: spread max − min, population SD, and whether the verdict flips', () => {
    const r = counterfactualConsistency(scores, 0.5);
    expect(r.groups).toHaveLength(2);
    expect(r.groups[0]).toMatchObject({
      original: 1,
      variants: 2,
      min: 0.3,
      max: 0.7,
      flipped: true,
      positive: ['original'],
    });
    expect(r.groups[0]!.spread).toBeCloseTo(0.4, 15);
    expect(r.groups[0]!.sd).toBeCloseTo(0.2, 15);
    expect(r.groups[1]).toMatchObject({ original: 2, flipped: false, positive: [] });
  });

  it('summarises the share flipped, mean spread and per-variant rates', () => {
    const r = counterfactualConsistency(scores, 0.5);
    expect(r).toMatchObject({ originals: 2, skipped: 1, flipped: 1, shareFlipped: 0.5 });
    expect(r.meanSpread).toBeCloseTo(0.3, 15);
    expect(r.byVariant.original).toEqual({ n: 3, meanScore: 0.6, sharePositive: 2 / 3 });
    expect(r.byVariant.gender!.sharePositive).toBe(0);
  });

  it('depends on the threshold: no flip when both variants fall on the same side (negative control)', () => {
    expect(counterfactualConsistency(scores, 0.1).flipped).toBe(0);
    expect(counterfactualConsistency(scores, 0.35).flipped).toBe(2);
  });

  it('rejects NaN scores, naming the item', () => {
    expect(() => counterfactualConsistency([{ original: 'a', variant: 'x', score: Number.NaN }])).toThrow(
      /item 0 \(original a, x\)/,
    );
  });
});
