// The horizontal bars Statistics draws for a field with many values (the target, a source column).
import { describe, expect, it } from 'vitest';
import { inner, rankedBarLayout, rankedFrame, RANKED_ROW_HEIGHT } from '../../../src/renderer/src/charts/layout';

describe('rankedBarLayout', () => {
  const counts: Record<string, Record<string, number>> = {
    toxicity: { train: 239, dev: 34, test: 68 },
    ageism: { train: 57, dev: 8, test: 17 },
    news: { train: 1, dev: 0, test: 0 },
  };
  const categories = Object.keys(counts);
  const groups = ['train', 'dev', 'test'];
  const value = (c: string, g: string) => counts[c]![g]!;

  it('stacks each row from its groups, segments touching, lengths proportional to the counts', () => {
    const frame = rankedFrame(categories.length, true);
    const { rows, x } = rankedBarLayout(categories, groups, value, frame);
    expect(rows.map((r) => [r.key, r.total])).toEqual([
      ['toxicity', 341],
      ['ageism', 82],
      ['news', 1],
    ]);
    for (const r of rows) {
      expect(r.segments.map((s) => s.group)).toEqual(groups);
      expect(r.segments[0]!.x).toBe(0);
      for (let i = 1; i < r.segments.length; i++)
        expect(r.segments[i]!.x).toBeCloseTo(r.segments[i - 1]!.x + r.segments[i - 1]!.width, 9);
      const end = r.segments.at(-1)!;
      expect(end.x + end.width).toBeCloseTo(x(r.total), 9);
      for (const s of r.segments) expect(s.width).toBeCloseTo(x(s.value) - x(0), 9);
    }
    // Rows in the given order, top to bottom, inside the plot.
    expect(rows[0]!.y).toBeLessThan(rows[1]!.y);
    expect(rows[2]!.y + rows[2]!.height).toBeLessThanOrEqual(inner(frame).height);
  });

  it('grows the frame with the number of categories', () => {
    expect(rankedFrame(30, false).height - rankedFrame(10, false).height).toBe(20 * RANKED_ROW_HEIGHT);
    expect(rankedFrame(5, true).margin.top).toBeGreaterThan(rankedFrame(5, false).margin.top);
  });
});
