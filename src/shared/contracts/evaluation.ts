// Evaluations: generators (local models, adapters, endpoints) × test sets (the CMD test split,
// imported standard test sets) × scorers, run as one resumable job, stored item by item, and
// turned into the paper's tables (5–9, counterfactual consistency, the t-test) with provenance
// on every cell, beside the paper's own numbers (reference rows) and across evaluations (compare).
import { z } from 'zod';
import { defineContract } from '../contract';
import { JobInfo } from './jobs';
import { Decoding, LoadOptions, TemplateRef, Target } from './llm';
import { ScorerSpec } from './scorers';

// ---- configuration ---------------------------------------------------------------------

/** The label of the row scored on the inputs themselves (the paper's "initial" row). */
export const INITIAL_LABEL = 'initial';

const Label = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .refine((s) => s !== INITIAL_LABEL, `"${INITIAL_LABEL}" is the row of the inputs; give the generator another label`);

/** A dataset's CMD split (srlab's own datasets: the paper's CMD test set is split 'test'). */
export const CmdTestsetRef = z.object({
  kind: z.literal('cmd'),
  dataset: z.string().min(1),
  split: z.enum(['train', 'dev', 'test']).default('test'),
  /** The first N records of the split (by record id). */
  limit: z.number().int().min(1).max(1e9).optional(),
});

/** An imported standard test set (srlab testsets import …) by name. */
export const NamedTestsetRef = z.object({
  kind: z.literal('testset').default('testset'),
  testset: z.string().min(1),
  /** The first N items (after the group filter), by item index. */
  limit: z.number().int().min(1).max(1e9).optional(),
  /** Only items of these groups (e.g. ToxiGen target groups, BOLD domains). */
  groups: z.array(z.string().min(1)).max(1000).optional(),
});

const TESTSET_SHAPES = '{"kind": "cmd", "dataset": NAME, "split": "test"} or {"testset": NAME}';

export const EvalTestsetRef = z.union([CmdTestsetRef, NamedTestsetRef], {
  // A plain union only says "Invalid input": name the field of the shape the input was meant to be.
  error: (iss) => {
    if (iss.code !== 'invalid_union') return undefined;
    const input = iss.input as { kind?: unknown } | null | undefined;
    const meant = input && typeof input === 'object' && input.kind === 'cmd' ? 0 : 1;
    const first = iss.errors[meant]?.[0];
    if (!first) return `give ${TESTSET_SHAPES}`;
    return `${first.path.join('.') || 'value'}: ${first.message} (a test set is ${TESTSET_SHAPES})`;
  },
});
export type EvalTestsetRef = z.infer<typeof EvalTestsetRef>;

/** A generator: where prompts go (Target) and the label of its row (default: model or endpoint name). */
export const EvalGenerator = z.intersection(Target, z.object({ label: Label.optional() }));
export type EvalGenerator = z.infer<typeof EvalGenerator>;

/**
 * The per-item measure the one-sample t-test runs on (the paper's section 5.4):
 * - `reduction`: score(input) − score(output) for one scorer (srlab's default; > 0: the generator made the text safer);
 * - `output`: score(output).
 */
export const TTEST_MEASURES = ['reduction', 'output'] as const;

export const TtestConfig = z.object({
  measure: z.enum(TTEST_MEASURES).default('reduction'),
  /** Scorer id (e.g. 'embedded:cmd-annotation'); default: the first scorer whose measure is 'unsafe', else the first. */
  scorer: z.string().min(1).optional(),
  mu: z.number().min(-1e9).max(1e9).default(0),
  alpha: z.number().gt(0).lt(1).default(0.05),
  alternative: z.enum(['two-sided', 'greater', 'less']).default('two-sided'),
});
export type TtestConfig = z.infer<typeof TtestConfig>;

export const EvaluationConfig = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    testsets: z.array(EvalTestsetRef).min(1).max(50),
    generators: z.array(EvalGenerator).max(50).default([]),
    /** Add the "initial" row: the scorers run on the test set's inputs. */
    baselineInitial: z.boolean().default(true),
    scorers: z.array(ScorerSpec).max(20).default([]),
    template: TemplateRef.default({ name: 'sr-llm-paper' }),
    decoding: Decoding.default({ temperature: 0, seed: 42, maxTokens: 256, stop: [] }),
    load: LoadOptions.default({}),
    /** Local generators: sequences generated at once. */
    parallel: z.number().int().min(1).max(64).default(1),
    /**
     * Tables 7–8: StereoSet / CrowS-Pairs test sets (imported, by name) scored by log-likelihood
     * for every local generator (a finished likelihood result with the same model, adapter and
     * test set is reused).
     */
    likelihood: z
      .object({
        stereoset: z.string().min(1).optional(),
        crowsPairs: z.string().min(1).optional(),
        limit: z.number().int().min(1).max(1e9).optional(),
      })
      .optional(),
    ttest: TtestConfig.default({ measure: 'reduction', mu: 0, alpha: 0.05, alternative: 'two-sided' }),
  })
  .refine((c) => c.generators.length > 0 || c.baselineInitial, {
    message: 'give at least one generator, or keep baselineInitial',
    path: ['generators'],
  });
