// The tables as text: LaTeX (booktabs; the best computed value per column in bold, direction-aware;
// ↑/↓ in the headers; every text LaTeX-escaped), Markdown, and CSV (one line per cell, with its
// provenance — the form a script or spreadsheet reads; text cells guarded against formula injection).
import type {
  ColumnDirection,
  EvalTable,
  ExportFormat,
  TableColumn,
  TableRow,
} from '../../../shared/contracts/evaluation';
import { guardCsvCell } from '../datasets/csv-guard';
import { formatTableValue } from '../../../shared/format';

const ARROWS: Record<ColumnDirection, { text: string; latex: string }> = {
  lower: { text: ' ↓', latex: ' $\\downarrow$' },
  higher: { text: ' ↑', latex: ' $\\uparrow$' },
  'closer-to-50': { text: ' →50', latex: ' $\\rightarrow 50$' },
  none: { text: '', latex: '' },
};

/** Characters LaTeX gives a meaning to, and a few common non-ASCII symbols, written safely. */
const LATEX_ESCAPES: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
  '<': '\\textless{}',
  '>': '\\textgreater{}',
  '|': '\\textbar{}',
  '×': '$\\times$',
  '·': '$\\cdot$',
  '−': '$-$',
  '–': '--',
  '—': '---',
  α: '$\\alpha$',
  '≥': '$\\geq$',
  '≤': '$\\leq$',
  '↑': '$\\uparrow$',
  '↓': '$\\downarrow$',
  '→': '$\\rightarrow$',
};

