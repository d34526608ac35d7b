// The Pythons on this machine the worker venv can be made from, as worker doctor reports them:
// a browser picks one by its index in this list (worker.setup pythonIndex) instead of naming a
// program to run, which only local callers (desktop, CLI) may do.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/contract';
import type { FoundPython } from '../../../shared/contracts/training';

/** Names looked up on PATH, newest first; the same interpreter under several names is listed once. */
const NAMES = ['python3.14', 'python3.13', 'python3.12', 'python3.11', 'python3.10', 'python3', 'python'];

function onPath(name: string, env: NodeJS.ProcessEnv): string[] {
  const exts = process.platform === 'win32' ? ['.exe'] : [''];
  return (env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .flatMap((dir) => exts.map((ext) => path.join(dir, name + ext)))
    .filter((file) => {
      try {
        return fs.statSync(file).isFile();
      } catch {
        return false;
      }
    });
}

function version(python: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      python,
      ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'],
      { timeout: 10_000 },
      (err, stdout) => resolve(err ? null : stdout.trim() || null),
    );
  });
}

/**
 * The Pythons found on PATH, in a fixed order (by NAMES, then PATH order), leaving out those in
 * the managed venv (`venv`: a venv is made from a base Python, not from itself) and those that
 * do not run.
 */
export async function findPythons(opts: { env?: NodeJS.ProcessEnv; venv?: string } = {}): Promise<FoundPython[]> {
  const env = opts.env ?? process.env;
  const seen = new Set<string>();
  const candidates: string[] = [];
  for (const name of NAMES)
    for (const file of onPath(name, env)) {
      const rel = opts.venv ? path.relative(opts.venv, file) : '..';
      if (!rel.startsWith('..') && !path.isAbsolute(rel)) continue;
      const real = fs.realpathSync(file);
      if (seen.has(real)) continue;
      seen.add(real);
      candidates.push(file);
    }
  const found: FoundPython[] = [];
  for (const file of candidates) {
    const v = await version(file);
    if (!v) continue;
    const [major, minor] = v.split('.').map(Number);
    found.push({ index: found.length, path: file, version: v, usable: major! > 3 || (major === 3 && minor! >= 10) });
  }
  return found;
}

/** The Python the doctor listed at `index` (looked up afresh), for worker.setup's pythonIndex. */
export async function pythonByIndex(
  index: number,
  opts: { env?: NodeJS.ProcessEnv; venv?: string } = {},
): Promise<string> {
  const found = await findPythons(opts);
  const p = found[index];
  if (!p)
    throw new ApiError(
      'not-found',
      `no Python ${index} on this machine (found ${found.length}: ${found.map((f) => `${f.index} ${f.path}`).join(', ') || 'none'}); run worker doctor again`,
    );
  if (!p.usable)
    throw new ApiError('invalid-input', `${p.path} is Python ${p.version}; the worker needs 3.10 or newer`);
  return p.path;
}
