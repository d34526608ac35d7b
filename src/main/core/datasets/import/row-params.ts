// Turning a mapped record into the values of one `records` row: derived annotations, the
// content hash, JSON columns. Runs once per record, so it avoids per-row allocation where it can.

import { importContentHash } from './content-hash';
import type { Labels } from '../../../../shared/domain';
import { annotationDisagrees, deriveAnnotation, type DerivedAnnotation } from '../../../../shared/metrics/annotation';
import type { MappedRecord } from './formats';

/**
 * Rows on their way to the writer, packed for a cheap postMessage: per row 14 strings (each
 * null, or a length into one concatenated string) and 2 integers (source line, disagrees).
 * Column order is the writer's (see sql-transaction.ts).
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

  /** Add a record's row; returns whether its gold annotation disagrees with the paper's rule. */
  add(r: MappedRecord, line: number): boolean {
    const d = derivedFor(r.labels);
    const disagrees = annotationDisagrees(r.annotationGold, d.paper);
    this.nums[this.rows * 2] = line;
    this.nums[this.rows * 2 + 1] = disagrees ? 1 : 0;
    this.str(r.sourceId);
    this.str(r.text);
    this.str(r.labels.bias);
    this.str(r.labels.toxicity);
    this.str(r.labels.sentiment);
    this.str(r.labels.harm);
    this.str(r.annotationGold);
    this.str(d.paper);
    this.str(d.strict);
    this.str(r.targetDemographic);
    this.str(r.biasedWords.length === 0 ? '[]' : JSON.stringify(r.biasedWords));
    this.str(r.benignVariation);
    this.str(r.extraJson);
    this.str(importContentHash(r));
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
