import { describe, expect, it } from 'vitest';
import {
  cohenKappa,
  cohenKappaFromRatings,
  fleissKappa,
  krippendorffAlpha,
} from '../../../src/shared/metrics/agreement';
// Wikipedia's Fleiss' kappa example and Krippendorff (2011)'s: METRICS.md's test vectors.
import { KRIPPENDORFF_2011 as KRIPP, WIKIPEDIA_FLEISS as FLEISS } from '../../fixtures/agreement-examples';

describe("Fleiss' kappa", () => {
  it('reproduces the Wikipedia example: P̄ .37802, P_e .21276, κ .20993', () => {
    const r = fleissKappa(FLEISS);
    expect(r.pBar).toBeCloseTo(0.37802, 5);
    expect(r.pe).toBeCloseTo(0.21276, 5);
    expect(r.kappa).toBeCloseTo(0.20993, 5);
    expect(r.pj.map((p) => Number(p.toFixed(3)))).toEqual([0.143, 0.2, 0.279, 0.15, 0.229]);
    expect(r.pi[1]).toBeCloseTo(0.253, 3);
    expect(r).toMatchObject({ items: 10, raters: 14 });
  });

  it('is 1 for perfect agreement on varied items', () => {
    expect(
      fleissKappa([
        [3, 0],
        [0, 3],
        [3, 0],
      ]).kappa,
    ).toBe(1);
  });

  it('rejects items with different numbers of raters', () => {
    expect(() =>
      fleissKappa([
        [2, 1],
        [1, 1],
      ]),
    ).toThrow(/expected 3/);
  });
});

describe("Cohen's kappa", () => {
  it('gives 0.4 for [[20,5],[10,15]]', () => {
    expect(
      cohenKappa([
        [20, 5],
        [10, 15],
      ]),
    ).toBeCloseTo(0.4, 12);
  });

  // Expected values computed independently with exact fractions in Python:
  // κ = 6/11 (p_o .70, p_e .34), linear 141/221, quadratic 27/37.
  it.each([
    { weights: 'none' as const, kappa: 6 / 11 },
    { weights: 'linear' as const, kappa: 141 / 221 },
    { weights: 'quadratic' as const, kappa: 27 / 37 },
  ])('weights $weights on a 3×3 ordinal table give $kappa', ({ weights, kappa }) => {
    const table = [
      [11, 3, 1],
      [2, 9, 4],
      [0, 5, 15],
    ];
    expect(cohenKappa(table, weights)).toBeCloseTo(kappa, 12);
  });

  it('equals the plain kappa with quadratic weights when there are 2 categories', () => {
    expect(
      cohenKappa(
        [
          [20, 5],
          [10, 15],
        ],
        'quadratic',
      ),
    ).toBeCloseTo(0.4, 12);
  });

  it('builds the table from paired ratings', () => {
    const a = [...Array(20).fill('y'), ...Array(5).fill('y'), ...Array(10).fill('n'), ...Array(15).fill('n')];
    const b = [...Array(20).fill('y'), ...Array(5).fill('n'), ...Array(10).fill('y'), ...Array(15).fill('n')];
    expect(cohenKappaFromRatings(a, b, { categories: ['y', 'n'] })).toBeCloseTo(0.4, 12);
  });
});

describe("Krippendorff's alpha", () => {
  it.each([
    { level: 'nominal' as const, alpha: 0.7434 },
    { level: 'ordinal' as const, alpha: 0.8154 },
    { level: 'interval' as const, alpha: 0.8491 },
    { level: 'ratio' as const, alpha: 0.7974 },
  ])('reproduces Krippendorff (2011), $level: $alpha', ({ level, alpha }) => {
    expect(krippendorffAlpha(KRIPP, level)).toBeCloseTo(alpha, 4);
  });

  it('treats NaN like null (missing)', () => {
    const withNaN = KRIPP.map((row) => row.map((v) => (v === null ? Number.NaN : v)));
    expect(krippendorffAlpha(withNaN, 'ordinal')).toBe(krippendorffAlpha(KRIPP, 'ordinal'));
  });

  it('ignores units rated only once', () => {
    const more = KRIPP.map((row, r) => [...row, r === 0 ? 5 : null]);
    expect(krippendorffAlpha(more, 'interval')).toBe(krippendorffAlpha(KRIPP, 'interval'));
  });

  it('is 1 for perfect agreement and NaN when no value varies', () => {
    expect(
      krippendorffAlpha(
        [
          [1, 2, 3],
          [1, 2, 3],
        ],
        'ordinal',
      ),
    ).toBe(1);
    expect(
      krippendorffAlpha([
        [2, 2],
        [2, 2],
      ]),
    ).toBeNaN();
  });
});
