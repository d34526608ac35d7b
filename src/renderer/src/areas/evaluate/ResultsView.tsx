// The results as the paper prints them: every table recomputed from the stored item scores, the
// paper's own numbers as reference rows on a toggle, each number's provenance on hover (title)
// and on click (a panel), and the tables as LaTeX / CSV / Markdown downloads.
import { useEffect, useState } from 'react';
import type {
  EvalTable,
  EvaluationSummary,
  ExportFormat,
  TableCell,
  TableColumn,
  TableRow,
} from '../../../../shared/contracts/evaluation';
import { ErrorBanner } from '../../components/ErrorBanner';
import { selectTables, useEvaluateStore } from './evaluate';
import { isEvaluationActive } from './evaluationProgress';
import {
  bestRows,
  cellTitle,
  columnGroups,
  directionHelp,
  directionMark,
  formatCellCi,
  formatCellValue,
  hasColumnGroups,
  provenanceLines,
  tablesWithRows,
  visibleRows,
} from './tableView';

const EXPORTS: { format: ExportFormat; label: string }[] = [
  { format: 'latex', label: 'LaTeX' },
  { format: 'csv', label: 'CSV' },
  { format: 'md', label: 'Markdown' },
];

interface Picked {
  table: EvalTable;
  row: TableRow;
  column: TableColumn;
  cell: TableCell | undefined;
}

export function ResultsView({ evaluation }: { evaluation: EvaluationSummary }) {
  const tables = useEvaluateStore(selectTables);
  const [picked, setPicked] = useState<Picked | null>(null);
  const [exporting, setExporting] = useState<ExportFormat | null>(null);
  const current = tables?.evaluationId === evaluation.id ? tables : null;
  const reference = current?.reference ?? false;

  useEffect(() => {
    if (!current) void useEvaluateStore.getState().loadTables(false);
  }, [current]);

  const shown = current ? tablesWithRows(current.tables, reference) : [];
  const exportAs = async (format: ExportFormat) => {
    setExporting(format);
    try {
      await useEvaluateStore.getState().exportTables(format, reference);
    } finally {
      setExporting(null);
    }
  };

  return (
    <>
      <section className="card" aria-label="Results options">
        <div className="row gap wrap">
          <label className="check">
            <input
              type="checkbox"
              checked={reference}
              onChange={(e) => void useEvaluateStore.getState().loadTables(e.target.checked)}
            />
            Show the paper’s numbers (reference rows)
          </label>
          <span className="spacer" />
          <span className="muted small">Download:</span>
          {EXPORTS.map((x) => (
            <button
              key={x.format}
              type="button"
              className="btn small"
              disabled={exporting !== null || shown.length === 0}
              onClick={() => void exportAs(x.format)}
            >
              {exporting === x.format ? 'Exporting…' : x.label}
            </button>
          ))}
        </div>
        {isEvaluationActive(evaluation.state) && (
          <p className="small muted">The evaluation is still running: the tables show what is stored so far.</p>
        )}
        <p className="small muted">
          Hover a number for where it comes from; click it for the full provenance. Bold: the best value in its column
          among this evaluation’s rows (↓ lower is better, ↑ higher is better, →50 closest to 50).
        </p>
      </section>
      {current?.error && (
        <ErrorBanner message={current.error} onRetry={() => void useEvaluateStore.getState().loadTables()} />
      )}
      {current?.loading && shown.length === 0 && <p className="muted pad">Computing the tables…</p>}
      {current && !current.loading && !current.error && shown.length === 0 && (
        <div className="empty-state">
          <h2>No results yet</h2>
          <p>The tables fill in as items are generated and scored.</p>
        </div>
      )}
      {shown.map((t) => (
        <ResultTable key={t.id} table={t} reference={reference} onPick={setPicked} />
      ))}
      {picked && <ProvenancePanel picked={picked} onClose={() => setPicked(null)} />}
    </>
  );
}

/** One table (pure: everything it shows comes in through its props). */
export function ResultTable({
  table,
  reference,
  onPick,
}: {
  table: EvalTable;
  reference: boolean;
  onPick: (p: Picked) => void;
}) {
  const rows = visibleRows(table, reference);
  const best = bestRows(table);
  const grouped = hasColumnGroups(table.columns);
  return (
    <section className="card" aria-labelledby={`table-${table.id}`} data-testid={`eval-table-${table.id}`}>
      <h3 id={`table-${table.id}`}>{table.title}</h3>
      <div className="table-scroll">
        <table className="data-table eval-table">
          <caption className="small muted">{table.caption}</caption>
          <thead>
            {grouped && (
              <tr>
                <th scope="col" />
                {columnGroups(table.columns).map((g, i) => (
                  <th key={i} scope="colgroup" colSpan={g.span} className="eval-group">
                    {g.label ?? ''}
                  </th>
                ))}
              </tr>
            )}
            <tr>
              <th scope="col">Row</th>
              {table.columns.map((c) => (
                <th key={c.key} scope="col" className="num" title={directionHelp(c.direction) || undefined}>
                  {c.label}
                  {directionMark(c.direction) ? ` ${directionMark(c.direction)}` : ''}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} className={r.reference ? 'reference-row' : undefined}>
                <th scope="row" title={r.reference ? `Quoted from ${r.source ?? 'the paper'}` : undefined}>
                  {r.label}
                  {r.reference && <span className="pill mild ref-pill">paper</span>}
                </th>
                {table.columns.map((c) => {
                  const cell = r.cells[c.key];
                  const isBest = best.get(c.key)?.has(r.key) ?? false;
                  const ci = formatCellCi(cell, c);
                  return (
                    <td key={c.key} className={isBest ? 'num best' : 'num'}>
                      <button
                        type="button"
                        className="cell-button"
                        title={cellTitle(r, cell, c)}
                        onClick={() => onPick({ table, row: r, column: c, cell })}
                      >
                        {formatCellValue(cell, c)}
                      </button>
                      {ci && <div className="small muted">{ci}</div>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function ProvenancePanel({ picked, onClose }: { picked: Picked; onClose: () => void }) {
  const { table, row, column, cell } = picked;
  return (
    <aside className="card provenance-panel" aria-label="Provenance" data-testid="provenance-panel">
      <div className="row gap">
        <h3>
          {table.title}: {row.label} · {column.group ? `${column.group} · ` : ''}
          {column.label}
        </h3>
        <span className="spacer" />
        <button type="button" className="btn ghost icon" aria-label="Close provenance" onClick={onClose}>
          ✕
        </button>
      </div>
      <p>
        <strong>{formatCellValue(cell, column)}</strong>
        {formatCellCi(cell, column) ? ` (95% CI ${formatCellCi(cell, column)})` : ''}
        {cell?.note ? ` — ${cell.note}` : ''}
      </p>
      {row.reference ? (
        <p className="small">Quoted, not computed here: {row.source ?? 'the paper'}.</p>
      ) : cell?.provenance ? (
        <table className="kv">
          <tbody>
            {provenanceLines(cell.provenance).map(([k, v]) => (
              <tr key={k}>
                <th scope="row">{k}</th>
                <td className="mono small">{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="small muted">No provenance: this cell was not computed.</p>
      )}
    </aside>
  );
}
