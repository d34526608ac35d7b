import { z } from 'zod';
import { defineContract } from '../contract';
import { ANNOTATION_VALUES, LABEL_VALUES, SPLITS } from '../domain';
import { JobInfo } from './jobs';

const DatasetName = z
  .string()
  .trim()
  .min(1, 'a dataset name is required')
  .max(120)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, 'use letters, digits, space, dot, dash or underscore');

/** Importable file formats. The container (JSON array or JSON lines) is detected from the bytes. */
export const IMPORT_FORMATS = ['cmd-flat', 'cmd-nested', 'srllm-csv', 'csv', 'jsonl'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** For the generic csv/jsonl formats: which source column holds which CMD field. */
const COLUMN_MAPPING_FIELDS = {
  text: z.string().min(1),
  id: z.string().optional(),
  bias: z.string().optional(),
  toxicity: z.string().optional(),
  sentiment: z.string().optional(),
  harm: z.string().optional(),
  annotation: z.string().optional(),
  target: z.string().optional(),
  biasedWords: z.string().optional(),
  benign: z.string().optional(),
};
/** The CMD fields a mapping may name. */
export const MAPPING_TARGETS = Object.keys(COLUMN_MAPPING_FIELDS) as (keyof typeof COLUMN_MAPPING_FIELDS)[];
/** Strict: a misspelt target field (`toxcity=label`) is refused, naming the valid ones, never ignored. */
export const ColumnMapping = z.strictObject(COLUMN_MAPPING_FIELDS, {
  error: (iss) =>
    iss.code === 'unrecognized_keys'
      ? `unknown field${iss.keys.length > 1 ? 's' : ''} ${iss.keys.map((k) => `"${k}"`).join(', ')} in the column mapping; ` +
        `the fields are: ${MAPPING_TARGETS.join(', ')}`
      : undefined,
});
export type ColumnMapping = z.infer<typeof ColumnMapping>;

export const ImportSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('path'), path: z.string().min(1) }),
  /** A file sent to serve mode through POST /api/uploads. */
  z.object({ kind: z.literal('upload'), uploadId: z.string().regex(/^[A-Za-z0-9_-]+$/) }),
]);

export const RowError = z.object({ line: z.number().int(), field: z.string(), message: z.string() });
export type RowError = z.infer<typeof RowError>;

/** A kept value outside its field's value set, or a field the schema requires that is missing. */
export const FlaggedValue = z.object({
  line: z.number().int(),
  field: z.string(),
  /** The value as written (trimmed); null when the field is missing. */
  value: z.string().nullable(),
  message: z.string(),
});
export type FlaggedValue = z.infer<typeof FlaggedValue>;

/** A skipped row whose content (every column the import keeps) equals a record already there. */
export const DuplicateRow = z.object({
  line: z.number().int(),
  /** The id of the record it duplicates (kept). */
  recordId: z.number().int(),
  /** The source line of that record (null if it has none, e.g. it was added another way). */
  duplicateOf: z.number().int().nullable(),
  /** Set when that record came from an earlier import (not from this file). */
  earlierImport: z.object({ id: z.number().int(), file: z.string() }).nullable(),
});
export type DuplicateRow = z.infer<typeof DuplicateRow>;

export const ImportResult = z.object({
  dataset: z.string(),
  file: z.string(),
  format: z.enum(IMPORT_FORMATS),
  imported: z.number().int(),
  duplicates: z.number().int(),
  /** The first skipped duplicates (at most 1000; `duplicates` counts them all). */
  duplicateRows: z.array(DuplicateRow),
  rejected: z.number().int(),
  /** Rejected rows, byte-for-byte, in a file that can be fixed and imported again; null if none. */
  rejectsFile: z.string().nullable(),
  /** The rejects file's name in the data home's rejects folder (serve mode offers it as a download). */
  rejectsName: z.string().nullable(),
  /** The first errors (all of them are in `<rejectsFile>.errors.jsonl`). */
  errors: z.array(RowError),
  errorsOmitted: z.number().int(),
  /** The first kept-but-flagged values (outside a value set, or a required field missing). */
  flagged: z.array(FlaggedValue),
  /** How many values were flagged in all. */
  flaggedTotal: z.number().int(),
  /** Records whose stored gold annotation differs from the paper's rule. */
  disagreements: z.number().int(),
  durationMs: z.number(),
});
export type ImportResult = z.infer<typeof ImportResult>;

