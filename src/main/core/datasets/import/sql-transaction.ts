// The import's one SQLite transaction. Runs on the writer's worker thread (writer-worker.ts),
// or on the calling thread when an import asks for that (tests): one implementation.
//
// One BEGIN IMMEDIATE transaction: create the dataset if needed, add an `imports` row, insert
// every record with INSERT OR IGNORE (UNIQUE(dataset_id, content_hash): a record already there
// counts as a duplicate), then COMMIT, or ROLLBACK on any failure, cancel or --strict failure.
// A process killed halfway never commits, so SQLite discards the transaction.
//
// A row INSERT OR IGNORE skipped is looked up by its hash, so the report can say which record
// (and which source line, of this import or an earlier one) it duplicates.

import Database from 'better-sqlite3';
import { contentHashOfColumns } from './content-hash';
import { canonicalValue } from './label-codes';
import type { PackedRows } from './row-params';
import type { DuplicateRow } from '../../../../shared/contracts/datasets';
import type { FinishInfo, WriteCounts, WriterInit } from './writer-protocol';

/** The import result lists at most this many skipped duplicates (it counts them all). */
export const MAX_DUPLICATE_ROWS = 1000;

export interface SqlTransaction {
  /** Whether this transaction created the dataset (an import that stores nothing then rolls back). */
  readonly createdDataset: boolean;
  insert(rows: PackedRows): WriteCounts;
  commit(f: FinishInfo): void;
  rollback(): void;
}

type Value = string | number | null;

/** The records columns a packed row fills, in its order (dataset_id and import_id are constants). */
export const ROW_COLUMNS: readonly string[] = (
  'source_id, source_line, text, bias, toxicity, sentiment, harm, annotation_gold, annotation_derived, ' +
  'annotation_strict, disagrees, target, biased_words, benign, extra, content_hash'
).split(', ');

/** Where each column's value sits in a row's bound values. */
const AT = Object.fromEntries(ROW_COLUMNS.map((c, i) => [c, i])) as Record<string, number>;

/** The content hash of a row from its bound values (ROW_COLUMNS' order, from `at`). */
function hashOfRow(v: Value[], at: number): string {
  const s = (c: string) => v[at + AT[c]!] as string | null;
  return contentHashOfColumns(
    s('text')!,
    s('bias'),
    s('toxicity'),
    s('sentiment'),
    s('harm'),
    s('annotation_gold'),
    s('target'),
    s('biased_words')!,
    s('benign'),
    s('extra')!,
  );
}

