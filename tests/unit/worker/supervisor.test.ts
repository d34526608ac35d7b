// The worker supervisor against the real Python worker (its debug jobs need only the standard
// library, so these run with any python3): ready, events, cancel, crash, never-ready, orphans.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processAlive } from '../../../src/main/core/jobs';
import { defaultVenv, venvPython, workerRoot } from '../../../src/main/core/worker/paths';
import { cleanupOrphans, WorkerError, WorkerProcess } from '../../../src/main/core/worker/process';
import { tempDir } from '../../helpers';

const python = fs.existsSync(venvPython(defaultVenv())) ? venvPython(defaultVenv()) : 'python3';
const env = { SRLAB_WORKER_DEBUG: '1', SRLAB_WORKER_HEARTBEAT_S: '0.2' };
const started: WorkerProcess[] = [];

async function start(extra: Partial<Parameters<typeof WorkerProcess.start>[0]> = {}): Promise<WorkerProcess> {
  const w = await WorkerProcess.start({ python, root: workerRoot(), env, readyTimeoutMs: 20_000, ...extra });
  started.push(w);
  return w;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.close()));
});

async function rejection(p: Promise<unknown>): Promise<WorkerError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WorkerError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

describe('worker supervisor', () => {
  it('waits for the ready message and runs a job with its progress events', async () => {
    const w = await start();
    expect(w.readyInfo.pid).toBe(w.pid);
    const events: unknown[] = [];
    const result = await w.request('debug.sleep', { steps: 3, step_s: 0.01 }, { onEvent: (e) => events.push(e.done) });
    expect(result).toEqual({ steps: 3 });
    expect(events).toEqual([1, 2, 3]);
  });

  it('rejects an unknown method with a typed error and keeps the worker', async () => {
    const w = await start();
    const err = await rejection(w.request('no.such', {}));
    expect(err.code).toBe('bad-request');
    expect(await w.request('debug.sleep', { steps: 1, step_s: 0 })).toEqual({ steps: 1 });
  });

  it('ignores malformed lines on stdin (the worker answers them) and stays usable', async () => {
    const w = await start();
    w.sendRaw('{garbage');
    expect(await w.request('debug.sleep', { steps: 1, step_s: 0 })).toEqual({ steps: 1 });
  });

  it('cancels a job during a step by message; the worker lives on', async () => {
    const w = await start();
    const abort = new AbortController();
    const job = w.request(
      'debug.sleep',
      { steps: 200, step_s: 0.02 },
      { signal: abort.signal, onEvent: () => abort.abort() },
    );
    expect((await rejection(job)).code).toBe('cancelled');
    expect(w.alive).toBe(true);
  });

  it('escalates to SIGTERM when a step does not end within the grace period', async () => {
    const w = await start({ cancelGraceMs: 300 });
    const abort = new AbortController();
    const job = w.request('debug.sleep', { steps: 2, step_s: 30 }, { signal: abort.signal });
    setTimeout(() => abort.abort(), 200);
    expect((await rejection(job)).code).toBe('cancelled');
    await w.exited_();
    expect(w.alive).toBe(false);
  });

  it('fails the job with the reason and stderr tail when the worker crashes mid-job', async () => {
    const w = await start();
    const err = await rejection(w.request('debug.crash', { code: 7 }));
    expect(err.code).toBe('crashed');
    expect(err.message).toMatch(/exited \(code 7\) during "debug.crash": about to die/);
    expect(err.stderrTail).toContain('simulated segfault');
  });

  it('kills a worker that never says ready', async () => {
    const err = await rejection(start({ env: { ...env, SRLAB_WORKER_NEVER_READY: '1' }, readyTimeoutMs: 1500 }));
    expect(err.code).toBe('never-ready');
  });

  it('kills an orphaned worker at the next launch through its pid file', async () => {
    const pidDir = tempDir('srlab-pids-');
    const w = await start({ pidDir });
    const file = path.join(pidDir, `${w.pid}.json`);
    // Its parent is gone (a pid that cannot exist): an orphan.
    fs.writeFileSync(file, JSON.stringify({ pid: w.pid, parent: 2 ** 22 + 1 }));
    expect(cleanupOrphans(pidDir, processAlive)).toEqual([w.pid]);
    await w.exited_();
    expect(fs.existsSync(file)).toBe(false);
  });
});