const labelEnum = <K extends keyof typeof LABEL_VALUES>(k: K) =>
  z.enum(LABEL_VALUES[k] as unknown as [string, ...string[]]);

export const CmdRecordSchema = z.object({
  id: z.number().int(),
  datasetId: z.number().int(),
  sourceId: z.string().nullable(),
  sourceLine: z.number().int().nullable(),
  text: z.string(),
  /** A canonical value, or the source's own value kept as written (issue 9): any string. */
  labels: z.object({
    bias: z.string().nullable(),
    toxicity: z.string().nullable(),
    sentiment: z.string().nullable(),
    harm: z.string().nullable(),
  }),
  annotationGold: z.string().nullable(),
  annotationDerived: z.enum(ANNOTATION_VALUES).nullable(),
  annotationStrict: z.enum(ANNOTATION_VALUES).nullable(),
  annotationDisagrees: z.boolean(),
  targetDemographic: z.string().nullable(),
  biasedWords: z.array(z.string()),
  benignVariation: z.string().nullable(),
  extra: z.record(z.string(), z.unknown()),
  split: z.enum(SPLITS).nullable(),
  contentHash: z.string(),
});

/** Values a filter matches exactly: canonical ones, or a source's own values kept as written. */
const FilterValues = z.array(z.string().max(500)).max(200);

export const RecordFilter = z
  .object({
    bias: FilterValues.optional(),
    toxicity: FilterValues.optional(),
    sentiment: FilterValues.optional(),
    harm: FilterValues.optional(),
    /** Matches the effective annotation: gold where present, else derived. */
    annotation: FilterValues.optional(),
    split: z.array(z.enum([...SPLITS, 'none'])).optional(),
    target: z.string().optional(),
    /**
     * Columns the source had beyond the CMD fields (kept in `extra`, e.g. the authors' CSV's
     * `label` and `dimension`): column name → the values to match (any of them).
     */
    extra: z.record(z.string().min(1).max(200), FilterValues.min(1)).optional(),
    /** Case-insensitive substring of the text. */
    q: z.string().max(500).optional(),
    disagreesOnly: z.boolean().optional(),
  })
  .default({});
export type RecordFilter = z.infer<typeof RecordFilter>;

export const LabelEdit = z.object({
  id: z.number().int(),
  recordId: z.number().int(),
  field: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  editor: z.string(),
  note: z.string().nullable(),
  at: z.string(),
});
export type LabelEdit = z.infer<typeof LabelEdit>;

export const Describe = z.object({
  count: z.number().int(),
  mean: z.number().nullable(),
  std: z.number().nullable(),
  min: z.number().nullable(),
  p25: z.number().nullable(),
  p50: z.number().nullable(),
  p75: z.number().nullable(),
  max: z.number().nullable(),
});
export type Describe = z.infer<typeof Describe>;

export const Histogram = z.object({ edges: z.array(z.number()), counts: z.array(z.number().int()) });
export type Histogram = z.infer<typeof Histogram>;

/** Counts per value; a missing label is counted under "(missing)", an unknown value under itself. */
const Counts = z.record(z.string(), z.number().int());
export const LabelCounts = z.object({
  bias: Counts,
  toxicity: Counts,
  sentiment: Counts,
  harm: Counts,
  /** Gold where present, else derived. */
  annotation: Counts,
  annotationGold: Counts,
  annotationDerived: Counts,
  annotationStrict: Counts,
  disagreements: z.number().int(),
});
export type LabelCounts = z.infer<typeof LabelCounts>;

