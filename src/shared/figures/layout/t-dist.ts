// Layout of the t-distribution plot (the paper's Figure 2): Student's t density for the test's
// df, the rejection region(s) at α shaded, the critical value(s) dashed and the observed t as a
// solid line. Pure: d3 scales and numbers in, coordinates (points) out; the component only maps
// them to SVG.
//
// The observed t can lie far in the tail (the paper's t = 28.17 with df = 16,601, where the
// density is ~1e-172). Stretching the axis to 28 would squash the curve into a spike, and
// clipping would draw the line off-canvas. So, srlab's choice: when |t| lies beyond 1.5× the
// plotted half-range, the axis BREAKS — a zig-zag marker, then a short segment of the axis
// centred on t with its own ticks — and the observed line is drawn in that segment. Between
// the half-range and 1.5× of it, the axis simply extends on t's side.
import { scaleLinear } from 'd3';
import { type Alternative, studentTPdf, tCritical } from '../../metrics/ttest';
import { type FigureTheme, textWidth } from '../theme';
import { fitTitle } from './stereoset';

export interface TDistStats {
  /** Observed t; ±Infinity when sd = 0 and mean ≠ μ; null when undefined. */
  t: number | null;
  df: number;
  alpha: number;
  alternative: Alternative;
  /** The p-value for this alternative. */
  p: number | null;
}

/** A stretch of the t axis drawn at [x0, x1] (points). */
export interface AxisSegment {
  d0: number;
  d1: number;
  x0: number;
  x1: number;
  /** The tail segment after a break. */
  tail: boolean;
}

export interface TDistLayout {
  width: number;
  height: number;
  title: { x: number; y: number; text: string };
  plot: { left: number; right: number; top: number; bottom: number };
  segments: AxisSegment[];
  /** One density path per segment. */
  curves: string[];
  /** Shaded areas under the curve in the rejection region(s), and a strip along the axis marking the region (visible in the tail too). */
  regions: { area: string; strip: { x: number; width: number } }[];
  critical: { t: number; x: number; label: string; anchor: 'start' | 'end' }[];
  /** null when t is undefined (sd = 0 and mean = μ). */
  observed: { t: number; x: number; lines: string[]; labelX: number; anchor: 'start' | 'end' } | null;
  /** Zig-zag marker of an axis break (path in the gap), null without a break. */
  axisBreak: { path: string; x0: number; x1: number } | null;
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  xLabel: { x: number; y: number; text: string };
  yLabel: { x: number; y: number; text: string };
  legend: LegendItem[];
  criticalValue: number;
}

export interface LegendItem {
  kind: 'region' | 'critical' | 'observed';
  text: string;
  x: number;
  y: number;
}

