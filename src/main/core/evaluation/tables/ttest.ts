// The one-sample t-test of the paper's section 5.4, on a per-item measure: by default the drop in
// a scorer's probability from the input to the generator's output (srlab's default; the paper
// reports t and p on 16,602 texts), pooled over the test sets.
import type { EvalTable, TableColumn, TableRow } from '../../../../shared/contracts/evaluation';
import { INITIAL_LABEL } from '../../../../shared/contracts/evaluation';
import { oneSampleTTest, tCritical } from '../../../../shared/metrics/ttest';
import { ttestScorer } from '../runner';
import { cell, type EvaluationData, provenance, scoreIndex } from './data';

/** The per-item values the t-test runs on for one generator. */
export function ttestValues(data: EvaluationData, generator: string, scorerId: string): number[] {
  const index = scoreIndex(data);
  const measure = data.evaluation.config.ttest.measure;
  const values: number[] = [];
  for (const ts of data.testsets) {
    const out = index.get(`${generator}|${ts.key}|${scorerId}`) ?? [];
    if (measure === 'output') {
      for (const s of out) if (s.score !== null) values.push(s.score);
      continue;
    }
    const inputs = new Map((index.get(`${INITIAL_LABEL}|${ts.key}|${scorerId}`) ?? []).map((s) => [s.index, s.score]));
    for (const s of out) {
      const before = inputs.get(s.index);
      if (s.score !== null && before !== undefined && before !== null) values.push(before - s.score);
    }
  }
  return values;
}

export function ttestTable(data: EvaluationData): EvalTable {
  const cfg = data.evaluation.config.ttest;
  const scorerId = ttestScorer(cfg, data.scorers);
  const scorer = data.scorers.find((s) => s.id === scorerId) ?? null;
  const columns: TableColumn[] = [
    { key: 'n', label: 'n', group: null, direction: 'none', digits: 0 },
    { key: 'mean', label: 'mean', group: null, direction: 'none', digits: 4 },
    { key: 'sd', label: 'sd', group: null, direction: 'none', digits: 4 },
    { key: 't', label: 't', group: null, direction: 'none', digits: 2 },
    { key: 'df', label: 'df', group: null, direction: 'none', digits: 0 },
    { key: 'pTwo', label: 'p two-sided', group: null, direction: 'none', digits: 6 },
    { key: 'pGreater', label: 'p greater', group: null, direction: 'none', digits: 6 },
    { key: 'pLess', label: 'p less', group: null, direction: 'none', digits: 6 },
    { key: 'tcrit', label: `t crit ${cfg.alternative} (α = ${cfg.alpha})`, group: null, direction: 'none', digits: 4 },
    { key: 'ciLo', label: `CI ${100 * (1 - cfg.alpha)}% low`, group: null, direction: 'none', digits: 4 },
    { key: 'ciHi', label: `CI ${100 * (1 - cfg.alpha)}% high`, group: null, direction: 'none', digits: 4 },
  ];
  const rows: TableRow[] = scorer
    ? data.generators.map((g) => {
        const x = ttestValues(data, g, scorer.id);
        const r = oneSampleTTest(x, cfg.mu);
        const crit = r.df >= 1 ? tCritical(cfg.alpha, r.df, cfg.alternative) : Number.NaN;
        // The CI of the mean at 1 − α (two-sided), as a one-sample t-test reports it.
        const half = r.df >= 1 ? tCritical(cfg.alpha, r.df, 'two-sided') * r.se : Number.NaN;
        const prov = provenance(
          data,
          g,
          data.testsets.map((t) => t.key),
          scorer,
          r.n,
          {
            measure:
              cfg.measure === 'reduction'
                ? 'score(input) − score(output) per item (srlab default)'
                : 'score(output) per item',
            mu: cfg.mu,
            alpha: cfg.alpha,
            alternative: cfg.alternative,
          },
        );
        const note = r.n < 2 ? 'fewer than 2 paired items' : null;
        const cells: TableRow['cells'] = {
          n: cell(r.n, prov),
          mean: cell(r.mean, prov, note),
          sd: cell(r.sd, prov, note),
          t: cell(r.t, prov, note),
          df: cell(r.df, prov, note),
          pTwo: cell(r.pTwoSided, prov, note),
          pGreater: cell(r.pGreater, prov, note),
          pLess: cell(r.pLess, prov, note),
          tcrit: cell(crit, prov, note),
          ciLo: cell(r.mean - half, prov, note),
          ciHi: cell(r.mean + half, prov, note),
        };
        return { key: g, label: g, generator: g, reference: false, source: null, cells };
      })
    : [];
  return {
    id: 'ttest',
    title: 'One-sample t-test',
    caption: scorer
      ? `H0: mean = ${cfg.mu} for ${cfg.measure === 'reduction' ? `score(input) − score(output)` : 'score(output)'} of ${scorer.id}, pooled over the test sets.`
      : 'No scorer to test.',
    columns,
    rows,
  };
}
