// Starting a worker thread whose code is a TypeScript module of the core, from source and
// bundled alike.
//
// - Running from source (vitest, tsx): this file is a .ts file; the worker loads the entry's
//   .ts file through tsx's require hook (Node 20 does not apply a loader given to `new Worker`
//   on its entry file, so the hook is installed from a small eval'd script).
// - Bundled (out/main for the CLI and Electron): electron-vite emits each worker entry as its
//   own file in out/main (see electron.vite.config.ts); this code sits in out/main or
//   out/main/chunks.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../shared/contract';

/** Where a worker's code is, from source and bundled. */
export interface WorkerEntry {
  /** The caller's `import.meta.url`: `source` is relative to it. */
  from: string;
  /** The entry's TypeScript source, relative to `from` (e.g. './compute-worker.ts'). */
  source: string;
  /** The bundled entry's file name in out/main (e.g. 'dataset-worker.js'). */
  bundle: string;
}

/** Start `entry` on a worker thread with `workerData`. Throws if the bundled file is missing. */
export function startWorker(entry: WorkerEntry, workerData: object): Worker {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.ts')) {
    const require = createRequire(import.meta.url);
    const bootstrap = `const { workerData } = require('node:worker_threads');
require(workerData.tsx).require(workerData.file, workerData.file);`;
    // The bootstrap reads tsx and file off workerData; the worker reads its own fields.
    return new Worker(bootstrap, {
      eval: true,
      workerData: {
        ...workerData,
        tsx: require.resolve('tsx/cjs/api'),
        file: path.resolve(path.dirname(fileURLToPath(entry.from)), entry.source),
      },
    });
  }
  const dir = path.dirname(here);
  const file = [path.join(dir, entry.bundle), path.join(dir, '..', entry.bundle)].find((f) => fs.existsSync(f));
  if (!file) throw new ApiError('failed', `${entry.bundle} is missing beside ${here}; rebuild srlab`);
  return new Worker(file, { workerData });
}
