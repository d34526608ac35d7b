import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The managed venv lives outside any data home (one per user, shared by every home and by
 * tests): `SRLAB_WORKER_VENV`, else the OS cache dir for srlab.
 */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (process.platform === 'win32')
    return path.join(env.LOCALAPPDATA ?? path.join(os.homedir(), 'AppData', 'Local'), 'srlab');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'srlab');
  return path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'srlab');
}

export function defaultVenv(env: NodeJS.ProcessEnv = process.env): string {
  return env.SRLAB_WORKER_VENV ? path.resolve(env.SRLAB_WORKER_VENV) : path.join(cacheRoot(env), 'worker-venv');
}

export function venvPython(venv: string): string {
  return process.platform === 'win32' ? path.join(venv, 'Scripts', 'python.exe') : path.join(venv, 'bin', 'python');
}

/** `python-worker/`: beside `src/` in a checkout or `out/` after a build; in resources when packaged. */
export function workerRoot(): string {
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  if (packaged && fs.existsSync(path.join(packaged, 'python-worker', 'srlab_worker')))
    return path.join(packaged, 'python-worker');
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'python-worker');
    if (fs.existsSync(path.join(candidate, 'srlab_worker', '__init__.py'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the srlab python-worker folder');
    dir = parent;
  }
}
