// What every e2e test needs: Debian's Chromium driven by playwright-core, and the real
// `srlab serve` (the built CLI) in a temporary data home.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator } from 'playwright-core';
import { writeTinyModel } from '../../scripts/make-tiny-gguf.js';
import { REPO_ROOT } from '../helpers';

export const CHROMIUM = '/usr/bin/chromium';
/** Without the background-networking flags Chromium keeps dialling Google on this closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];
export const hasChromium = fs.existsSync(CHROMIUM);
/** Screenshots land here (gitignored) for a person to look at. */
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');

export function launchChromium(): Promise<Browser> {
  if (!hasChromium) throw new Error(`Chromium is required at ${CHROMIUM} (apt-get install -y chromium)`);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface Served {
  child: ChildProcess;
  url: string;
  token: string;
  origin: string;
}

/**
 * Start `srlab serve --port 0 --json` (one inference thread) and read the one JSON line it prints
 * when ready. `env` adds variables for this server, e.g. HF_ENDPOINT or SRLAB_WORKER_VENV.
 */
export function startServe(home: string, env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(
    process.execPath,
    [path.join(REPO_ROOT, 'bin', 'srlab.js'), 'serve', '--home', home, '--port', '0', '--json'],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SRLAB_HOME: '', SRLAB_THREADS: '1', ...env },
    },
  );
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`srlab serve did not get ready in 30 s\n${stderr}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n').find((l) => l.trim().startsWith('{'));
      if (!line || !stdout.includes('\n')) return;
      clearTimeout(timer);
      const { url, token } = JSON.parse(line) as { url: string; token: string };
      resolve({ child, url, token, origin: new URL(url).origin });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`srlab serve exited with ${code}\n${stderr}`));
    });
  });
}

export async function stopServe(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

export async function textOf(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? '').trim();
}

/** The real CLI with --json on a data home (before serve starts, the home is then the server's). */
export function srlabJson<T = unknown>(home: string, args: string[]): T {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'srlab.js'), '--home', home, ...args, '--json'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, SRLAB_HOME: '', SRLAB_THREADS: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`srlab ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}

/** A generation run of a tiny model made for a test, and what it wrote. */
export interface TinyRun {
  id: number;
  model: string;
  /** The model file's sha256 (blinding tests look for it in what evaluators receive). */
  sha256: string;
  /** Output by input text. */
  outputs: Map<string, string>;
}

/**
 * Tiny GGUF models with different weights (seeds `seed`, `seed + 1`, …), each added to the data
 * home and run once over the same 3 demo prompts with 8 tokens, through the real CLI.
 */
export function makeTinyRuns(
  home: string,
  dir: string,
  runs: { model: string; run: string }[],
  seed: number,
): TinyRun[] {
  return runs.map(({ model, run }, i) => {
    const file = path.join(dir, `${model}.gguf`);
    writeTinyModel(file, { seed: seed + i });
    srlabJson(home, ['models', 'add', file, '--name', model]);
    const made = srlabJson<{ run: { id: number }; items: { input: string; output: string }[] }>(home, [
      ...['generate', '--model', model, '--dataset', 'cmd-demo', '--split', 'all'],
      ...['--limit', '3', '--max-tokens', '8', '--name', run],
    ]);
    return {
      id: made.run.id,
      model,
      sha256: createHash('sha256').update(fs.readFileSync(file)).digest('hex'),
      outputs: new Map(made.items.map((it) => [it.input, it.output])),
    };
  });
}

/** Which of the runs (its index) wrote the response an evaluator was shown for a prompt; exactly one must have. */
export function runThatWrote(runs: readonly TinyRun[], prompt: string, response: string): number {
  const hits = runs
    .map((r, i) => ({ i, ok: [...r.outputs].some(([input, out]) => prompt.includes(input) && out === response) }))
    .filter((h) => h.ok);
  if (hits.length !== 1)
    throw new Error(`expected exactly one run to have written "${response}" for "${prompt}", found ${hits.length}`);
  return hits[0]!.i;
}

/**
 * A data home ready to evaluate: a tiny GGUF model named `tiny`, the demo dataset split, and an
 * embedded annotation scorer trained on it (through the real CLI, before serve starts).
 */
export function homeWithTinyModelAndScorer(home: string, dir: string, scorer: string): void {
  fs.mkdirSync(home, { recursive: true });
  const model = path.join(dir, 'tiny.gguf');
  writeTinyModel(model);
  srlabJson(home, ['models', 'add', model, '--name', 'tiny']);
  srlabJson(home, ['split', 'cmd-demo']);
  srlabJson(home, ['scorers', 'train', '--dataset', 'cmd-demo', '--label', 'annotation', '--name', scorer]);
}

/** A call with the lab's token, as a second client would make it (to check the UI against). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read fields of the JSON answer freely
export async function labCall<T = any>(served: Served, method: string, input: unknown): Promise<T> {
  const r = await fetch(`${served.origin}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${served.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await r.json()) as { ok: boolean; result: T; error?: unknown };
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body)}`);
  return body.result;
}
