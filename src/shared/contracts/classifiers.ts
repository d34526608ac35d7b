// Hugging Face sequence classifiers as scorers: ones srlab fine-tunes on a dataset's label (the
// paper's route: a RoBERTa-large "unsafe" classifier trained on the CMD) through the worker, and
// any other one registered by Hugging Face id or folder (e.g. ToxiGen-RoBERTa, LABEL_1 = toxic).
// Also the named style-trait lists that style scorers classify over.
import { z } from 'zod';
import { defineContract } from '../contract';
import { JobInfo } from './jobs';
import { baseFolderName, isHubId } from './training';

/** A name for `--name`: what scorers refer to (`{kind:'hf', classifier: NAME}`). */
const Name = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][\w.-]*$/, 'letters, digits, ".", "_" and "-", starting with a letter or digit');

/** The CMD label a classifier is trained for, and which value of it is the positive class. */
export const CLASSIFIER_LABELS = ['annotation', 'bias', 'toxicity', 'sentiment', 'harm'] as const;
export type ClassifierLabel = (typeof CLASSIFIER_LABELS)[number];

/** What a classifier's positive-class probability measures (ScorerMeasure in core/scorers/types.ts). */
export const CLASSIFIER_MEASURES = ['unsafe', 'toxicity', 'flagged', 'bias', 'sentiment', 'harm', 'style'] as const;

export const ClassifierValidation = z.object({
  accuracy: z.number(),
  macroF1: z.number(),
  /** null when the test split has one class only. */
  rocAuc: z.number().nullable(),
  n: z.number().int(),
  /** Which split of which dataset (srlab scores it with the finished classifier, as a scorer would). */
  split: z.string(),
});
export type ClassifierValidation = z.infer<typeof ClassifierValidation>;

export const ClassifierCheckpoint = z.object({
  step: z.number().int(),
  dir: z.string(),
  trainLoss: z.number().nullable(),
  evalLoss: z.number().nullable(),
});

/** How a trained classifier was trained (null for one that was added). */
export const ClassifierTraining = z.object({
  dataset: z.string(),
  label: z.enum(CLASSIFIER_LABELS),
  /** Texts per split written for the worker (records without the label are left out). */
  examples: z.object({ train: z.number().int(), dev: z.number().int(), test: z.number().int() }),
  /** The JSONL files' sha256 (train + dev): the data this classifier saw. */
  dataHash: z.string(),
  settings: z.object({
    epochs: z.number().int(),
    batchSize: z.number().int(),
    learningRate: z.number(),
    maxLength: z.number().int(),
    seed: z.number().int(),
    saveSteps: z.number().int(),
  }),
  runDir: z.string(),
  step: z.number().int(),
  totalSteps: z.number().int().nullable(),
  initialLoss: z.number().nullable(),
  finalLoss: z.number().nullable(),
  bestEvalLoss: z.number().nullable(),
  checkpoints: z.array(ClassifierCheckpoint),
  device: z.string().nullable(),
  versions: z.record(z.string(), z.string().nullable()),
  trainSeconds: z.number().nullable(),
  /** The base's commit when it came from the Hugging Face Hub. */
  baseRevision: z.string().nullable(),
});
export type ClassifierTraining = z.infer<typeof ClassifierTraining>;

export const CLASSIFIER_STATES = ['queued', 'running', 'ready', 'failed', 'cancelled'] as const;