/** 16601 → "16,601" (no locale lookup: the same text on every machine). */
export function formatInt(n: number): string {
  const s = Math.abs(Math.round(n)).toString();
  return (n < 0 ? '−' : '') + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** t as the t-test table shows it (2 decimals), with a true minus sign. */
export function formatT(t: number): string {
  if (t === Infinity) return '∞';
  if (t === -Infinity) return '−∞';
  return t.toFixed(2).replace('-', '−');
}

/** p to 3 significant digits (scientific below 0.001); p = 0 means it underflowed double precision. */
export function formatP(p: number | null): string {
  if (p === null || Number.isNaN(p)) return 'p undefined';
  if (p === 0) return 'p < 1e-300';
  if (p >= 0.001) return `p = ${p.toPrecision(3)}`;
  return `p = ${p.toExponential(2).replace('e-', 'e−')}`;
}

/** Signed critical values drawn for the alternative (positive critical value c). */
export function criticalValues(c: number, alternative: Alternative): number[] {
  return alternative === 'two-sided' ? [-c, c] : alternative === 'greater' ? [c] : [-c];
}

/** Rejection intervals of the alternative. */
export function rejectionIntervals(c: number, alternative: Alternative): [number, number][] {
  const lower: [number, number] = [-Infinity, -c];
  const upper: [number, number] = [c, Infinity];
  return alternative === 'two-sided' ? [lower, upper] : alternative === 'greater' ? [upper] : [lower];
}

const ALTERNATIVE_TEXT: Record<Alternative, string> = {
  'two-sided': 'two-sided',
  greater: 'one-sided, greater',
  less: 'one-sided, less',
};

/** The plotted half-range around 0, and how the axis shows t: as is, extended, or broken. */
export function axisPlan(
  t: number | null,
  c: number,
): { half: number; mode: 'plain' | 'extend' | 'break'; side: 1 | -1 } {
  const half = Math.max(4, Math.ceil(c * 1.25));
  if (t === null || Number.isNaN(t) || Math.abs(t) <= half * 0.97) return { half, mode: 'plain', side: 1 };
  const side = t > 0 ? 1 : -1;
  if (Number.isFinite(t) && Math.abs(t) <= half * 1.5) return { half, mode: 'extend', side };
  return { half, mode: 'break', side };
}

function ticksFor(d0: number, d1: number, count: number): number[] {
  return scaleLinear().domain([d0, d1]).ticks(count);
}

function tickLabel(v: number): string {
  const s = Number.isInteger(v) ? formatInt(v) : String(Number(v.toPrecision(6)));
  return s.replace('-', '−');
}

export function layoutTDist(stats: TDistStats, width: number, theme: FigureTheme): TDistLayout {
  const fs = theme.fontSize;
  const c = tCritical(stats.alpha, stats.df, stats.alternative);
  const plan = axisPlan(stats.t, c);

  const top = fs.title + 8;
  const left = fs.tick * 3.2 + fs.label + 6;
  const right = width - 10;
  const plotHeight = Math.max(110, Math.min(220, width * 0.42));
  const bottom = top + plotHeight;

  // Axis segments: main [−half, half] (extended on t's side), plus the tail segment after a break.
  const segments: AxisSegment[] = [];
  const t = stats.t;
  if (plan.mode === 'break') {
    const gap = 12;
    const tailWidth = Math.max(40, (right - left) * 0.2);
    const mainWidth = right - left - gap - tailWidth;
    const finite = t !== null && Number.isFinite(t);
    const w = finite ? Math.max(0.75, Math.abs(t) * 0.04) : 1;
    // An infinite t has no place on a numeric axis: its segment is drawn without ticks.
    const centre = finite ? t : plan.side * (plan.half * 3);
    const tail: [number, number] = [centre - w, centre + w];
    if (plan.side > 0) {
      segments.push({ d0: -plan.half, d1: plan.half, x0: left, x1: left + mainWidth, tail: false });
      segments.push({ d0: tail[0], d1: tail[1], x0: right - tailWidth, x1: right, tail: true });
    } else {
      segments.push({ d0: tail[0], d1: tail[1], x0: left, x1: left + tailWidth, tail: true });
      segments.push({ d0: -plan.half, d1: plan.half, x0: left + tailWidth + gap, x1: right, tail: false });
    }
  } else if (plan.mode === 'extend') {
    const reach = Math.abs(t!) * 1.1;
    const [d0, d1] = plan.side > 0 ? [-plan.half, reach] : [-reach, plan.half];
    segments.push({ d0, d1, x0: left, x1: right, tail: false });
  } else {
    segments.push({ d0: -plan.half, d1: plan.half, x0: left, x1: right, tail: false });
  }

  const segmentOf = (v: number): AxisSegment | undefined => {
    if (!Number.isFinite(v)) return segments.find((s) => s.tail);
    return segments.find((s) => v >= s.d0 && v <= s.d1);
  };
  const xOf = (v: number): number => {
    const s = segmentOf(v);
    if (!s) return Number.NaN;
    if (!Number.isFinite(v)) return (s.x0 + s.x1) / 2;
    return s.x0 + ((v - s.d0) / (s.d1 - s.d0)) * (s.x1 - s.x0);
  };

  const peak = studentTPdf(0, stats.df);
  const y = scaleLinear()
    .domain([0, peak * 1.12])
    .range([bottom, top]);

  const samples = (d0: number, d1: number, n = 160): [number, number][] => {
    const pts: [number, number][] = [];
    for (let i = 0; i <= n; i++) {
      const v = d0 + ((d1 - d0) * i) / n;
      pts.push([v, studentTPdf(v, stats.df)]);
    }
    return pts;
  };
  const toPx = (s: AxisSegment, v: number) => s.x0 + ((v - s.d0) / (s.d1 - s.d0)) * (s.x1 - s.x0);
  const f2 = (n: number) => Number(n.toFixed(2));
  const curves = segments.map((s) =>
    samples(s.d0, s.d1)
      .map(([v, p], i) => `${i ? 'L' : 'M'}${f2(toPx(s, v))},${f2(y(p))}`)
      .join(''),
  );

  const regions: TDistLayout['regions'] = [];
  for (const [a, b] of rejectionIntervals(c, stats.alternative)) {
    for (const s of segments) {
      const lo = Math.max(a, s.d0);
      const hi = Math.min(b, s.d1);
      if (!(hi > lo)) continue;
      const pts = samples(lo, hi, 80);
      const area =
        `M${f2(toPx(s, lo))},${f2(bottom)}` +
        pts.map(([v, p]) => `L${f2(toPx(s, v))},${f2(y(p))}`).join('') +
        `L${f2(toPx(s, hi))},${f2(bottom)}Z`;
      regions.push({ area, strip: { x: toPx(s, lo), width: toPx(s, hi) - toPx(s, lo) } });
    }
  }

  const critical = criticalValues(c, stats.alternative).map((v) => ({
    t: v,
    x: xOf(v),
    label: `${v < 0 ? '−' : ''}${Math.abs(v).toFixed(3)}`,
    anchor: (v < 0 ? 'end' : 'start') as 'start' | 'end',
  }));

  let observed: TDistLayout['observed'] = null;
  if (t !== null && !Number.isNaN(t)) {
    const x = xOf(t);
    const lines = [`t = ${formatT(t)}`, `df = ${formatInt(stats.df)}`, formatP(stats.p)];
    const labelWidth = Math.max(...lines.map((l) => textWidth(l, fs.annotation)));
    // The label sits beside the line, on the side with room for it (inside the plot).
    const anchor: 'start' | 'end' = x + 3 + labelWidth <= right ? 'start' : 'end';
    observed = { t, x, lines, labelX: anchor === 'start' ? x + 3 : x - 3, anchor };
  }

  let axisBreak: TDistLayout['axisBreak'] = null;
  if (plan.mode === 'break') {
    const [a, b] = segments[0]!.x1 < segments[1]!.x0 ? [segments[0]!.x1, segments[1]!.x0] : [0, 0];
    const h = 4;
    const step = (b - a) / 4;
    const path =
      `M${f2(a)},${f2(bottom)}` +
      `L${f2(a + step)},${f2(bottom - h)}L${f2(a + 2 * step)},${f2(bottom + h)}L${f2(a + 3 * step)},${f2(bottom - h)}` +
      `L${f2(b)},${f2(bottom)}`;
    axisBreak = { path, x0: a, x1: b };
  }

  const xTicks: TDistLayout['xTicks'] = [];
  for (const s of segments) {
    if (s.tail && !(t !== null && Number.isFinite(t))) {
      xTicks.push({ x: (s.x0 + s.x1) / 2, label: t! > 0 ? '∞' : '−∞' });
      continue;
    }
    const count = Math.max(2, Math.floor((s.x1 - s.x0) / (fs.tick * 6)));
    for (const v of ticksFor(s.d0, s.d1, s.tail ? 2 : count)) xTicks.push({ x: toPx(s, v), label: tickLabel(v) });
  }

  const yTicks = y.ticks(4).map((v) => ({ y: y(v), label: tickLabel(v) }));

  // Legend rows below the x-axis label, wrapped to the width.
  const xLabelY = bottom + fs.tick + 4 + fs.label + 2;
  const items: Omit<LegendItem, 'x' | 'y'>[] = [
    { kind: 'region', text: `rejection region (α = ${stats.alpha}, ${ALTERNATIVE_TEXT[stats.alternative]})` },
    {
      kind: 'critical',
      text: `critical value ${stats.alternative === 'two-sided' ? '±' : stats.alternative === 'less' ? '−' : ''}${c.toFixed(3)}`,
    },
    { kind: 'observed', text: 'observed t' },
  ];
  const legend: LegendItem[] = [];
  const rowHeight = fs.tick + 5;
  let lx = left;
  let ly = xLabelY + rowHeight + 2;
  for (const it of items) {
    const w = 16 + textWidth(it.text, fs.tick) + 10;
    if (lx > left && lx + w > right) {
      lx = left;
      ly += rowHeight;
    }
    legend.push({ ...it, x: lx, y: ly });
    lx += w;
  }

  return {
    width,
    height: ly + 6,
    title: {
      x: left,
      y: fs.title + 2,
      text: fitTitle(
        [`Student’s t distribution (df = ${formatInt(stats.df)})`, `t distribution (df = ${formatInt(stats.df)})`],
        width - left - 4,
        fs.title,
      ),
    },
    plot: { left, right, top, bottom },
    segments,
    curves,
    regions,
    critical,
    observed,
    axisBreak,
    xTicks,
    yTicks,
    xLabel: { x: (left + right) / 2, y: xLabelY, text: 't statistic' },
    yLabel: { x: fs.label, y: (top + bottom) / 2, text: 'density' },
    legend,
    criticalValue: c,
  };
}
