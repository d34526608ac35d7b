// Turning a mapped record into the values of one `records` row: derived annotations, the
// content hash, JSON columns. Runs once per record, so it avoids per-row allocation where it can.

import { importContentHash, wordsColumn } from './content-hash';
import type { Labels } from '../../../../shared/domain';
import { CANONICAL_CODE, canonicalLen } from './label-codes';
import { annotationDisagrees, deriveAnnotation, type DerivedAnnotation } from '../../../../shared/metrics/annotation';
import type { MappedRecord } from './formats';

/**
 * Rows on their way to the writer, packed for a cheap postMessage: per row 14 strings (each
 * null (-1; for the content hash: not computed yet), a canonical label value (a code below -1),
 * or a length into one concatenated string) and 2 integers (source line, disagrees). Column order is the writer's (see
 * sql-transaction.ts).
 */
export class RowBatch {
  static readonly STRINGS_PER_ROW = 14;
  rows = 0;
  private parts: string[] = [];
  private lens: Int32Array;
  private nums: Int32Array;
  private li = 0;

  constructor(readonly capacity: number) {
    this.lens = new Int32Array(capacity * RowBatch.STRINGS_PER_ROW);
    this.nums = new Int32Array(capacity * 2);
  }

  get full(): boolean {
    return this.rows >= this.capacity;
  }

  private str(s: string | null): void {
    if (s === null) this.lens[this.li++] = -1;
    else {
      this.lens[this.li++] = s.length;
      this.parts.push(s);
    }
  }

  /** A label column: a canonical value goes as its code, anything else as text. */
  private label(s: string | null): void {
    const code = s === null ? undefined : CANONICAL_CODE.get(s);
    if (code === undefined) this.str(s);
    else this.lens[this.li++] = canonicalLen(code);
  }

  /**
   * Add a record's row; returns whether its gold annotation disagrees with the paper's rule.
   * Without `hash`, the row goes without its content hash (-1: the column is NOT NULL, so no
   * row means null by it) and the writer thread computes it (sql-transaction.ts): which thread
   * hashes is chosen per batch, to keep both busy (SqlWriterClient).
   */
  add(r: MappedRecord, line: number, hash: boolean): boolean {
    const d = derivedFor(r.labels);
    const disagrees = annotationDisagrees(r.annotationGold, d.paper);
    this.nums[this.rows * 2] = line;
    this.nums[this.rows * 2 + 1] = disagrees ? 1 : 0;
    this.str(r.sourceId);
    this.str(r.text);
    this.label(r.labels.bias);
    this.label(r.labels.toxicity);
    this.label(r.labels.sentiment);
    this.label(r.labels.harm);
    this.label(r.annotationGold);
    this.label(d.paper);
    this.label(d.strict);
    this.str(r.targetDemographic);
    const words = wordsColumn(r.biasedWords);
    this.str(words);
    this.str(r.benignVariation);
    this.str(r.extraJson);
    if (hash) this.str(importContentHash(r, words));
    else this.lens[this.li++] = -1;
    this.rows++;
    return disagrees;
  }

  /** The packed rows (the typed arrays can be transferred). */
  packed(): PackedRows {
    return {
      n: this.rows,
      text: this.parts.join(''),
      lens: this.lens.slice(0, this.li),
      nums: this.nums.slice(0, this.rows * 2),
    };
  }
}

export interface PackedRows {
  n: number;
  text: string;
  lens: Int32Array<ArrayBuffer>;
  nums: Int32Array<ArrayBuffer>;
}

// deriveAnnotation depends only on the four labels, and a file holds few combinations of them:
// each is derived once. Labels may hold any value (outside a set they are kept as written), so
// the cache is keyed by the values themselves and stops growing at a bound.
const derivedCache = new Map<string, DerivedAnnotation>();
const DERIVED_CACHE_MAX = 4096;

/** A label in the cache key, length-prefixed so that no two label tuples share a key; "-" = null. */
const keyPart = (v: string | null): string => (v === null ? '-' : `${v.length}:${v}`);

export function derivedFor(l: Labels): DerivedAnnotation {
  // Built by concatenation rather than JSON.stringify: this runs for every row.
  const key = keyPart(l.bias) + keyPart(l.toxicity) + keyPart(l.sentiment) + keyPart(l.harm);
  let d = derivedCache.get(key);
  if (d === undefined) {
    d = deriveAnnotation(l);
    if (derivedCache.size < DERIVED_CACHE_MAX) derivedCache.set(key, d);
  }
  return d;
}
