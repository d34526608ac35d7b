// The leaderboard across evaluations: % positive per row × test set × scorer in every stored
// evaluation, and its change against a baseline row (same test set key and scorer id) with a
// seeded percentile bootstrap CI (paired when both rows scored the same items of one evaluation).
import { ApiError } from '../../../shared/contract';
import type { LeaderboardRow } from '../../../shared/contracts/evaluation';
import { bootstrapDiffCI } from '../../../shared/metrics/bootstrap';
import { type EvaluationData, provenance, verdictScorers } from './tables/data';

interface Entry {
  data: EvaluationData;
  generator: string;
  testset: string;
  scorer: EvaluationData['scorers'][number];
  /** index → 100 when positive, 0 when not (errors left out). */
  verdicts: Map<number, number>;
}

function entries(all: readonly EvaluationData[]): Entry[] {
  const out: Entry[] = [];
  for (const data of all)
    for (const row of data.rows)
      for (const ts of data.testsets)
        for (const s of verdictScorers(data)) {
          const verdicts = new Map<number, number>();
          for (const r of data.scores)
            if (r.generator === row && r.testset === ts.key && r.scorer === s.id && r.verdict !== null)
              verdicts.set(r.index, r.verdict ? 100 : 0);
          if (verdicts.size) out.push({ data, generator: row, testset: ts.key, scorer: s, verdicts });
        }
  return out;
}

export function leaderboard(
  all: readonly EvaluationData[],
  opts: {
    baseline: { generator: string; evaluation?: number | undefined };
    testset?: string | undefined;
    scorer?: string | undefined;
    seed: number;
    resamples: number;
  },
): LeaderboardRow[] {
  let list = entries(all);
  if (opts.testset !== undefined) list = list.filter((e) => e.testset === opts.testset);
  if (opts.scorer !== undefined) list = list.filter((e) => e.scorer.id === opts.scorer);
  const candidates = list.filter(
    (e) =>
      e.generator === opts.baseline.generator &&
      (opts.baseline.evaluation === undefined || e.data.evaluation.id === opts.baseline.evaluation),
  );
  if (candidates.length === 0)
    throw new ApiError(
      'not-found',
      `no scored row "${opts.baseline.generator}"${opts.baseline.evaluation !== undefined ? ` in evaluation ${opts.baseline.evaluation}` : ''} to compare against`,
    );
  // The newest evaluation that has the baseline row (or the one named).
  const baseEval = Math.max(...candidates.map((c) => c.data.evaluation.id));
  const baseOf = new Map(
    candidates.filter((c) => c.data.evaluation.id === baseEval).map((c) => [`${c.testset}|${c.scorer.id}`, c]),
  );
  return list.map((e) => {
    const values = [...e.verdicts.values()];
    const n = values.length;
    const value = (100 * values.filter((v) => v > 0).length) / n;
    const base = baseOf.get(`${e.testset}|${e.scorer.id}`);
    const isBaseline = base === e;
    let change: number | null = null;
    let changeCi: [number, number] | null = null;
    if (base && !isBaseline) {
      const baseValues = [...base.verdicts.values()];
      const baseValue = (100 * baseValues.filter((v) => v > 0).length) / baseValues.length;
      change = value - baseValue;
      const sameItems = base.data.evaluation.id === e.data.evaluation.id;
      let a = values;
      let b = baseValues;
      if (sameItems) {
        const shared = [...e.verdicts.keys()].filter((k) => base.verdicts.has(k));
        a = shared.map((k) => e.verdicts.get(k)!);
        b = shared.map((k) => base.verdicts.get(k)!);
      }
      if (a.length >= 2 && b.length >= 2) {
        const ci = bootstrapDiffCI(a, b, { paired: sameItems, seed: opts.seed, resamples: opts.resamples });
        changeCi = [ci.lo, ci.hi];
      }
    }
    return {
      evaluationId: e.data.evaluation.id,
      evaluation: e.data.evaluation.name,
      generator: e.generator,
      testset: e.testset,
      scorer: e.scorer.id,
      value,
      n,
      change,
      changeCi,
      isBaseline,
      provenance: provenance(e.data, e.generator, [e.testset], e.scorer, n, {
        baseline: { evaluation: baseEval, generator: opts.baseline.generator },
        ci: 'percentile bootstrap 95%, seeded',
      }),
    };
  });
}
