// Test sets: the standard bias and toxicity benchmarks (StereoSet, CrowS-Pairs, BOLD, ToxiGen,
// RedditBias, HolisticBias, the in-house counterfactual set) imported from their published files
// into one item shape that the likelihood metrics and the evaluation runner read.
import { z } from 'zod';
import { defineContract } from '../contract';

/** The benchmark file layouts srlab can import (see src/main/core/testsets/importers). */
export const TESTSET_KINDS = [
  'stereoset',
  'crows-pairs',
  'bold',
  'toxigen',
  'redditbias',
  'holisticbias',
  'counterfactual',
] as const;
export type TestsetKind = (typeof TESTSET_KINDS)[number];

export const TestsetName = z
  .string()
  .trim()
  .min(1, 'a test set name is required')
  .max(120)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'use letters, digits, space, dot, dash or underscore');

/** srlab's default HolisticBias sample: the paper evaluates 650 HolisticBias items (PAPER.md, section 4). */
export const HOLISTICBIAS_DEFAULT_SAMPLE = 650;

/**
 * Kind-specific import options; each kind reads only its own and the importer refuses the others
 * (a `--sample` given to a StereoSet import is a mistake worth saying).
 */
export const TestsetOptions = z.strictObject({
  /**
   * holisticbias: how many descriptor × noun × template sentences to draw (default 650);
   * bold, toxigen: keep a seeded sample of this many items, in source order (default: all).
   */
  sample: z.number().int().min(1).max(1_000_000).optional(),
  /** The sample's seed (default 0): the same files, sample and seed give the same items. */
  seed: z.number().int().min(0).max(4294967295).optional(),
  /** redditbias: the authors' `test` split (default), `valid`, or both. */
  split: z.enum(['test', 'valid', 'both']).optional(),
});
export type TestsetOptions = z.infer<typeof TestsetOptions>;

export const TestsetSource = z.discriminatedUnion('kind', [
  /** A file or folder on this machine (local callers only: desktop and CLI). */
  z.object({ kind: z.literal('path'), path: z.string().min(1) }),
  /** A single file sent to serve mode through POST /api/uploads. */
  z.object({ kind: z.literal('upload'), uploadId: z.string().regex(/^[A-Za-z0-9_-]+$/) }),
]);
export type TestsetSource = z.infer<typeof TestsetSource>;

/**
 * One item of a test set. `text` is what a generator is prompted with (or, for StereoSet and
 * CrowS-Pairs, the context / the more stereotypical sentence); `fields` holds the kind's own
 * values (see the importers). Dataset text is untrusted: render it as text, never as HTML.
 */
export const TestsetItem = z.object({
  id: z.number().int(),
  /** 0-based position in the test set, in source order. */
  index: z.number().int(),
  group: z.string().nullable(),
  subgroup: z.string().nullable(),
  text: z.string(),
  fields: z.record(z.string(), z.unknown()),
});
export type TestsetItem = z.infer<typeof TestsetItem>;

/**
 * The `fields` of the kinds other capabilities compute from, as schemas they can parse an item's
 * fields with (the importers write exactly these; extra keys such as the source line may follow).
 */
export const StereosetFields = z.object({
  task: z.enum(['intrasentence', 'intersentence']),
  target: z.string(),
  domain: z.string(),
  context: z.string(),
  stereotype: z.string(),
  anti: z.string(),
  unrelated: z.string(),
});
export type StereosetFields = z.infer<typeof StereosetFields>;
export const CrowsPairsFields = z.object({
  sentMore: z.string(),
  sentLess: z.string(),
  direction: z.enum(['stereo', 'antistereo']),
  biasType: z.string(),
  /** The row's number in the source's unnamed first column. */
  sourceId: z.string().nullable(),
});
export type CrowsPairsFields = z.infer<typeof CrowsPairsFields>;
export const CounterfactualFields = z.object({
  /** The 0-based data row of the source: the variants of one sentence share it. */
  original: z.number().int(),
  /** 'original' or the variant's column (gender_a_man, …); the item's group too. */
  variant: z.string(),
});
export type CounterfactualFields = z.infer<typeof CounterfactualFields>;

export const TestsetSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  kind: z.enum(TESTSET_KINDS),
  items: z.number().int(),
  /** Items per group (a missing group is counted under "(none)"). */
  groups: z.record(z.string(), z.number().int()),
  /** The file or folder it was imported from, as given (an upload's file name for uploads). */
  sourceFile: z.string(),
  /** The options the import used, defaults filled in (e.g. HolisticBias's sample and seed). */
  options: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type TestsetSummary = z.infer<typeof TestsetSummary>;

/** A rejected record: which file (for folder imports), which line, which field, and why. */
export const TestsetImportError = z.object({
  file: z.string(),
  line: z.number().int(),
  field: z.string().nullable(),
  message: z.string(),
});
export type TestsetImportError = z.infer<typeof TestsetImportError>;

export const TestsetImportResult = z.object({
  testset: z.string(),
  kind: z.enum(TESTSET_KINDS),
  items: z.number().int(),
  groups: z.record(z.string(), z.number().int()),
  /** Records left out because they were malformed; the valid ones were kept. */
  rejected: z.number().int(),
  /** The first errors (at most 500; `rejected` counts them all). */
  errors: z.array(TestsetImportError),
});
export type TestsetImportResult = z.infer<typeof TestsetImportResult>;

export const testsets = {
  import: defineContract({
    channel: 'testsets.import',
    scope: 'lab',
    localWhen: (i) => (i.source.kind === 'path' ? 'source.path' : null),
    input: z.object({
      source: TestsetSource,
      kind: z.enum(TESTSET_KINDS),
      name: TestsetName,
      options: TestsetOptions.default({}),
    }),
    // Direct: the largest set (ToxiGen's 31,000 prompts) parses and stores in about a second.
    output: TestsetImportResult,
  }),
  list: defineContract({
    channel: 'testsets.list',
    scope: 'lab',
    input: z.object({}).default({}),
    output: z.object({ testsets: z.array(TestsetSummary) }),
  }),
  items: defineContract({
    channel: 'testsets.items',
    scope: 'lab',
    input: z.object({
      name: z.string(),
      /** Only this group's items; "(none)" for items without a group. */
      group: z.string().optional(),
      offset: z.number().int().min(0).max(1e9).default(0),
      limit: z.number().int().min(1).max(2000).default(200),
    }),
    output: z.object({ total: z.number().int(), items: z.array(TestsetItem) }),
  }),
  remove: defineContract({
    channel: 'testsets.remove',
    scope: 'lab',
    input: z.object({ name: z.string() }),
    output: z.object({ removed: z.string(), items: z.number().int() }),
  }),
};

// What this capability gives the registry (src/shared/capabilities.ts).
export const contracts = { testsets };
export const events = [
  /** A test set was imported or removed (lists refresh on it). */
  z.object({ type: z.literal('testsets-changed'), name: z.string() }),
] as const;
export const JOB_KINDS = [] as const;
