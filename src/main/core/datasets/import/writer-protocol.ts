// What the import's parser (sql-writer.ts, main thread) and its SQLite writer
// (writer-worker.ts, worker thread) say to each other. Types only: both sides import it.
//
//   parser → writer: rows* then commit or rollback
//   writer → parser: ready (the transaction is open; did it create the dataset?) or error; then an ack per rows, done
//                    after commit/rollback, error on any failure (the writer has rolled back)

import type { DuplicateRow } from '../../../../shared/contracts/datasets';
import type { PackedRows } from './row-params';

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
  /** Rows skipped as duplicates, with the record each duplicates (the first MAX_DUPLICATE_ROWS). */
  duplicateRows: DuplicateRow[];
}

export interface FinishInfo {
  format: string;
  rejected: number;
  rejectsFile: string | null;
  finishedAt: string;
}

/** The writer worker's workerData. */
export interface WriterData {
  init: WriterInit;
}

/** Parser → writer. `rows` transfers its typed arrays' buffers. */
export type ToWriter = { t: 'rows'; p: PackedRows } | { t: 'commit'; f: FinishInfo } | { t: 'rollback' };

/** A failure, as it crosses the thread boundary. */
export interface WriterError {
  t: 'error';
  message: string;
  code?: string;
}

/** Writer → parser. */
export type FromWriter =
  { t: 'ready'; createdDataset: boolean } | ({ t: 'ack' } & WriteCounts) | { t: 'done' } | WriterError;
