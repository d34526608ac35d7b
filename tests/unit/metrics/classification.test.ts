import { describe, expect, it } from 'vitest';
import {
  accuracy,
  averageRanks,
  binaryClassificationMetrics,
  macroF1,
  perClassF1,
  rocAuc,
} from '../../../src/shared/metrics/classification';
import { seededRandom } from '../../../src/shared/metrics/bootstrap';

// A binary case with tied scores across the classes (.4 and .8 appear for both).
const Y = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0];
const S = [0.9, 0.1, 0.4, 0.4, 0.4, 0.3, 0.8, 0.8, 0.2, 0.05];

describe('classification metrics', () => {
  it('ROC-AUC handles ties by average rank: 0.74, as scipy gives', () => {
    // Reference computed once with scipy 1.17.1:
    //   U = scipy.stats.mannwhitneyu(s[y==1], s[y==0]).statistic; U/(5*5) → 0.74
    expect(rocAuc(Y, S)).toBeCloseTo(0.74, 14);
    // Ignoring ties (counting a tie as a loss) would give 0.64 — the tie rule matters here.
    expect(rocAuc(Y, S)).not.toBeCloseTo(0.64, 3);
  });

  it('ROC-AUC is 1 for a perfect ranking, 0 reversed, ½ for constant scores, NaN with one class', () => {
    expect(rocAuc([false, false, true, true], [0.1, 0.2, 0.3, 0.4])).toBe(1);
    expect(rocAuc([true, true, false, false], [0.1, 0.2, 0.3, 0.4])).toBe(0);
    expect(rocAuc([true, false, true, false], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    expect(rocAuc([true, true], [0.1, 0.2])).toBeNaN();
    expect(() => rocAuc([true, false], [0.1])).toThrow(/2 true labels but 1 predictions/);
  });

  it('average ranks match scipy.stats.rankdata(method="average")', () => {
    expect([...averageRanks([10, 20, 10, 30, 20, 20])]).toEqual([1.5, 4, 1.5, 6, 4, 4]);
  });

  it('accuracy and macro-F1 over the labels seen (sklearn semantics, zero_division = 0)', () => {
    const t = ['a', 'a', 'b', 'c'];
    const p = ['a', 'b', 'b', 'b'];
    expect(accuracy(t, p)).toBe(0.5);
    // a: 2/3, b: 1/2, c: 0 (never predicted) → 7/18.
    expect(macroF1(t, p)).toBeCloseTo(7 / 18, 15);
    expect(perClassF1(t, p).map((c) => c.support)).toEqual([2, 1, 1]);
  });

  it('binary metrics at the threshold: accuracy .6, macro-F1 7/12, confusion counts', () => {
    const m = binaryClassificationMetrics(Y, S, 0.5);
    expect(m).toMatchObject({ n: 10, positives: 5, tp: 2, fp: 1, fn: 3, tn: 4, accuracy: 0.6 });
    // F1(positive) = 4/8, F1(negative) = 8/12.
    expect(m.macroF1).toBeCloseTo(7 / 12, 15);
    expect(m.rocAuc).toBeCloseTo(0.74, 14);
  });

  it('uses a strict threshold: a score equal to it is negative', () => {
    expect(binaryClassificationMetrics([true], [0.5], 0.5).tp).toBe(0);
  });

  it('shuffled labels score near chance while the true labels do not (negative control)', () => {
    const n = 400;
    const labels = Array.from({ length: n }, (_, i) => i % 2 === 0);
    const scores = labels.map((l, i) => (l ? 0.6 : 0.4) + ((i * 7919) % 100) / 500 - 0.1);
    const shuffled = [...labels];
    const rand = seededRandom(7);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    expect(rocAuc(labels, scores)).toBeGreaterThan(0.9);
    expect(Math.abs(rocAuc(shuffled, scores) - 0.5)).toBeLessThan(0.15);
  });
});
