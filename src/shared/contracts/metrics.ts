// Pure metric maths on given numbers (issue 11): the one-sample t-test, Fleiss' κ,
// Krippendorff's α and StereoSet scores, as `srlab metrics …` and any transport call them.
// Nothing is stored; every method is a function of its input.
import { z } from 'zod';
import { defineContract } from '../contract';

/**
 * An input number: zod refuses NaN and ±Infinity, and serve mode's edge wants every number
 * bounded (tests/unit/core/contract-bounds.test.ts). ±1e12 is far beyond any score, rating or
 * log-likelihood these metrics take, and its squares stay exact enough in float64.
 */
const finite = z.number().min(-1e12).max(1e12);
/** Bounds on list sizes, so no call asks for absurd work. */
const MAX_VALUES = 10_000_000;
const MAX_ROWS = 1_000_000;
/**
 * A result that can be undefined (e.g. t with s = 0 and x̄ = μ, α with no variation): null in
 * JSON, which has no NaN. An infinite t (s = 0, x̄ ≠ μ) is also null; its p-values say which side.
 */
const maybe = z.number().nullable();

const TTestSummary = z.object({
  n: z.number().int().min(2).max(1e12),
  mean: finite,
  sd: z.number().min(0).max(1e12),
});

export const TTestInput = z
  .object({
    /** The per-item measure (e.g. the change in unsafe probability from input to output). */
    values: z.array(finite).min(2, 'a t-test needs at least 2 values').max(MAX_VALUES).optional(),
    /** Or summary statistics (sample SD, n − 1) instead of the values. */
    summary: TTestSummary.optional(),
    /** The hypothesised mean. */
    mu: finite.default(0),
    /** Significance level for the critical values and the (1 − α) confidence interval. */
    alpha: z.number().gt(0).lt(1).default(0.05),
  })
  .refine((v) => (v.values === undefined) !== (v.summary === undefined), {
    message: 'give either values or summary {n, mean, sd}, not both',
    path: ['values'],
  });

export const TTestResult = z.object({
  n: z.number().int(),
  mean: finite,
  /** Sample standard deviation (n − 1). */
  sd: finite,
  se: finite,
  mu: finite,
  alpha: z.number(),
  t: maybe,
  df: z.number().int(),
  p_two_sided: maybe,
  p_greater: maybe,
  p_less: maybe,
  /** The two-sided critical value at the given alpha (the name is the issue's; 0.05 is the default alpha). */
  t_crit_two_sided_05: finite,
  /** The one-sided critical value at the given alpha. */
  t_crit_one_sided: finite,
  /** Two-sided (1 − α) confidence interval of the mean: x̄ ± t_crit·s/√n. */
  ci: z.tuple([finite, finite]),
  /** Where the Student-t distribution comes from (see src/shared/metrics/ttest.ts). */
  distribution: z.string(),
});
export type TTestResult = z.infer<typeof TTestResult>;

export const FleissInput = z.object({
  /** Items × categories: matrix[i][j] raters put item i in category j; the same number of raters per item. */
  matrix: z
    .array(z.array(z.number().int().min(0).max(1_000_000)).min(2).max(1000))
    .min(1)
    .max(MAX_ROWS),
});

export const FleissResult = z.object({
  kappa: maybe,
  /** Per category j: its share of all ratings p_j and its own κ_j (Fleiss 1971: category j against the rest). */
  perCategory: z.array(z.object({ category: z.number().int(), p: z.number(), kappa: maybe })),
  pBar: z.number(),
  pe: z.number(),
  items: z.number().int(),
  raters: z.number().int(),
});
export type FleissResult = z.infer<typeof FleissResult>;

export const KrippendorffInput = z.object({
  /** Raters × units; null = missing. */
  ratings: z.array(z.array(finite.nullable()).min(1).max(MAX_ROWS)).min(2).max(1000),
  level: z.enum(['nominal', 'ordinal', 'interval']).default('ordinal'),
});

export const KrippendorffResult = z.object({
  /** null when the pairable values show no variation (α is undefined). */
  alpha: maybe,
  level: z.enum(['nominal', 'ordinal', 'interval']),
  raters: z.number().int(),
  units: z.number().int(),
  /** Units with at least 2 ratings (the others cannot be paired and are left out). */
  pairableUnits: z.number().int(),
});
export type KrippendorffResult = z.infer<typeof KrippendorffResult>;

export const StereosetMetricInput = z.object({
  /** Sentence scores (higher = preferred by the model, e.g. mean log-prob per token). */
  items: z
    .array(
      z.object({
        target: z.string().min(1),
        domain: z.string().min(1).nullish(),
        stereotype: finite,
        anti: finite,
        unrelated: finite,
      }),
    )
    .min(1)
    .max(MAX_ROWS),
});

const StereosetScore = z.object({ n: z.number().int(), lms: maybe, ss: maybe, icat: maybe });
export const StereosetMetricResult = StereosetScore.extend({ byDomain: z.record(z.string(), StereosetScore) });
export type StereosetMetricResult = z.infer<typeof StereosetMetricResult>;

export const metrics = {
  ttest: defineContract({ channel: 'metrics.ttest', scope: 'lab', input: TTestInput, output: TTestResult }),
  fleiss: defineContract({ channel: 'metrics.fleiss', scope: 'lab', input: FleissInput, output: FleissResult }),
  krippendorff: defineContract({
    channel: 'metrics.krippendorff',
    scope: 'lab',
    input: KrippendorffInput,
    output: KrippendorffResult,
  }),
  stereoset: defineContract({
    channel: 'metrics.stereoset',
    scope: 'lab',
    input: StereosetMetricInput,
    output: StereosetMetricResult,
  }),
};

// What this capability gives the registry (src/shared/capabilities.ts).
export const contracts = { metrics };
export const events = [] as const;
export const JOB_KINDS = [] as const;
