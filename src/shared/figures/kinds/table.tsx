// Any evaluation table (Tables 5–9, counterfactual consistency, the t-test) drawn as a figure in
// the paper's layout: the best computed value per column in bold (the LaTeX export's rule),
// the paper's reference rows in italic below a rule, with a footnote naming their source.
import { z } from 'zod';
import { EvalTable, TABLE_IDS, type TableId } from '../../contracts/evaluation';
import type { FigureKindDefinition, FigureProps } from '../kind';
import { FIGURE_PAD, FigureSvg, FigureTitle, fitTitle, paddedInner } from '../parts/frame';
import { HLine } from '../parts/axis';
import { bestCellKeys, cellKey, fitText, formatCell, layoutTable } from '../layout/table';
import type { FigureTheme } from '../theme';

/** An evaluation table with where it comes from: the data of the table, bars and heatmap kinds. */
export interface EvalTableFigureData {
  table: EvalTable;
  /** The evaluation it was computed from; null id for tables given as input. */
  evaluation: { id: number | null; name: string };
}

const EvalTableInput = z.object({
  table: EvalTable,
  evaluation: z.object({ id: z.number().int().nullable(), name: z.string().max(200) }).optional(),
});

/** Inline input: `{table: EvalTable, evaluation?: {id, name}}` (e.g. one table of `srlab eval tables --json`). */
export function parseEvalTableInput(data: Record<string, unknown>, expected?: readonly TableId[]): EvalTableFigureData {
  const parsed = EvalTableInput.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new Error(`input.${first.path.join('.') || 'table'}: ${first.message}`);
  }
  if (expected && !expected.includes(parsed.data.table.id))
    throw new Error(`input.table.id: this figure draws ${expected.join(' or ')}, not ${parsed.data.table.id}`);
  return { table: parsed.data.table, evaluation: parsed.data.evaluation ?? { id: null, name: 'input' } };
}

/** Where the numbers come from, for captions: the evaluation, cell counts and the reference source. */
export function provenanceSentence(data: EvalTableFigureData, rows: EvalTable['rows'] = data.table.rows): string {
  const ns = rows.flatMap((r) => Object.values(r.cells).map((c) => c.provenance?.n ?? null)).filter((n) => n !== null);
  const from =
    data.evaluation.id !== null
      ? `From srlab evaluation #${data.evaluation.id} "${data.evaluation.name}".`
      : 'From a table given as input.';
  const n = ns.length
    ? ` n = ${Math.min(...ns)}${Math.max(...ns) !== Math.min(...ns) ? `–${Math.max(...ns)}` : ''} items per cell.`
    : '';
  const refs = [...new Set(rows.filter((r) => r.reference && r.source).map((r) => r.source!))];
  const ref = refs.length
    ? ` Rows marked "paper" are quoted from ${refs.length > 1 ? 'PAPER.md' : refs[0]}, not computed.`
    : '';
  return `${from}${n}${ref}`;
}

/** The table's cells as CSV rows (header first): the numbers the figure shows, with their counts. */
export function tableRows(table: EvalTable, best?: Set<string>): (string | number | null)[][] {
  const out: (string | number | null)[][] = [
    [
      'table',
      'row',
      'reference',
      'column_group',
      'column',
      'direction',
      'value',
      'n',
      ...(best ? ['best'] : []),
      'source',
    ],
  ];
  for (const row of table.rows)
    for (const col of table.columns) {
      const c = row.cells[col.key];
      if (!c) continue;
      out.push([
        table.id,
        row.label,
        row.reference ? 'true' : 'false',
        col.group,
        col.label,
        col.direction,
        c.value,
        c.provenance?.n ?? null,
        ...(best ? [best.has(cellKey(row.key, col.key)) ? 'true' : 'false'] : []),
        row.source,
      ]);
    }
  return out;
}

export const TableOptions = z.object({
  table: z.enum(TABLE_IDS).default('table5'),
  /** Add the paper's reference rows where the paper has numbers (Table 5, Table 7, the t-test). */
  reference: z.boolean().default(true),
});
export type TableOptions = z.infer<typeof TableOptions>;

/** The footnote under a table with reference rows: what bold and italic mean, and the source. */
function footnote(table: EvalTable): string | null {
  const sources = [...new Set(table.rows.filter((r) => r.reference && r.source).map((r) => r.source!))];
  if (!table.rows.some((r) => r.reference)) return null;
  return `Bold: best computed value per column. Italic rows (paper): quoted from ${sources.length === 1 ? sources[0] : 'PAPER.md'}, not computed.`;
}

function sizes(theme: FigureTheme) {
  return { font: theme.fontSize.label, title: theme.fontSize.title };
}

