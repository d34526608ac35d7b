// Split benchmark (issue 14, target 2): how long a split of a large dataset holds SQLite's write
// lock, i.e. how long every other writer (a user's edit, a job's bookkeeping, an evaluator's
// rating) has to wait. Compared in the same run, on copies of the same database:
//   - before: the split as it was before issue 14, kept below (assignBefore14): read, hash,
//     sort and one `UPDATE … WHERE id = ?` per record, all in one IMMEDIATE transaction;
//   - srlab:  assignSplits (src/main/core/datasets/split.ts) as the worker thread runs it.
// The lock is measured from outside: a second connection on a thread of its own tries
// `BEGIN IMMEDIATE` every millisecond; the longest stretch it could not is the lock held.
// Two cases: the first split of an unsplit dataset (seed 42), and a re-split over it (seed 43).
// Both must write the very same assignment; the bench stops if they do not.
//
//   npm run bench:split                     # 1,000,000 records
//   npm run bench:split -- --rows 200000 --repeat 2
//
// The dataset is generated once through the real import (tests/large-dataset.ts: cmd-nested
// JSONL with annotations, so the default stratifies by annotation) and kept as a database under
// bench/.data; each run splits a fresh copy of it.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { createCore } from '../src/main/core';
import type { Db } from '../src/main/core/db';
import { SPLITS } from '../src/shared/domain';
import { allocate, ALL_RECORDS, assignSplits, type SplitResult } from '../src/main/core/datasets/split';
import { EFFECTIVE_ANNOTATION_SQL } from '../src/main/core/datasets/records';
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
} from '../src/main/core/datasets/fields';
import { PROGRESS_EVERY, type ProgressFn } from '../src/main/core/datasets/stats';
import { importLargeDataset } from '../tests/large-dataset';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.join(ROOT, 'bench', '.data');
/**
 * Bump when the generated dataset or the way srlab creates a database changes, so a stale cached
 * database is not used (v2: databases srlab creates have 16 KiB pages, core/db/index.ts).
 */
const FIXTURE_VERSION = 2;
const TARGET_S = 2;

