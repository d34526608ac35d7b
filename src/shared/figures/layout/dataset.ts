// Layout of the dataset figures, from the dataset statistics (DatasetStats): label distributions
// (one panel per CMD label, bars per value, grouped by split when the statistics cover every
// split), length histograms (characters or words, mean and median marked), and Flesch Reading
// Ease by sentiment (the paper's Figure 5: one histogram per sentiment on shared axes, mean
// marked). Pure code, no DOM.
import { scaleBand, scaleLinear } from 'd3';
import type { DatasetStats, Describe, Histogram, LabelCounts } from '../../contracts/datasets';
import { textWidth } from '../theme';
import { layoutLegend, type PlacedLegendEntry } from './bars';

type Fonts = { tick: number; label: number; title: number; annotation: number };

export const LABEL_FIELDS = [
  ['annotation', 'Annotation'],
  ['bias', 'Bias'],
  ['toxicity', 'Toxicity'],
  ['sentiment', 'Sentiment'],
  ['harm', 'Harm'],
] as const satisfies readonly (readonly [keyof LabelCounts, string])[];

const SPLIT_ORDER = ['train', 'dev', 'test', 'none'];
const SENTIMENT_ORDER = ['negative', 'neutral', 'positive'];
/** CMD label values in their natural order (none → most), so "High" never precedes "Low". */
const LABEL_VALUE_ORDER = ['benign', 'unsafe', 'no', 'yes', 'low', 'mild', 'medium', 'high', ...SENTIMENT_ORDER];

