// Recovery of a training run whose app was killed mid-training (SIGKILL of the `srlab train`
// process, no chance to clean up), on the tiny Llama through the real CLI:
//  1. the worker was frozen too (SIGSTOP, as a worker stuck in a long kernel would be): the next
//     srlab command kills the orphan (pid files) and shows the run as interrupted;
//  2. the worker was left running: it notices its stdin closed and exits by itself;
// after each, `srlab train resume RUN` continues from the last checkpoint, the first step it logs
// being that checkpoint + 1, and finishes the run.
// Skips without the worker venv (`srlab worker setup --cpu`), except in CI where it must exist.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultVenv, venvPython } from '../../src/main/core/worker/paths';
import { isCI, tempDir } from '../helpers';
import { CLI, ensureTinyLlama, srlab, type CliRun } from './cli-helpers';

const python = venvPython(defaultVenv());
const hasVenv = fs.existsSync(python);
if (!hasVenv && isCI())
  throw new Error(`CI needs the worker venv at ${defaultVenv()}: .ci/run runs \`srlab worker setup --cpu\``);

const home = tempDir('srlab-recovery-');
const tiny = path.join(home, 'tiny-llama');
const STEPS = 16;
const SAVE = 4;
// Pinned in full (not the preset's defaults): one process, fp32, no length grouping, q/v LoRA.
const SETTINGS = [
  'use_4bit=false',
  'precision=float32',
  'response_only_loss=true',
  'fp16=false',
  'bf16=false',
  'group_by_length=false',
  'final_checkpoint=last',
  'optimizer=adamw_torch',
  `max_steps=${STEPS}`,
  `save_steps=${SAVE}`,
  'logging_steps=1',
  'per_device_train_batch_size=4',
  'learning_rate=0.003',
  'lora_r=8',
  'lora_dropout=0',
  'early_stopping_patience=0',
  'num_processes=1',
  'lora_target_modules=q_proj,v_proj',
].flatMap((s) => ['--set', s]);

interface Metric {
  step: number;
  split: 'train' | 'eval';
  at: string;
}

function start(args: string[]): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [CLI, '--home', home, ...args], {
    env: { ...process.env, SRLAB_TORCH_THREADS: '2', SRLAB_HOME: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliRun>((resolve) =>
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, json: code === 0 || stdout.trim() ? safeJson(stdout) : undefined }),
    ),
  );
  return { child, done };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text.trim());
  } catch {
    return undefined;
  }
}

async function waitFor<T>(check: () => T | undefined | false, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Gone: no such process, or a zombie nobody reaps (the app that would have reaped it is dead). */
function gone(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  }
}

/** The worker the CLI process `parent` started (its pid file in <home>/worker). */
function workerOf(parent: number): number | undefined {
  const dir = path.join(home, 'worker');
  if (!fs.existsSync(dir)) return undefined;
  for (const f of fs.readdirSync(dir)) {
    try {
      const info = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { pid: number; parent: number };
      if (info.parent === parent) return info.pid;
    } catch {
      /* being written */
    }
  }
  return undefined;
}

function checkpointsOnDisk(run: number): number[] {
  const dir = path.join(home, 'training', `run-${run}`, 'checkpoints');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((d) => /^step-\d{6}$/.test(d) && fs.existsSync(path.join(dir, d, 'trainer_state.pt')))
    .map((d) => Number(d.slice(5)))
    .sort((a, b) => a - b);
}

/** Train-split steps the run logged after `since` (ISO time), in order. */
function stepsLoggedAfter(run: number, since: string): number[] {
  const show = srlab(['train', 'show', String(run), '--json'], { home });
  return (show.json.metrics as Metric[]).filter((m) => m.split === 'train' && m.at > since).map((m) => m.step);
}

/**
 * Start (or resume) run 1, and once a checkpoint past `after` is on disk kill the `srlab train`
 * process with SIGKILL, freezing its worker first when `freezeWorker`. Returns the worker's pid
 * and the last checkpoint on disk at the kill.
 */
async function killMidTraining(args: string[], after: number, freezeWorker: boolean) {
  const { child, done } = start(args);
  const worker = await waitFor(() => workerOf(child.pid!), 120_000, 'the training worker');
  await waitFor(() => checkpointsOnDisk(1).some((s) => s > after), 180_000, `a checkpoint after step ${after}`);
  if (freezeWorker) process.kill(worker, 'SIGSTOP');
  child.kill('SIGKILL');
  const cli = await done;
  expect(cli.code).toBeNull(); // killed: it printed no result and updated nothing
  const last = checkpointsOnDisk(1).at(-1)!;
  expect(last).toBeLessThan(STEPS);
  return { worker, last, killedAt: new Date().toISOString() };
}

const ensureTiny = () => ensureTinyLlama(python, tiny);

