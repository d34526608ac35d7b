import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { workerRoot } from '../../src/main/core/worker/paths';
import { REPO_ROOT } from '../helpers';

export const CLI = path.join(REPO_ROOT, 'bin', 'srlab.js');

export function assertBuilt(): void {
  if (!fs.existsSync(path.join(REPO_ROOT, 'out', 'main', 'cli.js'))) {
    throw new Error('the CLI is not built: run `npm run build` (npm test does it first)');
  }
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON object --json promises. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read fields of the printed JSON freely
  json: any;
}

/** Run the real `srlab` command as a user would. */
export function srlab(args: string[], opts: { home: string; input?: string }): CliRun {
  const r = spawnSync(process.execPath, [CLI, '--home', opts.home, ...args], {
    encoding: 'utf8',
    // stdin: the given text (e.g. a token for `hf-token set`), else empty — never the test runner's.
    input: opts.input ?? '',
    env: { ...process.env, SRLAB_HOME: '' },
    maxBuffer: 64 * 1024 * 1024,
  });
  let json: unknown = undefined;
  if (args.includes('--json')) {
    const lines = r.stdout.trim().split('\n');
    if (lines.length !== 1)
      throw new Error(`--json must print exactly one line, got:\n${r.stdout}\nstderr:\n${r.stderr}`);
    json = JSON.parse(lines[0]!);
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json };
}

/** Start `srlab serve --json --port 0` and resolve with its printed {url, token}. */
export function startServe(
  home: string,
): Promise<{ url: string; token: string; origin: string; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, '--home', home, 'serve', '--port', '0', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      const { url, token } = JSON.parse(out.slice(0, nl)) as { url: string; token: string };
      const stop = () =>
        new Promise<void>((done) => {
          child.once('exit', () => done());
          child.kill('SIGTERM');
        });
      resolve({ url, token, origin: new URL(url).origin, stop });
    });
    child.once('exit', (code) => reject(new Error(`srlab serve exited with ${code}: ${err}`)));
  });
}

/** The tiny Llama the training tests share, built once into `dir` with the worker's own script. */
export function ensureTinyLlama(python: string, dir: string): void {
  assertBuilt();
  if (fs.existsSync(path.join(dir, 'config.json'))) return;
  const built = spawnSync(python, [path.join(workerRoot(), 'scripts', 'make_tiny_llama.py'), dir], {
    encoding: 'utf8',
  });
  expect(built.status, built.stderr).toBe(0);
}
