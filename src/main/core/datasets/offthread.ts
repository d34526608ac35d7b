// Statistics and splits of large datasets run on a worker thread (compute-worker.ts), so the
// event loop keeps answering: serve mode's other requests, /api/health, SSE.
// How the worker's code is found from source and when bundled: ../worker-threads.ts.
import type { Worker } from 'node:worker_threads';
import { ApiError, ERROR_KINDS, type ErrorKind } from '../../../shared/contract';
import type { DatasetStats } from '../../../shared/contracts/datasets';
import type { Split } from '../../../shared/domain';
import type { SplitResult } from './split';
import type { listFields } from './fields';
import { startWorker } from '../worker-threads';

interface Common {
  dbFile: string;
  nativeBinding?: string;
  dataset: { id: number; name: string };
}

/** What the worker is asked to do (its workerData). */
export type DatasetJob =
  | (Common & { op: 'stats'; split: Split | null })
  | (Common & { op: 'split'; seed: number; ratios: [number, number, number]; stratifyBy?: string })
  | (Common & { op: 'fields' });

type ResultOf<J extends DatasetJob> = J extends { op: 'stats' }
  ? DatasetStats
  : J extends { op: 'fields' }
    ? ReturnType<typeof listFields>
    : SplitResult;

/** The bundled worker's file name (an entry of electron.vite.config.ts's main build). */
export const WORKER_BUNDLE = 'dataset-worker.js';

function workerFor(job: DatasetJob): Worker {
  return startWorker({ from: import.meta.url, source: './compute-worker.ts', bundle: WORKER_BUNDLE }, job);
}

/**
 * Run `job` on a worker thread and settle with its result. An abort terminates the worker: a
 * split's open transaction is then dropped by SQLite with the connection, writing nothing.
 * `onProgress` gets the worker's progress (records processed of total, at most every 100 ms,
 * and done === total at the end).
 */
export function runOffThread<J extends DatasetJob>(
  job: J,
  signal?: AbortSignal,
  onProgress?: (done: number, total: number) => void,
): Promise<ResultOf<J>> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ApiError('cancelled', 'cancelled'));
    const worker = workerFor(job);
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      f();
    };
    const onAbort = (): void => {
      finish(() => reject(new ApiError('cancelled', 'cancelled')));
      void worker.terminate();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: { t: 'done'; result: ResultOf<J> } | ProgressMessage | ErrorMessage) => {
      if (m.t === 'progress') {
        if (!settled) onProgress?.(m.done, m.total);
        return;
      }
      finish(() => (m.t === 'done' ? resolve(m.result) : reject(toError(m))));
    });
    worker.once('error', (e: Error & { code?: string }) =>
      finish(() => reject(toError({ t: 'error', message: e.message, code: e.code, name: e.name }))),
    );
    worker.once('exit', (code) =>
      finish(() => reject(new ApiError('failed', `the dataset worker stopped unexpectedly (exit code ${code})`))),
    );
  });
}

interface ProgressMessage {
  t: 'progress';
  done: number;
  total: number;
}

interface ErrorMessage {
  t: 'error';
  message: string;
  code?: string;
  name?: string;
  /** An ApiError's kind (e.g. invalid-input for a field that cannot stratify), kept across the thread. */
  kind?: string;
}

function toError(m: ErrorMessage): Error {
  if (m.code?.startsWith('SQLITE_BUSY')) {
    // Worded as every other busy answer (db/busy.ts).
    return new ApiError('busy', 'another job is writing to the database; try again when it ends');
  }
  if (m.name === 'RangeError') return new RangeError(m.message);
  if (m.kind && (ERROR_KINDS as readonly string[]).includes(m.kind))
    return new ApiError(m.kind as ErrorKind, m.message);
  return new ApiError('failed', m.message);
}
