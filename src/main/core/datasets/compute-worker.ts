// Worker-thread entry for the dataset work too heavy for the main thread: statistics, the field
// list and the train/dev/test split of a large dataset. It opens its own connection to the database file
// (read-only for statistics and fields; for a split, a writer that waits up to 30 s for the write lock)
// and runs the very functions the main thread would run, so the results are identical.
//
// Built as its own entry (out/main/dataset-worker.js, see electron.vite.config.ts); in
// development and tests offthread.ts loads this file through tsx instead.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { computeStats } from './stats';
import { assignSplits } from './split';
import { listFields } from './fields';
import type { DatasetJob } from './offthread';

/** Progress goes to the parent at most this often (and always at the end). */
const PROGRESS_MS = 100;
let lastPost = 0;
function progress(done: number, total: number): void {
  const t = performance.now();
  if (done < total && t - lastPost < PROGRESS_MS) return;
  lastPost = t;
  parentPort!.postMessage({ t: 'progress', done, total });
}

function run(job: DatasetJob): unknown {
  const db = new Database(job.dbFile, {
    readonly: job.op !== 'split',
    ...(job.nativeBinding ? { nativeBinding: job.nativeBinding } : {}),
  });
  try {
    if (job.op === 'stats') return computeStats(db, job.dataset, job.split, progress);
    if (job.op === 'fields') return listFields(db, job.dataset.id);
    // Waiting here blocks no event loop, so a split asked for during an import waits for it
    // (up to 30 s) rather than failing at once as busy.
    db.pragma('busy_timeout = 30000');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    return assignSplits(db, job.dataset, job.seed, job.ratios, { stratifyBy: job.stratifyBy, onProgress: progress });
  } finally {
    db.close();
  }
}

try {
  parentPort!.postMessage({ t: 'done', result: run(workerData as DatasetJob) });
} catch (e) {
  const err = e as Error & { code?: string; kind?: string };
  parentPort!.postMessage({
    t: 'error',
    message: err.message ?? String(e),
    code: err.code,
    name: err.name,
    kind: err.name === 'ApiError' ? err.kind : undefined,
  });
}