export type EvaluationConfig = z.infer<typeof EvaluationConfig>;
export type EvaluationConfigInput = z.input<typeof EvaluationConfig>;

// ---- plan ------------------------------------------------------------------------------

export const PlanTestset = z.object({
  /** Stable key used in tables and item queries: `cmd:<dataset>:<split>` or the test set name. */
  key: z.string(),
  label: z.string(),
  kind: z.string(),
  items: z.number().int(),
});

export const PlanGeneration = z.object({
  generator: z.string(),
  testset: z.string(),
  items: z.number().int(),
  /** A stored generation run with identical settings (finished: reused; unfinished: resumed). */
  runId: z.number().int().nullable(),
  runState: z.string().nullable(),
  cachedItems: z.number().int(),
  toGenerate: z.number().int(),
  /** From past runs' tokens/s for this target and maxTokens; null when nothing is known. */
  estimatedSeconds: z.number().nullable(),
});

export const PlanScoring = z.object({
  scorer: z.string(),
  /** Row: a generator label or "initial". */
  generator: z.string(),
  testset: z.string(),
  items: z.number().int(),
  /** Texts known now (inputs, finished outputs) whose score is already cached. */
  cached: z.number().int(),
  toScore: z.number().int(),
});

export const EvaluationPlan = z.object({
  testsets: z.array(PlanTestset),
  generators: z.array(z.object({ label: z.string(), target: Target })),
  scorers: z.array(
    z.object({
      id: z.string(),
      version: z.string(),
      measure: z.string(),
      threshold: z.number(),
      description: z.string(),
    }),
  ),
  generation: z.array(PlanGeneration),
  scoring: z.array(PlanScoring),
  likelihood: z.array(
    z.object({
      generator: z.string(),
      testset: z.string(),
      kind: z.enum(['stereoset', 'crows-pairs']),
      cached: z.boolean(),
    }),
  ),
  /** Sum of the known estimates; null when no estimate is known. */
  estimatedSeconds: z.number().nullable(),
  /** Things the run will skip or cannot do (e.g. no likelihood for an endpoint generator). */
  notes: z.array(z.string()),
});
export type EvaluationPlan = z.infer<typeof EvaluationPlan>;

// ---- stored evaluations ----------------------------------------------------------------

export const EVALUATION_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type EvaluationState = (typeof EVALUATION_STATES)[number];

