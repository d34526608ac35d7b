// Layout of grouped-bar panels, for StereoSet's LMS / SS / ICAT per domain (one panel per
// metric, the SS panel with the SS = 50 ideal dashed) and reused by the human-evaluation figure.
// Pure: d3 scales in, coordinates (points) out.
import { scaleBand, scaleLinear } from 'd3';
import { type FigureTheme, textWidth } from '../theme';

export interface BarSeries {
  key: string;
  label: string;
  /** Index into the theme's categorical palette. */
  colour: number;
  /** Drawn as an outline (e.g. the paper's reference numbers beside srlab's). */
  outlined: boolean;
  /** A legend-only entry keying a dashed reference line (no bars). */
  dashedLine?: boolean;
}

export interface BarValue {
  value: number | null;
  /** A confidence interval drawn as a whisker. */
  ci?: [number, number] | null;
  /** Hover text (SVG <title>). */
  tip: string;
  /** The value as written on or above the bar ("" for none). */
  text: string;
}

export interface BarPanelSpec {
  title: string;
  groups: string[];
  series: BarSeries[];
  value: (group: number, series: number) => BarValue;
  yDomain: [number, number];
  yLabel: string;
  /** A dashed reference line (SS = 50). */
  refLine?: { value: number; label: string };
  /** Write each bar's value above it when it fits. */
  valueLabels: boolean;
}

export interface BarRect {
  x: number;
  y: number;
  width: number;
  height: number;
  series: number;
  group: number;
  value: number;
  tip: string;
  text: string;
  ci: { x: number; y0: number; y1: number } | null;
}

export interface BarPanelLayout {
  title: { x: number; y: number; text: string };
  plot: { left: number; right: number; top: number; bottom: number };
  bars: BarRect[];
  /** Groups without a value for some series: a dash at the baseline says "not computed". */
  missing: { x: number; y: number; tip: string }[];
  xTicks: { x: number; label: string; rotate: boolean }[];
  yTicks: { y: number; label: string }[];
  yLabel: { x: number; y: number; text: string } | null;
  refLine: { y: number; x0: number; x1: number; label: string } | null;
  /** Bottom of the panel (points). */
  bottom: number;
}

/** Lays out one panel whose frame starts at (x, y) and is `width` wide. */
export function layoutBarPanel(
  spec: BarPanelSpec,
  frame: { x: number; y: number; width: number; plotHeight: number; showYLabel: boolean },
  theme: FigureTheme,
): BarPanelLayout {
  const fs = theme.fontSize;
  const top = frame.y + fs.label + 6;
  const left = frame.x + (frame.showYLabel ? fs.label + 4 : 0) + fs.tick * 2.4 + 4;
  const right = frame.x + frame.width - 4;
  const bottom = top + frame.plotHeight;
  const y = scaleLinear().domain(spec.yDomain).range([bottom, top]);
  const outer = scaleBand<number>()
    .domain(spec.groups.map((_, i) => i))
    .range([left, right])
    .paddingInner(0.22)
    .paddingOuter(0.1);
  const inner = scaleBand<number>()
    .domain(spec.series.map((_, i) => i))
    .range([0, outer.bandwidth()])
    .padding(0.06);

  const bars: BarRect[] = [];
  const missing: BarPanelLayout['missing'] = [];
  const clamp = (v: number) => Math.max(spec.yDomain[0], Math.min(spec.yDomain[1], v));
  spec.groups.forEach((_, g) => {
    spec.series.forEach((_s, s) => {
      const v = spec.value(g, s);
      const x = outer(g)! + inner(s)!;
      if (v.value === null) {
        missing.push({ x: x + inner.bandwidth() / 2, y: bottom, tip: v.tip });
        return;
      }
      const yv = y(clamp(v.value));
      const y0 = y(clamp(spec.yDomain[0]));
      const ci = v.ci ? { x: x + inner.bandwidth() / 2, y0: y(clamp(v.ci[0])), y1: y(clamp(v.ci[1])) } : null;
      const fits = spec.valueLabels && textWidth(v.text, fs.annotation) <= inner.bandwidth() + 2;
      bars.push({
        x,
        y: yv,
        width: inner.bandwidth(),
        height: y0 - yv,
        series: s,
        group: g,
        value: v.value,
        tip: v.tip,
        text: fits ? v.text : '',
        ci,
      });
    });
  });

  const step = outer.step();
  const rotate = spec.groups.some((g) => textWidth(g, fs.tick) > step * 0.95);
  const xTicks = spec.groups.map((label, g) => ({ x: outer(g)! + outer.bandwidth() / 2, label, rotate }));
  const longest = Math.max(0, ...spec.groups.map((g) => textWidth(g, fs.tick)));
  const tickDepth = rotate ? longest * Math.sin(Math.PI / 4) + fs.tick : fs.tick + 2;

  const yTicks = y.ticks(4).map((v) => ({ y: y(v), label: String(v) }));
  return {
    title: { x: left, y: frame.y + fs.label, text: spec.title },
    plot: { left, right, top, bottom },
    bars,
    missing,
    xTicks,
    yTicks,
    yLabel: frame.showYLabel ? { x: frame.x + fs.label, y: (top + bottom) / 2, text: spec.yLabel } : null,
    refLine: spec.refLine ? { y: y(spec.refLine.value), x0: left, x1: right, label: spec.refLine.label } : null,
    bottom: bottom + 4 + tickDepth + 4,
  };
}

