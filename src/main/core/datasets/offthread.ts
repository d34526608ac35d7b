// Statistics and splits of large datasets run on a worker thread (compute-worker.ts), so the
// event loop keeps answering: serve mode's other requests, /api/health, SSE.
//
// Where the worker's code is found:
// - running from source (vitest, tsx): this file is a .ts file; the worker loads
//   compute-worker.ts through tsx's require hook (Node 20 does not apply a loader given to
//   `new Worker` on its entry file, so the hook is installed from a small eval'd script);
// - bundled (out/main for the CLI and Electron): electron-vite emits compute-worker.ts as the
//   entry out/main/dataset-worker.js; this code sits in out/main or out/main/chunks.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../../shared/contract';
import type { DatasetStats } from '../../../shared/contracts/datasets';
import type { Split } from '../../../shared/domain';
import type { SplitResult } from './split';

interface Common {
  dbFile: string;
  nativeBinding?: string;
  dataset: { id: number; name: string };
}

/** What the worker is asked to do (its workerData). */
export type DatasetJob =
  | (Common & { op: 'stats'; split: Split | null })
  | (Common & { op: 'split'; seed: number; ratios: [number, number, number] });

type ResultOf<J extends DatasetJob> = J extends { op: 'stats' } ? DatasetStats : SplitResult;

/** The bundled worker's file name (an entry of electron.vite.config.ts's main build). */
export const WORKER_BUNDLE = 'dataset-worker.js';

function workerFor(job: DatasetJob): Worker {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const require = createRequire(import.meta.url);
    const source = `const { workerData } = require('node:worker_threads');
require(workerData.tsx).require(workerData.file, workerData.file);`;
    return new Worker(source, {
      eval: true,
      workerData: {
        ...job,
        tsx: require.resolve('tsx/cjs/api'),
        file: path.join(path.dirname(here), 'compute-worker.ts'),
      },
    });
  }
  const dir = path.dirname(here);
  const file = [path.join(dir, WORKER_BUNDLE), path.join(dir, '..', WORKER_BUNDLE)].find((f) => fs.existsSync(f));
  if (!file) throw new ApiError('failed', `${WORKER_BUNDLE} is missing beside ${here}; rebuild srlab`);
  return new Worker(file, { workerData: job });
}

/**
 * Run `job` on a worker thread and settle with its result. An abort terminates the worker: a
 * split's open transaction is then dropped by SQLite with the connection, writing nothing.
 */
export function runOffThread<J extends DatasetJob>(job: J, signal?: AbortSignal): Promise<ResultOf<J>> {
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
    worker.once('message', (m: { t: 'done'; result: ResultOf<J> } | ErrorMessage) => {
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

interface ErrorMessage {
  t: 'error';
  message: string;
  code?: string;
  name?: string;
}

function toError(m: ErrorMessage): Error {
  if (m.code?.startsWith('SQLITE_BUSY')) {
    return new ApiError('busy', 'the database is busy with another write (an import?); try again when it finishes');
  }
  if (m.name === 'RangeError') return new RangeError(m.message);
  return new ApiError('failed', m.message);
}
