// Turning a mapped record into the values of one `records` row: derived annotations, the
// content hash, JSON columns. Runs once per record, so it avoids per-row allocation where it can.

import { contentHash } from '../records';
import type { Labels } from '../../../../shared/domain';
import { deriveAnnotation, type DerivedAnnotation } from '../../../../shared/metrics/annotation';
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
    const disagrees = r.annotationGold !== null && d.paper !== null && r.annotationGold !== d.paper;
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
    this.str(contentHash(r));
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

// deriveAnnotation depends only on the four canonical labels (each absent or one of 2-3
// values): 3 x 4 x 4 x 4 combinations, each derived once.
const IX: Record<string, number> = {
  No: 1,
  Yes: 2,
  Mild: 2,
  High: 3,
  Low: 1,
  Medium: 2,
  Negative: 1,
  Neutral: 2,
  Positive: 3,
};
const derivedCache: (DerivedAnnotation | undefined)[] = [];

export function derivedFor(l: Labels): DerivedAnnotation {
  const key =
    (l.bias === null ? 0 : IX[l.bias]!) * 64 +
    (l.toxicity === null ? 0 : IX[l.toxicity]!) * 16 +
    (l.sentiment === null ? 0 : IX[l.sentiment]!) * 4 +
    (l.harm === null ? 0 : IX[l.harm]!);
  return (derivedCache[key] ??= deriveAnnotation(l));
}
