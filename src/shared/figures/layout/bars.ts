// Layout of grouped bars (Table 5: % unsafe / toxic / flagged per generator, test set and
// scorer): one group per table column (test set × scorer), one bar per row (generator), the
// paper's reference rows hatched. d3 scales compute every position; also the legend and hatch
// helpers the other K3 kinds reuse. Pure code, no DOM.
import { scaleBand, scaleLinear } from 'd3';
import type { EvalTable } from '../../contracts/evaluation';
import { textWidth } from '../theme';
import { formatTableValue } from '../../format';

export interface LegendEntry {
  key: string;
  label: string;
  colour: string;
  hatched: boolean;
}

export interface PlacedLegendEntry extends LegendEntry {
  x: number;
  y: number;
}

/** Legend entries left to right, wrapping to new lines; swatch 8 pt, then the label. */
export function layoutLegend(
  entries: readonly LegendEntry[],
  width: number,
  fontSize: number,
  top: number,
): { entries: PlacedLegendEntry[]; bottom: number } {
  const line = fontSize * 1.6;
  let x = 0;
  let y = top;
  const placed: PlacedLegendEntry[] = [];
  for (const e of entries) {
    const w = 8 + 4 + textWidth(e.label, fontSize) + 10;
    if (x > 0 && x + w > width) {
      x = 0;
      y += line;
    }
    placed.push({ ...e, x, y });
    x += w;
  }
  return { entries: placed, bottom: entries.length ? y + line : top };
}

/** 45° hatch lines clipped to a rectangle (no SVG <pattern>: ids would clash between figures on one page). */
export function hatchLines(
  x: number,
  y: number,
  w: number,
  h: number,
  spacing = 3,
): { x1: number; y1: number; x2: number; y2: number }[] {
  const out: { x1: number; y1: number; x2: number; y2: number }[] = [];
  if (w <= 0 || h <= 0) return out;
  // Points with (px - x) + (h - (py - y)) = c, for c in spacing, 2·spacing, … < w + h (lines rising to the right).
  for (let c = spacing; c < w + h; c += spacing) {
    const a1 = Math.max(0, c - h);
    const a2 = Math.min(w, c);
    out.push({ x1: x + a1, y1: y + h - (c - a1), x2: x + a2, y2: y + h - (c - a2) });
  }
  return out;
}

export interface Bar {
  row: string;
  column: string;
  x: number;
  y: number;
  width: number;
  height: number;
  value: number;
  /** The value as the table gives it (its digits). */
  text: string;
  /** Whether the value fits as a label above the bar. */
  labelled: boolean;
  reference: boolean;
  colour: string;
}

export interface BarsLayout {
  title: { y: number };
  legend: { entries: PlacedLegendEntry[] };
  plot: { left: number; top: number; right: number; bottom: number };
  yTicks: { value: number; y: number }[];
  yMax: number;
  groups: { column: string; label: string; x: number; width: number }[];
  /** Spanning labels under runs of groups with the same test set. */
  sets: { label: string; x: number; width: number }[];
  bars: Bar[];
  /** Cells without a value (not computed), marked with an en dash at the baseline. */
  missing: { row: string; column: string; x: number }[];
  height: number;
}

export const BARS_PLOT_HEIGHT = 170;

