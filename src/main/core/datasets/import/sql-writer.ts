// The import's SQLite side, run on a worker thread so that inserting (SQLite's work) overlaps
// with reading, validating and hashing (the main thread's work).
//
// One BEGIN IMMEDIATE transaction: create the dataset if needed, add an `imports` row, insert
// every record with INSERT OR IGNORE (UNIQUE(dataset_id, content_hash): a record already there
// counts as a duplicate), then COMMIT, or ROLLBACK on any failure, cancel or --strict failure.
// A process killed halfway never commits, so SQLite discards the transaction.
//
// The writer is plain JavaScript kept in a string: the worker evaluates it (no separate file
// to find in dev, test and bundled builds alike), and the in-thread fallback evaluates the
// same source, so there is one implementation.

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../../../shared/contract';
import type { MappedRecord } from './formats';
import { RowBatch, type PackedRows } from './row-params';

export interface WriterInit {
  dbFile: string;
  nativeBinding?: string;
  dataset: string;
  /** Stored in imports.file. */
  file: string;
  format: string;
  startedAt: string;
  /** SQLite page cache for this connection, KiB: bounded so memory does not grow with the file. */
  cacheKiB: number;
}

export interface WriteCounts {
  inserted: number;
  disagreements: number;
}

export interface FinishInfo {
  format: string;
  rejected: number;
  rejectsFile: string | null;
  finishedAt: string;
}

/** Rows per multi-row INSERT statement (fewer statement runs per row). */
const ROWS_PER_STATEMENT = 32;

/** `createSqlWriter(Database, init)` → { insert(packedRows), commit(info), rollback() } */
const WRITER_SOURCE = `
function createSqlWriter(Database, o) {
  const W = 16, B = ${ROWS_PER_STATEMENT};
  const db = new Database(o.dbFile, o.nativeBinding ? { nativeBinding: o.nativeBinding } : {});
  let open = true;
  const close = () => { if (open) { open = false; db.close(); } };
  let single, multi, countDisagreeing, importId, lastRowid;
  try {
    // As openDb() sets them (the main thread opened the file first, so WAL and migrations are
    // done), except foreign keys: every row's parents are the dataset and import rows made or
    // found at the start of this very transaction, and with the check on, SQLite keeps a
    // statement journal (a temp-file copy of every page each multi-row INSERT touches).
    db.pragma('foreign_keys = OFF');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -' + o.cacheKiB);
    db.exec('BEGIN IMMEDIATE');
    const found = db.prepare('SELECT id FROM datasets WHERE name = ?').get(o.dataset);
    const datasetId = found ? found.id
      : Number(db.prepare('INSERT INTO datasets (name, created_at) VALUES (?, ?)').run(o.dataset, o.startedAt).lastInsertRowid);
    importId = Number(db.prepare(
      'INSERT INTO imports (dataset_id, file, format, imported, duplicates, rejected, rejects_file, finished_at) ' +
      'VALUES (?, ?, ?, 0, 0, 0, NULL, ?)').run(datasetId, o.file, o.format, o.startedAt).lastInsertRowid);
    const cols = '(dataset_id, import_id, source_id, source_line, text, bias, toxicity, sentiment, harm, ' +
      'annotation_gold, annotation_derived, annotation_strict, disagrees, target, biased_words, benign, extra, content_hash)';
    const row = '(' + datasetId + ', ' + importId + new Array(W).fill(', ?').join('') + ')';
    single = db.prepare('INSERT OR IGNORE INTO records ' + cols + ' VALUES ' + row);
    multi = db.prepare('INSERT OR IGNORE INTO records ' + cols + ' VALUES ' + new Array(B).fill(row).join(', '));
    // New rows get rowids above every existing one, so "rowid > before" finds one statement's rows.
    countDisagreeing = db.prepare('SELECT count(*) AS n FROM records WHERE id > ? AND disagrees = 1').pluck();
    lastRowid = db.prepare('SELECT coalesce(max(id), 0) FROM records').pluck().get();
  } catch (e) {
    try { if (db.inTransaction) db.exec('ROLLBACK'); } finally { close(); }
    throw e;
  }
  const group = new Array(W * B);
  let imported = 0, received = 0;
  return {
    /**
     * Insert packed rows (see RowBatch): per row 14 strings, as lengths into one text (-1 =
     * null), and 2 integers. Columns: source_id, source_line, text, bias, toxicity, sentiment,
     * harm, annotation_gold, annotation_derived, annotation_strict, disagrees, target,
     * biased_words, benign, extra, content_hash. Disagreements are counted among the rows
     * actually inserted (a duplicate is not inserted).
     */
    insert(p) {
      const { n, text, lens, nums } = p;
      let inserted = 0, disagreements = 0, r = 0, off = 0, li = 0;
      const put = (to, at, row) => {
        for (let c = 0; c < W; c++) {
          if (c === 1) to[at + c] = nums[row * 2];
          else if (c === 10) to[at + c] = nums[row * 2 + 1];
          else {
            const len = lens[li++];
            if (len < 0) to[at + c] = null;
            else { to[at + c] = text.slice(off, off + len); off += len; }
          }
        }
      };
      const one = new Array(W);
      for (; r + B <= n; r += B) {
        let flagged = 0;
        for (let k = 0; k < B; k++) {
          put(group, k * W, r + k);
          flagged += nums[(r + k) * 2 + 1];
        }
        const res = multi.run(group);
        inserted += res.changes;
        if (res.changes === B) disagreements += flagged;
        else if (res.changes > 0 && flagged > 0) disagreements += countDisagreeing.get(lastRowid);
        if (res.changes > 0) lastRowid = Number(res.lastInsertRowid);
      }
      for (; r < n; r++) {
        put(one, 0, r);
        const res = single.run(one);
        inserted += res.changes;
        if (res.changes > 0) {
          disagreements += nums[r * 2 + 1];
          lastRowid = Number(res.lastInsertRowid);
        }
      }
      imported += inserted;
      received += n;
      return { inserted, disagreements };
    },
    commit(f) {
      try {
        db.prepare('UPDATE imports SET format = ?, imported = ?, duplicates = ?, rejected = ?, rejects_file = ?, finished_at = ? WHERE id = ?')
          .run(f.format, imported, received - imported, f.rejected, f.rejectsFile, f.finishedAt, importId);
        db.exec('COMMIT');
        // A big import leaves a big WAL file: fold it into the database and truncate it
        // (best effort; a reader elsewhere may hold part of it until later).
        try { db.pragma('wal_checkpoint(TRUNCATE)'); } catch (e) { /* the next checkpoint does it */ }
      } finally {
        try { if (db.inTransaction) db.exec('ROLLBACK'); } finally { close(); }
      }
    },
    rollback() {
      try { if (open && db.inTransaction) db.exec('ROLLBACK'); } finally { close(); }
    },
  };
}
`;

