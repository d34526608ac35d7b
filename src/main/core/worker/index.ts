// The worker service: the managed venv, doctor, and supervised worker processes with a
// restart limit, pid files and orphan cleanup at launch.
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/contract';
import type { WorkerDoctor } from '../../../shared/contracts/training';
import { processAlive } from '../jobs';
import type { JobService, StartedJob } from '../jobs';
import { defaultVenv, venvPython, workerRoot } from './paths';
import { callWorker } from './methods';
import { cleanupOrphans, WorkerError, WorkerProcess, type WorkerOptions } from './process';
import { findPythons, pythonByIndex } from './pythons';
import { setupVenv } from './setup';

export { WorkerError, WorkerProcess } from './process';
export type { WorkerEvent } from './process';
export { callWorker, expectWorker, toWireParams, WORKER_METHODS } from './methods';
export { classifyTexts } from './classify';
export type { ClassifyInput, ClassifyResult } from './classify';
export type { FileTokenCount, WorkerJobEvent, WorkerMethod, WorkerParams, WorkerResult } from './methods';

/** At most this many crashes in the window before the service refuses to restart the worker. */
const RESTART_LIMIT = 3;
const RESTART_WINDOW_MS = 10 * 60_000;

export interface WorkerService {
  venv: string;
  python(): string | null;
  /** A fresh worker for one job (closed by the caller); counts crashes against the restart limit. */
  spawn(opts?: Partial<WorkerOptions>): Promise<WorkerProcess>;
  doctor(): Promise<WorkerDoctor>;
  startSetup(
    input: { python?: string | undefined; pythonIndex?: number | undefined; cpu: boolean },
    log?: (line: string) => void,
  ): StartedJob<{ venv: string; python: string; requirements: string }>;
  close(): Promise<void>;
}

export function createWorkerService(deps: { home: string; jobs: JobService; venv?: string }): WorkerService {
  const venv = deps.venv ?? defaultVenv();
  const pidDir = path.join(deps.home, 'worker');
  const live = new Set<WorkerProcess>();
  const crashes: number[] = [];
  cleanupOrphans(pidDir, processAlive);

  const python = () => {
    const p = venvPython(venv);
    return fs.existsSync(p) ? p : null;
  };

  async function spawnWorker(opts: Partial<WorkerOptions> = {}): Promise<WorkerProcess> {
    const py = opts.python ?? python();
    if (!py)
      throw new ApiError(
        'failed',
        `no worker environment at ${venv}: run \`srlab worker setup\` (add --cpu without a GPU)`,
      );
    const recent = crashes.filter((t) => Date.now() - t < RESTART_WINDOW_MS);
    if (recent.length >= RESTART_LIMIT)
      throw new ApiError(
        'failed',
        `the worker crashed ${recent.length} times in 10 minutes; not restarting it (see the failed jobs' stderr)`,
      );
    const w = await WorkerProcess.start({ root: workerRoot(), pidDir, ...opts, python: py });
    live.add(w);
    void w.exited_().then(() => live.delete(w));
    const request = w.request.bind(w);
    w.request = (method, params, o) =>
      request(method, params, o).catch((err: unknown) => {
        if (err instanceof WorkerError && err.code === 'crashed') crashes.push(Date.now());
        throw err;
      });
    return w;
  }

  async function doctor(): Promise<WorkerDoctor> {
    const py = python();
    // What setup could make the venv from (a browser picks one of these by index).
    const pythons = await findPythons({ venv });
    const empty: WorkerDoctor = {
      installed: false,
      venv,
      python: null,
      pythonVersion: null,
      packages: {},
      cuda: { available: false, version: null },
      gpus: [],
      canRun: [],
      problems: [`no worker environment at ${venv}: run \`srlab worker setup\` (add --cpu without a GPU)`],
      pythons,
    };
    if (!py) return empty;
    let w: WorkerProcess | undefined;
    try {
      w = await spawnWorker();
      const r = await callWorker(w, 'doctor', {});
      return { installed: true, venv, ...r, pythons };
    } catch (err) {
      return {
        ...empty,
        installed: true,
        python: py,
        problems: [`the worker does not start: ${(err as Error).message}`],
      };
    } finally {
      await w?.close();
    }
  }

  return {
    venv,
    python,
    spawn: spawnWorker,
    doctor,
    startSetup(input, log) {
      return deps.jobs.start({
        kind: 'worker-setup',
        title: `Set up the worker (${input.cpu ? 'CPU' : 'GPU'} stack)`,
        params: input,
        unit: 'steps',
        queue: 'worker-setup',
        run: async (ctx) =>
          setupVenv({
            venv,
            // A browser names one of the Pythons the doctor found, looked up afresh here.
            python: input.pythonIndex !== undefined ? await pythonByIndex(input.pythonIndex, { venv }) : input.python,
            cpu: input.cpu,
            signal: ctx.signal,
            log: (line, level) => {
              ctx.log(line, level);
              log?.(line);
            },
            step: (done, total) => ctx.progress(done, total),
          }),
      });
    },
    async close() {
      await Promise.all([...live].map((w) => w.close()));
    },
  };
}