/** One stage of an evaluation job (a generation, a scorer on a row, a likelihood test). */
export const EvaluationStage = z.object({
  key: z.string(),
  kind: z.enum(['generate', 'score', 'likelihood']),
  generator: z.string(),
  testset: z.string(),
  scorer: z.string().nullable(),
  done: z.number().int(),
  total: z.number().int(),
  itemsPerSecond: z.number().nullable(),
  /** Wall time this stage ran, summed over resumes (generation includes loading the model). */
  durationMs: z.number().optional(),
  state: z.enum(['pending', 'running', 'done', 'failed', 'skipped']),
  runId: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type EvaluationStage = z.infer<typeof EvaluationStage>;

export const EvaluationSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  state: z.enum(EVALUATION_STATES),
  config: EvaluationConfig,
  stages: z.array(EvaluationStage),
  jobId: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type EvaluationSummary = z.infer<typeof EvaluationSummary>;

// ---- tables ----------------------------------------------------------------------------

/** Where a cell's number comes from: enough to recompute it. */
export const CellProvenance = z.object({
  evaluationId: z.number().int().nullable(),
  runIds: z.array(z.number().int()),
  modelSha256: z.string().nullable(),
  adapterSha256: z.string().nullable(),
  /** Endpoint URL + model for endpoint generators. */
  endpoint: z.string().nullable(),
  scorer: z.object({ id: z.string(), version: z.string() }).nullable(),
  /** Generation settings (template, decoding) or the metric's settings (threshold, likelihood result id, …). */
  settings: z.record(z.string(), z.unknown()),
  /** Items the number is computed from (errors excluded). */
  n: z.number().int(),
});
export type CellProvenance = z.infer<typeof CellProvenance>;

export const TableCell = z.object({
  /** null: not computed (e.g. fewer than 2 items); `note` says why. */
  value: z.number().nullable(),
  /** 95% CI where the table gives one. */
  ci: z.tuple([z.number(), z.number()]).nullable().default(null),
  note: z.string().nullable().default(null),
  /** null only on reference rows (their source is the row's `source`). */
  provenance: CellProvenance.nullable(),
});
export type TableCell = z.infer<typeof TableCell>;

/** Which value is best in a column (bold in LaTeX): lower, higher, closest to 50 (StereoSet SS), or none. */
export const COLUMN_DIRECTIONS = ['lower', 'higher', 'closer-to-50', 'none'] as const;
export type ColumnDirection = (typeof COLUMN_DIRECTIONS)[number];

export const TableColumn = z.object({
  key: z.string(),
  label: z.string(),
  /** A header spanning several columns (e.g. the test set). */
  group: z.string().nullable(),
  direction: z.enum(COLUMN_DIRECTIONS),
  /** Decimal places shown in exports. */
  digits: z.number().int().min(0).max(10),
});
export type TableColumn = z.infer<typeof TableColumn>;

export const TableRow = z.object({
  key: z.string(),
  label: z.string(),
  /** The generator label ("initial" for the inputs); null for rows that are not per generator. */
  generator: z.string().nullable(),
  /** A paper number quoted from PAPER.md, not computed here. */
  reference: z.boolean(),
  /** For reference rows: where the numbers are quoted from (e.g. "PAPER.md, Table 5, SR_LLM"). */
  source: z.string().nullable(),
  cells: z.record(z.string(), TableCell),
});
export type TableRow = z.infer<typeof TableRow>;

export const TABLE_IDS = [
  'table5',
  'table6',
  'table7',
  'table8',
  'counterfactual',
  'table9-styles',
  'table9-gen-bias',
  'ttest',
] as const;
export type TableId = (typeof TABLE_IDS)[number];

export const EvalTable = z.object({
  id: z.enum(TABLE_IDS),
  title: z.string(),
  caption: z.string(),
  columns: z.array(TableColumn),
  rows: z.array(TableRow),
});
export type EvalTable = z.infer<typeof EvalTable>;

export const EXPORT_FORMATS = ['latex', 'csv', 'md'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

// ---- items -----------------------------------------------------------------------------

export const ItemScore = z.object({
  scorer: z.string(),
  score: z.number().nullable(),
  verdict: z.boolean().nullable(),
  label: z.string().nullable(),
  error: z.string().nullable(),
});

export const EvalItem = z.object({
  generator: z.string(),
  testset: z.string(),
  /** Position in the test set as evaluated, from 0. */
  index: z.number().int(),
  group: z.string().nullable(),
  subgroup: z.string().nullable(),
  /** Untrusted dataset text: render as text. */
  input: z.string(),
  /** The generator's output; for the "initial" row the input itself. */
  output: z.string().nullable(),
  error: z.string().nullable(),
  scores: z.array(ItemScore),
  /** Scorers' verdicts differ on this text. */
  disagreement: z.boolean(),
  /** Counterfactual sets: the verdict differs between this item's variants (for the first scorer). */
  flip: z.boolean().nullable(),
});
export type EvalItem = z.infer<typeof EvalItem>;

// ---- compare ---------------------------------------------------------------------------

export const LeaderboardRow = z.object({
  evaluationId: z.number().int(),
  evaluation: z.string(),
  generator: z.string(),
  testset: z.string(),
  scorer: z.string(),
  /** % of items with score > threshold. */
  value: z.number().nullable(),
  n: z.number().int(),
  /** value − the baseline's value on the same test set and scorer (percentage points), with a seeded bootstrap 95% CI. */
  change: z.number().nullable(),
  changeCi: z.tuple([z.number(), z.number()]).nullable(),
  isBaseline: z.boolean(),
  provenance: CellProvenance,
});
export type LeaderboardRow = z.infer<typeof LeaderboardRow>;

const EvaluationKey = z.union([z.number().int().min(1).max(1e12), z.string().min(1).max(200)]);

export const evaluation = {
  /** What a start would do: cached runs and scores, items to generate and score, rough time. Starts nothing. */
  plan: defineContract({
    channel: 'evaluation.plan',
    scope: 'lab',
    localWhen: (i) => adapterPath(i.config),
    input: z.object({ config: EvaluationConfig }),
    output: z.object({ plan: EvaluationPlan }),
  }),
  /**
   * Start an evaluation as a job (kind "evaluation", unit items). An unfinished evaluation with
   * exactly this config is resumed instead, unless `fresh`.
   */
  start: defineContract({
    channel: 'evaluation.start',
    scope: 'lab',
    localWhen: (i) => adapterPath(i.config),
    input: z.object({ config: EvaluationConfig, fresh: z.boolean().default(false) }),
    output: z.object({ evaluation: EvaluationSummary, job: JobInfo }),
  }),
  /** Continue an interrupted, cancelled or failed evaluation: finished items and cached scores are kept. */
  resume: defineContract({
    channel: 'evaluation.resume',
    scope: 'lab',
    input: z.object({ id: z.number().int() }),
    output: z.object({ evaluation: EvaluationSummary, job: JobInfo }),
  }),
  cancel: defineContract({
    channel: 'evaluation.cancel',
    scope: 'lab',
    input: z.object({ id: z.number().int() }),
    output: z.object({ evaluation: EvaluationSummary }),
  }),
  list: defineContract({
    channel: 'evaluation.list',
    scope: 'lab',
    input: z.object({ limit: z.number().int().min(1).max(1000).default(100) }).default({ limit: 100 }),
    output: z.object({ evaluations: z.array(EvaluationSummary) }),
  }),
  /** One evaluation by id or name. */
  get: defineContract({
    channel: 'evaluation.get',
    scope: 'lab',
    input: z.object({ evaluation: EvaluationKey }),
    output: z.object({ evaluation: EvaluationSummary }),
  }),
  /** The tables, recomputed from the stored item scores; `reference` adds the paper's rows. */
  tables: defineContract({
    channel: 'evaluation.tables',
    scope: 'lab',
    input: z.object({ evaluation: EvaluationKey, reference: z.boolean().default(false) }),
    output: z.object({ evaluation: EvaluationSummary, tables: z.array(EvalTable) }),
  }),
  /** The tables as text: LaTeX (booktabs, best per column bold), CSV or Markdown. */
  export: defineContract({
    channel: 'evaluation.export',
    scope: 'lab',
    input: z.object({
      evaluation: EvaluationKey,
      format: z.enum(EXPORT_FORMATS),
      reference: z.boolean().default(false),
      /** Only these tables (default: all that have rows). */
      tables: z.array(z.enum(TABLE_IDS)).optional(),
    }),
    output: z.object({ text: z.string(), fileName: z.string(), mimeType: z.string() }),
  }),
  /** Item-level results (paged), with filters for the item browser. */
  items: defineContract({
    channel: 'evaluation.items',
    scope: 'lab',
    input: z.object({
      evaluation: EvaluationKey,
      generator: z.string().optional(),
      testset: z.string().optional(),
      group: z.string().optional(),
      /** positive: some scorer's verdict is positive; flips: counterfactual verdict flips; disagreement: scorers differ. */
      filter: z.enum(['all', 'positive', 'flips', 'disagreement']).default('all'),
      offset: z.number().int().min(0).max(1e9).default(0),
      limit: z.number().int().min(1).max(1000).default(100),
    }),
    output: z.object({ total: z.number().int(), items: z.array(EvalItem) }),
  }),
  /**
   * Leaderboard across all stored evaluations: % positive per generator × test set × scorer and
   * its change against a baseline generator (matched by test set and scorer) with a bootstrap CI.
   */
  compare: defineContract({
    channel: 'evaluation.compare',
    scope: 'lab',
    input: z.object({
      baseline: z.object({
        generator: z.string().min(1),
        /** Which evaluation's row is the baseline; default: the newest evaluation that has this generator. */
        evaluation: EvaluationKey.optional(),
      }),
      testset: z.string().optional(),
      scorer: z.string().optional(),
      seed: z.number().int().min(0).max(4294967295).default(42),
      resamples: z.number().int().min(100).max(100_000).default(2000),
    }),
    output: z.object({ rows: z.array(LeaderboardRow) }),
  }),
  remove: defineContract({
    channel: 'evaluation.remove',
    scope: 'lab',
    input: z.object({ id: z.number().int() }),
    output: z.object({ removed: z.number().int() }),
  }),
};

/** A generator that names an adapter file (a server path) makes the call local-only. */
function adapterPath(config: EvaluationConfig): string | null {
  const i = config.generators.findIndex((g) => g.kind === 'local' && g.adapter);
  return i >= 0 ? `config.generators.${i}.adapter` : null;
}

// What this capability gives the registry (src/shared/capabilities.ts).
export const contracts = { evaluation };
export const events = [
  /** An evaluation changed state or progress (throttled while running). */
  z.object({ type: z.literal('evaluation'), evaluation: EvaluationSummary }),
] as const;
export const JOB_KINDS = ['evaluation'] as const;
