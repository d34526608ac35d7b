// Data of the t-distribution plot from an evaluation: one generator's row of its t-test table
// (the numbers `evaluation.tables` reports, computed by src/shared/metrics/ttest.ts), with the
// evaluation's alpha and alternative.
import { ApiError } from '../../../../shared/contract';
import type { EvalTable, EvaluationSummary } from '../../../../shared/contracts/evaluation';
import type { TDistData } from '../../../../shared/figures/kinds/t-dist';
import type { FigureSpec } from '../../../../shared/figures/spec';
import type { FigureDataDeps } from '../deps';

/** The t-test table's row for `generator` (default: the first computed row) as the plot's data. */
export function tDistFromTables(
  evaluation: EvaluationSummary,
  tables: readonly EvalTable[],
  generator?: string,
): TDistData {
  const table = tables.find((t) => t.id === 'ttest');
  const rows = (table?.rows ?? []).filter((r) => !r.reference);
  if (rows.length === 0)
    throw new ApiError(
      'invalid-input',
      `evaluation ${evaluation.id} has no t-test rows (no scorer to test, or no generator)`,
    );
  const row = generator === undefined ? rows[0]! : rows.find((r) => r.generator === generator || r.label === generator);
  if (!row)
    throw new ApiError(
      'invalid-input',
      `option generator: evaluation ${evaluation.id} has no t-test row "${generator}" (rows: ${rows.map((r) => r.label).join(', ')})`,
    );
  const v = (key: string) => row.cells[key]?.value ?? null;
  const n = v('n') ?? 0;
  if (n < 2 || v('df') === null)
    throw new ApiError(
      'invalid-input',
      `evaluation ${evaluation.id}, generator ${row.label}: the t-test needs at least 2 paired items (n = ${n})`,
    );
  const cfg = evaluation.config.ttest;
  const pTwoSided = v('pTwo');
  const pGreater = v('pGreater');
  const pLess = v('pLess');
  // The table stores an infinite t (sd = 0, mean ≠ μ) as null; its p-values say on which side.
  let t = v('t');
  if (t === null && pTwoSided === 0) t = pGreater === 0 ? Infinity : -Infinity;
  return {
    origin: `evaluation ${evaluation.id} (${evaluation.name}), generator ${row.label}`,
    n,
    mean: v('mean') ?? Number.NaN,
    sd: v('sd') ?? Number.NaN,
    mu: cfg.mu,
    alpha: cfg.alpha,
    t,
    df: v('df')!,
    pTwoSided,
    pGreater,
    pLess,
    alternative: cfg.alternative,
  };
}

export async function tDistData(spec: FigureSpec, deps: FigureDataDeps): Promise<TDistData> {
  if (spec.source.kind !== 'evaluation')
    throw new ApiError('invalid-input', `t-dist draws an evaluation or input, not a ${spec.source.kind}`);
  const { evaluation, tables } = deps.evaluation.tables(spec.source.evaluation, false);
  const generator = typeof spec.options.generator === 'string' ? spec.options.generator : undefined;
  return tDistFromTables(evaluation, tables, generator);
}