/** Where a field's values come from: a CMD label, the annotation, the target, or a source column kept in `extra`. */
export const FIELD_KINDS = ['annotation', 'label', 'target', 'extra'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

/**
 * A field records can be filtered, charted and stratified by. Keys: `annotation` (effective:
 * gold, else derived), `bias`, `toxicity`, `sentiment`, `harm`, `target`, and `extra.<column>`
 * for a categorical column the source had beyond the CMD fields (srlab's rule: string, integer
 * or boolean values, 2 to 50 distinct ones, at least one repeated).
 */
export const DatasetField = z.object({
  key: z.string(),
  /** The name to show: the CMD field's, or the source column's as written. */
  label: z.string(),
  kind: z.enum(FIELD_KINDS),
  /** Records that have a value. */
  present: z.number().int(),
  /** Its values, most frequent first (at most 50). */
  values: z.array(z.object({ value: z.string(), count: z.number().int() })),
  /** Distinct values beyond those listed (0 when all are listed). */
  moreValues: z.number().int(),
});
export type DatasetField = z.infer<typeof DatasetField>;

/** Counts of a target or `extra` field, charted beside the labels. */
export const FieldCounts = z.object({
  key: z.string(),
  label: z.string(),
  kind: z.enum(FIELD_KINDS),
  /**
   * Most frequent values first (at most 50), then "(other values)" summing the rest, then
   * "(missing)" for records without a value.
   */
  counts: Counts,
  /** Present when the statistics cover every split: the same counts per split. */
  bySplit: z.record(z.string(), Counts).nullable(),
  /** Distinct values (those beyond the first 10,000 are counted under "(other values)" too). */
  distinct: z.number().int(),
});
export type FieldCounts = z.infer<typeof FieldCounts>;

export const DatasetStats = z.object({
  dataset: z.string(),
  split: z.enum(SPLITS).nullable(),
  records: z.number().int(),
  labels: LabelCounts,
  /** Present when `split` is null: the same counts per split ("none" = not yet split). */
  labelsBySplit: z.record(z.string(), LabelCounts).nullable(),
  /** The target and the source's categorical `extra` columns (see DatasetField), those with a value. */
  fields: z.array(FieldCounts),
  length: z.object({ chars: Describe, words: Describe }),
  lengthHistogram: z.object({ chars: Histogram, words: Histogram }),
  flesch: z.object({
    overall: Describe,
    bySentiment: z.record(z.string(), Describe),
    histogramBySentiment: z.record(z.string(), Histogram),
  }),
  /** srlab's own measure (METRICS.md section 11): word-level Levenshtein / longer word count. */
  benignChange: Describe,
});
export type DatasetStats = z.infer<typeof DatasetStats>;

export const DatasetSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  records: z.number().int(),
  splits: z.object({ train: z.number().int(), dev: z.number().int(), test: z.number().int(), none: z.number().int() }),
  disagreements: z.number().int(),
  createdAt: z.string(),
  description: z.string().nullable(),
});
export type DatasetSummary = z.infer<typeof DatasetSummary>;

