// Seeded, stratified train/dev/test split (METRICS.md section 11).
import { createHash } from 'node:crypto';
import type { ContractOutput } from '../../../shared/contract';
import type { datasets } from '../../../shared/contracts/datasets';
import { SPLITS, type Split } from '../../../shared/domain';
import type { Db } from '../db';
import { EFFECTIVE_ANNOTATION_SQL } from './records';
import {
  AUTHORS_LABEL_COLUMN,
  categoryOf,
  chooseDefault,
  extraPath,
  FieldTally,
  isCategorical,
  MISSING,
  NO_STRATA,
  notAStratifyField,
  resolveStratifyKey,
  type StratifyField,
} from './fields';
import { PROGRESS_EVERY, type ProgressFn } from './stats';

export type SplitResult = ContractOutput<typeof datasets.split>;
type SplitCounts = Record<Split, number>;

export const DEFAULT_RATIOS: [number, number, number] = [70, 10, 20];

/** The one stratum of a split stratified by nothing. */
export const ALL_RECORDS = '(all records)';

export interface SplitOptions {
  /**
   * A field key (fields.ts: `annotation`, a label, `target`, `extra.<column>` or a bare column
   * name, `none`); by default the annotation where any record has one, else the authors' label.
   */
  stratifyBy?: string | undefined;
  onProgress?: ProgressFn | undefined;
}

/**
 * How many of `n` records go to each split: n·share floored, then the leftover records one
 * each to the largest fractional remainders (ties to the earlier split: train, dev, test).
 */
export function allocate(n: number, shares: readonly [number, number, number]): [number, number, number] {
  const exact = shares.map((s) => n * s);
  const counts = exact.map(Math.floor) as [number, number, number];
  let left = n - counts[0] - counts[1] - counts[2];
  const byRemainder = ([0, 1, 2] as const)
    .slice()
    .sort((a, b) => exact[b]! - counts[b] - (exact[a]! - counts[a]) || a - b);
  for (const k of byRemainder) {
    if (left <= 0) break;
    if (shares[k]! > 0) {
      counts[k]++;
      left--;
    }
  }
  return counts;
}

/**
 * Assign every record of `dataset` to train/dev/test. Ratios are weights (normalised to
 * shares). Records are stratified by one field (`stratifyBy`; "(missing)" is the stratum of
 * records without a value); by default the effective annotation (gold, else derived) as
 * METRICS.md section 11 says, and for a dataset without any annotation the authors' `label`
 * column (srlab's choice: their bias grade is the one label their CSV has). Within a stratum
 * records are ordered by sha256(`${seed}:${content_hash}`) and cut by the counts `allocate()`
 * gives. Content hashes do not depend on insertion order, ids or the machine, so the same seed,
 * data and field give the same split everywhere.
 * One (IMMEDIATE) transaction; the returned `ratios` are the normalised shares.
 *
 * `onProgress` (optional) is told the records processed, of the dataset's records: reading and
 * hashing count for the first half, writing for the second (done = (read + written) / 2),
 * every PROGRESS_EVERY records and once at the end (done === total). It does not change the result.
 */
export function assignSplits(
  db: Db,
  dataset: { id: number; name: string },
  seed: number,
  ratios: [number, number, number] = DEFAULT_RATIOS,
  options: SplitOptions = {},
): SplitResult {
  const sum = ratios[0] + ratios[1] + ratios[2];
  if (!ratios.every((r) => Number.isFinite(r) && r >= 0) || !(sum > 0)) {
    throw new RangeError('ratios must be three non-negative numbers, not all 0');
  }
  const shares = ratios.map((r) => r / sum) as [number, number, number];
  // Resolved before the transaction: a field that cannot be one is refused before any lock is taken.
  const asked = options.stratifyBy === undefined ? null : resolveStratifyKey(options.stratifyBy);
  // IMMEDIATE: take the write lock before reading, so what is read is what gets written.
  return db.transaction(() => assign(db, dataset, seed, shares, asked, options.onProgress)).immediate();
}

/** The field to stratify by: the one asked for, or the default for this dataset's data. */
function decide(db: Db, datasetId: number, asked: StratifyField | null) {
  if (asked) return { field: asked, defaultReason: null };
  const annotated =
    db
      .prepare<[number], number>(
        `SELECT EXISTS (SELECT 1 FROM records WHERE dataset_id = ? AND ${EFFECTIVE_ANNOTATION_SQL} IS NOT NULL)`,
      )
      .pluck()
      .get(datasetId) === 1;
  const hasLabel =
    !annotated &&
    db
      .prepare<[number, string], number>(
        'SELECT EXISTS (SELECT 1 FROM records WHERE dataset_id = ? AND json_type(extra, ?) IS NOT NULL)',
      )
      .pluck()
      .get(datasetId, extraPath(AUTHORS_LABEL_COLUMN)) === 1;
  const chosen = chooseDefault(annotated, hasLabel);
  return { field: resolveStratifyKey(chosen.key), defaultReason: chosen.reason };
}