function parseArgs(argv: string[]) {
  const o = { rows: 1_000_000, repeat: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rows') o.rows = Number(argv[++i]?.replace(/_/g, ''));
    else if (a === '--repeat') o.repeat = Number(argv[++i]);
    else {
      console.error(`unknown argument ${a}\nusage: npm run bench:split -- [--rows N] [--repeat K]`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(o.rows) || o.rows <= 0 || !Number.isInteger(o.repeat) || o.repeat < 1) {
    console.error('--rows takes a positive integer, --repeat a count >= 1');
    process.exit(2);
  }
  return o;
}

/** The unsplit dataset "big" of `rows` records, imported once and kept under bench/.data. */
async function fixture(rows: number): Promise<string> {
  const file = path.join(DATA, `split-${rows}-v${FIXTURE_VERSION}.sqlite`);
  if (fs.existsSync(file)) return file;
  process.stdout.write(`importing ${rows} records into ${path.relative(ROOT, file)} (once) ... `);
  const t = performance.now();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'srlab-bench-split-'));
  try {
    const core = await createCore({ home, loadDemo: false });
    await importLargeDataset(core, home, rows);
    core.db.pragma('wal_checkpoint(TRUNCATE)');
    await core.close();
    fs.mkdirSync(DATA, { recursive: true });
    fs.copyFileSync(core.paths.db, `${file}.tmp`);
    fs.renameSync(`${file}.tmp`, file);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
  console.log(`${((performance.now() - t) / 1000).toFixed(1)} s`);
  return file;
}

/** A connection as the dataset worker opens one for a split (compute-worker.ts). */
function open(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 30000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  return db;
}

// The other writer: its own connection on its own thread, taking and dropping the write lock.
const WATCHER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 0');
const flag = new Int32Array(workerData.stop);
const tick = new Int32Array(new SharedArrayBuffer(4));
let longest = 0, blockedSince = null, tries = 0;
while (Atomics.load(flag, 0) === 0) {
  const t = performance.now();
  tries++;
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    if (blockedSince !== null) longest = Math.max(longest, t - blockedSince);
    blockedSince = null;
  } catch (e) {
    if (!String(e.code).startsWith('SQLITE_BUSY')) throw e;
    if (blockedSince === null) blockedSince = t;
  }
  Atomics.wait(tick, 0, 0, 1);
}
if (blockedSince !== null) longest = Math.max(longest, performance.now() - blockedSince);
db.close();
parentPort.postMessage({ longest, tries });
`;

function watchLock(file: string) {
  const stop = new SharedArrayBuffer(4);
  const sqlite = path.join(ROOT, 'node_modules', 'better-sqlite3');
  const worker = new Worker(WATCHER, { eval: true, workerData: { file, stop, sqlite } });
  const result = new Promise<{ longest: number; tries: number }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    async stop() {
      Atomics.store(new Int32Array(stop), 0, 1);
      return result;
    },
  };
}

type Impl = 'before' | 'srlab';

/** Split `file`'s dataset with `impl`: wall seconds, longest other-writer wait, and a digest of the assignment. */
async function run(impl: Impl, file: string, seed: number) {
  const db = open(file);
  const dataset = db.prepare("SELECT id, name FROM datasets WHERE name = 'big'").get() as { id: number; name: string };
  const watcher = watchLock(file);
  await new Promise((r) => setTimeout(r, 50)); // the watcher is up and trying
  const t = performance.now();
  const result =
    impl === 'before' ? assignSplitsBefore14(db, dataset, seed, [70, 10, 20]) : assignSplits(db, dataset, seed);
  const seconds = (performance.now() - t) / 1000;
  const { longest } = await watcher.stop();
  const splits = db.prepare<[], string | null>('SELECT split FROM records ORDER BY id').pluck().all();
  const digest = createHash('sha256').update(JSON.stringify(result)).update(splits.join(',')).digest('hex');
  db.close();
  return { seconds, lockSeconds: longest / 1000, digest };
}

/** A fresh copy of the fixture (with, for a re-split, the first split already written). */
function copyOf(fixtureFile: string, dir: string, name: string): string {
  const file = path.join(dir, name);
  fs.copyFileSync(fixtureFile, file);
  return file;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

async function main() {
  const o = parseArgs(process.argv.slice(2));
  console.log(
    `srlab split benchmark — ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(2)}, Node ${process.version}, ` +
      `SQLite ${new Database(':memory:').prepare('SELECT sqlite_version()').pluck().get() as string}`,
  );
  const base = await fixture(o.rows);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'srlab-bench-split-'));
  try {
    // The re-split case starts from the first split (seed 42), written once with srlab.
    const presplit = copyOf(base, dir, 'presplit.sqlite');
    {
      const db = open(presplit);
      assignSplits(
        db,
        db.prepare("SELECT id, name FROM datasets WHERE name = 'big'").get() as { id: number; name: string },
        42,
      );
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    }
    let met = true;
    for (const c of [
      { name: 'first split (seed 42)', from: base, seed: 42 },
      { name: 're-split (seed 43 over 42)', from: presplit, seed: 43 },
    ]) {
      const got: Record<Impl, { seconds: number; lockSeconds: number; digest: string }[]> = { before: [], srlab: [] };
      for (let k = 0; k < o.repeat; k++) {
        // Alternate the two so drifting machine load hits both alike.
        for (const impl of (k % 2 === 0 ? ['before', 'srlab'] : ['srlab', 'before']) as Impl[]) {
          const file = copyOf(c.from, dir, `${impl}.sqlite`);
          got[impl].push(await run(impl, file, c.seed));
          for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
        }
      }
      const digests = new Set([...got.before, ...got.srlab].map((r) => r.digest));
      if (digests.size !== 1) throw new Error(`${c.name}: srlab's split differs from the split before issue 14`);
      const lockBefore = median(got.before.map((r) => r.lockSeconds));
      const lockOurs = median(got.srlab.map((r) => r.lockSeconds));
      const wallBefore = median(got.before.map((r) => r.seconds));
      const wallOurs = median(got.srlab.map((r) => r.seconds));
      met &&= lockOurs < TARGET_S;
      console.log(
        `${o.rows.toLocaleString('en-US')} records, ${c.name}: write lock held ` +
          `before ${lockBefore.toFixed(2)} s, srlab ${lockOurs.toFixed(2)} s ` +
          `(srlab/before ${(lockOurs / lockBefore).toFixed(2)}x); ` +
          `wall before ${wallBefore.toFixed(2)} s, srlab ${wallOurs.toFixed(2)} s; same assignment` +
          (o.repeat > 1 ? `  [medians of ${o.repeat}]` : ''),
      );
    }
    console.log(
      `target (issue 14): write lock held under ${TARGET_S} s — ${met ? 'met' : 'NOT met'} at ${o.rows.toLocaleString('en-US')} records`,
    );
    console.log(
      `rerun: npm run bench:split -- ${process.argv.slice(2).join(' ') || '(defaults: --rows 1000000 --repeat 1)'}`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- The split before issue 14, kept as the baseline (src/main/core/datasets/split.ts then). ----

function assignSplitsBefore14(
  db: Db,
  dataset: { id: number; name: string },
  seed: number,
  ratios: [number, number, number],
): SplitResult {
  const sum = ratios[0] + ratios[1] + ratios[2];
  const shares = ratios.map((r) => r / sum) as [number, number, number];
  return db.transaction(() => assignBefore14(db, dataset, seed, shares, null, undefined)).immediate();
}

type SplitCounts = Record<(typeof SPLITS)[number], number>;

function decideBefore14(db: Db, datasetId: number, asked: StratifyField | null) {
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

function assignBefore14(
  db: Db,
  dataset: { id: number; name: string },
  seed: number,
  shares: [number, number, number],
  asked: StratifyField | null,
  onProgress: ProgressFn | undefined,
): SplitResult {
  const decided = decideBefore14(db, dataset.id, asked);
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

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
