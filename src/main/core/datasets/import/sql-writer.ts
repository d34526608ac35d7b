// The import's SQLite side, run on a worker thread (writer-worker.ts) so that inserting
// (SQLite's work) overlaps with reading, validating and hashing (the main thread's work). This
// is the main thread's handle on it; the transaction itself is sql-transaction.ts, and the
// messages between the two threads are typed in writer-protocol.ts.
//
// One BEGIN IMMEDIATE transaction per import: a process killed halfway never commits, so
// SQLite discards the transaction.

import type { Worker } from 'node:worker_threads';
import { ApiError } from '../../../../shared/contract';
import type { DuplicateRow } from '../../../../shared/contracts/datasets';
import { startWorker } from '../../worker-threads';
import type { MappedRecord } from './formats';
import { RowBatch } from './row-params';
import { openSqlTransaction, type SqlTransaction } from './sql-transaction';
import type { FinishInfo, FromWriter, ToWriter, WriteCounts, WriterData, WriterInit } from './writer-protocol';

export type { FinishInfo, WriteCounts, WriterInit } from './writer-protocol';

/** The bundled writer's file name (an entry of electron.vite.config.ts's main build). */
export const WRITER_BUNDLE = 'import-writer.js';

function toApiError(e: { message?: string; code?: string }): ApiError {
  if (e.code?.startsWith('SQLITE_BUSY')) {
    return new ApiError('busy', 'the database is busy with another write; try the import again when it finishes');
  }
  return new ApiError('failed', `the import could not write to the database: ${e.message ?? String(e)}`);
}

/**
 * Which thread computes the content hashes: `auto` (the default) decides per batch, the rest are
 * for tests. The hash is the largest piece of per-row work that either thread can do, so moving
 * it keeps both busy: when the writer has fallen behind (batches queue up), the reading thread
 * hashes the next batch itself; when the writer keeps up, it gets the batch unhashed.
 */
export type HashOn = 'auto' | 'main' | 'writer';
/**
 * Batches at the writer (the one just sent included) from which the reading thread hashes the
 * next batch itself (see HashOn).
 */
const WRITER_BEHIND = 2;

/**
 * Main-thread handle on the writer. Rows are collected into batches and sent as they fill;
 * `drain` waits until few enough batches are in flight (bounding memory) and lets the event
 * loop run, so a cancel is seen promptly.
 */
export class SqlWriterClient {
  inserted = 0;
  disagreements = 0;
  /** The first skipped duplicates, each with the record it duplicates. */
  readonly duplicateRows: DuplicateRow[] = [];
  /** Whether the transaction created the dataset (set once the writer is ready). */
  createdDataset = false;
  private batch: RowBatch;
  private inFlight = 0;
  private failure: ApiError | null = null;
  /** Set once the writer was told to commit or roll back (its exit is expected then). */
  finished = false;
  private waiters: (() => void)[] = [];

  /** Whether the batch being filled is hashed on this thread (see HashOn). */
  private hashHere: boolean;

  private constructor(
    private readonly worker: Worker | null,
    private readonly local: SqlTransaction | null,
    private readonly batchRows: number,
    private readonly hashOn: HashOn,
  ) {
    this.batch = new RowBatch(batchRows);
    this.hashHere = this.chooseHasher();
  }

  private chooseHasher(): boolean {
    // On one thread nothing runs in parallel: hashing here or there costs the same.
    if (this.local || this.hashOn === 'main') return true;
    return this.hashOn === 'auto' && this.inFlight >= WRITER_BEHIND;
  }

  /** Start the writer (on a worker thread unless `inThread`) and open the transaction. */
  static async start(
    init: WriterInit,
    opts: { inThread?: boolean; batchRows?: number; hashOn?: HashOn } = {},
  ): Promise<SqlWriterClient> {
    const batchRows = opts.batchRows ?? 1024;
    const hashOn = opts.hashOn ?? 'auto';
    if (opts.inThread) {
      try {
        const local = openSqlTransaction(init);
        const c = new SqlWriterClient(null, local, batchRows, hashOn);
        c.createdDataset = local.createdDataset;
        return c;
      } catch (e) {
        throw toApiError(e as Error & { code?: string });
      }
    }
    const data: WriterData = { init };
    const worker = startWorker({ from: import.meta.url, source: './writer-worker.ts', bundle: WRITER_BUNDLE }, data);
    const client = new SqlWriterClient(worker, null, batchRows, hashOn);
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (m: FromWriter) => {
        if (m.t === 'ready') {
          client.createdDataset = m.createdDataset;
          resolve();
        } else reject(toApiError(m.t === 'error' ? m : { message: `unexpected first message '${m.t}'` }));
      });
      worker.once('error', (e) => reject(toApiError(e)));
    }).catch(async (e) => {
      await worker.terminate();
      throw e;
    });
    worker.on('message', (m: FromWriter) => client.onMessage(m));
    worker.on('error', (e) => client.fail(toApiError(e)));
    worker.on('exit', () => {
      if (!client.finished) client.fail(new ApiError('failed', 'the database writer stopped unexpectedly'));
    });
    return client;
  }

  /** Queue a record; the batch is sent when it is full. */
  add(rec: MappedRecord, line: number): void {
    this.batch.add(rec, line, this.hashHere);
    if (this.batch.full) this.flush();
  }

  /** Wait until at most `maxInFlight` batches are unanswered. Throws the writer's failure. */
  async drain(maxInFlight = 3): Promise<void> {
    while (this.inFlight > maxInFlight && !this.failure) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failure) throw this.failure;
  }

  /** Send the last batch and wait until every row is written (counts are final then). */
  async settle(): Promise<void> {
    this.flush();
    await this.drain(0);
  }

  async commit(f: FinishInfo): Promise<void> {
    await this.settle();
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
    const m: ToWriter = { t: 'rows', p: rows };
    this.worker!.postMessage(m, [rows.lens.buffer, rows.nums.buffer]);
    this.hashHere = this.chooseHasher();
  }

  private account(c: WriteCounts): void {
    this.inserted += c.inserted;
    this.disagreements += c.disagreements;
    for (const d of c.duplicateRows) this.duplicateRows.push(d);
  }

  private pendingDone: { resolve: () => void; reject: (e: ApiError) => void } | null = null;

  private request(m: ToWriter): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.pendingDone = { resolve, reject };
      this.worker!.postMessage(m);
    });
  }

  private onMessage(m: FromWriter): void {
    if (m.t === 'ack') {
      this.inFlight--;
      this.account(m);
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