describe.skipIf(!hasVenv)('a training run whose app was killed mid-training (tiny Llama, CPU)', () => {
  beforeAll(ensureTiny, 120_000);

  let firstKill: Awaited<ReturnType<typeof killMidTraining>>;
  let secondKill: Awaited<ReturnType<typeof killMidTraining>>;

  it('a frozen orphan worker is killed by the next srlab command, which shows the run interrupted', async () => {
    firstKill = await killMidTraining(
      ['train', '--dataset', 'cmd-demo', '--eval', 'none', '--base', tiny, '--no-gguf', ...SETTINGS, '--json'],
      0,
      true,
    );
    expect(gone(firstKill.worker)).toBe(false); // frozen, still there: only srlab can clean it up
    // Before any srlab command runs, the database still says "running": the dead CLI wrote it.
    const list = srlab(['train', 'list', '--json'], { home });
    expect(list.code, list.stderr).toBe(0);
    expect(list.json.runs[0]).toMatchObject({ id: 1, state: 'failed' });
    expect(list.json.runs[0].error).toMatch(/^interrupted: srlab stopped while this run was training/);
    expect(gone(firstKill.worker)).toBe(true); // the orphan, killed through its pid file
    expect(fs.readdirSync(path.join(home, 'worker'))).toEqual([]);
  }, 300_000);

  it('a worker left running stops by itself when the app is gone (its stdin closes)', async () => {
    // Resume, then kill the app again, this time leaving the worker running.
    secondKill = await killMidTraining(['train', 'resume', '1', '--json'], firstKill.last, false);
    // No srlab command runs until it has gone (one would kill it through its pid file).
    await waitFor(() => gone(secondKill.worker), 60_000, `worker ${secondKill.worker} to exit`);
    expect(fs.readdirSync(path.join(home, 'worker'))).toEqual([`${secondKill.worker}.json`]); // left by the killed app
    const show = srlab(['train', 'show', '1', '--json'], { home });
    expect(show.json.state).toBe('failed');
    expect(show.json.error.message).toMatch(/^interrupted/);
  }, 300_000);

  it('the resumed attempt started at the last checkpoint: the first step it logged is that checkpoint + 1', () => {
    expect(stepsLoggedAfter(1, firstKill.killedAt)[0]).toBe(firstKill.last + 1);
  });

  it('`srlab train resume` finishes the run from the last checkpoint', async () => {
    const resumed = await start(['train', 'resume', '1', '--json']).done;
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.json).toMatchObject({ run: 1, state: 'succeeded', steps: STEPS });
    expect(stepsLoggedAfter(1, secondKill.killedAt)).toEqual(
      Array.from({ length: STEPS - secondKill.last }, (_, i) => secondKill.last + 1 + i),
    );
    expect(checkpointsOnDisk(1)).toEqual(Array.from({ length: STEPS / SAVE }, (_, i) => SAVE * (i + 1)));
    expect(fs.existsSync(path.join(home, 'training', 'run-1', 'adapter', 'adapter_model.safetensors'))).toBe(true);
    // Every step 1..STEPS was logged at least once over the three attempts.
    const all = new Set(stepsLoggedAfter(1, ''));
    expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
  }, 300_000);

  it('a run killed before its first checkpoint starts again from step 0 on resume, and its log says so', async () => {
    // Long enough (400 steps, no checkpoint before step 1000) to be killed twice mid-run.
    const noCheckpoint = SETTINGS.map((a) =>
      a === `save_steps=${SAVE}` ? 'save_steps=1000' : a === `max_steps=${STEPS}` ? 'max_steps=400' : a,
    );
    const run = (srlab(['train', 'list', '--json'], { home }).json.runs.length as number) + 1;
    // Killed once its progress line (stderr) shows `step` steps done: no srlab command runs meanwhile.
    const killAtStep = async (args: string[], step: number) => {
      const { child, done } = start(args);
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      let exited = false;
      void done.then(() => (exited = true));
      await waitFor(
        () => {
          if (exited) throw new Error(`srlab ended before it was killed: ${stderr.slice(-1000)}`);
          return [...stderr.matchAll(/(\d+) steps \/ 400 steps/g)].some((m) => Number(m[1]) >= step);
        },
        180_000,
        `run ${run} to reach step ${step}`,
      );
      child.kill('SIGKILL');
      await done;
      return new Date().toISOString();
    };
    const killedAt = await killAtStep(
      ['train', '--dataset', 'cmd-demo', '--eval', 'none', '--base', tiny, '--no-gguf', ...noCheckpoint],
      3,
    );
    expect(checkpointsOnDisk(run)).toEqual([]);
    await killAtStep(['train', 'resume', String(run)], 1);
    expect(stepsLoggedAfter(run, killedAt)[0]).toBe(1); // a restart, not a resume
    // The resumed attempt's job: the newest train job of this run.
    const jobs = srlab(['jobs', '--json'], { home }).json.jobs as {
      id: number;
      kind: string;
      params: { run: number };
    }[];
    const job = jobs.filter((j) => j.kind === 'train' && j.params.run === run).sort((a, b) => b.id - a.id)[0]!;
    const log = srlab(['jobs', 'log', String(job.id), '--json'], { home });
    expect(log.code, log.stderr).toBe(0);
    const lines = (log.json.lines as { text: string }[]).map((l) => l.text);
    expect(lines.some((m) => /before its first checkpoint; training starts again from step 0/.test(m))).toBe(true);
  }, 420_000);
});
