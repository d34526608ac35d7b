// Worker-thread entry of the import's SQLite writer, so that inserting (SQLite's work) overlaps
// with reading, validating and hashing (the main thread's work). It opens the transaction,
// answers each batch of rows with an ack, and commits or rolls back when told; see
// writer-protocol.ts for the messages and sql-transaction.ts for the SQL.
//
// Built as its own entry (out/main/import-writer.js, see electron.vite.config.ts); from source
// (dev, tests) sql-writer.ts loads this file through tsx (core/worker-threads.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { openSqlTransaction, type SqlTransaction } from './sql-transaction';
import type { FromWriter, ToWriter, WriterData } from './writer-protocol';

const port = parentPort!;
const post = (m: FromWriter): void => port.postMessage(m);
const fail = (e: unknown): void => {
  const err = e as { message?: string; code?: string } | null;
  post({ t: 'error', message: String(err?.message || e), code: err?.code });
};

let writer: SqlTransaction | null = null;
try {
  writer = openSqlTransaction((workerData as WriterData).init);
  post({ t: 'ready', createdDataset: writer.createdDataset });
} catch (e) {
  fail(e);
}

port.on('message', (m: ToWriter) => {
  if (!writer) return;
  try {
    if (m.t === 'rows') post({ t: 'ack', ...writer.insert(m.p) });
    else if (m.t === 'commit') {
      writer.commit(m.f);
      writer = null;
      post({ t: 'done' });
    } else {
      writer.rollback();
      writer = null;
      post({ t: 'done' });
    }
  } catch (e) {
    try {
      writer?.rollback();
    } catch {
      /* already closed */
    }
    writer = null;
    fail(e);
  }
});
