// The Results view's tables as the paper prints them: grouped headers, ↑/↓ for the better
// direction, the best value per column marked, reference rows (the paper's own numbers) on a
// toggle, and each cell's provenance in words. Pure.
import type {
  CellProvenance,
  ColumnDirection,
  EvalTable,
  TableCell,
  TableColumn,
  TableRow,
} from '../../../../shared/contracts/evaluation';
import { formatCount } from '../../lib/format';
import { formatTableValue } from '../../../../shared/format';

/** The arrow after a column's label: which way is better. */
export function directionMark(direction: ColumnDirection): string {
  switch (direction) {
    case 'lower':
      return '↓';
    case 'higher':
      return '↑';
    case 'closer-to-50':
      return '→50';
    case 'none':
      return '';
  }
}

export function directionHelp(direction: ColumnDirection): string {
  switch (direction) {
    case 'lower':
      return 'lower is better';
    case 'higher':
      return 'higher is better';
    case 'closer-to-50':
      return 'closer to 50 is better';
    case 'none':
      return '';
  }
}

/** The rows shown: the reference rows (quoted from the paper) only when asked for. */
export function visibleRows(table: EvalTable, showReference: boolean): TableRow[] {
  return showReference ? table.rows : table.rows.filter((r) => !r.reference);
}

/** A spanning header over consecutive columns of the same group (null: no group header). */
export interface ColumnGroup {
  label: string | null;
  span: number;
}

export function columnGroups(columns: TableColumn[]): ColumnGroup[] {
  const groups: ColumnGroup[] = [];
  for (const c of columns) {
    const last = groups[groups.length - 1];
    if (last && last.label === c.group) last.span++;
    else groups.push({ label: c.group, span: 1 });
  }
  return groups;
}

/** Whether any column has a group (the table then gets a second header row). */
export function hasColumnGroups(columns: TableColumn[]): boolean {
  return columns.some((c) => c.group !== null);
}

function distance(direction: ColumnDirection, v: number): number {
  // Smaller is better in every case below.
  if (direction === 'lower') return v;
  if (direction === 'higher') return -v;
  return Math.abs(v - 50);
}

/**
 * Per column key: the keys of the rows holding its best value (ties all count), among this
 * evaluation's rows only — reference rows are quoted numbers, not competitors — and only where
 * at least two rows have a value (one number is not "best" of anything).
 */
export function bestRows(table: EvalTable): Map<string, Set<string>> {
  const best = new Map<string, Set<string>>();
  const rows = table.rows.filter((r) => !r.reference);
  for (const col of table.columns) {
    if (col.direction === 'none') continue;
    let bestD = Infinity;
    let keys = new Set<string>();
    let valued = 0;
    for (const row of rows) {
      const v = row.cells[col.key]?.value;
      if (v === null || v === undefined || !Number.isFinite(v)) continue;
      valued++;
      // Compare at the shown precision, so numbers that print the same tie.
      const d = Number(distance(col.direction, v).toFixed(col.digits));
      if (d < bestD) {
        bestD = d;
        keys = new Set([row.key]);
      } else if (d === bestD) keys.add(row.key);
    }
    if (valued >= 2) best.set(col.key, keys);
  }
  return best;
}

/** A cell's number at the column's precision; '–' when not computed. */
export function formatCellValue(cell: TableCell | undefined, column: Pick<TableColumn, 'digits'>): string {
  if (!cell || cell.value === null || !Number.isFinite(cell.value)) return '–';
  return formatTableValue(cell.value, column.digits);
}

export function formatCellCi(cell: TableCell | undefined, column: Pick<TableColumn, 'digits'>): string {
  if (!cell?.ci) return '';
  return `[${cell.ci[0].toFixed(column.digits)}, ${cell.ci[1].toFixed(column.digits)}]`;
}

/** The provenance of a cell as label → value lines (shown on hover and in the details panel). */
export function provenanceLines(p: CellProvenance): [string, string][] {
  const lines: [string, string][] = [['n', formatCount(p.n)]];
  if (p.evaluationId !== null) lines.push(['Evaluation', `#${p.evaluationId}`]);
  if (p.runIds.length) lines.push(['Generation runs', p.runIds.map((id) => `#${id}`).join(', ')]);
  if (p.modelSha256) lines.push(['Model SHA-256', p.modelSha256]);
  if (p.adapterSha256) lines.push(['Adapter SHA-256', p.adapterSha256]);
  if (p.endpoint) lines.push(['Endpoint', p.endpoint]);
  if (p.scorer) lines.push(['Scorer', `${p.scorer.id} (version ${p.scorer.version})`]);
  for (const [k, v] of Object.entries(p.settings)) lines.push([k, settingText(v)]);
  return lines;
}

function settingText(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** The title (tooltip) of a cell: its note, its CI and where it comes from, one per line. */
export function cellTitle(row: TableRow, cell: TableCell | undefined, column: TableColumn): string {
  const lines: string[] = [`${row.label} · ${column.group ? `${column.group} · ` : ''}${column.label}`];
  if (cell?.note) lines.push(cell.note);
  const ci = formatCellCi(cell, column);
  if (ci) lines.push(`95% CI ${ci}`);
  if (row.reference) lines.push(`Quoted from ${row.source ?? 'the paper'}`);
  else if (cell?.provenance) for (const [k, v] of provenanceLines(cell.provenance)) lines.push(`${k}: ${v}`);
  return lines.join('\n');
}

/** Tables worth showing: those with at least one row (counting reference rows only when shown). */
export function tablesWithRows(tables: EvalTable[], showReference: boolean): EvalTable[] {
  return tables.filter((t) => visibleRows(t, showReference).length > 0);
}