/** Keys in a known order first, then the rest alphabetically (the same picture for the same stats). */
export function ordered(keys: readonly string[], known: readonly string[]): string[] {
  return [...keys].sort((a, b) => {
    const ia = known.indexOf(a.toLowerCase());
    const ib = known.indexOf(b.toLowerCase());
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

export interface AxisTick {
  value: number;
  pos: number;
}

export interface HBar {
  value: string;
  series: string;
  x: number;
  y: number;
  width: number;
  height: number;
  count: number;
  colour: string;
}

export interface LabelPanel {
  field: string;
  title: string;
  x: number;
  y: number;
  width: number;
  labelWidth: number;
  values: { value: string; y: number }[];
  bars: HBar[];
  ticks: AxisTick[];
  axisY: number;
}

export interface LabelsLayout {
  titleY: number;
  legend: PlacedLegendEntry[];
  panels: LabelPanel[];
  height: number;
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** The series a label chart draws: the splits that have records, or the whole set. */
export function labelSeries(stats: DatasetStats, bySplit: boolean): { key: string; counts: LabelCounts }[] {
  if (bySplit && stats.labelsBySplit) {
    const splits = ordered(Object.keys(stats.labelsBySplit), SPLIT_ORDER)
      .map((k) => ({ key: k, counts: stats.labelsBySplit![k]! }))
      .filter((s) => LABEL_FIELDS.some(([f]) => sum(s.counts[f] as Record<string, number>) > 0));
    if (splits.length > 1) return splits;
  }
  return [{ key: stats.split ?? 'all', counts: stats.labels }];
}

export function layoutLabels(
  stats: DatasetStats,
  bySplit: boolean,
  width: number,
  fonts: Fonts,
  palette: readonly string[],
): LabelsLayout {
  const series = labelSeries(stats, bySplit);
  const colourOf = new Map(series.map((s, i) => [s.key, palette[i % palette.length]!]));
  const titleY = fonts.title * 1.2;
  const legend =
    series.length > 1
      ? layoutLegend(
          series.map((s) => ({ key: s.key, label: s.key, colour: colourOf.get(s.key)!, hatched: false })),
          width,
          fonts.tick,
          titleY + fonts.title * 0.9,
        )
      : { entries: [], bottom: titleY + fonts.title * 0.3 };
  const fields = LABEL_FIELDS.filter(([f]) => sum(stats.labels[f] as Record<string, number>) > 0);
  const cols = width >= 400 && fields.length > 1 ? 2 : 1;
  const gap = 14;
  const panelWidth = (width - gap * (cols - 1)) / cols;
  const barH = Math.max(4, fonts.annotation * 0.9);
  const panels: LabelPanel[] = [];
  let rowTop = legend.bottom + 4;
  let rowBottom = rowTop;
  fields.forEach(([field, title], i) => {
    const col = i % cols;
    if (col === 0 && i > 0) rowTop = rowBottom + 8;
    const values = ordered(
      Object.keys(stats.labels[field]).filter((v) => v !== '(missing)'),
      LABEL_VALUE_ORDER,
    );
    if ((stats.labels[field] as Record<string, number>)['(missing)']) values.push('(missing)');
    const x0 = col * (panelWidth + gap);
    const labelWidth = Math.min(panelWidth * 0.4, Math.max(...values.map((v) => textWidth(v, fonts.tick))) * 1.15 + 8);
    const countRoom = textWidth('000000', fonts.annotation) + 2;
    const max = Math.max(
      1,
      ...series.flatMap((s) => values.map((v) => (s.counts[field] as Record<string, number>)[v] ?? 0)),
    );
    const x = scaleLinear()
      .domain([0, max])
      .nice(4)
      .range([x0 + labelWidth, x0 + panelWidth - countRoom]);
    const top = rowTop + fonts.label * 1.5;
    const band = scaleBand<string>()
      .domain(values)
      .range([top, top + values.length * (series.length * barH + 5)])
      .paddingInner(0.15);
    const inner = scaleBand<string>()
      .domain(series.map((s) => s.key))
      .range([0, band.bandwidth()]);
    const bars: HBar[] = [];
    for (const v of values)
      for (const s of series) {
        const count = (s.counts[field] as Record<string, number>)[v] ?? 0;
        bars.push({
          value: v,
          series: s.key,
          x: x(0),
          y: band(v)! + inner(s.key)!,
          width: x(count) - x(0),
          height: inner.bandwidth(),
          count,
          colour: colourOf.get(s.key)!,
        });
      }
    const axisY = top + values.length * (series.length * barH + 5) + 2;
    panels.push({
      field,
      title,
      x: x0,
      y: rowTop + fonts.label,
      width: panelWidth,
      labelWidth,
      values: values.map((v) => ({ value: v, y: band(v)! + band.bandwidth() / 2 + fonts.tick * 0.35 })),
      bars,
      ticks: x.ticks(4).map((value) => ({ value, pos: x(value) })),
      axisY,
    });
    rowBottom = Math.max(rowBottom, axisY + fonts.tick * 2.6);
  });
  return { titleY, legend: legend.entries, panels, height: Math.ceil(rowBottom + 2) };
}

export interface HistPanel {
  title: string;
  top: number;
  bottom: number;
  bars: { x: number; y: number; width: number; height: number; count: number; from: number; to: number }[];
  /** Mean and median (or just the mean) as vertical marks. */
  marks: { label: string; x: number; dashed: boolean }[];
  note: string;
}

export interface HistogramsLayout {
  titleY: number;
  plot: { left: number; right: number };
  panels: HistPanel[];
  xTicks: AxisTick[];
  yTicks: AxisTick[][];
  xLabel: string;
  yLabel: string;
  axisY: number;
  height: number;
}

function fmt(v: number | null): string {
  return v === null ? '–' : Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1);
}

/** Histograms on one shared x axis (and one shared count scale), stacked vertically. */
export function layoutHistograms(
  items: { title: string; hist: Histogram; describe: Describe; median: boolean }[],
  xLabel: string,
  width: number,
  fonts: Fonts,
): HistogramsLayout {
  const titleY = fonts.title * 1.2;
  const left = textWidth('00000', fonts.tick) + fonts.label * 1.6 + 4;
  const right = width - 4;
  const edges = items.flatMap((i) => i.hist.edges);
  const lo = edges.length ? Math.min(...edges) : 0;
  const hi = edges.length ? Math.max(...edges) : 1;
  const x = scaleLinear()
    .domain([lo, hi > lo ? hi : lo + 1])
    .range([left, right]);
  const yMax = Math.max(1, ...items.flatMap((i) => i.hist.counts));
  const panelH = items.length > 1 ? 70 : 150;
  let top = titleY + fonts.title * 0.8 + fonts.annotation * 1.4;
  const panels: HistPanel[] = [];
  const yTicks: AxisTick[][] = [];
  for (const it of items) {
    const bottom = top + panelH;
    const y = scaleLinear().domain([0, yMax]).nice(3).range([bottom, top]);
    const bars = it.hist.counts.map((count, k) => {
      const from = it.hist.edges[k]!;
      const to = it.hist.edges[k + 1]!;
      return {
        x: x(from),
        y: y(count),
        width: Math.max(0, x(to) - x(from) - 0.5),
        height: bottom - y(count),
        count,
        from,
        to,
      };
    });
    const d = it.describe;
    const marks: HistPanel['marks'] = [];
    if (d.mean !== null) marks.push({ label: `mean ${fmt(d.mean)}`, x: x(d.mean), dashed: false });
    if (it.median && d.p50 !== null) marks.push({ label: `median ${fmt(d.p50)}`, x: x(d.p50), dashed: true });
    panels.push({
      title: it.title,
      top,
      bottom,
      bars,
      marks,
      note: `n = ${d.count}${d.mean !== null ? `, mean ${fmt(d.mean)}` : ''}${d.std !== null ? `, sd ${fmt(d.std)}` : ''}${d.p50 !== null ? `, median ${fmt(d.p50)}` : ''}`,
    });
    yTicks.push(y.ticks(3).map((value) => ({ value, pos: y(value) })));
    top = bottom + fonts.label * 2.4;
  }
  const axisY = panels.length ? panels[panels.length - 1]!.bottom : top;
  return {
    titleY,
    plot: { left, right },
    panels,
    xTicks: x.ticks(6).map((value) => ({ value, pos: x(value) })),
    yTicks,
    xLabel,
    yLabel: 'Records',
    axisY,
    height: Math.ceil(axisY + fonts.tick * 1.5 + fonts.label * 1.8),
  };
}

export function sentimentKeys(stats: DatasetStats): string[] {
  return ordered(Object.keys(stats.flesch.histogramBySentiment), SENTIMENT_ORDER);
}