/** Open the connection and the transaction; throws (having rolled back and closed) on failure. */
export function openSqlTransaction(o: WriterInit): SqlTransaction {
  // Values per records row bound by a statement (the other two columns are constants), and
  // rows per multi-row INSERT statement (fewer statement runs per row). Local constants, as
  // the hot loop below reads them.
  const W = 16;
  const B = 32;
  const db = new Database(o.dbFile, o.nativeBinding ? { nativeBinding: o.nativeBinding } : {});
  let open = true;
  const close = (): void => {
    if (open) {
      open = false;
      db.close();
    }
  };
  let single: Database.Statement<[Value[]]>;
  let multi: Database.Statement<[Value[]]>;
  let findByHash: Database.Statement<
    [number, string],
    { id: number; source_line: number | null; import_id: number | null }
  >;
  let importFile: Database.Statement<[number], string>;
  let importId: number;
  let datasetId: number;
  let createdDataset: boolean;
  let lastRowid: number;
  try {
    // As openDb() sets them (the main thread opened the file first, so WAL and migrations are
    // done), except foreign keys: every row's parents are the dataset and import rows made or
    // found at the start of this very transaction, and with the check on, SQLite keeps a
    // statement journal (a temp-file copy of every page each multi-row INSERT touches).
    db.pragma('foreign_keys = OFF');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma(`cache_size = -${o.cacheKiB}`);
    db.exec('BEGIN IMMEDIATE');
    const found = db.prepare<[string], { id: number }>('SELECT id FROM datasets WHERE name = ?').get(o.dataset);
    createdDataset = !found;
    datasetId = found
      ? found.id
      : Number(
          db.prepare('INSERT INTO datasets (name, created_at) VALUES (?, ?)').run(o.dataset, o.startedAt)
            .lastInsertRowid,
        );
    importId = Number(
      db
        .prepare(
          'INSERT INTO imports (dataset_id, file, format, imported, duplicates, rejected, rejects_file, finished_at) ' +
            'VALUES (?, ?, ?, 0, 0, 0, NULL, ?)',
        )
        .run(datasetId, o.file, o.format, o.startedAt).lastInsertRowid,
    );
    const cols = `(dataset_id, import_id, ${ROW_COLUMNS.join(', ')})`;
    const row = `(${datasetId}, ${importId}${', ?'.repeat(W)})`;
    single = db.prepare<[Value[]]>(`INSERT OR IGNORE INTO records ${cols} VALUES ${row}`);
    multi = db.prepare<[Value[]]>(`INSERT OR IGNORE INTO records ${cols} VALUES ${new Array(B).fill(row).join(', ')}`);
    findByHash = db.prepare('SELECT id, source_line, import_id FROM records WHERE dataset_id = ? AND content_hash = ?');
    importFile = db.prepare<[number], string>('SELECT file FROM imports WHERE id = ?').pluck();
    lastRowid = db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM records').pluck().get()!;
  } catch (e) {
    try {
      if (db.inTransaction) db.exec('ROLLBACK');
    } finally {
      close();
    }
    throw e;
  }
  const group = new Array<Value>(W * B);
  const one = new Array<Value>(W);
  let imported = 0;
  let received = 0;
  let listed = 0;
  const earlierFiles = new Map<number, string>();
  /** The skipped row's entry for the report: the record with its hash, found by the index. */
  const duplicateOf = (line: number, hash: string): DuplicateRow => {
    const kept = findByHash.get(datasetId, hash)!;
    let earlierImport: DuplicateRow['earlierImport'] = null;
    if (kept.import_id !== null && kept.import_id !== importId) {
      let file = earlierFiles.get(kept.import_id);
      if (file === undefined) earlierFiles.set(kept.import_id, (file = importFile.get(kept.import_id) ?? '?'));
      earlierImport = { id: kept.import_id, file };
    }
    // A record of no known import (added another way, or its import was removed): its line
    // names no file, so only its id is given.
    const sameOrKnown = kept.import_id === importId || earlierImport !== null;
    return { line, recordId: kept.id, duplicateOf: sameOrKnown ? kept.source_line : null, earlierImport };
  };
  return {
    createdDataset,
    /**
     * Insert packed rows (see RowBatch): per row 14 strings, as lengths into one text (-1 =
     * null; below -1 a canonical label value) and 2 integers, in ROW_COLUMNS' order; a row
     * without its content hash gets it here. Disagreements are counted among the rows
     * actually inserted (a duplicate is not inserted).
     */
    insert(p: PackedRows): WriteCounts {
      const { n, text, lens, nums } = p;
      let inserted = 0;
      let disagreements = 0;
      const duplicateRows: DuplicateRow[] = [];
      const skipped = (line: number, hash: string) => {
        if (listed < MAX_DUPLICATE_ROWS) {
          listed++;
          duplicateRows.push(duplicateOf(line, hash));
        }
      };
      let r = 0;
      let off = 0;
      let li = 0;
      const put = (to: Value[], at: number, row: number): void => {
        for (let c = 0; c < W; c++) {
          if (c === 1) to[at + c] = nums[row * 2]!;
          else if (c === 10) to[at + c] = nums[row * 2 + 1]!;
          else {
            const len = lens[li++]!;
            if (len === -1) to[at + c] = null;
            else if (len < -1) to[at + c] = canonicalValue(len);
            else {
              to[at + c] = text.slice(off, off + len);
              off += len;
            }
          }
        }
        // The reading thread left this row's hash to this thread (see HashOn in sql-writer.ts).
        if (to[at + W - 1] === null) to[at + W - 1] = hashOfRow(to, at);
      };
      for (; r + B <= n; r += B) {
        let flagged = 0;
        for (let k = 0; k < B; k++) {
          put(group, k * W, r + k);
          flagged += nums[(r + k) * 2 + 1]!;
        }
        const before = lastRowid;
        const res = multi.run(group);
        inserted += res.changes;
        if (res.changes > 0) lastRowid = Number(res.lastInsertRowid);
        if (res.changes === B) {
          disagreements += flagged;
          continue;
        }
        // Some rows were skipped: a row was inserted iff the record with its hash is new (id
        // above every earlier one) and no earlier row of this statement had the same hash.
        const seen = new Set<string>();
        for (let k = 0; k < B; k++) {
          const hash = group[k * W + W - 1] as string;
          const line = nums[(r + k) * 2]!;
          const isNew = !seen.has(hash) && findByHash.get(datasetId, hash)!.id > before;
          seen.add(hash);
          if (isNew) disagreements += nums[(r + k) * 2 + 1]!;
          else skipped(line, hash);
        }
      }
      for (; r < n; r++) {
        put(one, 0, r);
        const res = single.run(one);
        inserted += res.changes;
        if (res.changes > 0) {
          disagreements += nums[r * 2 + 1]!;
          lastRowid = Number(res.lastInsertRowid);
        } else skipped(nums[r * 2]!, one[W - 1] as string);
      }
      imported += inserted;
      received += n;
      return { inserted, disagreements, duplicateRows };
    },
    commit(f: FinishInfo): void {
      try {
        db.prepare(
          'UPDATE imports SET format = ?, imported = ?, duplicates = ?, rejected = ?, rejects_file = ?, finished_at = ? WHERE id = ?',
        ).run(f.format, imported, received - imported, f.rejected, f.rejectsFile, f.finishedAt, importId);
        db.exec('COMMIT');
        // A big import leaves a big WAL file: fold it into the database and truncate it
        // (best effort; a reader elsewhere may hold part of it until later).
        try {
          db.pragma('wal_checkpoint(TRUNCATE)');
        } catch {
          /* the next checkpoint does it */
        }
      } finally {
        try {
          if (db.inTransaction) db.exec('ROLLBACK');
        } finally {
          close();
        }
      }
    },
    rollback(): void {
      try {
        if (open && db.inTransaction) db.exec('ROLLBACK');
      } finally {
        close();
      }
    },
  };
}