export const ClassifierInfo = z.object({
  id: z.number().int(),
  name: z.string(),
  /** trained: fine-tuned here; hf: a Hugging Face id; folder: a local model folder. */
  source: z.enum(['trained', 'hf', 'folder']),
  /** What it was trained from (trained), else null. */
  base: z.string().nullable(),
  /** What the worker loads: a folder, or a Hugging Face id (the Hub's current revision). */
  model: z.string(),
  /** The model's class names in index order; null for a Hugging Face id not yet read. */
  labels: z.array(z.string()).nullable(),
  /** The class whose probability is the score (e.g. LABEL_1 for ToxiGen-RoBERTa). */
  positive: z.string(),
  measure: z.enum(CLASSIFIER_MEASURES),
  /** ready: usable as a scorer. A trained one is queued/running/failed/cancelled until it finishes. */
  state: z.enum(CLASSIFIER_STATES),
  /**
   * What scores are cached under: the config + weights' sha256 prefix for a folder or trained
   * classifier; `hf:ID` for a Hub id, which is not pinned (see classifiers.add).
   */
  version: z.string(),
  validation: ClassifierValidation.nullable(),
  training: ClassifierTraining.nullable(),
  error: z.string().nullable(),
  jobId: z.number().int().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ClassifierInfo = z.infer<typeof ClassifierInfo>;

/** One style trait: its name (what scorers report) and the glosses the source list gave it. */
export const Trait = z.object({ name: z.string(), glosses: z.array(z.string()) });
export type Trait = z.infer<typeof Trait>;

export const TraitList = z.object({
  name: z.string(),
  traits: z.array(Trait),
  sourceFile: z.string().nullable(),
  createdAt: z.string(),
});
export type TraitList = z.infer<typeof TraitList>;

/** A base a browser may give: a Hugging Face id or a `bases:NAME` folder (else a server path). */
const baseIsNamed = (base: string) => isHubId(base.replace(/@[\w./-]+$/, '')) || baseFolderName(base) !== null;

/**
 * The defaults are srlab's (usual RoBERTa fine-tuning values): PAPER.md names the base
 * (RoBERTa-large on the CMD) but not its training settings.
 */
export const ClassifierTrainInput = z.object({
  /** Hugging Face id (optionally @revision), `bases:NAME`, or (local callers) a model folder. */
  base: z.string().trim().min(1),
  dataset: z.string().min(1),
  label: z.enum(CLASSIFIER_LABELS).default('annotation'),
  name: Name.optional(),
  epochs: z.number().int().min(1).max(100).default(3),
  batchSize: z.number().int().min(1).max(1024).default(16),
  learningRate: z.number().gt(0).max(1).default(2e-5),
  maxLength: z.number().int().min(8).max(8192).default(256),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42),
  /** A checkpoint every this many steps (0: at each epoch's end). */
  saveSteps: z.number().int().min(0).max(1_000_000).default(0),
});

const AddSource = z.discriminatedUnion('kind', [
  /**
   * Loaded by id when first used (transformers' hub cache; the keychain's HF token for gated
   * ones). Not pinned to a commit: the worker's classify job takes no revision yet.
   */
  z.object({ kind: z.literal('hf'), id: z.string().trim().min(1) }),
  z.object({ kind: z.literal('folder'), path: z.string().trim().min(1) }),
]);

const Started = z.object({ classifier: ClassifierInfo, job: JobInfo });

export const classifiers = {
  /** Fine-tune a sequence classifier on a dataset's label (train split; dev for eval loss; test for validation). */
  train: defineContract({
    channel: 'classifiers.train',
    scope: 'lab',
    localWhen: (i) => (baseIsNamed(i.base) ? null : 'base'),
    input: ClassifierTrainInput,
    output: Started,
  }),
  /** Continue a cancelled or failed training from its last checkpoint. */
  resume: defineContract({
    channel: 'classifiers.resume',
    scope: 'lab',
    input: z.object({ name: z.string().min(1) }),
    output: Started,
  }),
  /** Ask a running training to stop at its next step (also from another process); checkpoints stay. */
  cancel: defineContract({
    channel: 'classifiers.cancel',
    scope: 'lab',
    input: z.object({ name: z.string().min(1) }),
    output: z.object({ classifier: ClassifierInfo }),
  }),
  /** Register any Hugging Face sequence classifier as a scorer. */
  add: defineContract({
    channel: 'classifiers.add',
    scope: 'lab',
    localWhen: (i) => (i.source.kind === 'folder' ? 'source.path' : null),
    input: z.object({
      name: Name,
      source: AddSource,
      /** The class whose probability is the score (ToxiGen-RoBERTa: LABEL_1 = toxic, METRICS.md §9). */
      positive: z.string().trim().min(1),
      measure: z.enum(CLASSIFIER_MEASURES).default('toxicity'),
    }),
    output: z.object({ classifier: ClassifierInfo }),
  }),
  list: defineContract({
    channel: 'classifiers.list',
    scope: 'lab',
    input: z.object({}).default({}),
    output: z.object({
      classifiers: z.array(ClassifierInfo),
      traitLists: z.array(TraitList.omit({ traits: true }).extend({ traits: z.number().int() })),
    }),
  }),
  get: defineContract({
    channel: 'classifiers.get',
    scope: 'lab',
    input: z.object({ name: z.string().min(1) }),
    output: z.object({ classifier: ClassifierInfo }),
  }),
  /** Unregister; a trained classifier's folder (weights, checkpoints) is deleted with deleteFiles. */
  remove: defineContract({
    channel: 'classifiers.remove',
    scope: 'lab',
    input: z.object({ name: z.string().min(1), deleteFiles: z.boolean().default(false) }),
    output: z.object({ removed: z.string(), deletedFiles: z.boolean() }),
  }),
  /** Import a style-trait list: one trait per line, glosses in parentheses ("Articulate (Well-spoken)"). */
  addTraits: defineContract({
    channel: 'classifiers.addTraits',
    scope: 'lab',
    localWhen: (i) => (i.source.kind === 'path' ? 'source.path' : null),
    input: z.object({
      name: Name,
      source: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('path'), path: z.string().min(1) }),
        z.object({ kind: z.literal('text'), text: z.string().max(1_000_000) }),
      ]),
    }),
    output: z.object({
      traitList: TraitList,
      /** Lines that are not a trait (empty, duplicate, unbalanced parentheses), with why; the rest are kept. */
      rejected: z.array(z.object({ line: z.number().int(), message: z.string() })),
    }),
  }),
  traits: defineContract({
    channel: 'classifiers.traits',
    scope: 'lab',
    input: z.object({ name: z.string().min(1) }),
    output: z.object({ traitList: TraitList }),
  }),
};

// What this capability gives the registry (src/shared/capabilities.ts).
export const contracts = { classifiers };
export const events = [
  /** A classifier was added, removed, or its training changed state, step or checkpoints (throttled). */
  z.object({ type: z.literal('classifier'), name: z.string(), classifier: ClassifierInfo.nullable() }),
] as const;
export const JOB_KINDS = ['classifier-train'] as const;