/** The longest of the titles (longest first) that fits the width; bold text is ~10% wider. */
export function fitTitle(titles: readonly string[], width: number, fontSize: number): string {
  return titles.find((t) => textWidth(t, fontSize) * 1.1 <= width) ?? titles[titles.length - 1]!;
}

export interface LegendEntry {
  series: BarSeries;
  x: number;
  y: number;
}

/** Legend entries in rows, wrapped to [left, right]; returns the entries and the bottom. */
export function layoutLegend(
  series: BarSeries[],
  left: number,
  right: number,
  top: number,
  theme: FigureTheme,
): { entries: LegendEntry[]; bottom: number } {
  const fs = theme.fontSize;
  const rowHeight = fs.tick + 5;
  let x = left;
  let y = top + fs.tick;
  const entries: LegendEntry[] = [];
  for (const s of series) {
    const w = 14 + textWidth(s.label, fs.tick) + 10;
    if (x > left && x + w > right) {
      x = left;
      y += rowHeight;
    }
    entries.push({ series: s, x, y });
    x += w;
  }
  return { entries, bottom: y + 6 };
}

// ---- StereoSet ---------------------------------------------------------------------------

export const STEREOSET_METRICS = ['lms', 'ss', 'icat'] as const;
export type StereosetMetric = (typeof STEREOSET_METRICS)[number];

export const STEREOSET_METRIC_TITLES: Record<StereosetMetric, string> = {
  lms: 'LMS (higher is better)',
  ss: 'SS (50 is unbiased)',
  icat: 'ICAT (higher is better)',
};

export interface StereosetScore {
  lms: number | null;
  ss: number | null;
  icat: number | null;
  n: number | null;
}

export interface StereosetGenerator {
  label: string;
  /** The paper's numbers (PAPER.md), quoted, not computed. */
  reference: boolean;
  /** domain ("overall" or a StereoSet domain) → scores. */
  scores: Record<string, StereosetScore>;
}

export interface StereosetData {
  origin: string;
  /** "overall" first, then the domains. */
  domains: string[];
  generators: StereosetGenerator[];
}

/** Values as table 7 shows them: 2 decimals. */
export const formatScore = (v: number) => v.toFixed(2);

export function stereosetSeries(data: StereosetData): BarSeries[] {
  let own = 0;
  let ref = 0;
  return data.generators.map((g) => ({
    key: `${g.reference ? 'paper' : 'srlab'}|${g.label}`,
    label: g.reference ? `${g.label} (paper)` : g.label,
    // srlab's rows take the palette in order; the paper's rows take it from the end, outlined.
    colour: g.reference ? 6 - ref++ : own++,
    outlined: g.reference,
  }));
}

export interface StereosetLayout {
  width: number;
  height: number;
  title: { x: number; y: number; text: string };
  panels: BarPanelLayout[];
  series: BarSeries[];
  legend: LegendEntry[];
}

export function layoutStereoset(
  data: StereosetData,
  metrics: readonly StereosetMetric[],
  width: number,
  theme: FigureTheme,
): StereosetLayout {
  const fs = theme.fontSize;
  const series = stereosetSeries(data);
  const cols = width >= 400 ? metrics.length : 1;
  const titleY = fs.title + 2;
  const panelWidth = (width - 12) / cols;
  const plotHeight = Math.max(80, Math.min(150, panelWidth * 0.42));
  const panels: BarPanelLayout[] = [];
  let rowTop = titleY + 6;
  let rowBottom = rowTop;
  metrics.forEach((metric, i) => {
    const col = i % cols;
    if (col === 0 && i > 0) rowTop = rowBottom + 4;
    const panel = layoutBarPanel(
      {
        title: STEREOSET_METRIC_TITLES[metric],
        groups: data.domains,
        series,
        value: (g, s) => {
          const gen = data.generators[s]!;
          const domain = data.domains[g]!;
          const score = gen.scores[domain];
          const v = score?.[metric] ?? null;
          const n = score?.n;
          return {
            value: v,
            tip:
              v === null
                ? `${series[s]!.label}, ${domain}: ${metric.toUpperCase()} not computed`
                : `${series[s]!.label}, ${domain}: ${metric.toUpperCase()} = ${formatScore(v)}${n ? ` (n = ${n})` : ''}`,
            text: v === null ? '' : formatScore(v),
          };
        },
        yDomain: [0, 100],
        yLabel: 'score (0–100)',
        refLine: metric === 'ss' ? { value: 50, label: 'ideal SS = 50' } : undefined,
        valueLabels: false,
      },
      { x: 6 + col * panelWidth, y: rowTop, width: panelWidth, plotHeight, showYLabel: col === 0 },
      theme,
    );
    panels.push(panel);
    rowBottom = Math.max(rowBottom, panel.bottom);
  });
  const keys: BarSeries[] = metrics.includes('ss')
    ? [...series, { key: 'ideal-ss', label: 'ideal SS = 50', colour: 7, outlined: false, dashedLine: true }]
    : series;
  const legend = layoutLegend(keys, 6 + fs.label + 4, width - 6, rowBottom + 2, theme);
  return {
    width,
    height: legend.bottom + 2,
    title: {
      x: 6,
      y: titleY,
      text: fitTitle(
        ['StereoSet intrasentence: LMS, SS and ICAT per domain', 'StereoSet: LMS, SS, ICAT per domain', 'StereoSet'],
        width - 12,
        fs.title,
      ),
    },
    panels,
    series,
    legend: legend.entries,
  };
}
