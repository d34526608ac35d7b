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

/** Labels of one record; a label the source did not have is null (never invented). */
export interface Labels {
  bias: Bias | null;
  toxicity: Toxicity | null;
  sentiment: Sentiment | null;
  harm: Harm | null;
}

export const SPLITS = ['train', 'dev', 'test'] as const;
export type Split = (typeof SPLITS)[number];

/** A CMD record as an importer produces it, before it is stored. */
export interface CmdRecordInput {
  /** The record's ID in its source file, if it had one. */
  sourceId: string | null;
  text: string;
  labels: Labels;
  /** The annotation the source file stated (the gold label), if any. */
  annotationGold: Annotation | null;
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

/** Normalise a label value case-insensitively to its canonical spelling; null if outside the set. */
export function normaliseLabel<L extends LabelName>(label: L, raw: string): (typeof LABEL_VALUES)[L][number] | null {
  const wanted = raw.trim().toLowerCase();
  for (const v of LABEL_VALUES[label]) if (v.toLowerCase() === wanted) return v;
  return null;
}

export function normaliseAnnotation(raw: string): Annotation | null {
  const wanted = raw.trim().toLowerCase();
  for (const v of ANNOTATION_VALUES) if (v.toLowerCase() === wanted) return v;
  return null;
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
