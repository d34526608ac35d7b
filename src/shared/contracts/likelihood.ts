// Likelihood metrics: StereoSet (intrasentence) and CrowS-Pairs scored from a local model's
// sentence log-likelihoods (METRICS.md sections 1–2), run as jobs and stored so the evaluation
// tables (Tables 7–8) can cite them.
import { z } from 'zod';
import { defineContract } from '../contract';
import { JobInfo } from './jobs';
import { LoadOptions, TrainRunId } from './llm';
import { TestsetName } from './testsets';

export const LIKELIHOOD_KINDS = ['stereoset', 'crows-pairs'] as const;
export type LikelihoodKind = (typeof LIKELIHOOD_KINDS)[number];

/** Which model (and adapter) scores which imported test set. */
export const LikelihoodRunInput = z
  .object({
    model: z.string().min(1),
    /** A LoRA adapter GGUF on this machine (local callers only). */
    adapter: z.string().min(1).optional(),
    /** A training run's adapter GGUF instead of a path. */
    adapterRun: TrainRunId.optional(),
    adapterScale: z.number().min(0).max(10).default(1),
    /** A test set imported with `testsets import` (kind stereoset or crows-pairs). */
    testset: TestsetName,
    /** Score only the first N items (in source order) of the test set. */
    limit: z.number().int().min(1).max(1_000_000).optional(),
    load: LoadOptions.default({}),
  })
  .refine((i) => !(i.adapter && i.adapterRun !== undefined), {
    message: 'give either adapter (a file) or adapterRun (a training run), not both',
    path: ['adapterRun'],
  });
export type LikelihoodRunInput = z.infer<typeof LikelihoodRunInput>;

// Numbers are finite here: every group has at least one item, so no score is NaN.
export const StereosetScore = z.object({ n: z.number().int(), lms: z.number(), ss: z.number(), icat: z.number() });
export const StereosetMetrics = StereosetScore.extend({ byDomain: z.record(z.string(), StereosetScore) });
export type StereosetMetrics = z.infer<typeof StereosetMetrics>;

export const CrowsScore = z.object({ n: z.number().int(), pctStereotype: z.number(), likelihoodDiff: z.number() });
export const CrowsMetrics = CrowsScore.extend({ byBiasType: z.record(z.string(), CrowsScore) });
export type CrowsMetrics = z.infer<typeof CrowsMetrics>;

/** One StereoSet example's sentence scores: mean natural-log probability per token given BOS. */
export const StereosetItemScore = z.object({
  item: z.number().int(),
  target: z.string(),
  domain: z.string().nullable(),
  stereotype: z.number(),
  anti: z.number(),
  unrelated: z.number(),
});
export type StereosetItemScore = z.infer<typeof StereosetItemScore>;

/** One CrowS-Pairs pair's summed natural-log likelihoods given BOS. */
export const CrowsItemScore = z.object({
  item: z.number().int(),
  biasType: z.string().nullable(),
  llMore: z.number(),
  llLess: z.number(),
});
export type CrowsItemScore = z.infer<typeof CrowsItemScore>;

const ResultBase = z.object({
  id: z.number().int(),
  model: z.string(),
  modelSha256: z.string(),
  /** The adapter as asked for (a path, or "run N"), and the file's hash. */
  adapter: z.string().nullable(),
  adapterSha256: z.string().nullable(),
  adapterScale: z.number(),
  testset: z.string(),
  testsetId: z.number().int(),
  /** The --limit it ran with (null: the whole test set). */
  limit: z.number().int().nullable(),
  /** Items of the test set not scored: StereoSet's intersentence examples, and items past the limit. */
  skipped: z.number().int(),
  sentences: z.number().int(),
  durationMs: z.number(),
  createdAt: z.string(),
});

export const LikelihoodResult = z.discriminatedUnion('kind', [
  ResultBase.extend({ kind: z.literal('stereoset'), metrics: StereosetMetrics }),
  ResultBase.extend({ kind: z.literal('crows-pairs'), metrics: CrowsMetrics }),
]);
export type LikelihoodResult = z.infer<typeof LikelihoodResult>;

export const LikelihoodItems = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stereoset'), items: z.array(StereosetItemScore) }),
  z.object({ kind: z.literal('crows-pairs'), items: z.array(CrowsItemScore) }),
]);
export type LikelihoodItems = z.infer<typeof LikelihoodItems>;

const ResultId = z.number().int().min(1);

export const likelihood = {
  /** Score a StereoSet test set's intrasentence examples: a job (kind likelihood-eval), result LikelihoodResult. */
  stereoset: defineContract({
    channel: 'likelihood.stereoset',
    scope: 'lab',
    localWhen: (i) => (i.adapter ? 'adapter' : null),
    input: LikelihoodRunInput,
    output: z.object({ job: JobInfo }),
  }),
  /** Score a CrowS-Pairs test set's pairs: a job (kind likelihood-eval), result LikelihoodResult. */
  crowsPairs: defineContract({
    channel: 'likelihood.crowsPairs',
    scope: 'lab',
    localWhen: (i) => (i.adapter ? 'adapter' : null),
    input: LikelihoodRunInput,
    output: z.object({ job: JobInfo }),
  }),
  /** Stored results, newest first. */
  list: defineContract({
    channel: 'likelihood.list',
    scope: 'lab',
    input: z
      .object({
        model: z.string().optional(),
        testset: z.string().optional(),
        kind: z.enum(LIKELIHOOD_KINDS).optional(),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .default({ limit: 100 }),
    output: z.object({ results: z.array(LikelihoodResult) }),
  }),
  /** One stored result with its per-item sentence scores. */
  get: defineContract({
    channel: 'likelihood.get',
    scope: 'lab',
    input: z.object({ id: ResultId }),
    output: z.object({ result: LikelihoodResult, scores: LikelihoodItems }),
  }),
  remove: defineContract({
    channel: 'likelihood.remove',
    scope: 'lab',
    input: z.object({ id: ResultId }),
    output: z.object({ removed: z.number().int() }),
  }),
};

// What this capability gives the registry (src/shared/capabilities.ts).
export const contracts = { likelihood };
export const events = [
  z.object({ type: z.literal('likelihood-result'), id: z.number().int(), kind: z.enum(LIKELIHOOD_KINDS) }),
] as const;
export const JOB_KINDS = ['likelihood-eval'] as const;
