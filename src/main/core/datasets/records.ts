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
    labels: { bias: r.bias, toxicity: r.toxicity, sentiment: r.sentiment, harm: r.harm },
    annotationGold: r.annotation_gold,
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

/** What the content hash reads: every field the import keeps, extra columns as their stored JSON. */
export type HashedContent = Pick<
  CmdRecordInput,
  'text' | 'labels' | 'annotationGold' | 'targetDemographic' | 'biasedWords' | 'benignVariation'
> & { extraJson: string };

/**
 * Identity of a record's content, for de-duplication on re-import: the text and everything
 * kept about it — labels, gold annotation, target, words, benign variation and the extra
 * source columns (not its line or ID, which change between exports of the same data). Two
 * rows that differ in any kept column are both kept (issue 9); the same bytes give the same
 * hash, so re-importing a file still finds its rows as duplicates.
 *
 * The extra columns are appended only when there are any, so a record without extra columns
 * hashes as it did before they were covered (schema migration 5 recomputed the others).
 */
export function contentHash(r: HashedContent): string {
  const parts: unknown[] = [
    r.text,
    r.labels.bias,
    r.labels.toxicity,
    r.labels.sentiment,
    r.labels.harm,
    r.annotationGold,
    r.targetDemographic,
    r.biasedWords,
    r.benignVariation,
  ];
  if (r.extraJson !== '{}') parts.push(r.extraJson);
  return sha256Base64url(JSON.stringify(parts)).slice(0, 32);
}

/** The hash of a stored row's content (its extra column is the JSON the import stored). */
export function rowContentHash(r: RecordRow): string {
  const rec = rowToRecord(r);
  return contentHash({ ...rec, extraJson: r.extra });
}

/** The effective annotation: the stored gold value where present, else the derived one. */
export const EFFECTIVE_ANNOTATION_SQL = 'COALESCE(annotation_gold, annotation_derived)';
