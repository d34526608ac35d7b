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

/** A fresh temporary directory, removed after the test run. */
export function tempDir(prefix = 'srlab-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
