import { describe, expect, it } from 'vitest';
import { fleissKappa } from '../../../src/shared/metrics/agreement';
import { pooledFleissKappa, ratingSpread } from '../../../src/shared/metrics/spread';
// Wikipedia's Fleiss' kappa example (METRICS.md), turned below into 14 labels per item.
import { WIKIPEDIA_FLEISS as FLEISS } from '../../fixtures/agreement-examples';

describe('ratingSpread', () => {
  it.each([
    [[3], { mean: 3, range: 0, sd: 0, n: 1 }],
    [[1, 5], { mean: 3, range: 4, sd: 2, n: 2 }],
    [[2, 4, 4, 4, 5, 5, 7, 9], { mean: 5, range: 7, sd: 2, n: 8 }],
  ])('%j → %j (population sd)', (ratings, expected) => {
    const r = ratingSpread(ratings);
    expect(r.n).toBe(expected.n);
    expect(r.mean).toBeCloseTo(expected.mean, 12);
    expect(r.range).toBe(expected.range);
    expect(r.sd).toBeCloseTo(expected.sd, 12);
  });

  it('rejects an empty list and non-finite ratings, naming the position', () => {
    expect(() => ratingSpread([])).toThrow(/ratings is empty/);
    expect(() => ratingSpread([1, Number.NaN])).toThrow(/ratings\[1\] is not a finite number/);
  });
});

const LABELS = ['1', '2', '3', '4', '5'];
const asRatings = (counts: number[][]): string[][] =>
  counts.map((row) => row.flatMap((c, j) => new Array<string>(c).fill(LABELS[j]!)));

describe('pooledFleissKappa', () => {
  it('equals plain Fleiss κ when only one category is pooled (Wikipedia example, κ .20993)', () => {
    const r = pooledFleissKappa([{ categories: LABELS, items: asRatings(FLEISS) }]);
    expect(r).not.toBeNull();
    expect(r!.kappa).toBeCloseTo(0.20993, 5);
    expect(r!.kappa).toBeCloseTo(fleissKappa(FLEISS).kappa, 12);
    expect(r!.items).toBe(10);
  });

  it('keeps equal labels of different categories apart', () => {
    const bias = {
      categories: ['Yes', 'No'],
      items: [
        ['Yes', 'Yes', 'No'],
        ['No', 'No', 'No'],
      ],
    };
    const toxic = {
      categories: ['Yes', 'No'],
      items: [
        ['Yes', 'Yes', 'Yes'],
        ['Yes', 'No', 'No'],
      ],
    };
    const r = pooledFleissKappa([bias, toxic])!;
    // Columns: bias-Yes, bias-No, toxic-Yes, toxic-No.
    const blocks = [
      [2, 1, 0, 0],
      [0, 3, 0, 0],
      [0, 0, 3, 0],
      [0, 0, 1, 2],
    ];
    expect(r).toEqual({ kappa: fleissKappa(blocks).kappa, items: 4 });
    // Negative control: merging the labels across categories is a different (lower) number.
    const merged = fleissKappa([
      [2, 1],
      [0, 3],
      [3, 0],
      [1, 2],
    ]).kappa;
    expect(Math.abs(r.kappa - merged)).toBeGreaterThan(0.1);
  });

  it('leaves out items whose number of ratings differs from the most common one', () => {
    const cat = {
      categories: LABELS,
      items: [...asRatings(FLEISS), ['1', '1'], ['5', '5', '5'], ['2']],
    };
    expect(pooledFleissKappa([cat])).toEqual({ kappa: fleissKappa(FLEISS).kappa, items: 10 });
  });

  it('returns null when no item has at least 2 ratings', () => {
    expect(pooledFleissKappa([])).toBeNull();
    expect(pooledFleissKappa([{ categories: ['Yes', 'No'], items: [['Yes'], [], ['No']] }])).toBeNull();
  });

  it('rejects labels outside the category and duplicated category labels, naming them', () => {
    expect(() => pooledFleissKappa([{ categories: ['Yes', 'No'], items: [['Yes', 'Maybe']] }])).toThrow(
      /perCategory\[0\]\.items\[0\]\[1\] is "Maybe"/,
    );
    expect(() => pooledFleissKappa([{ categories: ['Yes', 'Yes'], items: [] }])).toThrow(/lists "Yes" twice/);
  });
});
