// The SQLite share of an import, for `npm run bench:import -- --profile`: the rows a srlab import
// stored (read back from its database) are fed, already packed, to the import's own writer
// (openSqlTransaction: the same statements, pragmas, transaction and WAL checkpoint) on this
// thread, into a fresh srlab database. No file reading, parsing, validation, hashing or thread
// hand-off: what is left is what SQLite itself costs srlab's import, the floor under its time.
//
//   tsx bench/import-floor.ts <srlab.sqlite with a dataset "bench"> <scratch dir> [wal|delete]
//
// `delete` puts the fresh database in rollback-journal mode first (the sqlite3 CLI's default),
// to show what WAL costs a bulk insert: srlab keeps WAL so that readers never wait for an import.
// Prints one JSON line: {seconds, insertSeconds, commitSeconds, rows, journal, pageSize}.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDb } from '../src/main/core/db';
import { CANONICAL_CODE, canonicalLen } from '../src/main/core/datasets/import/label-codes';
import type { PackedRows } from '../src/main/core/datasets/import/row-params';
import { openSqlTransaction, ROW_COLUMNS } from '../src/main/core/datasets/import/sql-transaction';

const [source, scratch, journal = 'wal'] = process.argv.slice(2);
if (!source || !scratch || !['wal', 'delete'].includes(journal)) {
  process.stderr.write('usage: tsx bench/import-floor.ts <srlab.sqlite> <scratch dir> [wal|delete]\n');
  process.exit(2);
}

// The writer's columns: 14 strings and 2 integers (source_line, disagrees) per row; the labels
// (bias … annotation_strict) go as codes when canonical, as RowBatch sends them.
const STRINGS = ROW_COLUMNS.filter((c) => c !== 'source_line' && c !== 'disagrees');
const LABELS = new Set<string>(ROW_COLUMNS.slice(ROW_COLUMNS.indexOf('bias'), ROW_COLUMNS.indexOf('disagrees')));
const BATCH = 1024; // as SqlWriterClient sends them

type Row = Record<string, string | number | null>;
const src = new Database(source, { readonly: true });
const rows = src
  .prepare<[], Row>(
    `SELECT source_line, disagrees, ${STRINGS.join(', ')} FROM records ` +
      "WHERE dataset_id = (SELECT id FROM datasets WHERE name = 'bench') ORDER BY id",
  )
  .all();
src.close();
if (rows.length === 0) throw new Error(`${source} holds no dataset "bench"`);

// Packed exactly as RowBatch packs them (labels as codes), before the clock starts.
const batches: PackedRows[] = [];
for (let at = 0; at < rows.length; at += BATCH) {
  const part = rows.slice(at, at + BATCH);
  const lens = new Int32Array(part.length * STRINGS.length);
  const nums = new Int32Array(part.length * 2);
  const texts: string[] = [];
  let li = 0;
  part.forEach((r, i) => {
    nums[i * 2] = Number(r.source_line);
    nums[i * 2 + 1] = Number(r.disagrees);
    for (const c of STRINGS) {
      const v = r[c] as string | null;
      const code = v !== null && LABELS.has(c) ? CANONICAL_CODE.get(v) : undefined;
      if (v === null) lens[li++] = -1;
      else if (code !== undefined) lens[li++] = canonicalLen(code);
      else {
        lens[li++] = v.length;
        texts.push(v);
      }
    }
  });
  batches.push({ n: part.length, text: texts.join(''), lens, nums });
}

fs.mkdirSync(scratch, { recursive: true });
const dbFile = path.join(scratch, 'floor.sqlite');
for (const s of ['', '-wal', '-shm', '-journal']) fs.rmSync(dbFile + s, { force: true });
const db = openDb(dbFile);
if (journal === 'delete') db.pragma('journal_mode = DELETE');
const pageSize = db.pragma('page_size', { simple: true }) as number;
db.close();

const t0 = performance.now();
const tx = openSqlTransaction({
  dbFile,
  dataset: 'floor',
  file: 'floor',
  format: 'srllm-csv',
  startedAt: new Date().toISOString(),
  cacheKiB: 64 * 1024, // as importFile's IMPORT_CACHE_KIB
});
let inserted = 0;
for (const b of batches) inserted += tx.insert(b).inserted;
const t1 = performance.now();
tx.commit({ format: 'srllm-csv', rejected: 0, rejectsFile: null, finishedAt: new Date().toISOString() });
const t2 = performance.now();
if (inserted !== rows.length) throw new Error(`the writer inserted ${inserted} of ${rows.length} rows`);
process.stdout.write(
  `${JSON.stringify({
    seconds: (t2 - t0) / 1000,
    insertSeconds: (t1 - t0) / 1000,
    commitSeconds: (t2 - t1) / 1000,
    rows: inserted,
    journal,
    pageSize,
  })}\n`,
);
