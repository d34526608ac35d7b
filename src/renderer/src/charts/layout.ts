// Chart maths: scales and mark geometry, in pure TypeScript (no DOM), so the shapes are
// tested directly and components only map them to SVG.
import { scaleBand, scaleLinear, type ScaleBand, type ScaleLinear } from 'd3';
import type { Describe, Histogram } from '../../../shared/contracts/datasets';

export interface Frame {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

export const MISSING = '(missing)';

export function inner(frame: Frame): { width: number; height: number } {
  return {
    width: Math.max(0, frame.width - frame.margin.left - frame.margin.right),
    height: Math.max(0, frame.height - frame.margin.top - frame.margin.bottom),
  };
}

/**
 * Category order of a label chart: the label's known values (shown even at 0, so charts of
 * different splits line up), then values outside the set (sorted), then "(missing)" if any.
 */
export function orderedCategories(counts: Record<string, number>, known: readonly string[]): string[] {
  const extra = Object.keys(counts)
    .filter((k) => !known.includes(k) && k !== MISSING)
    .sort();
  const missing = (counts[MISSING] ?? 0) > 0 ? [MISSING] : [];
  return [...known, ...extra, ...missing];
}

export interface BarMark {
  key: string;
  /** Set for grouped bars: which group (e.g. split) the bar belongs to. */
  group?: string;
  value: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

function countScale(max: number, height: number): ScaleLinear<number, number> {
  return scaleLinear()
    .domain([0, Math.max(1, max)])
    .nice()
    .range([height, 0]);
}

export function barLayout(
  data: { key: string; value: number }[],
  frame: Frame,
): { bars: BarMark[]; x: ScaleBand<string>; y: ScaleLinear<number, number> } {
  const { width, height } = inner(frame);
  const x = scaleBand<string>()
    .domain(data.map((d) => d.key))
    .range([0, width])
    .padding(0.25);
  const y = countScale(Math.max(0, ...data.map((d) => d.value)), height);
  const bars = data.map((d) => ({
    key: d.key,
    value: d.value,
    x: x(d.key) ?? 0,
    y: y(d.value),
    width: x.bandwidth(),
    height: height - y(d.value),
  }));
  return { bars, x, y };
}

/** Bars per category, side by side per group (e.g. a label's values per split). */
export function groupedBarLayout(
  categories: string[],
  groups: string[],
  value: (category: string, group: string) => number,
  frame: Frame,
): { bars: BarMark[]; x: ScaleBand<string>; inner: ScaleBand<string>; y: ScaleLinear<number, number> } {
  const { width, height } = inner(frame);
  const x = scaleBand<string>().domain(categories).range([0, width]).padding(0.2);
  const inner_ = scaleBand<string>().domain(groups).range([0, x.bandwidth()]).padding(0.08);
  let max = 0;
  for (const c of categories) for (const g of groups) max = Math.max(max, value(c, g));
  const y = countScale(max, height);
  const bars: BarMark[] = [];
  for (const c of categories) {
    for (const g of groups) {
      const v = value(c, g);
      bars.push({
        key: c,
        group: g,
        value: v,
        x: (x(c) ?? 0) + (inner_(g) ?? 0),
        y: y(v),
        width: inner_.bandwidth(),
        height: height - y(v),
      });
    }
  }
  return { bars, x, inner: inner_, y };
}

export interface HistogramBin {
  x0: number;
  x1: number;
  count: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Bins from `edges` (n+1 values) and `counts` (n values); bins touch, 1px gap drawn between them. */
export function histogramLayout(
  hist: Histogram,
  frame: Frame,
): { bins: HistogramBin[]; x: ScaleLinear<number, number>; y: ScaleLinear<number, number> } {
  const { width, height } = inner(frame);
  const n = Math.max(0, Math.min(hist.counts.length, hist.edges.length - 1));
  const lo = n > 0 ? hist.edges[0]! : 0;
  const hi = n > 0 ? hist.edges[n]! : 1;
  const x = scaleLinear()
    .domain([lo, hi > lo ? hi : lo + 1])
    .range([0, width]);
  const y = countScale(Math.max(0, ...hist.counts.slice(0, n)), height);
  const bins: HistogramBin[] = [];
  for (let i = 0; i < n; i++) {
    const x0 = hist.edges[i]!;
    const x1 = hist.edges[i + 1]!;
    const count = hist.counts[i]!;
    const px0 = x(x0);
    const px1 = x(x1);
    bins.push({
      x0,
      x1,
      count,
      x: px0,
      y: y(count),
      width: Math.max(0, px1 - px0 - (px1 - px0 > 2 ? 1 : 0)),
      height: height - y(count),
    });
  }
  return { bins, x, y };
}

export interface BoxMark {
  key: string;
  /** Band position and thickness (the box's cross axis). */
  y: number;
  height: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  mean: number | null;
  count: number;
}

/**
 * Horizontal box plots from describe() summaries (whiskers at min and max, as the paper's
 * statistics give no outliers). Groups with no values (count 0) are left out.
 */
export function boxPlotLayout(
  groups: { key: string; describe: Describe }[],
  frame: Frame,
): { boxes: BoxMark[]; x: ScaleLinear<number, number>; y: ScaleBand<string> } {
  const { width, height } = inner(frame);
  const usable = groups.filter(
    (g) =>
      g.describe.count > 0 &&
      [g.describe.min, g.describe.p25, g.describe.p50, g.describe.p75, g.describe.max].every((v) => v !== null),
  );
  const lo = Math.min(...usable.map((g) => g.describe.min!));
  const hi = Math.max(...usable.map((g) => g.describe.max!));
  // A little room on both sides, so whiskers at min and max do not sit on the axis line.
  const pad = (hi > lo ? hi - lo : 1) * 0.03;
  const x = scaleLinear()
    .domain(usable.length ? [lo - pad, hi + pad] : [0, 1])
    .nice()
    .range([0, width]);
  const y = scaleBand<string>()
    .domain(groups.map((g) => g.key))
    .range([0, height])
    .padding(0.35);
  const boxes = usable.map((g) => ({
    key: g.key,
    y: y(g.key) ?? 0,
    height: y.bandwidth(),
    min: x(g.describe.min!),
    q1: x(g.describe.p25!),
    median: x(g.describe.p50!),
    q3: x(g.describe.p75!),
    max: x(g.describe.max!),
    mean: g.describe.mean === null ? null : x(g.describe.mean),
    count: g.describe.count,
  }));
  return { boxes, x, y };
}

export interface RankedRow {
  key: string;
  total: number;
  /** The row's band (top and thickness). */
  y: number;
  height: number;
  /** One segment per group (e.g. per split), left to right in the groups' order. */
  segments: { group: string; value: number; x: number; width: number }[];
}

/** Rows this tall; a ranked chart grows with its categories instead of squeezing them. */
export const RANKED_ROW_HEIGHT = 16;

/**
 * Horizontal bars, one row per category in the given order, each stacked from its groups'
 * values (a single group: plain bars). For fields with many values (a target, a source column),
 * whose names would not fit under vertical bars. The frame's height should allow
 * RANKED_ROW_HEIGHT per row (see rankedFrame).
 */
export function rankedBarLayout(
  categories: string[],
  groups: string[],
  value: (category: string, group: string) => number,
  frame: Frame,
): { rows: RankedRow[]; x: ScaleLinear<number, number> } {
  const { width, height } = inner(frame);
  const totals = categories.map((c) => groups.reduce((s, g) => s + value(c, g), 0));
  const x = scaleLinear()
    .domain([0, Math.max(1, ...totals)])
    .nice()
    .range([0, width]);
  const y = scaleBand<string>().domain(categories).range([0, height]).padding(0.2);
  const rows = categories.map((key, i) => {
    let at = 0;
    const segments = groups.map((group) => {
      const v = value(key, group);
      const seg = { group, value: v, x: x(at), width: x(at + v) - x(at) };
      at += v;
      return seg;
    });
    return { key, total: totals[i]!, y: y(key) ?? 0, height: y.bandwidth(), segments };
  });
  return { rows, x };
}

/** A ranked chart's frame: RANKED_ROW_HEIGHT per category, room on the left for the names. */
export function rankedFrame(categories: number, legend: boolean): Frame {
  const top = legend ? 30 : 8;
  return {
    width: 620,
    height: top + 24 + Math.max(1, categories) * RANKED_ROW_HEIGHT,
    margin: { top, right: 40, bottom: 24, left: 180 },
  };
}
