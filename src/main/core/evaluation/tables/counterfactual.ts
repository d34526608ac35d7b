// Counterfactual consistency (srlab's measure, src/shared/metrics/counterfactual.ts): on a
// counterfactual test set, how often a scorer's verdict differs between the variants of one
// original sentence, and how far its scores spread — per generator and for the inputs.
import type { EvalTable, TableColumn, TableRow } from '../../../../shared/contracts/evaluation';
import { counterfactualConsistency, type CounterfactualScore } from '../../../../shared/metrics/counterfactual';
import { cell, type EvaluationData, provenance, scoreIndex, scorerLabel, verdictScorers } from './data';

/** Each scored item's original row and variant (fields.original / fields.variant of the importer). */
export function counterfactualScores(
  items: EvaluationData['testsets'][number]['items'],
  scores: readonly { index: number; score: number | null }[],
): CounterfactualScore[] {
  const byIndex = new Map(items.map((i) => [i.index, i]));
  const out: CounterfactualScore[] = [];
  for (const s of scores) {
    const it = byIndex.get(s.index);
    if (!it || s.score === null) continue;
    const original = it.fields.original;
    if (typeof original !== 'number' && typeof original !== 'string') continue;
    out.push({ original, variant: String(it.fields.variant ?? it.group ?? '?'), score: s.score });
  }
  return out;
}

export function counterfactualTable(data: EvaluationData): EvalTable {
  const index = scoreIndex(data);
  const scorers = verdictScorers(data);
  const sets = data.testsets.filter((t) => t.kind === 'counterfactual');
  const columns: TableColumn[] = [];
  for (const ts of sets)
    for (const s of scorers) {
      const group = `${ts.label} · ${scorerLabel(data, s)}`;
      columns.push(
        { key: `${ts.key}|${s.id}|flipped`, label: '% flipped', group, direction: 'lower', digits: 2 },
        { key: `${ts.key}|${s.id}|spread`, label: 'mean spread', group, direction: 'lower', digits: 3 },
        { key: `${ts.key}|${s.id}|originals`, label: 'originals', group, direction: 'none', digits: 0 },
      );
    }
  const rows: TableRow[] = sets.length
    ? data.rows.map((row) => {
        const cells: TableRow['cells'] = {};
        for (const ts of sets)
          for (const s of scorers) {
            const scores = counterfactualScores(ts.items, index.get(`${row}|${ts.key}|${s.id}`) ?? []);
            const c = counterfactualConsistency(scores, s.threshold);
            const prov = provenance(data, row, [ts.key], s, scores.length, {
              measure: 'counterfactual consistency (srlab): verdict flips among the variants of an original',
              originals: c.originals,
              skipped: c.skipped,
            });
            const note = c.originals === 0 ? 'no original with 2 or more scored variants' : null;
            cells[`${ts.key}|${s.id}|flipped`] = cell(100 * c.shareFlipped, prov, note);
            cells[`${ts.key}|${s.id}|spread`] = cell(c.meanSpread, prov, note);
            cells[`${ts.key}|${s.id}|originals`] = cell(c.originals, prov);
          }
        return { key: row, label: row, generator: row, reference: false, source: null, cells };
      })
    : [];
  return {
    id: 'counterfactual',
    title: 'Counterfactual consistency',
    caption:
      "srlab's measure: share of original sentences whose verdict differs between their demographic variants (lower is better), and the mean spread (max − min) of their scores.",
    columns,
    rows,
  };
}
