// Layout of an evaluation table drawn as a figure (booktabs look: rules above and below, a rule
// before the paper's reference rows, spanning group headers). Pure code: no DOM; text widths are
// estimated with the theme's textWidth. A table wider than the figure is split into column
// panels stacked below each other, each repeating the row labels — srlab's choice, so the fonts
// never shrink below the theme's sizes.
import type { ColumnDirection, EvalTable, TableCell, TableColumn } from '../../contracts/evaluation';
import { textWidth } from '../theme';
import { formatTableValue } from '../../format';

/**
 * Keys (`row\u0000column`) of the cells holding the best computed value of each column, ties
 * included; reference rows never compete. The same rule as the LaTeX export
 * (src/main/core/evaluation/export.ts bestCells), restated here because shared code cannot
 * import the core; tests/unit/figures/table.test.ts checks the two agree.
 */
export function bestCellKeys(table: Pick<EvalTable, 'columns' | 'rows'>): Set<string> {
  const best = new Set<string>();
  for (const col of table.columns) {
    if (col.direction === 'none') continue;
    const badness = (v: number) => (col.direction === 'lower' ? v : col.direction === 'higher' ? -v : Math.abs(v - 50));
    const values: { row: string; v: number }[] = [];
    for (const r of table.rows) {
      const v = r.reference ? null : (r.cells[col.key]?.value ?? null);
      if (v !== null) values.push({ row: r.key, v });
    }
    if (values.length < 2) continue;
    const min = Math.min(...values.map((x) => badness(x.v)));
    for (const x of values) if (badness(x.v) === min) best.add(cellKey(x.row, col.key));
  }
  return best;
}

/** Bold DejaVu Sans runs about this much wider than textWidth's regular estimate. */
export const BOLD_FACTOR = 1.22;

export function cellKey(row: string, column: string): string {
  return `${row}\u0000${column}`;
}

/** A cell's number as the table exports it (the column's digits), or an en dash when not computed. */
export function formatCell(col: Pick<TableColumn, 'digits'>, cell: TableCell | undefined): string {
  return cell && cell.value !== null ? formatTableValue(cell.value, col.digits) : '–';
}

export const DIRECTION_MARK: Record<ColumnDirection, string> = {
  lower: ' ↓',
  higher: ' ↑',
  'closer-to-50': ' →50',
  none: '',
};

/** The text cut to fit maxWidth (an ellipsis marks the cut); the full text goes in a <title>. */
export function fitText(text: string, maxWidth: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  const chars = [...text];
  while (chars.length > 1 && textWidth(`${chars.join('')}…`, fontSize) > maxWidth) chars.pop();
  return `${chars.join('')}…`;
}

/** Words greedily packed into lines no wider than maxWidth (a word longer than a line is cut). */
export function wrapText(text: string, maxWidth: number, fontSize: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, fontSize) > maxWidth) {
      lines.push(line);
      line = fitText(word, maxWidth, fontSize);
    } else line = textWidth(next, fontSize) > maxWidth ? fitText(next, maxWidth, fontSize) : next;
  }
  if (line) lines.push(line);
  return lines;
}

export interface TablePanelColumn {
  column: TableColumn;
  x: number;
  width: number;
  header: string;
}

export interface TablePanel {
  top: number;
  columns: TablePanelColumn[];
  /** Spanning headers over runs of columns with the same group. */
  groups: { label: string; x: number; width: number }[];
  /** y of each row's baseline, in table row order. */
  rowY: number[];
  /** y of the rule before the first reference row (null: no reference rows or no computed ones). */
  referenceRuleY: number | null;
  bottom: number;
}

export interface TableLayout {
  labelWidth: number;
  rowHeight: number;
  fontSize: number;
  titleY: number;
  panels: TablePanel[];
  /** The footnote's lines (wrapped to the width) and their baselines; empty without a note. */
  note: { text: string; y: number }[];
  height: number;
}

const PAD = 6;

export function layoutTable(
  table: Pick<EvalTable, 'columns' | 'rows'>,
  width: number,
  fontSize: number,
  titleSize: number,
  /** A footnote under the table (e.g. what the italic rows are), wrapped to the width. */
  note: string | null = null,
  noteSize = fontSize,
): TableLayout {
  const rowHeight = fontSize * 1.7;
  const longestLabel = Math.max(textWidth('Model', fontSize), ...table.rows.map((r) => textWidth(r.label, fontSize)));
  const labelWidth = Math.min(longestLabel + PAD, width * 0.35);
  const available = width - labelWidth;
  const colWidths = table.columns.map((c) => {
    const header = `${c.label}${DIRECTION_MARK[c.direction]}`;
    const values = table.rows.map((r) => textWidth(formatCell(c, r.cells[c.key]), fontSize));
    return Math.min(available, Math.max(textWidth(header, fontSize), ...values) + 2 * PAD);
  });

  // Greedy chunks of columns that fit beside the row labels.
  const chunks: number[][] = [];
  let current: number[] = [];
  let used = 0;
  colWidths.forEach((w, i) => {
    if (current.length && used + w > available) {
      chunks.push(current);
      current = [];
      used = 0;
    }
    current.push(i);
    used += w;
  });
  if (current.length || chunks.length === 0) chunks.push(current);

  const hasGroups = table.columns.some((c) => c.group !== null);
  const firstRef = table.rows.findIndex((r) => r.reference);
  const titleY = titleSize * 1.2;
  let y = titleY + titleSize * 0.8;
  const panels: TablePanel[] = chunks.map((chunk) => {
    const top = y;
    // Spread the spare width over the panel's columns (the paper's tables fill the column).
    const natural = chunk.reduce((s, i) => s + colWidths[i]!, 0);
    const extra = chunk.length ? Math.max(0, available - natural) / chunk.length : 0;
    let x = labelWidth;
    const columns = chunk.map((i) => {
      const column = table.columns[i]!;
      const w = colWidths[i]! + extra;
      const header = fitText(`${column.label}${DIRECTION_MARK[column.direction]}`, w - PAD, fontSize);
      const out = { column, x, width: w, header };
      x += w;
      return out;
    });
    const groups: TablePanel['groups'] = [];
    for (const c of columns) {
      const last = groups[groups.length - 1];
      const label = c.column.group;
      if (label === null) continue;
      const prev = columns[columns.indexOf(c) - 1];
      if (last && prev && prev.column.group === label) last.width += c.width;
      else groups.push({ label, x: c.x, width: c.width });
    }
    for (const g of groups) g.label = fitText(g.label, g.width - PAD, fontSize);
    const headerRows = hasGroups ? 2 : 1;
    let rowTop = top + headerRows * rowHeight + 2;
    const rowY: number[] = [];
    let referenceRuleY: number | null = null;
    table.rows.forEach((_, r) => {
      if (r === firstRef && firstRef > 0) {
        referenceRuleY = rowTop + 1;
        rowTop += 3;
      }
      rowY.push(rowTop + rowHeight * 0.7);
      rowTop += rowHeight;
    });
    const bottom = rowTop + 2;
    y = bottom + rowHeight;
    return { top, columns, groups, rowY, referenceRuleY, bottom };
  });
  const lines = note ? wrapText(note, width, noteSize) : [];
  const first = y - rowHeight * 0.2;
  const noteLines = lines.map((text, i) => ({ text, y: first + i * noteSize * 1.3 }));
  const last = noteLines.length ? noteLines[noteLines.length - 1]!.y : y - rowHeight;
  const height = Math.ceil(last + fontSize * 1.2);
  return { labelWidth, rowHeight, fontSize, titleY, panels, note: noteLines, height };
}
