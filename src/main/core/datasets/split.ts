// Seeded, stratified train/dev/test split (METRICS.md section 11).
import { createHash } from 'node:crypto';
import type { ContractOutput } from '../../../shared/contract';
import type { datasets } from '../../../shared/contracts/datasets';
import { SPLITS, type Split } from '../../../shared/domain';
import type { Db } from '../db';
import { EFFECTIVE_ANNOTATION_SQL } from './records';
import { MISSING, PROGRESS_EVERY, type ProgressFn } from './stats';

export type SplitResult = ContractOutput<typeof datasets.split>;
type SplitCounts = Record<Split, number>;

export const DEFAULT_RATIOS: [number, number, number] = [70, 10, 20];

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
 * shares). Records are stratified by their effective annotation (gold, else derived;
 * "(missing)" when neither); within a stratum they are ordered by sha256(`${seed}:${content_hash}`)
 * and cut by the counts `allocate()` gives. Content hashes do not depend on insertion order,
 * ids or the machine, so the same seed and data give the same split everywhere.
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
  onProgress?: ProgressFn,
): SplitResult {
  const sum = ratios[0] + ratios[1] + ratios[2];
  if (!ratios.every((r) => Number.isFinite(r) && r >= 0) || !(sum > 0)) {
    throw new RangeError('ratios must be three non-negative numbers, not all 0');
  }
  const shares = ratios.map((r) => r / sum) as [number, number, number];
  // IMMEDIATE: take the write lock before reading, so what is read is what gets written.
  return db.transaction(() => assign(db, dataset, seed, shares, onProgress)).immediate();
}

function assign(
  db: Db,
  dataset: { id: number; name: string },
  seed: number,
  shares: [number, number, number],
  onProgress: ProgressFn | undefined,
): SplitResult {
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
  const rows = db
    .prepare<[number], { id: number; content_hash: string; ann: string | null }>(
      `SELECT id, content_hash, ${EFFECTIVE_ANNOTATION_SQL} AS ann FROM records WHERE dataset_id = ? ORDER BY id`,
    )
    .iterate(dataset.id);
  for (const r of rows) {
    if (n >= total) break;
    const stratum = r.ann ?? MISSING;
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

  return { dataset: dataset.name, seed, ratios: shares, counts, byStratum };
}