export const EXPORT_FORMATS = ['llama2-chat', 'alpaca', 'jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Shares of train/dev/test, as parts of their sum (percentages, typically): each 0–100, not all 0. */
const Ratio = z.number().min(0).max(100);
const Ratios = z.tuple([Ratio, Ratio, Ratio]).refine((r) => r[0] + r[1] + r[2] > 0, 'ratios must not all be 0');

export const datasets = {
  list: defineContract({
    channel: 'datasets.list',
    scope: 'lab',
    input: z.object({}).default({}),
    output: z.object({ datasets: z.array(DatasetSummary) }),
  }),
  import: defineContract({
    channel: 'datasets.import',
    scope: 'lab',
    localWhen: (i) => (i.source.kind === 'path' ? 'source.path' : null),
    input: z.object({
      dataset: DatasetName,
      source: ImportSource,
      format: z.enum([...IMPORT_FORMATS, 'auto']).default('auto'),
      strict: z.boolean().default(false),
      mapping: ColumnMapping.optional(),
    }),
    /** Import runs as a job; its ImportResult arrives as the job's result. */
    output: z.object({ job: JobInfo }),
  }),
  records: defineContract({
    channel: 'datasets.records',
    scope: 'lab',
    input: z.object({
      dataset: z.string(),
      filter: RecordFilter,
      offset: z.number().int().min(0).max(1e9).default(0),
      limit: z.number().int().min(1).max(2000).default(200),
    }),
    output: z.object({ total: z.number().int(), rows: z.array(CmdRecordSchema) }),
  }),
  record: defineContract({
    channel: 'datasets.record',
    scope: 'lab',
    input: z.object({ id: z.number().int() }),
    output: z.object({ record: CmdRecordSchema, edits: z.array(LabelEdit) }),
  }),
  editRecord: defineContract({
    channel: 'datasets.editRecord',
    scope: 'lab',
    input: z.object({
      id: z.number().int(),
      changes: z
        .object({
          bias: labelEnum('bias').nullable(),
          toxicity: labelEnum('toxicity').nullable(),
          sentiment: labelEnum('sentiment').nullable(),
          harm: labelEnum('harm').nullable(),
          annotationGold: z.enum(ANNOTATION_VALUES).nullable(),
          targetDemographic: z.string().nullable(),
          biasedWords: z.array(z.string()),
          benignVariation: z.string().nullable(),
        })
        .partial()
        .refine((c) => Object.keys(c).length > 0, 'no changes given'),
      editor: z.string().trim().min(1, 'say who made the edit').max(120),
      note: z.string().max(2000).optional(),
    }),
    output: z.object({ record: CmdRecordSchema, edits: z.array(LabelEdit) }),
  }),
  targets: defineContract({
    channel: 'datasets.targets',
    scope: 'lab',
    input: z.object({ dataset: z.string() }),
    output: z.object({ targets: z.array(z.object({ value: z.string(), count: z.number().int() })) }),
  }),
  fields: defineContract({
    channel: 'datasets.fields',
    scope: 'lab',
    input: z.object({ dataset: z.string() }),
    output: z.object({
      fields: z.array(DatasetField),
      /** What a split stratifies by when not told: `annotation` if any record has one, else the authors' `label` column where there is one. */
      defaultStratifyBy: z.string(),
    }),
  }),
  stats: defineContract({
    channel: 'datasets.stats',
    scope: 'lab',
    input: z.object({ dataset: z.string(), split: z.enum(SPLITS).optional() }),
    output: DatasetStats,
  }),
  split: defineContract({
    channel: 'datasets.split',
    scope: 'lab',
    input: z.object({
      dataset: z.string(),
      seed: z.number().int().min(0).max(4294967295).default(42),
      ratios: Ratios.default([70, 10, 20]),
      /**
       * A field key (see DatasetField; a bare column name stands for `extra.<name>`) or `none`.
       * Default: `annotation` if any record has one, else the authors' `label` column if there is one.
       */
      stratifyBy: z.string().trim().min(1).max(210).optional(),
    }),
    output: z.object({
      dataset: z.string(),
      seed: z.number().int(),
      ratios: z.tuple([z.number(), z.number(), z.number()]),
      /** The field the split was stratified by, and why when it was the default. */
      stratifiedBy: z.object({
        key: z.string(),
        label: z.string(),
        /** Null when asked for; else why the default chose it. */
        defaultReason: z.string().nullable(),
      }),
      counts: z.object({ train: z.number().int(), dev: z.number().int(), test: z.number().int() }),
      /** Counts per split and stratum (the field's value, "(missing)" when a record has none). */
      byStratum: z.record(
        z.string(),
        z.object({ train: z.number().int(), dev: z.number().int(), test: z.number().int() }),
      ),
    }),
  }),
  exportDefaults: defineContract({
    channel: 'datasets.exportDefaults',
    scope: 'lab',
    input: z.object({}).default({}),
    output: z.object({ systemPrompt: z.string(), instruction: z.string() }),
  }),
  export: defineContract({
    channel: 'datasets.export',
    scope: 'lab',
    localWhen: (i) => (i.out !== undefined ? 'out' : null),
    input: z.object({
      dataset: z.string(),
      split: z.enum([...SPLITS, 'all']).default('train'),
      format: z.enum(EXPORT_FORMATS),
      /** Destination path; by default a new file under the data home's exports/ folder. */
      out: z.string().optional(),
      systemPrompt: z.string().optional(),
      /** The user-turn instruction; `{text}` is replaced by the record's text. */
      instruction: z.string().optional(),
      /** Only records with a benign variation are usable for instruction tuning (default for llama2-chat/alpaca). */
      requireBenign: z.boolean().optional(),
      /**
       * CSV only: write cells exactly as stored. By default a cell starting with = + - @, tab or
       * CR (a spreadsheet formula) gets a leading single quote, which srlab's import removes again.
       */
      rawCsv: z.boolean().optional(),
    }),
    output: z.object({
      path: z.string(),
      fileName: z.string(),
      records: z.number().int(),
      skipped: z.number().int(),
      format: z.enum(EXPORT_FORMATS),
    }),
  }),
  remove: defineContract({
    channel: 'datasets.remove',
    scope: 'lab',
    input: z.object({ dataset: z.string() }),
    output: z.object({ removed: z.string(), records: z.number().int() }),
  }),
};

// What this capability gives the registry (src/shared/capabilities.ts): its contract groups,
// its events and its job kinds.
export const contracts = { datasets };
export const events = [z.object({ type: z.literal('datasets-changed'), dataset: z.string().nullable() })] as const;
export const JOB_KINDS = [
  'import',
  /** Statistics of a large dataset (small ones are computed at once, without a job). */
  'dataset-stats',
  /** A train/dev/test split of a large dataset; on the database writers' queue with imports. */
  'split',
] as const;