/** The worker's message loop around the writer. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
${WRITER_SOURCE}
let writer = null;
const fail = (e) => parentPort.postMessage({ t: 'error', message: String(e && e.message || e), code: e && e.code });
try {
  writer = createSqlWriter(require(workerData.sqlite), workerData.init);
  parentPort.postMessage({ t: 'ready' });
} catch (e) { fail(e); }
parentPort.on('message', (m) => {
  if (!writer) return;
  try {
    if (m.t === 'rows') parentPort.postMessage({ t: 'ack', ...writer.insert(m.p) });
    else if (m.t === 'commit') { writer.commit(m.f); writer = null; parentPort.postMessage({ t: 'done' }); }
    else if (m.t === 'rollback') { writer.rollback(); writer = null; parentPort.postMessage({ t: 'done' }); }
  } catch (e) {
    try { writer.rollback(); } catch (e2) { /* already closed */ }
    writer = null;
    fail(e);
  }
});
`;

interface Writer {
  insert(rows: PackedRows): WriteCounts;
  commit(f: FinishInfo): void;
  rollback(): void;
}

type DatabaseCtor = new (file: string, opts?: object) => unknown;

function sqliteModulePath(): string {
  return createRequire(import.meta.url).resolve('better-sqlite3');
}

function toApiError(e: { message?: string; code?: string }): ApiError {
  if (e.code?.startsWith('SQLITE_BUSY')) {
    return new ApiError('busy', 'the database is busy with another write; try the import again when it finishes');
  }
  return new ApiError('failed', `the import could not write to the database: ${e.message ?? String(e)}`);
}

/**
 * Main-thread handle on the writer. Rows are collected into batches and sent as they fill;
 * `drain` waits until few enough batches are in flight (bounding memory) and lets the event
 * loop run, so a cancel is seen promptly.
 */
export class SqlWriterClient {
  inserted = 0;
  disagreements = 0;
  private batch: RowBatch;
  private inFlight = 0;
  private failure: ApiError | null = null;
  /** Set once the writer was told to commit or roll back (its exit is expected then). */
  finished = false;
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly worker: Worker | null,
    private readonly local: Writer | null,
    private readonly batchRows: number,
  ) {
    this.batch = new RowBatch(batchRows);
  }

  /** Start the writer (on a worker thread unless `inThread`) and open the transaction. */
  static async start(
    init: WriterInit,
    opts: { inThread?: boolean; batchRows?: number } = {},
  ): Promise<SqlWriterClient> {
    const batchRows = opts.batchRows ?? 1024;
    if (opts.inThread) {
      const create = new Function(`${WRITER_SOURCE}; return createSqlWriter;`)() as (
        D: DatabaseCtor,
        o: WriterInit,
      ) => Writer;
      try {
        const Database = createRequire(import.meta.url)('better-sqlite3') as DatabaseCtor;
        return new SqlWriterClient(null, create(Database, init), batchRows);
      } catch (e) {
        throw toApiError(e as Error & { code?: string });
      }
    }
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { sqlite: sqliteModulePath(), init } });
    const client = new SqlWriterClient(worker, null, batchRows);
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (m: { t: string; message?: string; code?: string }) => {
        if (m.t === 'ready') resolve();
        else reject(toApiError(m));
      });
      worker.once('error', (e) => reject(toApiError(e)));
    }).catch(async (e) => {
      await worker.terminate();
      throw e;
    });
    worker.on(
      'message',
      (m: { t: string; inserted?: number; disagreements?: number; message?: string; code?: string }) =>
        client.onMessage(m),
    );
    worker.on('error', (e) => client.fail(toApiError(e)));
    worker.on('exit', () => {
      if (!client.finished) client.fail(new ApiError('failed', 'the database writer stopped unexpectedly'));
    });
    return client;
  }

  /** Queue a record; the batch is sent when it is full. */
  add(rec: MappedRecord, line: number): void {
    this.batch.add(rec, line);
    if (this.batch.full) this.flush();
  }

  /** Wait until at most `maxInFlight` batches are unanswered. Throws the writer's failure. */
  async drain(maxInFlight = 3): Promise<void> {
    while (this.inFlight > maxInFlight && !this.failure) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failure) throw this.failure;
  }

  async commit(f: FinishInfo): Promise<void> {
    this.flush();
    await this.drain(0);
    if (this.local) {
      try {
        this.local.commit(f);
      } catch (e) {
        throw toApiError(e as Error & { code?: string });
      }
      return;
    }
    this.finished = true;
    try {
      await this.request({ t: 'commit', f });
    } finally {
      await this.worker!.terminate();
    }
  }

  /** Roll back and stop the writer (safe to call more than once, and after a failure). */
  async rollback(): Promise<void> {
    if (this.local) {
      this.local.rollback();
      return;
    }
    if (!this.worker || this.finished) return;
    this.finished = true;
    try {
      if (!this.failure) await this.request({ t: 'rollback' });
    } catch {
      /* terminating the worker closes its connection; SQLite drops the open transaction */
    } finally {
      await this.worker.terminate();
    }
  }

  private flush(): void {
    if (this.batch.rows === 0) return;
    const rows = this.batch.packed();
    this.batch = new RowBatch(this.batchRows);
    if (this.local) {
      try {
        this.account(this.local.insert(rows));
      } catch (e) {
        this.failure = toApiError(e as Error & { code?: string });
        throw this.failure;
      }
      return;
    }
    this.inFlight++;
    this.worker!.postMessage({ t: 'rows', p: rows }, [rows.lens.buffer, rows.nums.buffer]);
  }

  private account(c: WriteCounts): void {
    this.inserted += c.inserted;
    this.disagreements += c.disagreements;
  }

  private pendingDone: { resolve: () => void; reject: (e: ApiError) => void } | null = null;

  private request(m: object): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.pendingDone = { resolve, reject };
      this.worker!.postMessage(m);
    });
  }

  private onMessage(m: {
    t: string;
    inserted?: number;
    disagreements?: number;
    message?: string;
    code?: string;
  }): void {
    if (m.t === 'ack') {
      this.inFlight--;
      this.account({ inserted: m.inserted!, disagreements: m.disagreements! });
      this.wake();
    } else if (m.t === 'done') {
      const p = this.pendingDone;
      this.pendingDone = null;
      p?.resolve();
    } else if (m.t === 'error') {
      this.fail(toApiError(m));
    }
  }

  private fail(e: ApiError): void {
    if (this.failure) return;
    this.failure = e;
    const p = this.pendingDone;
    this.pendingDone = null;
    p?.reject(e);
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
