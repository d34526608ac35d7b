import { describe, expect, test } from 'vitest';
import {
  barLayout,
  boxPlotLayout,
  groupedBarLayout,
  histogramLayout,
  orderedCategories,
  type Frame,
} from '../../../src/renderer/src/charts/layout';

const frame: Frame = { width: 240, height: 140, margin: { top: 10, right: 10, bottom: 30, left: 30 } };
const innerHeight = 100;

describe('orderedCategories', () => {
  test('known values come first in label order, even at zero, then unknown values, then (missing)', () => {
    expect(orderedCategories({ Yes: 3, Maybe: 1, '(missing)': 2 }, ['No', 'Yes'])).toEqual([
      'No',
      'Yes',
      'Maybe',
      '(missing)',
    ]);
  });
  test('(missing) is left out when no record misses the label', () => {
    expect(orderedCategories({ No: 1, '(missing)': 0 }, ['No', 'Yes'])).toEqual(['No', 'Yes']);
  });
});

describe('barLayout', () => {
  const { bars, y } = barLayout(
    [
      { key: 'No', value: 14_227 },
      { key: 'Yes', value: 5_772 },
    ],
    frame,
  );
  test('bar heights are proportional to the counts and stand on the baseline', () => {
    const [no, yes] = bars;
    expect(no!.y + no!.height).toBeCloseTo(innerHeight);
    expect(yes!.y + yes!.height).toBeCloseTo(innerHeight);
    expect(no!.height / yes!.height).toBeCloseTo(14_227 / 5_772, 5);
  });
  test('the count axis starts at zero and is rounded up to a nice value', () => {
    expect(y.domain()[0]).toBe(0);
    expect(y.domain()[1]).toBeGreaterThanOrEqual(14_227);
    expect(y.domain()[1]! % 1000).toBe(0);
  });
  test('bars do not overlap and stay inside the plot', () => {
    expect(bars[0]!.x + bars[0]!.width).toBeLessThanOrEqual(bars[1]!.x);
    expect(bars[1]!.x + bars[1]!.width).toBeLessThanOrEqual(200);
  });
  test('all-zero counts draw flat bars instead of dividing by zero', () => {
    const flat = barLayout([{ key: 'a', value: 0 }], frame);
    expect(flat.bars[0]!.height).toBe(0);
    expect(Number.isFinite(flat.bars[0]!.y)).toBe(true);
  });
});

describe('groupedBarLayout', () => {
  test('places one bar per category and group, groups side by side within their category', () => {
    const counts: Record<string, Record<string, number>> = { train: { No: 70, Yes: 30 }, test: { No: 20, Yes: 10 } };
    const { bars, x } = groupedBarLayout(['No', 'Yes'], ['train', 'test'], (c, g) => counts[g]![c]!, frame);
    expect(bars).toHaveLength(4);
    const noTrain = bars.find((b) => b.key === 'No' && b.group === 'train')!;
    const noTest = bars.find((b) => b.key === 'No' && b.group === 'test')!;
    expect(noTrain.x).toBeLessThan(noTest.x);
    expect(noTest.x + noTest.width).toBeLessThanOrEqual(x('No')! + x.bandwidth() + 1e-9);
    expect(noTrain.height / noTest.height).toBeCloseTo(70 / 20, 5);
  });
});

describe('histogramLayout', () => {
  const hist = { edges: [0, 100, 200, 300], counts: [5, 10, 0] };
  const { bins, x } = histogramLayout(hist, frame);
  test('one bin per count, spanning its edges on a linear axis', () => {
    expect(bins).toHaveLength(3);
    expect(bins.map((b) => [b.x0, b.x1])).toEqual([
      [0, 100],
      [100, 200],
      [200, 300],
    ]);
    expect(x(0)).toBe(0);
    expect(x(300)).toBe(200);
  });
  test('bin heights follow the counts; an empty bin has no height', () => {
    expect(bins[1]!.height).toBeCloseTo(2 * bins[0]!.height);
    expect(bins[2]!.height).toBe(0);
  });
  test('bins leave a 1px gap so neighbours stay distinguishable', () => {
    expect(bins[0]!.x + bins[0]!.width).toBeCloseTo(bins[1]!.x - 1);
  });
  test('mismatched edges and counts use only complete bins', () => {
    expect(histogramLayout({ edges: [0, 1], counts: [1, 2, 3] }, frame).bins).toHaveLength(1);
    expect(histogramLayout({ edges: [], counts: [] }, frame).bins).toHaveLength(0);
  });
});

describe('boxPlotLayout', () => {
  const d = (min: number, p25: number, p50: number, p75: number, max: number, count = 10) => ({
    count,
    mean: (min + max) / 2,
    std: 1,
    min,
    p25,
    p50,
    p75,
    max,
  });
  test('box edges sit at the quartiles and whiskers at min and max, in order', () => {
    const { boxes, x } = boxPlotLayout([{ key: 'Negative', describe: d(-20, 40, 60, 75, 120) }], frame);
    const b = boxes[0]!;
    expect(b.min).toBeCloseTo(x(-20));
    expect(b.q1).toBeCloseTo(x(40));
    expect(b.median).toBeCloseTo(x(60));
    expect(b.max).toBeCloseTo(x(120));
    expect(b.min < b.q1 && b.q1 < b.median && b.median < b.q3 && b.q3 < b.max).toBe(true);
  });
  test('whiskers at min and max stay off the ends of the axis', () => {
    const { boxes } = boxPlotLayout([{ key: 'all', describe: d(0.55, 0.87, 0.95, 1, 1) }], frame);
    expect(boxes[0]!.min).toBeGreaterThan(0);
    expect(boxes[0]!.max).toBeLessThan(200);
  });
  test('groups share one axis and a group with no texts is left out but keeps its row', () => {
    const empty = { count: 0, mean: null, std: null, min: null, p25: null, p50: null, p75: null, max: null };
    const { boxes, x, y } = boxPlotLayout(
      [
        { key: 'Negative', describe: d(0, 1, 2, 3, 4) },
        { key: 'Positive', describe: d(10, 20, 30, 40, 100) },
        { key: 'Neutral', describe: empty },
      ],
      frame,
    );
    expect(boxes.map((b) => b.key)).toEqual(['Negative', 'Positive']);
    expect(x.domain()[0]).toBeLessThanOrEqual(0);
    expect(x.domain()[1]).toBeGreaterThanOrEqual(100);
    expect(y.domain()).toEqual(['Negative', 'Positive', 'Neutral']);
  });
});
