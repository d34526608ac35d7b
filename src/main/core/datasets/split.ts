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
 *
 * All or nothing, as one write transaction: readers see the old split or the new one, never a
 * mix, and a split stopped half way (a cancelled job's worker) writes nothing. But the write
 * lock is held only for the writing (issue 14: reading and hashing a million records held it
 * for seconds, and every other writer waited): the split is planned first in a read
 * transaction, which in WAL mode blocks no writer, and staged in a temp table (this
 * connection's own: no lock either), then written under an IMMEDIATE transaction by a few
 * UPDATE statements (`write`). If another connection committed in between (PRAGMA data_version), the plan is
 * used only once the records it was made from are checked to be unchanged (`unchanged`);
 * otherwise it is made again under the lock, as before. The returned `ratios` are the
 * normalised shares.
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
  // Resolved before anything is read: a field that cannot be one is refused at once.
  const asked = options.stratifyBy === undefined ? null : resolveStratifyKey(options.stratifyBy);
  const { onProgress } = options;
  const dataVersion = () => db.pragma('data_version', { simple: true }) as number;
  // One snapshot (a deferred transaction that only reads): the plan and the version it saw.
  const { planned, seen } = db.transaction(() => ({
    planned: plan(db, dataset, seed, shares, asked, onProgress),
    seen: dataVersion(),
  }))();
  stage(db, planned);
  try {
    return db
      .transaction(() => {
        let p = planned;
        if (dataVersion() !== seen && !unchanged(db, dataset.id, asked, planned)) {
          p = plan(db, dataset, seed, shares, asked, undefined);
          stage(db, p);
        }
        write(db, dataset.id, p, onProgress);
        return p.result;
      })
      .immediate();
  } finally {
    db.exec(`DELETE FROM ${PLAN_TABLE}`);
  }
}

/** A split worked out but not yet written: each record's split, and what it was made from. */
interface Plan {
  result: SplitResult;
  /** The field decide() chose and why, before any fallback to no strata. */
  decided: { key: string; defaultReason: string | null };
  /** Record ids in ascending order, and the split of each (an index into SPLITS). */
  ids: Float64Array;
  splitOf: Uint8Array;
  /** sha256 over every record's id, content hash and value of the field, in id order. */
  fingerprint: string;
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

function countRecords(db: Db, datasetId: number): number {
  return db.prepare<[number], number>('SELECT COUNT(*) FROM records WHERE dataset_id = ?').pluck().get(datasetId)!;
}

/** Each record's id, content hash and value of `field` (raw: JSON text for an `extra` column), in id order. */
function readRows(db: Db, datasetId: number, field: StratifyField) {
  // An `extra` column is read as JSON and judged by the same rule as in the field list and
  // Statistics (fields.ts), so a non-category is noticed.
  const valueSql = field.kind === 'canonical' ? field.sql : field.kind === 'extra' ? 'extra -> ?' : 'NULL';
  const params: (string | number)[] = field.kind === 'extra' ? [extraPath(field.column), datasetId] : [datasetId];
  return db
    .prepare<(string | number)[], { id: number; content_hash: string; v: string | null }>(
      `SELECT id, content_hash, ${valueSql} AS v FROM records WHERE dataset_id = ? ORDER BY id`,
    )
    .iterate(...params);
}

/** The inputs of a plan, hashed as they are read (length-prefixed, so no two inputs read alike). */
class Fingerprint {
  private readonly hash = createHash('sha256');
  private chunk = '';
  private rows = 0;

  add(id: number, contentHash: string, v: string | null): void {
    this.chunk += `${id}:${contentHash.length}:${contentHash}${v === null ? '-' : `+${v.length}:${v}`};`;
    // Hashed in chunks: one update() per record would cost more than the hashing.
    if (++this.rows % 1024 === 0) {
      this.hash.update(this.chunk);
      this.chunk = '';
    }
  }

  digest(): string {
    this.hash.update(this.chunk);
    return this.hash.digest('hex');
  }
}

/**
 * Whether the records `p` was made from are still what they were: the same default field (or
 * the same asked-for one), the same records, content hashes and values. Under the write lock
 * this re-reads the records but neither hashes each one nor sorts.
 */
function unchanged(db: Db, datasetId: number, asked: StratifyField | null, p: Plan): boolean {
  const { field, defaultReason } = decide(db, datasetId, asked);
  if (field.key !== p.decided.key || defaultReason !== p.decided.defaultReason) return false;
  if (countRecords(db, datasetId) !== p.ids.length) return false;
  const fp = new Fingerprint();
  for (const r of readRows(db, datasetId, field)) fp.add(r.id, r.content_hash, r.v);
  return fp.digest() === p.fingerprint;
}

function plan(
  db: Db,
  dataset: { id: number; name: string },
  seed: number,
  shares: [number, number, number],
  asked: StratifyField | null,
  onProgress: ProgressFn | undefined,
): Plan {
  const decided = decide(db, dataset.id, asked);
  const { field } = decided;
  let used: StratifyField = field;
  let defaultReason = decided.defaultReason;
  const total = countRecords(db, dataset.id);
  // Per record: id, stratum index and the 256-bit ordering key, in typed arrays.
  const ids = new Float64Array(total);
  const stratumOf = new Uint32Array(total);
  const keys = new Uint32Array(total * 8);
  const strata: string[] = [];
  const stratumIndex = new Map<string, number>();
  let n = 0;
  const tally = new FieldTally();
  let notACategory = false;
  const fingerprint = new Fingerprint();
  for (const r of readRows(db, dataset.id, field)) {
    if (n >= total) break;
    fingerprint.add(r.id, r.content_hash, r.v);
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
  return {
    result: { dataset: dataset.name, seed, ratios: shares, stratifiedBy, counts, byStratum },
    decided: { key: field.key, defaultReason: decided.defaultReason },
    ids: ids.subarray(0, n),
    splitOf,
    fingerprint: fingerprint.digest(),
  };
}

/** The plan as a table of this connection's own (temp: no other connection sees it, and writing it takes no lock). */
const PLAN_TABLE = 'temp.srlab_split_plan';
/** Records per UPDATE statement: progress is told between them. */
const WRITE_CHUNK = 8 * PROGRESS_EVERY;

/** Put the plan where UPDATE can join it: each record's id and split. */
function stage(db: Db, p: Plan): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${PLAN_TABLE} (id INTEGER PRIMARY KEY, split TEXT NOT NULL)`);
  db.exec(`DELETE FROM ${PLAN_TABLE}`);
  const insert = db.prepare<[number, string]>(`INSERT INTO ${PLAN_TABLE} (id, split) VALUES (?, ?)`);
  db.transaction(() => {
    for (let j = 0; j < p.ids.length; j++) insert.run(p.ids[j]!, SPLITS[p.splitOf[j]!]!);
  })();
}

/**
 * Write the staged plan: a few `UPDATE … FROM` the plan table, each over a range of ids in the
 * table's own order, changing only the records whose split differs. Measured (bench/split.ts)
 * against one `UPDATE … WHERE id = ?` per record, this holds the lock for less: no statement
 * round trip per record, and a re-split leaves unchanged records' pages alone. OR FAIL: a
 * failing statement keeps what it changed instead of undoing it alone, so SQLite keeps no
 * statement journal (a copy of every page it changes); the transaction is undone instead, as
 * any error ends it. Any record of the dataset left without a split also undoes it (there is
 * none once the plan is checked, but a half-split dataset must never be written).
 */
function write(db: Db, datasetId: number, p: Plan, onProgress: ProgressFn | undefined): void {
  const { ids } = p;
  const n = ids.length;
  // NOT INDEXED, and the range on records' own ids: walk the table in id order, probing the plan
  // by id. (Through records_dataset_split, which the UPDATE itself changes, each statement
  // would go through the whole dataset.)
  const update = db.prepare<[number, number, number]>(
    `UPDATE OR FAIL records NOT INDEXED SET split = plan.split FROM ${PLAN_TABLE} AS plan
      WHERE records.id > ? AND records.id <= ? AND records.id = plan.id AND records.dataset_id = ?
        AND records.split IS NOT plan.split`,
  );
  for (let from = 0; from < n; from += WRITE_CHUNK) {
    const to = Math.min(from + WRITE_CHUNK, n);
    update.run(from === 0 ? -Infinity : ids[from - 1]!, ids[to - 1]!, datasetId);
    if (onProgress) onProgress(Math.floor((n + to) / 2), n);
  }
  const unsplit = db
    .prepare<[number], number>('SELECT COUNT(*) FROM records WHERE dataset_id = ? AND split IS NULL')
    .pluck()
    .get(datasetId)!;
  if (unsplit > 0)
    throw new Error(`split: ${unsplit} records of the dataset were not in the plan; nothing was written`);
  onProgress?.(n, n);
}
