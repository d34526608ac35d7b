// `srlab train --base OWNER/NAME` against a local Hub stub (python-worker/tests/hf_stub.py through
// HF_ENDPOINT; never the real network): the base is downloaded first as part of the train job, the
// run keeps the id as its base and records the commit, a gated repo fails with the "gated" hint
// until a token is given, and `srlab hf-token` never takes the token from argv.
// Skips without the worker venv (`srlab worker setup --cpu`), except in CI where it must exist.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultVenv, venvPython, workerRoot } from '../../src/main/core/worker/paths';
import { tempDir } from '../helpers';
import { assertBuilt, CLI, type CliRun } from './cli-helpers';

const python = venvPython(defaultVenv());
const hasVenv = fs.existsSync(python);
if (!hasVenv && process.env.CI)
  throw new Error(`CI needs the worker venv at ${defaultVenv()}: .ci/run runs \`srlab worker setup --cpu\``);

const home = tempDir('srlab-train-hf-');
const tiny = path.join(home, 'tiny-llama');
const TOKEN = 'hf_stub_token_0123456789';
const SETTINGS = ['use_4bit=false', 'max_steps=2', 'save_steps=2', 'per_device_train_batch_size=4', 'lora_r=4'].flatMap(
  (s) => ['--set', s],
);
let stub: ChildProcessWithoutNullStreams;
let hubUrl = '';

function run(args: string[], extraEnv: Record<string, string> = {}, input?: string): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SRLAB_HOME: '',
    SRLAB_TORCH_THREADS: '2',
    HF_ENDPOINT: hubUrl,
    HF_HOME: path.join(home, 'hf'),
    HF_HUB_CACHE: path.join(home, 'hf', 'hub'),
    HF_HUB_DISABLE_XET: '1',
    HF_HUB_DISABLE_TELEMETRY: '1',
    ...extraEnv,
  };
  if (!('HF_TOKEN' in extraEnv)) delete env.HF_TOKEN;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--home', home, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(input ?? '');
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, json: args.includes('--json') ? JSON.parse(stdout.trim()) : undefined }),
    );
  });
}

describe.skipIf(!hasVenv)('srlab train --base <Hugging Face id>', () => {
  beforeAll(async () => {
    assertBuilt();
    const built = spawnSync(python, [path.join(workerRoot(), 'scripts', 'make_tiny_llama.py'), tiny], {
      encoding: 'utf8',
    });
    expect(built.status, built.stderr).toBe(0);
    stub = spawn(python, [
      path.join(workerRoot(), 'tests', 'hf_stub.py'),
      `stub-org/tiny-llama=${tiny}`,
      `stub-org/tiny-gated=${tiny}=${TOKEN}`,
    ]);
    const first = await new Promise<string>((resolve) =>
      readline.createInterface({ input: stub.stdout }).once('line', resolve),
    );
    hubUrl = (JSON.parse(first) as { url: string }).url;
  }, 120_000);
  afterAll(() => stub?.kill());

  it('downloads the base inside the train job, trains from the snapshot and records the commit', async () => {
    const r = await run([
      'train',
      '--dataset',
      'cmd-demo',
      '--base',
      'stub-org/tiny-llama',
      '--no-gguf',
      ...SETTINGS,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ state: 'succeeded', steps: 2 });
    const stored = (await run(['train', 'list', '--json'])).json.runs[0];
    expect(stored.base).toBe('stub-org/tiny-llama');
    expect(stored.versions.baseRevision).toMatch(/^[0-9a-f]{40}$/);
    const snap = path.join(
      home,
      'hf',
      'hub',
      'models--stub-org--tiny-llama',
      'snapshots',
      stored.versions.baseRevision,
    );
    expect(fs.existsSync(path.join(snap, 'model.safetensors'))).toBe(true);
    const log = await run(['jobs', 'log', String(stored.jobId), '--json']);
    expect(log.stdout).toMatch(/fetching from the Hugging Face Hub/);
    expect(log.stdout).toMatch(/commit [0-9a-f]{40}/);
  }, 240_000);

  it('fails a gated base with the licence/token hint, and trains once HF_TOKEN is given', async () => {
    const denied = await run([
      'train',
      '--dataset',
      'cmd-demo',
      '--base',
      'stub-org/tiny-gated',
      '--no-gguf',
      ...SETTINGS,
      '--json',
    ]);
    expect(denied.code).toBe(1);
    expect(denied.json.state).toBe('failed');
    expect(denied.json.error.message).toMatch(/gated/);
    expect(denied.json.error.message).toMatch(/huggingface\.co\/stub-org\/tiny-gated.*srlab hf-token set/);

    const ok = await run(
      ['train', '--dataset', 'cmd-demo', '--base', 'stub-org/tiny-gated', '--no-gguf', ...SETTINGS, '--json'],
      { HF_TOKEN: TOKEN },
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json.state).toBe('succeeded');
    const log = await run([
      'jobs',
      'log',
      String((await run(['train', 'list', '--json'])).json.runs[0].jobId),
      '--json',
    ]);
    expect(log.stdout).toMatch(/token: HF_TOKEN/);
    expect(log.stdout).not.toContain(TOKEN);
  }, 240_000);

  it('hf-token reads the token from stdin only and reports where it comes from', async () => {
    const none = await run(['hf-token', 'status', '--json']);
    expect(none.json).toMatchObject({ hasToken: false, backend: null });
    const env = await run(['hf-token', '--json'], { HF_TOKEN: TOKEN });
    expect(env.json).toMatchObject({ hasToken: true, backend: 'env' });
    expect(env.stdout).not.toContain(TOKEN);
    const empty = await run(['hf-token', 'set'], {}, '');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/nothing on stdin/);
    expect((await run(['hf-token', 'set', TOKEN])).code).not.toBe(0);
  });
});
