// Turning a mapped record into the values of one `records` row: derived annotations, the
// content hash, JSON columns. Runs once per record, so it avoids per-row allocation where it can.

import crypto from 'node:crypto';
import type { Labels } from '../../../../shared/domain';
import { deriveAnnotation, type DerivedAnnotation } from '../../../../shared/metrics/annotation';
import type { MappedRecord } from './formats';

/** Values per row, in the order of the writer's INSERT (see sql-writer.ts). */
export const ROW_WIDTH = 16;
/** Position of the `disagrees` flag within a row's values. */
export const DISAGREES_AT = 10;

/**
 * The same value as `contentHash()` in ../records.ts (tests check they agree), computed with
 * the one-shot `crypto.hash` where this Node has it, which skips a Hash object per record.
 */
export function importContentHash(r: MappedRecord): string {
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

const sha256Base64url: (s: string) => string =
  typeof crypto.hash === 'function'
    ? (s) => crypto.hash('sha256', s, 'base64url')
    : (s) => crypto.createHash('sha256').update(s).digest('base64url');

// deriveAnnotation depends only on the four canonical labels (each absent or one of 2-3
// values): 3 x 4 x 4 x 4 combinations, each derived once.
const IX: Record<string, number> = { No: 1, Yes: 2, Mild: 2, High: 3, Low: 1, Medium: 2, Negative: 1, Neutral: 2, Positive: 3 };
const derivedCache: (DerivedAnnotation | undefined)[] = [];

export function derivedFor(l: Labels): DerivedAnnotation {
  const key =
    (l.bias === null ? 0 : IX[l.bias]!) * 64 +
    (l.toxicity === null ? 0 : IX[l.toxicity]!) * 16 +
    (l.sentiment === null ? 0 : IX[l.sentiment]!) * 4 +
    (l.harm === null ? 0 : IX[l.harm]!);
  return (derivedCache[key] ??= deriveAnnotation(l));
}

/** Append the row's values to `out`; returns whether its gold annotation disagrees with the rule. */
export function pushRowValues(out: unknown[], r: MappedRecord, line: number): boolean {
  const d = derivedFor(r.labels);
  const disagrees = r.annotationGold !== null && d.paper !== null && r.annotationGold !== d.paper;
  out.push(
    r.sourceId,
    line,
    r.text,
    r.labels.bias,
    r.labels.toxicity,
    r.labels.sentiment,
    r.labels.harm,
    r.annotationGold,
    d.paper,
    d.strict,
    disagrees ? 1 : 0,
    r.targetDemographic,
    r.biasedWords.length === 0 ? '[]' : JSON.stringify(r.biasedWords),
    r.benignVariation,
    r.extraJson,
    importContentHash(r),
  );
  return disagrees;
}