function assign(
  db: Db,
  dataset: { id: number; name: string },
  seed: number,
  shares: [number, number, number],
  asked: StratifyField | null,
  onProgress: ProgressFn | undefined,
): SplitResult {
  const decided = decide(db, dataset.id, asked);
  const { field } = decided;
  let used: StratifyField = field;
  let defaultReason = decided.defaultReason;
  const total = db
    .prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM records WHERE dataset_id = ?')
    .get(dataset.id)!.n;
  // Per record: id, stratum index and the 256-bit ordering key, in typed arrays.
  const ids = new Float64Array(total);
  const stratumOf = new Uint32Array(total);
  const keys = new Uint32Array(total * 8);
  const strata: string[] = [];
  const stratumIndex = new Map<string, number>();
  let n = 0;
  // Each record's value of the field; an `extra` column is read as JSON and judged by the same
  // rule as in the field list and Statistics (fields.ts), so a non-category is noticed.
  const valueSql = field.kind === 'canonical' ? field.sql : field.kind === 'extra' ? 'extra -> ?' : 'NULL';
  const params: (string | number)[] = field.kind === 'extra' ? [extraPath(field.column), dataset.id] : [dataset.id];
  const tally = new FieldTally();
  let notACategory = false;
  const rows = db
    .prepare<(string | number)[], { id: number; content_hash: string; v: string | null }>(
      `SELECT id, content_hash, ${valueSql} AS v FROM records WHERE dataset_id = ? ORDER BY id`,
    )
    .iterate(...params);
  for (const r of rows) {
    if (n >= total) break;
    let value: string | null | undefined = r.v;
    if (field.kind === 'extra') {
      value = r.v === null ? null : categoryOf(JSON.parse(r.v));
      if (value === undefined) notACategory = true;
      else tally.add(value);
    }
    const stratum = field.kind === 'none' ? ALL_RECORDS : (value ?? MISSING);
    let s = stratumIndex.get(stratum);
    if (s === undefined) {
      s = strata.length;
      strata.push(stratum);
      stratumIndex.set(stratum, s);
    }
    ids[n] = r.id;
    stratumOf[n] = s;
    const digest = createHash('sha256').update(`${seed}:${r.content_hash}`).digest();
    for (let w = 0; w < 8; w++) keys[n * 8 + w] = digest.readUInt32BE(w * 4);
    n++;
    if (onProgress && n % PROGRESS_EVERY === 0) onProgress(Math.floor(n / 2), total);
  }

  if (field.kind === 'extra' && (notACategory || !isCategorical(tally))) {
    const why =
      tally.present === 0 && !notACategory
        ? `no record has a "${field.column}" column`
        : notACategory
          ? `"${field.column}" has values that are not categories (fractions, lists or objects)`
          : `"${field.column}" is not a category (${tally.distinct} distinct value${tally.distinct === 1 ? '' : 's'} in ${tally.present} records; srlab stratifies by 2 to 50 values, one at least repeated)`;
    // Asked for: refuse (nothing is written). The default: split without strata, and say so.
    if (defaultReason === null) throw notAStratifyField(db, dataset.id, field.key, why);
    defaultReason = `the default: no record has an annotation, and ${why}`;
    strata.splice(0, strata.length, ALL_RECORDS);
    stratumIndex.clear();
    stratumIndex.set(ALL_RECORDS, 0);
    stratumOf.fill(0);
    used = resolveStratifyKey(NO_STRATA);
  }
  const stratifiedBy = { key: used.key, label: used.label, defaultReason };

  const compare = (a: number, b: number): number => {
    for (let w = 0; w < 8; w++) {
      const d = keys[a * 8 + w]! - keys[b * 8 + w]!;
      if (d !== 0) return d;
    }
    return 0;
  };

  const size = new Uint32Array(strata.length);
  for (let j = 0; j < n; j++) size[stratumOf[j]!]!++;

  const counts: SplitCounts = { train: 0, dev: 0, test: 0 };
  const byStratum: Record<string, SplitCounts> = {};
  // The split of each record (index into SPLITS), decided per stratum ...
  const splitOf = new Uint8Array(n);
  // Strata in a fixed order (their names), so the result reads the same on every run.
  for (const stratum of [...strata].sort()) {
    const s = stratumIndex.get(stratum)!;
    const order = new Uint32Array(size[s]!);
    let m = 0;
    for (let j = 0; j < n; j++) if (stratumOf[j] === s) order[m++] = j;
    order.sort(compare);
    const [train, dev] = allocate(order.length, shares);
    const sc: SplitCounts = { train: 0, dev: 0, test: 0 };
    order.forEach((j, pos) => {
      const k = pos < train ? 0 : pos < train + dev ? 1 : 2;
      splitOf[j] = k;
      sc[SPLITS[k]!]++;
      counts[SPLITS[k]!]++;
    });
    byStratum[stratum] = sc;
  }
  // ... then written in id order: sequential page access is far faster than hash order.
  const update = db.prepare<[string, number]>('UPDATE records SET split = ? WHERE id = ?');
  for (let j = 0; j < n; j++) {
    update.run(SPLITS[splitOf[j]!]!, ids[j]!);
    if (onProgress && (j + 1) % PROGRESS_EVERY === 0) onProgress(Math.floor((n + j + 1) / 2), n);
  }
  onProgress?.(n, n);

  return { dataset: dataset.name, seed, ratios: shares, stratifiedBy, counts, byStratum };
}