export function latexEscape(s: string): string {
  return s.replace(/[\\&%$#_{}~^<>|×·−–—α≥≤↑↓→]/g, (c) => LATEX_ESCAPES[c]!);
}

/** Keys of the cells holding the best computed value of each column (ties: all of them). */
export function bestCells(table: EvalTable): Set<string> {
  const best = new Set<string>();
  for (const col of table.columns) {
    if (col.direction === 'none') continue;
    const badness = (v: number) => (col.direction === 'lower' ? v : col.direction === 'higher' ? -v : Math.abs(v - 50));
    const values = table.rows
      .filter((r) => !r.reference)
      .map((r) => ({ row: r.key, v: r.cells[col.key]?.value ?? null }))
      .filter((x): x is { row: string; v: number } => x.v !== null);
    if (values.length < 2) continue;
    const min = Math.min(...values.map((x) => badness(x.v)));
    for (const x of values) if (badness(x.v) === min) best.add(`${x.row}\u0000${col.key}`);
  }
  return best;
}

function formatValue(col: TableColumn, row: TableRow): string | null {
  const c = row.cells[col.key];
  if (!c || c.value === null) return null;
  return formatTableValue(c.value, col.digits);
}

/** Column groups as [label, span] runs, for spanning headers. */
function groupRuns(columns: readonly TableColumn[]): { label: string | null; span: number }[] {
  const runs: { label: string | null; span: number }[] = [];
  for (const c of columns) {
    const last = runs[runs.length - 1];
    if (last && last.label === c.group) last.span++;
    else runs.push({ label: c.group, span: 1 });
  }
  return runs;
}

export function tableToLatex(table: EvalTable): string {
  const best = bestCells(table);
  const cols = table.columns;
  const lines: string[] = [];
  lines.push('\\begin{table}[t]', '\\centering', '\\small');
  lines.push(`\\caption{${latexEscape(`${table.title}. ${table.caption}`)}}`);
  lines.push(`\\label{tab:srlab-${table.id}}`);
  lines.push(`\\begin{tabular}{l${'r'.repeat(cols.length)}}`, '\\toprule');
  const runs = groupRuns(cols);
  if (runs.some((r) => r.label !== null)) {
    const parts = [''];
    const rules: string[] = [];
    let at = 2;
    for (const r of runs) {
      parts.push(r.label === null ? ' ' : `\\multicolumn{${r.span}}{c}{${latexEscape(r.label)}}`);
      for (let i = 1; i < r.span; i++) if (r.label === null) parts.push(' ');
      if (r.label !== null) rules.push(`\\cmidrule(lr){${at}-${at + r.span - 1}}`);
      at += r.span;
    }
    // A \multicolumn replaces `span` cells; unlabelled runs keep one empty cell per column.
    lines.push(`${parts.join(' & ')} \\\\`);
    if (rules.length) lines.push(rules.join(' '));
  }
  lines.push(
    `${['Model', ...cols.map((c) => `${latexEscape(c.label)}${ARROWS[c.direction].latex}`)].join(' & ')} \\\\`,
    '\\midrule',
  );
  let referenceStarted = false;
  for (const row of table.rows) {
    if (row.reference && !referenceStarted) {
      referenceStarted = true;
      if (table.rows.some((r) => !r.reference)) lines.push('\\midrule');
    }
    const label = row.reference ? `\\textit{${latexEscape(row.label)}}` : latexEscape(row.label);
    const cells = cols.map((c) => {
      const v = formatValue(c, row);
      if (v === null) return '--';
      const text = latexEscape(v);
      return best.has(`${row.key}\u0000${c.key}`) ? `\\textbf{${text}}` : text;
    });
    lines.push(`${[label, ...cells].join(' & ')} \\\\`);
  }
  lines.push('\\bottomrule', '\\end{tabular}', '\\end{table}');
  const sources = [...new Set(table.rows.filter((r) => r.reference && r.source).map((r) => r.source!))];
  if (sources.length) lines.push(`% Reference rows (italic) are quoted, not computed: ${sources.join('; ')}`);
  return lines.join('\n');
}

function mdEscape(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/([*_`<>[\]])/g, '\\$1');
}

export function tableToMarkdown(table: EvalTable): string {
  const best = bestCells(table);
  const cols = table.columns;
  const header = ['Model', ...cols.map((c) => `${c.group ? `${c.group}: ` : ''}${c.label}${ARROWS[c.direction].text}`)];
  const lines = [
    `### ${mdEscape(table.title)}`,
    '',
    mdEscape(table.caption),
    '',
    `| ${header.map(mdEscape).join(' | ')} |`,
    `| ${['---', ...cols.map(() => '---:')].join(' | ')} |`,
  ];
  for (const row of table.rows) {
    const label = row.reference ? `*${mdEscape(row.label)}*` : mdEscape(row.label);
    const cells = cols.map((c) => {
      const v = formatValue(c, row);
      if (v === null) return '–';
      return best.has(`${row.key}\u0000${c.key}`) ? `**${v}**` : v;
    });
    lines.push(`| ${[label, ...cells].join(' | ')} |`);
  }
  const sources = [...new Set(table.rows.filter((r) => r.reference && r.source).map((r) => r.source!))];
  if (sources.length)
    lines.push('', `Reference rows (italic) are quoted, not computed: ${mdEscape(sources.join('; '))}.`);
  return lines.join('\n');
}

const CSV_HEADER = [
  'table',
  'row',
  'reference',
  'column_group',
  'column',
  'direction',
  'value',
  'n',
  'note',
  'source',
  'run_ids',
  'model_sha256',
  'adapter_sha256',
  'endpoint',
  'scorer',
  'scorer_version',
];

function csvCell(v: string | number | boolean | null): string {
  if (v === null) return '';
  if (typeof v !== 'string') return String(v);
  const s = guardCsvCell(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function tablesToCsv(tables: readonly EvalTable[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const t of tables)
    for (const row of t.rows)
      for (const col of t.columns) {
        const c = row.cells[col.key];
        if (!c) continue;
        const p = c.provenance;
        lines.push(
          [
            t.id,
            row.label,
            row.reference,
            col.group,
            col.label,
            col.direction,
            c.value,
            p?.n ?? null,
            c.note,
            row.source,
            p ? p.runIds.join(' ') : null,
            p?.modelSha256 ?? null,
            p?.adapterSha256 ?? null,
            p?.endpoint ?? null,
            p?.scorer?.id ?? null,
            p?.scorer?.version ?? null,
          ]
            .map(csvCell)
            .join(','),
        );
      }
  return `${lines.join('\r\n')}\r\n`;
}

/** The tables that have something to show (a row with a value). */
export function nonEmpty(tables: readonly EvalTable[]): EvalTable[] {
  return tables.filter(
    (t) => t.columns.length > 0 && t.rows.some((r) => Object.values(r.cells).some((c) => c.value !== null)),
  );
}

export function exportTables(
  tables: readonly EvalTable[],
  format: ExportFormat,
  evaluationName: string,
): { text: string; fileName: string; mimeType: string } {
  const base = evaluationName.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '') || 'evaluation';
  if (format === 'csv') return { text: tablesToCsv(tables), fileName: `${base}.csv`, mimeType: 'text/csv' };
  if (format === 'md')
    return {
      text: `${tables.map(tableToMarkdown).join('\n\n')}\n`,
      fileName: `${base}.md`,
      mimeType: 'text/markdown',
    };
  return {
    text: `% srlab evaluation "${evaluationName.replace(/[\r\n]/g, ' ')}": needs \\usepackage{booktabs}\n${tables.map(tableToLatex).join('\n\n')}\n`,
    fileName: `${base}.tex`,
    mimeType: 'application/x-tex',
  };
}
