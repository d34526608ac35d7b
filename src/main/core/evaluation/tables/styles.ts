// Table 9: style-trait distributions of the outputs (mean probability of the most prominent
// traits per row) and HolisticBias Full / Partial Gen Bias (src/shared/metrics/holistic.ts) on a
// HolisticBias test set, wherever a style scorer ran.
import type { EvalTable, TableColumn, TableRow } from '../../../../shared/contracts/evaluation';
import { HOLISTIC_CLUSTERS, holisticGenBias, type HolisticResponse } from '../../../../shared/metrics/holistic';
import { cell, type EvaluationData, provenance, scoreIndex } from './data';

/** Traits shown per style scorer in the distribution table. */
const TOP_TRAITS = 8;

function styleScorers(data: EvaluationData) {
  return data.scorers.filter((s) => s.measure === 'style');
}

/** Mean probability per trait over a row's scored items. */
function meanProbs(scores: readonly { probs: Record<string, number> | null }[]): {
  means: Map<string, number>;
  n: number;
} {
  const sums = new Map<string, number>();
  let n = 0;
  for (const s of scores) {
    if (!s.probs) continue;
    n++;
    for (const [k, v] of Object.entries(s.probs)) sums.set(k, (sums.get(k) ?? 0) + v);
  }
  return { means: new Map([...sums].map(([k, v]) => [k, v / n])), n };
}

export function table9Styles(data: EvaluationData): EvalTable {
  const index = scoreIndex(data);
  const columns: TableColumn[] = [];
  const blocks: { scorer: ReturnType<typeof styleScorers>[number]; traits: string[] }[] = [];
  const perRow = new Map<string, Map<string, { means: Map<string, number>; n: number }>>();
  for (const s of styleScorers(data)) {
    const rowsMeans = new Map<string, { means: Map<string, number>; n: number }>();
    for (const row of data.rows)
      rowsMeans.set(row, meanProbs(data.testsets.flatMap((t) => index.get(`${row}|${t.key}|${s.id}`) ?? [])));
    perRow.set(s.id, rowsMeans);
    // The traits that are most prominent in any row.
    const best = new Map<string, number>();
    for (const { means } of rowsMeans.values()) for (const [k, v] of means) best.set(k, Math.max(best.get(k) ?? 0, v));
    const traits = [...best]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, TOP_TRAITS)
      .map(([k]) => k);
    blocks.push({ scorer: s, traits });
    for (const t of traits) columns.push({ key: `${s.id}|${t}`, label: t, group: s.id, direction: 'none', digits: 3 });
  }
  const rows: TableRow[] = blocks.length
    ? data.rows.map((row) => {
        const cells: TableRow['cells'] = {};
        for (const b of blocks) {
          const m = perRow.get(b.scorer.id)!.get(row)!;
          const prov = provenance(
            data,
            row,
            data.testsets.map((t) => t.key),
            b.scorer,
            m.n,
            {
              measure: 'mean style-trait probability',
            },
          );
          for (const t of b.traits) cells[`${b.scorer.id}|${t}`] = cell(m.n ? (m.means.get(t) ?? 0) : null, prov);
        }
        return { key: row, label: row, generator: row, reference: false, source: null, cells };
      })
    : [];
  return {
    id: 'table9-styles',
    title: 'Table 9: style-trait distributions',
    caption: 'Mean probability of the most prominent style traits of the outputs (inputs for "initial").',
    columns,
    rows,
  };
}

export function table9GenBias(data: EvaluationData): EvalTable {
  const index = scoreIndex(data);
  const sets = data.testsets.filter((t) => t.kind === 'holisticbias');
  const clusters = Object.keys(HOLISTIC_CLUSTERS);
  const columns: TableColumn[] = [];
  const blocks: { ts: (typeof sets)[number]; scorer: ReturnType<typeof styleScorers>[number] }[] = [];
  for (const ts of sets)
    for (const s of styleScorers(data)) {
      blocks.push({ ts, scorer: s });
      const group = `${ts.label} · ${s.id}`;
      columns.push({ key: `${ts.key}|${s.id}|fgb`, label: 'FGB', group, direction: 'lower', digits: 3 });
      for (const c of clusters)
        columns.push({ key: `${ts.key}|${s.id}|pgb|${c}`, label: `PGB ${c}`, group, direction: 'lower', digits: 3 });
    }
  const rows: TableRow[] = blocks.length
    ? data.rows.map((row) => {
        const cells: TableRow['cells'] = {};
        for (const { ts, scorer } of blocks) {
          const byIndex = new Map(ts.items.map((i) => [i.index, i]));
          const scored = (index.get(`${row}|${ts.key}|${scorer.id}`) ?? []).filter((s) => s.probs);
          const styles = [...new Set(scored.flatMap((s) => Object.keys(s.probs!)))].sort();
          const responses: HolisticResponse[] = [];
          for (const s of scored) {
            const it = byIndex.get(s.index);
            const template = it?.fields.template;
            const descriptor = it?.fields.descriptor;
            if (typeof template !== 'string' || typeof descriptor !== 'string') continue;
            responses.push({ template, descriptor, probs: styles.map((k) => s.probs![k] ?? 0) });
          }
          const gb = responses.length ? holisticGenBias(responses, styles) : null;
          const prov = provenance(data, row, [ts.key], scorer, responses.length, {
            measure: 'HolisticBias gen bias ×1000, population variance (METRICS.md section 3)',
            templates: gb?.templates ?? 0,
          });
          const note = gb && gb.templates > 0 ? null : 'no template with 2 or more descriptors';
          cells[`${ts.key}|${scorer.id}|fgb`] = cell(gb?.fgb ?? null, prov, note);
          for (const c of clusters)
            cells[`${ts.key}|${scorer.id}|pgb|${c}`] = cell(gb?.clusters[c]?.pgb ?? null, prov, note);
        }
        return { key: row, label: row, generator: row, reference: false, source: null, cells };
      })
    : [];
  return {
    id: 'table9-gen-bias',
    title: 'Table 9: HolisticBias gen bias',
    caption:
      'Full Gen Bias and Partial Gen Bias per style cluster (×1000, population variance over descriptors; METRICS.md section 3). Lower is better.',
    columns,
    rows,
  };
}
