import { describe as suite, expect, it } from 'vitest';
import {
  describe,
  histogram,
  histogramWithEdges,
  niceEdges,
  quantileSorted,
} from '../../../src/shared/metrics/describe';

suite('describe', () => {
  it('matches pandas Series(range(1, 11)).describe(): sample std and interpolated quartiles', () => {
    // pandas: count 10, mean 5.5, std 3.02765, min 1, 25% 3.25, 50% 5.5, 75% 7.75, max 10
    const d = describe([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(d).toMatchObject({ count: 10, mean: 5.5, min: 1, p25: 3.25, p50: 5.5, p75: 7.75, max: 10 });
    expect(d.std).toBeCloseTo(Math.sqrt(55 / 6), 14);
  });

  it.each([
    { values: [1, 2, 3, 4], p25: 1.75, p50: 2.5, p75: 3.25 },
    { values: [10, 0], p25: 2.5, p50: 5, p75: 7.5 },
    { values: [3, 1, 2], p25: 1.5, p50: 2, p75: 2.5 },
    { values: [7], p25: 7, p50: 7, p75: 7 },
  ])('interpolates quartiles linearly between ranks: $values', ({ values, p25, p50, p75 }) => {
    expect(describe(values)).toMatchObject({ p25, p50, p75 });
  });

  it('gives nulls for no values, and a null std for one value', () => {
    expect(describe([])).toEqual({
      count: 0,
      mean: null,
      std: null,
      min: null,
      p25: null,
      p50: null,
      p75: null,
      max: null,
    });
    expect(describe([4])).toEqual({ count: 1, mean: 4, std: null, min: 4, p25: 4, p50: 4, p75: 4, max: 4 });
  });

  it('skips NaN (missing) values like pandas and accepts typed arrays', () => {
    expect(describe(Float64Array.from([2, Number.NaN, 4]))).toMatchObject({ count: 2, mean: 3, min: 2, max: 4 });
  });

  it('keeps the variance accurate for large offsets (two-pass)', () => {
    expect(describe([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]).std).toBeCloseTo(Math.sqrt(30), 9);
  });

  it('quantileSorted interpolates at position (n − 1)·q', () => {
    expect(quantileSorted([0, 10, 20, 30, 40], 0.1)).toBeCloseTo(4, 12);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});

suite('histogram', () => {
  it.each([
    { min: 0, max: 100, bins: 10, edges: [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100] },
    { min: 3, max: 47, bins: 5, edges: [0, 10, 20, 30, 40, 50] },
    { min: 0, max: 1, bins: 5, edges: [0, 0.2, 0.4, 0.6, 0.8, 1] },
    { min: 0.1, max: 0.3, bins: 2, edges: [0.1, 0.2, 0.3] },
    { min: -12, max: 118, bins: 6, edges: [-20, 0, 20, 40, 60, 80, 100, 120] },
    { min: 5, max: 5, bins: 10, edges: [5, 6] },
  ])(
    'nice edges for [$min, $max] in about $bins bins are multiples of 1, 2 or 5 × 10^k',
    ({ min, max, bins, edges }) => {
      expect(niceEdges(min, max, bins)).toEqual(edges);
    },
  );

  it('uses a step of at least 1 for integer data', () => {
    expect(niceEdges(1, 4, 30, true)).toEqual([1, 2, 3, 4]);
  });

  it('counts every value once; the last bin includes its right edge', () => {
    const h = histogram([0, 1, 9.99, 10, 50, 100], { bins: 10 });
    expect(h.edges).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(h.counts).toEqual([3, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('gives no bins for no values', () => {
    expect(histogram([])).toEqual({ edges: [], counts: [] });
  });

  it('counts into given edges, ignoring values outside them', () => {
    expect(histogramWithEdges([-1, 0, 0.5, 1, 2, 3], [0, 1, 2])).toEqual({ edges: [0, 1, 2], counts: [2, 2] });
  });
});
