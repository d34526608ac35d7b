import crypto from 'node:crypto';
import type { CmdRecord, CmdRecordInput } from '../../../shared/domain';

/** A `records` table row as SQLite returns it. */
export interface RecordRow {
  id: number;
  dataset_id: number;
  import_id: number | null;
  source_id: string | null;
  source_line: number | null;
  text: string;
  bias: string | null;
  toxicity: string | null;
  sentiment: string | null;
  harm: string | null;
  annotation_gold: string | null;
  annotation_derived: string | null;
  annotation_strict: string | null;
  disagrees: number;
  target: string | null;
  biased_words: string;
  benign: string | null;
  extra: string;
  split: string | null;
  content_hash: string;
}

export function rowToRecord(r: RecordRow): CmdRecord {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    sourceId: r.source_id,
    sourceLine: r.source_line,
    text: r.text,
    labels: {
      bias: r.bias as CmdRecord['labels']['bias'],
      toxicity: r.toxicity as CmdRecord['labels']['toxicity'],
      sentiment: r.sentiment as CmdRecord['labels']['sentiment'],
      harm: r.harm as CmdRecord['labels']['harm'],
    },
    annotationGold: r.annotation_gold as CmdRecord['annotationGold'],
    annotationDerived: r.annotation_derived as CmdRecord['annotationDerived'],
    annotationStrict: r.annotation_strict as CmdRecord['annotationStrict'],
    annotationDisagrees: r.disagrees === 1,
    targetDemographic: r.target,
    biasedWords: JSON.parse(r.biased_words) as string[],
    benignVariation: r.benign,
    extra: JSON.parse(r.extra) as Record<string, unknown>,
    split: r.split as CmdRecord['split'],
    contentHash: r.content_hash,
  };
}

/** One-shot `crypto.hash` (Node ≥ 20.12) skips a Hash object per record; imports hash millions. */
const sha256Base64url: (s: string) => string =
  typeof crypto.hash === 'function'
    ? (s) => crypto.hash('sha256', s, 'base64url')
    : (s) => crypto.createHash('sha256').update(s).digest('base64url');

/**
 * Identity of a record's content, for de-duplication on re-import: the text and everything
 * annotated about it (not its line or ID, which change between exports of the same data).
 */
export function contentHash(
  r: Pick<
    CmdRecordInput,
    'text' | 'labels' | 'annotationGold' | 'targetDemographic' | 'biasedWords' | 'benignVariation'
  >,
): string {
  const canonical = JSON.stringify([
    r.text,
    r.labels.bias,
    r.labels.toxicity,
    r.labels.sentiment,
    r.labels.harm,
    r.annotationGold,
    r.targetDemographic,
    r.biasedWords,
    r.benignVariation,
  ]);
  return sha256Base64url(canonical).slice(0, 32);
}

/** The effective annotation: the stored gold value where present, else the derived one. */
export const EFFECTIVE_ANNOTATION_SQL = 'COALESCE(annotation_gold, annotation_derived)';
