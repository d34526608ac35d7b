// Layout of the per-group heat map (Table 6: % toxic per target group): one block per test set
// and scorer (the table's column groups), a row per group, a column per generator; the cell's
// colour on a sequential ramp, its value written in it in the darker or lighter ink, whichever
// contrasts more (WCAG contrast ratio). Pure code, no DOM.
import { color, interpolateLab, scaleLinear } from 'd3';
import type { EvalTable } from '../../contracts/evaluation';
import { formatCell } from './table';
import { textWidth } from '../theme';

/** WCAG relative luminance of a CSS colour. */
export function luminance(css: string): number {
  const c = color(css)?.rgb();
  if (!c) throw new Error(`not a colour: ${css}`);
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

// Pure black and white: for any fill, one of them reaches a contrast ratio of at least √21 ≈ 4.58.
export const DARK_INK = '#000000';
export const LIGHT_INK = '#ffffff';

/** The ink (dark or light) that contrasts more with the fill. */
export function inkFor(fill: string): string {
  return contrastRatio(fill, DARK_INK) >= contrastRatio(fill, LIGHT_INK) ? DARK_INK : LIGHT_INK;
}

export interface HeatCell {
  row: string;
  column: string;
  x: number;
  y: number;
  width: number;
  height: number;
  value: number | null;
  text: string;
  fill: string;
  ink: string;
}

export interface HeatmapLayout {
  titleY: number;
  /** Generator headers over the cell columns. */
  headers: { row: string; label: string; x: number; width: number; y: number }[];
  blocks: { label: string; y: number; groups: { label: string; y: number }[] }[];
  cells: HeatCell[];
  labelWidth: number;
  legend: {
    x: number;
    top: number;
    height: number;
    width: number;
    steps: { y: number; h: number; fill: string }[];
    ticks: { value: number; y: number }[];
  };
  domain: [number, number];
  height: number;
}

export function layoutHeatmap(
  table: Pick<EvalTable, 'columns' | 'rows'>,
  width: number,
  fonts: { tick: number; label: number; title: number; annotation: number },
  ramp: readonly [string, string],
  missingFill: string,
  domainMode: 'fixed' | 'data',
): HeatmapLayout {
  const gens = table.rows.filter((r) => !r.reference);
  const values = gens
    .flatMap((r) => table.columns.map((c) => r.cells[c.key]?.value ?? null))
    .filter((v): v is number => v !== null);
  const hi = domainMode === 'fixed' ? 100 : Math.max(1e-9, ...values);
  const domain: [number, number] = [0, hi];
  const t = scaleLinear().domain(domain).range([0, 1]).clamp(true);
  const interp = interpolateLab(ramp[0], ramp[1]);
  const fillOf = (v: number) => color(interp(t(v)))!.formatHex();

  const titleY = fonts.title * 1.2;
  const legendWidth = 44;
  const labelWidth = Math.min(
    width * 0.4,
    Math.max(...table.columns.map((c) => textWidth(c.label, fonts.tick)), textWidth('group', fonts.tick)) + 8,
  );
  const cellArea = width - labelWidth - legendWidth;
  const cellWidth = gens.length ? Math.min(70, cellArea / gens.length) : cellArea;
  const cellHeight = fonts.annotation * 2;
  const headerY = titleY + fonts.title * 0.6 + fonts.tick * 1.4;
  const headers = gens.map((r, i) => ({
    row: r.key,
    label: r.label,
    x: labelWidth + i * cellWidth,
    width: cellWidth,
    y: headerY,
  }));

  // Column groups, in order of first appearance.
  const order: string[] = [];
  const byGroup = new Map<string, typeof table.columns>();
  for (const c of table.columns) {
    const g = c.group ?? '';
    if (!byGroup.has(g)) {
      byGroup.set(g, []);
      order.push(g);
    }
    byGroup.get(g)!.push(c);
  }
  let y = headerY + fonts.tick * 0.8;
  const blocks: HeatmapLayout['blocks'] = [];
  const cells: HeatCell[] = [];
  for (const g of order) {
    y += fonts.label * 1.5;
    const block = { label: g, y: y - fonts.label * 0.4, groups: [] as { label: string; y: number }[] };
    y += 2;
    for (const col of byGroup.get(g)!) {
      block.groups.push({ label: col.label, y: y + cellHeight / 2 + fonts.tick * 0.35 });
      gens.forEach((r, i) => {
        const cell = r.cells[col.key];
        const value = cell?.value ?? null;
        const fill = value === null ? missingFill : fillOf(value);
        cells.push({
          row: r.key,
          column: col.key,
          x: labelWidth + i * cellWidth,
          y,
          width: cellWidth,
          height: cellHeight,
          value,
          text: formatCell(col, cell),
          fill,
          ink: inkFor(fill),
        });
      });
      y += cellHeight;
    }
    blocks.push(block);
  }
  const gridBottom = y;
  const legendTop = headerY + fonts.tick;
  const legendHeight = Math.max(60, Math.min(140, gridBottom - legendTop));
  const stepsN = 40;
  const steps = Array.from({ length: stepsN }, (_, k) => {
    const v0 = hi * (1 - (k + 1) / stepsN);
    return {
      y: legendTop + (k * legendHeight) / stepsN,
      h: legendHeight / stepsN + 0.3,
      fill: fillOf(v0 + hi / stepsN / 2),
    };
  });
  const ly = scaleLinear()
    .domain(domain)
    .range([legendTop + legendHeight, legendTop]);
  const legend = {
    x: labelWidth + gens.length * cellWidth + 12,
    top: legendTop,
    height: legendHeight,
    width: 8,
    steps,
    ticks: ly.ticks(4).map((v) => ({ value: v, y: ly(v) })),
  };
  const height = Math.max(gridBottom, legendTop + legendHeight + fonts.tick * 2) + fonts.annotation * 1.5;
  return { titleY, headers, blocks, cells, labelWidth, legend, domain, height: Math.ceil(height) };
}
