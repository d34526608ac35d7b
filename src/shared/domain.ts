// Domain vocabulary of the Content Moderation Dataset (CMD), shared by every runtime.
// Pure data: no Node, no DOM.

/** The four label dimensions and their value sets, in the order the paper's Table 1 gives them. */
export const LABEL_VALUES = {
  bias: ['No', 'Yes'],
  toxicity: ['No', 'Mild', 'High'],
  sentiment: ['Negative', 'Neutral', 'Positive'],
  harm: ['Low', 'Medium', 'High'],
} as const;

export type LabelName = keyof typeof LABEL_VALUES;
export const LABEL_NAMES = Object.keys(LABEL_VALUES) as LabelName[];

export const ANNOTATION_VALUES = ['Unsafe', 'Benign'] as const;
export type Annotation = (typeof ANNOTATION_VALUES)[number];

export type Bias = (typeof LABEL_VALUES.bias)[number];
export type Toxicity = (typeof LABEL_VALUES.toxicity)[number];
export type Sentiment = (typeof LABEL_VALUES.sentiment)[number];
export type Harm = (typeof LABEL_VALUES.harm)[number];

/**
 * A stored value: one of the canonical values, or any other string the source had (kept as
 * written, never rejected or invented; issue 9). `string & {}` keeps the canonical values as
 * editor suggestions while admitting the rest. Choices offered in the UI stay canonical
 * (LABEL_VALUES, ANNOTATION_VALUES).
 */
export type OrOther<T extends string> = T | (string & {});
export type LabelValue<L extends LabelName> = OrOther<(typeof LABEL_VALUES)[L][number]>;
export type AnnotationValue = OrOther<Annotation>;

/** Labels of one record; a label the source did not have is null (never invented). */
export interface Labels {
  bias: LabelValue<'bias'> | null;
  toxicity: LabelValue<'toxicity'> | null;
  sentiment: LabelValue<'sentiment'> | null;
  harm: LabelValue<'harm'> | null;
}

export const SPLITS = ['train', 'dev', 'test'] as const;
export type Split = (typeof SPLITS)[number];

/** A CMD record as an importer produces it, before it is stored. */
export interface CmdRecordInput {
  /** The record's ID in its source file, if it had one. */
  sourceId: string | null;
  text: string;
  labels: Labels;
  /** The annotation the source file stated (the gold label), if any; kept as written when outside Unsafe/Benign. */
  annotationGold: AnnotationValue | null;
  targetDemographic: string | null;
  biasedWords: string[];
  benignVariation: string | null;
  /** Source columns srlab has no field for, kept as they were. */
  extra: Record<string, unknown>;
}

/** A stored CMD record. */
export interface CmdRecord extends CmdRecordInput {
  id: number;
  datasetId: number;
  /** 1-based line of the record's first line in its source file. */
  sourceLine: number | null;
  /** Unsafe/Benign by the paper's rule; null when the labels it needs are missing. */
  annotationDerived: Annotation | null;
  /** The stricter variant without the sentiment term (METRICS.md section 8). */
  annotationStrict: Annotation | null;
  /** True when a gold annotation exists and differs from the derived one. */
  annotationDisagrees: boolean;
  split: Split | null;
  contentHash: string;
}

/**
 * Other spellings of a canonical value that are clearly the same value, lower-cased. Only
 * abbreviations the paper itself uses: its Table 1 spells Harm "Medium" as "Med". Anything else
 * outside a value set is kept as written and flagged (see isCanonical).
 */
const SPELLINGS: Partial<Record<LabelName, Record<string, string>>> = {
  harm: { med: 'Medium', 'med.': 'Medium' },
};

/**
 * A label value as srlab stores it: the canonical spelling when the value is one of the set
 * (compared case-insensitively, surrounding whitespace ignored, known spellings such as "Med"
 * mapped), else the value as written, trimmed. Null for an empty value.
 */
export function normaliseLabel<L extends LabelName>(label: L, raw: string): LabelValue<L> | null {
  const t = raw.trim();
  if (t === '') return null;
  const wanted = t.toLowerCase();
  for (const v of LABEL_VALUES[label]) if (v.toLowerCase() === wanted) return v;
  return SPELLINGS[label]?.[wanted] ?? t;
}

/** The gold annotation as stored: Unsafe/Benign in canonical spelling, else as written (trimmed). */
export function normaliseAnnotation(raw: string): AnnotationValue | null {
  const t = raw.trim();
  if (t === '') return null;
  const wanted = t.toLowerCase();
  for (const v of ANNOTATION_VALUES) if (v.toLowerCase() === wanted) return v;
  return t;
}

/** Whether a stored label value is one of its canonical values (exact spelling). */
export function isCanonicalLabel(label: LabelName, v: string): boolean {
  return (LABEL_VALUES[label] as readonly string[]).includes(v);
}

export function isAnnotation(v: string | null | undefined): v is Annotation {
  return v === 'Unsafe' || v === 'Benign';
}

/**
 * Target groups named by the paper's annotation guidelines (Appendix A), offered as
 * suggestions; a record's target demographic is free text.
 */
export const GUIDELINE_TARGET_GROUPS = [
  'age group',
  'education level',
  'geographic location',
  'occupation',
  'language',
  'hobbies',
  'family status',
  'technology adoption',
  'environmental concerns',
  'dietary preferences',
  'political affiliation',
  'religion',
  'race/ethnicity/nationality',
  'gender and sexual orientation',
  'ageism',
  'disability',
  'disease',
  'feminism',
  'physical appearance',
  'socio-economic status',
] as const;
