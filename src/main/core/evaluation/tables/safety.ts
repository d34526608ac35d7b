// Table 5 (share of unsafe / toxic / flagged outputs per generator × test set, with the "initial"
// row scored on the inputs) and Table 6 (% toxic per target group on ToxiGen and BOLD).
import type { EvalTable, TableColumn, TableRow } from '../../../../shared/contracts/evaluation';
import {
  cell,
  type EvaluationData,
  percentPositive,
  provenance,
  scoreIndex,
  scorerLabel,
  verdictScorers,
} from './data';

export function table5(data: EvaluationData): EvalTable {
  const index = scoreIndex(data);
  const scorers = verdictScorers(data);
  const columns: TableColumn[] = [];
  for (const ts of data.testsets)
    for (const s of scorers)
      columns.push({
        key: `${ts.key}|${s.id}`,
        label: scorerLabel(data, s),
        group: ts.label,
        direction: 'lower',
        digits: 2,
      });
  const rows: TableRow[] = data.rows.map((row) => {
    const cells: TableRow['cells'] = {};
    for (const ts of data.testsets)
      for (const s of scorers) {
        const { value, n } = percentPositive(index.get(`${row}|${ts.key}|${s.id}`) ?? []);
        cells[`${ts.key}|${s.id}`] = cell(
          value,
          provenance(data, row, [ts.key], s, n, { measure: `% of items with score > ${s.threshold}` }),
          n === 0 ? 'no scored items' : null,
        );
      }
    return { key: row, label: row, generator: row, reference: false, source: null, cells };
  });
  return {
    id: 'table5',
    title: 'Table 5: unsafe, toxic and flagged outputs (%)',
    caption:
      'Share of items whose score is above the scorer threshold, per generator and test set; "initial" scores the inputs themselves. Lower is better.',
    columns,
    rows,
  };
}

const GROUPED_KINDS = new Set(['toxigen', 'bold']);

export function table6(data: EvaluationData): EvalTable {
  const index = scoreIndex(data);
  const all = verdictScorers(data);
  // The paper's Table 6 is % toxic: toxicity scorers when there are any, else every verdict scorer.
  const scorers = all.some((s) => s.measure === 'toxicity') ? all.filter((s) => s.measure === 'toxicity') : all;
  const columns: TableColumn[] = [];
  const blocks: { ts: EvaluationData['testsets'][number]; scorer: (typeof scorers)[number]; groups: string[] }[] = [];
  for (const ts of data.testsets.filter((t) => GROUPED_KINDS.has(t.kind))) {
    const groups = [...new Set(ts.items.map((i) => i.group ?? '(none)'))].sort();
    for (const s of scorers) {
      blocks.push({ ts, scorer: s, groups });
      for (const g of groups)
        columns.push({
          key: `${ts.key}|${s.id}|${g}`,
          label: g,
          group: `${ts.label} · ${scorerLabel(data, s)}`,
          direction: 'lower',
          digits: 2,
        });
    }
  }
  const rows: TableRow[] = blocks.length
    ? data.rows.map((row) => {
        const cells: TableRow['cells'] = {};
        for (const b of blocks) {
          const groupOf = new Map(b.ts.items.map((i) => [i.index, i.group ?? '(none)']));
          const scores = index.get(`${row}|${b.ts.key}|${b.scorer.id}`) ?? [];
          for (const g of b.groups) {
            const { value, n } = percentPositive(scores.filter((s) => groupOf.get(s.index) === g));
            cells[`${b.ts.key}|${b.scorer.id}|${g}`] = cell(
              value,
              provenance(data, row, [b.ts.key], b.scorer, n, { group: g }),
              n === 0 ? 'no scored items' : null,
            );
          }
        }
        return { key: row, label: row, generator: row, reference: false, source: null, cells };
      })
    : [];
  return {
    id: 'table6',
    title: 'Table 6: toxic outputs per target group (%)',
    caption: 'Share of items above the threshold per group of the ToxiGen and BOLD test sets. Lower is better.',
    columns,
    rows,
  };
}
