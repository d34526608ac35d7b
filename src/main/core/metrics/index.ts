// The metrics service: the pure maths of src/shared/metrics turned into the answers of the
// metrics contracts (issue 11's shapes). Evaluation uses `ttest` for its t-test row so the
// CLI and the tables report the same numbers.
import { ApiError } from '../../../shared/contract';
import type {
  FleissResult,
  KrippendorffResult,
  StereosetMetricResult,
  TTestResult,
} from '../../../shared/contracts/metrics';
import { fleissKappa, krippendorffAlpha } from '../../../shared/metrics/agreement';
import { stereosetScores, type StereosetItemScores } from '../../../shared/metrics/stereoset';
import {
  oneSampleTTest,
  oneSampleTTestFromSummary,
  tCritical,
  type TTestResult as RawTTest,
} from '../../../shared/metrics/ttest';

/** JSON has no NaN or ±Infinity: an undefined or infinite result is null. */
const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

export interface TTestRequest {
  values?: readonly number[];
  summary?: { n: number; mean: number; sd: number };
  mu: number;
  alpha: number;
}

/** The one-sample t-test with critical values and the (1 − α) CI of the mean, as `metrics.ttest` answers. */
export function ttestReport(input: TTestRequest): TTestResult {
  let r: RawTTest;
  if (input.values) r = oneSampleTTest(input.values, input.mu);
  else if (input.summary) r = oneSampleTTestFromSummary(input.summary, input.mu);
  else throw new ApiError('invalid-input', 'give either values or summary {n, mean, sd}');
  if (!(r.n >= 2)) throw new ApiError('invalid-input', `a t-test needs at least 2 values (got ${r.n})`);
  const crit2 = tCritical(input.alpha, r.df, 'two-sided');
  const crit1 = tCritical(input.alpha, r.df, 'greater');
  return {
    n: r.n,
    mean: r.mean,
    sd: r.sd,
    se: r.se,
    mu: r.mu,
    alpha: input.alpha,
    t: orNull(r.t),
    df: r.df,
    p_two_sided: orNull(r.pTwoSided),
    p_greater: orNull(r.pGreater),
    p_less: orNull(r.pLess),
    t_crit_two_sided_05: crit2,
    t_crit_one_sided: crit1,
    ci: [r.mean - crit2 * r.se, r.mean + crit2 * r.se],
    distribution: '@stdlib/stats-base-dists-t-cdf and -t-quantile 0.2.3',
  };
}

/**
 * Fleiss' κ and each category's own κ_j = 1 − Σ_i n_ij(n − n_ij) / (N·n(n − 1)·p_j(1 − p_j))
 * (Fleiss 1971), which equals Fleiss' κ of category j against all the others together.
 */
export function fleissReport(matrix: readonly (readonly number[])[]): FleissResult {
  let r: ReturnType<typeof fleissKappa>;
  try {
    r = fleissKappa(matrix);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const item = /^item (\d+)/.exec(message)?.[1];
    throw new ApiError('invalid-input', `matrix: ${message}`, [
      { path: item === undefined ? 'matrix' : `matrix.${item}`, message },
    ]);
  }
  const N = r.items;
  const n = r.raters;
  const perCategory = r.pj.map((p, j) => {
    let disagreement = 0;
    for (const row of matrix) disagreement += row[j]! * (n - row[j]!);
    return { category: j, p, kappa: orNull(1 - disagreement / (N * n * (n - 1) * p * (1 - p))) };
  });
  return { kappa: orNull(r.kappa), perCategory, pBar: r.pBar, pe: r.pe, items: N, raters: n };
}

/** Krippendorff's α of raters × units (null = missing); every rater row must cover the same units. */
export function krippendorffReport(
  ratings: readonly (readonly (number | null)[])[],
  level: 'nominal' | 'ordinal' | 'interval',
): KrippendorffResult {
  const units = ratings[0]?.length ?? 0;
  ratings.forEach((row, r) => {
    if (row.length !== units) {
      throw new ApiError(
        'invalid-input',
        `ratings: rater ${r} has ${row.length} ratings, expected ${units} (one per unit)`,
        [{ path: `ratings.${r}`, message: `${row.length} ratings, expected ${units}` }],
      );
    }
  });
  let pairable = 0;
  for (let u = 0; u < units; u++) if (ratings.filter((row) => row[u] !== null).length >= 2) pairable++;
  return {
    alpha: orNull(krippendorffAlpha(ratings, level)),
    level,
    raters: ratings.length,
    units,
    pairableUnits: pairable,
  };
}

const scoreOrNull = <T extends { n: number; lms: number; ss: number; icat: number }>(s: T) => ({
  n: s.n,
  lms: orNull(s.lms),
  ss: orNull(s.ss),
  icat: orNull(s.icat),
});

/** StereoSet LMS/SS/ICAT overall and per domain from sentence scores (METRICS.md section 1). */
export function stereosetReport(items: readonly StereosetItemScores[]): StereosetMetricResult {
  const r = stereosetScores(items);
  return {
    ...scoreOrNull(r),
    byDomain: Object.fromEntries(Object.entries(r.byDomain).map(([d, s]) => [d, scoreOrNull(s)])),
  };
}

export const metricsService = {
  ttest: ttestReport,
  fleiss: fleissReport,
  krippendorff: krippendorffReport,
  stereoset: stereosetReport,
};
export type MetricsService = typeof metricsService;
