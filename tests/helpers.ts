import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A file of the real benchmark data in ../shared/data (beside the checkout). */
export function sharedData(...parts: string[]): string {
  return path.resolve(REPO_ROOT, '..', 'shared', 'data', ...parts);
}

/** CI is set (GitHub and .ci/run set CI=1 or true); an empty, "0" or "false" value is not CI. */
export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.CI ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}

/**
 * Whether the tests that need this file should skip. Outside CI a missing file skips them (a
 * checkout without ../shared/data still runs the rest). CI has the data, so there a missing file
 * is a broken setup: it throws, naming the path, instead of quietly skipping.
 */
export function skipWithoutSharedData(parts: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const file = sharedData(...parts);
  if (fs.existsSync(file)) return false;
  if (isCI(env))
    throw new Error(
      `CI: the shared data file ${file} is missing; the tests that read it must run in CI (put ../shared/data beside the checkout)`,
    );
  console.warn(`SKIP: no shared data at ${file}`);
  return true;
}

/** True when the file is there; false (skip) outside CI; throws under CI when it is missing. */
export function hasSharedData(...parts: string[]): boolean {
  return !skipWithoutSharedData(parts);
}

const tempDirs: string[] = [];

/** A fresh temporary directory, removed after the test run (one exit hook for all of them). */
export function tempDir(prefix = 'srlab-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (tempDirs.push(dir) === 1)
    process.on('exit', () => {
      for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
    });
  return dir;
}