function TableFigure({ data, theme, size }: FigureProps<EvalTableFigureData, TableOptions>) {
  const inner = paddedInner(size);
  const { table } = data;
  const { font, title } = sizes(theme);
  const layout = layoutTable(table, inner.width, font, title, footnote(table), theme.fontSize.annotation);
  const best = bestCellKeys(table);
  const text = { fontFamily: theme.fontFamily, fill: theme.foreground };
  return (
    <FigureSvg size={size} padded theme={theme} label={table.title}>
      <FigureTitle y={layout.titleY} theme={theme} fontSize={title} fontFamily={theme.fontFamily}>
        {fitTitle(table.title, inner.width, title)}
      </FigureTitle>
      {layout.panels.map((p, pi) => {
        const right = p.columns.length
          ? p.columns[p.columns.length - 1]!.x + p.columns[p.columns.length - 1]!.width
          : layout.labelWidth;
        const hasGroups = p.groups.length > 0;
        const headerY = p.top + (hasGroups ? 2 : 1) * layout.rowHeight - layout.rowHeight * 0.3;
        return (
          <g key={pi} className="table-panel">
            <HLine x1={0} x2={right} y={p.top} stroke={theme.foreground} strokeWidth={theme.strokeWidth * 1.5} />
            {p.groups.map((g, gi) => (
              <g key={gi}>
                <text
                  x={g.x + g.width / 2}
                  y={p.top + layout.rowHeight * 0.7}
                  fontSize={font}
                  textAnchor="middle"
                  {...text}
                >
                  {g.label}
                </text>
                <HLine
                  x1={g.x + 3}
                  x2={g.x + g.width - 3}
                  y={p.top + layout.rowHeight}
                  stroke={theme.muted}
                  strokeWidth={theme.strokeWidth}
                />
              </g>
            ))}
            <text x={0} y={headerY} fontSize={font} {...text}>
              Model
            </text>
            {p.columns.map((c) => (
              <text key={c.column.key} x={c.x + c.width - 3} y={headerY} fontSize={font} textAnchor="end" {...text}>
                <title>{`${c.column.group ? `${c.column.group}: ` : ''}${c.column.label} (${c.column.direction === 'none' ? 'no best' : `best: ${c.column.direction}`})`}</title>
                {c.header}
              </text>
            ))}
            <HLine
              x1={0}
              x2={right}
              y={p.top + (hasGroups ? 2 : 1) * layout.rowHeight}
              stroke={theme.foreground}
              strokeWidth={theme.strokeWidth}
            />
            {p.referenceRuleY !== null && (
              <HLine x1={0} x2={right} y={p.referenceRuleY} stroke={theme.muted} strokeWidth={theme.strokeWidth} />
            )}
            {table.rows.map((row, ri) => (
              <g key={row.key} className={row.reference ? 'row reference' : 'row'}>
                <text x={0} y={p.rowY[ri]} fontSize={font} fontStyle={row.reference ? 'italic' : undefined} {...text}>
                  {row.source && <title>{row.source}</title>}
                  {fitText(row.label, layout.labelWidth - 4, font)}
                </text>
                {p.columns.map((c) => {
                  const cell = row.cells[c.column.key];
                  const isBest = best.has(cellKey(row.key, c.column.key));
                  return (
                    <text
                      key={c.column.key}
                      x={c.x + c.width - 3}
                      y={p.rowY[ri]}
                      fontSize={font}
                      textAnchor="end"
                      fontWeight={isBest ? 'bold' : undefined}
                      fontStyle={row.reference ? 'italic' : undefined}
                      data-cell={`${row.key}|${c.column.key}`}
                      {...text}
                    >
                      {cell?.note || cell?.provenance ? (
                        <title>
                          {[cell.provenance ? `n = ${cell.provenance.n}` : null, cell.note].filter(Boolean).join('; ')}
                        </title>
                      ) : null}
                      {formatCell(c.column, cell)}
                    </text>
                  );
                })}
              </g>
            ))}
            <HLine x1={0} x2={right} y={p.bottom} stroke={theme.foreground} strokeWidth={theme.strokeWidth * 1.5} />
          </g>
        );
      })}
      {layout.note.map((line, i) => (
        <text
          key={i}
          x={0}
          y={line.y}
          fontSize={theme.fontSize.annotation}
          fontStyle="italic"
          fill={theme.muted}
          fontFamily={theme.fontFamily}
        >
          {line.text}
        </text>
      ))}
    </FigureSvg>
  );
}

export const tableKind: FigureKindDefinition<EvalTableFigureData, TableOptions> = {
  kind: 'table',
  label: 'Evaluation table (Tables 5–9, best per column bold)',
  sources: ['evaluation', 'input'],
  options: TableOptions,
  parseInput: (data) => parseEvalTableInput(data),
  height: (data, _options, width, theme) => {
    const { font, title } = sizes(theme);
    const inner = width - 2 * FIGURE_PAD;
    return (
      layoutTable(data.table, inner, font, title, footnote(data.table), theme.fontSize.annotation).height +
      2 * FIGURE_PAD
    );
  },
  Component: TableFigure,
  caption: (data) =>
    `${data.table.title}. ${data.table.caption} Bold: the best computed value per column (reference rows do not compete). ${provenanceSentence(data)}`,
  rows: (data) => tableRows(data.table, bestCellKeys(data.table)),
};
