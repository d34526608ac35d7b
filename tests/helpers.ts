import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A file of the real benchmark data in ../shared/data (beside the checkout); tests skip when it is absent. */
export function sharedData(...parts: string[]): string {
  return path.resolve(REPO_ROOT, '..', 'shared', 'data', ...parts);
}

export function hasSharedData(...parts: string[]): boolean {
  return fs.existsSync(sharedData(...parts));
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