export function layoutBars(
  table: Pick<EvalTable, 'columns' | 'rows'>,
  width: number,
  fonts: { tick: number; label: number; title: number; annotation: number },
  palette: readonly string[],
  muted = '#555555',
  /** Whether value labels are wanted (they are drawn only where the bars are wide enough). */
  values = true,
): BarsLayout {
  const titleY = fonts.title * 1.2;
  // A reference row takes the colour of the computed row of the same name (the paper's "initial"
  // beside srlab's "initial"); the others take the next free colours.
  const colourOf = new Map<string, string>();
  const byLabel = new Map<string, string>();
  let next = 0;
  for (const r of table.rows.filter((x) => !x.reference)) {
    const c = palette[next++ % palette.length]!;
    colourOf.set(r.key, c);
    byLabel.set(r.label, c);
  }
  for (const r of table.rows.filter((x) => x.reference)) {
    const same = byLabel.get(r.label.replace(/ \(paper\)$/, ''));
    colourOf.set(r.key, same ?? palette[next++ % palette.length]!);
  }
  const entries: LegendEntry[] = table.rows.map((r) => ({
    key: r.key,
    label: r.label,
    colour: colourOf.get(r.key)!,
    hatched: r.reference,
  }));
  // The key to the hatching: the paper's numbers are quoted, not computed.
  if (table.rows.some((r) => r.reference))
    entries.push({ key: 'paper', label: 'hatched = paper (quoted)', colour: muted, hatched: true });
  const legend = layoutLegend(entries, width, fonts.tick, titleY + fonts.title * 0.9 + 3);
  const all = table.rows.flatMap((r) => table.columns.map((c) => r.cells[c.key]?.value ?? null));
  const max = Math.max(0, ...all.filter((v): v is number => v !== null));
  // Percentages: the axis never goes past 100, and never below 10 so small shares stay small.
  const y = scaleLinear()
    .domain([0, Math.min(100, Math.max(10, max))])
    .nice(5);
  const yMax = y.domain()[1]!;
  const left = textWidth('100', fonts.tick) + fonts.label * 1.6 + 4;
  const right = width - 2;
  const outer = scaleBand<string>()
    .domain(table.columns.map((c) => c.key))
    .range([left, right])
    .paddingInner(0.2)
    .paddingOuter(0.1);
  const inner = scaleBand<string>()
    .domain(table.rows.map((r) => r.key))
    .range([0, outer.bandwidth()])
    .padding(0.08);
  // Rotated value labels need the bar's width to hold the font's height.
  const labelled = values && inner.bandwidth() >= fonts.annotation * 1.05;
  // Room above the plot for the rotated value label of the tallest bar.
  const top = legend.bottom + 4 + (labelled ? textWidth('100.00', fonts.annotation) + 3 : fonts.tick);
  const hasSets = table.columns.some((c) => c.group !== null);
  const plot = { left, top, right, bottom: top + BARS_PLOT_HEIGHT };
  y.range([plot.bottom, plot.top]);
  const bars: Bar[] = [];
  const missing: BarsLayout['missing'] = [];
  for (const c of table.columns)
    for (const r of table.rows) {
      const cell = r.cells[c.key];
      const x = outer(c.key)! + inner(r.key)!;
      // A reference row has no cell where the paper gives no number: nothing to draw there.
      if (!cell) continue;
      if (cell.value === null) {
        missing.push({ row: r.key, column: c.key, x: x + inner.bandwidth() / 2 });
        continue;
      }
      const text = formatTableValue(cell.value, c.digits);
      bars.push({
        row: r.key,
        column: c.key,
        x,
        y: y(cell.value),
        width: inner.bandwidth(),
        height: plot.bottom - y(cell.value),
        value: cell.value,
        text,
        labelled,
        reference: r.reference,
        colour: colourOf.get(r.key)!,
      });
    }
  const groups = table.columns.map((c) => ({
    column: c.key,
    label: c.label,
    x: outer(c.key)!,
    width: outer.bandwidth(),
  }));
  const sets: BarsLayout['sets'] = [];
  if (hasSets)
    table.columns.forEach((c, i) => {
      const last = sets[sets.length - 1];
      const g = groups[i]!;
      if (last && table.columns[i - 1]?.group === c.group) last.width = g.x + g.width - last.x;
      else sets.push({ label: c.group ?? '', x: g.x, width: g.width });
    });
  const height = plot.bottom + fonts.tick * 1.6 + (hasSets ? fonts.label * 1.6 : 0) + 4;
  return {
    title: { y: titleY },
    legend: { entries: legend.entries },
    plot,
    yTicks: y.ticks(5).map((v) => ({ value: v, y: y(v) })),
    yMax,
    groups,
    sets,
    bars,
    missing,
    height: Math.ceil(height),
  };
}
