// Streaming import of CMD files (CSV, JSON array, JSON lines) into the dataset library.
//
//   source.ts       chunked reading into one growable buffer
//   detect.ts       container and format from the bytes
//   csv-reader.ts, json-reader.ts   byte-level record scanners (scanner.ts: their interface)
//   formats.ts      which source field feeds which CMD field, per format
//   fields.ts       one value → one CMD field, or a row error
//   python-list.ts  the srllm CSV's biased-words lists
//   row-params.ts   derived annotations, content hash, rows packed for the writer
//   sql-writer.ts   the one SQLite transaction, on a worker thread (writer-worker.ts,
//                   sql-transaction.ts; their messages: writer-protocol.ts)
//   rejects.ts      rejected rows byte-for-byte + their errors
//   run.ts          the driver tying them together

import type { ColumnMapping, ImportFormat, ImportResult } from '../../../../shared/contracts/datasets';
import { importFile } from './run';

export interface ImportOptions {
  /** SQLite file; the import opens its own connection and closes it at the end. */
  dbFile: string;
  nativeBinding?: string;
  /** Where rejects files go (created if missing). */
  rejectsDir: string;
  /** Absolute path of the file to import. */
  file: string;
  /** Name to use in messages (e.g. an uploaded file's original name); default basename(file). */
  displayName?: string;
  /** Dataset name; created if it does not exist (inside the same transaction). */
  dataset: string;
  format: ImportFormat | 'auto';
  strict: boolean;
  /** Required for the generic 'csv' / 'jsonl' formats. */
  mapping?: ColumnMapping;
  /** Cancel: roll back, throw ApiError('cancelled', ...). */
  signal?: AbortSignal;
  onProgress?: (doneBytes: number, totalBytes: number) => void;
  /** How many row errors and flagged values the result lists (default 100); all are counted. */
  maxErrorsInResult?: number;
}

/**
 * Import one file into a dataset in a single transaction: all of its valid records or, on a
 * file-level problem, cancel, crash or a --strict failure, nothing. Rejected rows go to a
 * rejects file that can be fixed and imported again. When every row is rejected, a dataset the
 * import would have created is not created.
 */
export async function runImport(o: ImportOptions): Promise<ImportResult> {
  return importFile(o);
}
