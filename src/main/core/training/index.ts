// Training runs: export the split, drive the worker's `train` job, record metrics and
// checkpoints live, then merge + convert to GGUF and register it in the model library.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ParsedInput } from '../../../shared/api';
import { ApiError } from '../../../shared/contract';
import { SPLITS, type Split } from '../../../shared/domain';
import type { JobInfo } from '../../../shared/contracts/jobs';
import type { TrainMetric, TrainPreset, TrainRun } from '../../../shared/contracts/training';
import type { DatasetService } from '../datasets';
import type { Db } from '../db';
import type { EventBus } from '../events';
import type { JobContext, JobService } from '../jobs';
import type { LlmService } from '../llm';
import { hfToken } from '../llm/secrets';
import type { HomePaths } from '../paths';
import { packageVersion } from '../resources';
import {
  callWorker,
  expectWorker,
  toWireParams,
  WorkerError,
  type WorkerJobEvent,
  type WorkerParams,
  type WorkerProcess,
  type WorkerResult,
  type WorkerService,
} from '../worker';
import { workerRoot } from '../worker/paths';
import { exportForTraining, loadPresets, resolveConfig, trainingTemplate } from './config';
import { startEnergyMeter } from './energy';
import { joinScript, type Launch, multiNodeFromEnv, resolveProcesses, trainLaunch } from './launch';
import { ensureLlamaCpp } from './llamacpp';
import { type GpuInfo, queryGpus } from './preflight';
import { createTrainStore } from './store';

export { parseSetting } from './config';

const RUN_EVENT_INTERVAL_MS = 250;
const CANCEL_POLL_MS = 500;

export interface StartedTrain {
  run: TrainRun;
  job: JobInfo;
  done: Promise<TrainRun>;
}

export interface TrainingService {
  presets(): TrainPreset[];
  start(input: ParsedInput<'train.start'>): StartedTrain;
  resume(id: number): StartedTrain;
  cancel(id: number): TrainRun;
  get(id: number): TrainRun;
  list(limit: number): TrainRun[];
  metrics(id: number): TrainMetric[];
}

function sha256File(files: string[]): string {
  const h = crypto.createHash('sha256');
  for (const f of files) h.update(fs.readFileSync(f));
  return h.digest('hex');
}

/** A base resolved to a local model folder (resolveBase) rather than a Hugging Face id. */
function isLocalBase(base: string): boolean {
  return path.isAbsolute(base) && fs.existsSync(base);
}

/** A Hugging Face model id, optionally pinned to a revision: `org/name` or `org/name@rev`. */
const HF_REF = /^([\w.-]+\/)?[\w.-]+(@[\w./-]+)?$/;

/**
 * A base given as a folder must be a model folder; anything else is a Hugging Face id, optionally
 * pinned (`meta-llama/Llama-2-7b-chat-hf@08751db2`: a commit, branch or tag) so a run is repeatable.
 */
export function resolveBase(base: string): { base: string; revision: string | null } {
  const looksLikePath = base.startsWith('.') || path.isAbsolute(base) || fs.existsSync(base);
  if (looksLikePath) {
    const dir = path.resolve(base);
    if (!fs.existsSync(path.join(dir, 'config.json')))
      throw new ApiError('invalid-input', `${dir} is not a Hugging Face model folder (no config.json)`);
    return { base: dir, revision: null };
  }
  if (!HF_REF.test(base))
    throw new ApiError(
      'invalid-input',
      `"${base}" is neither a model folder nor a Hugging Face id (org/name, optionally @revision)`,
    );
  const at = base.indexOf('@');
  return at < 0 ? { base, revision: null } : { base: base.slice(0, at), revision: base.slice(at + 1) };
}

export function createTrainingService(deps: {
  db: Db;
  paths: HomePaths;
  jobs: JobService;
  events: EventBus;
  worker: WorkerService;
  datasets: DatasetService;
  llm: LlmService;
  now: () => Date;
  /** CUDA GPUs on this machine (nvidia-smi by default). */
  gpus?: () => Promise<GpuInfo[]>;
}): TrainingService {
  const { jobs, events, worker, now } = deps;
  const store = createTrainStore(deps.db);
  store.markInterrupted(now().toISOString());
  const root = path.join(deps.paths.home, 'training');
  let lastRunEmit = 0;

  function publish(run: TrainRun, force = false): void {
    store.save(run);
    const t = Date.now();
    if (force || t - lastRunEmit >= RUN_EVENT_INTERVAL_MS) {
      lastRunEmit = t;
      events.emit({ type: 'train-run', run: structuredClone(run) });
    }
  }

  function get(id: number): TrainRun {
    const run = store.get(id);
    if (!run) throw new ApiError('not-found', `no training run ${id} (see srlab train list)`);
    return run;
  }

  async function execute(
    run: TrainRun,
    ctx: JobContext,
    resumeFrom: string | null,
    startNote: string | null,
  ): Promise<TrainRun> {
    const pue = run.energy?.pue ?? 1;
    const intensity = run.energy?.carbonIntensity ?? 0.4;
    const meter = startEnergyMeter({ pue, carbonIntensity: intensity });
    // `srlab train cancel` from another process sets a flag in the database; poll it.
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    store.clearCancel(run.id);
    const poll = setInterval(() => {
      if (store.cancelRequested(run.id)) abort.abort();
    }, CANCEL_POLL_MS);
    let w: WorkerProcess | undefined;
    Object.assign(run, { state: 'running', error: null, stderrTail: null, finishedAt: null, jobId: ctx.jobId });
    publish(run, true);
    if (startNote) ctx.log(startNote, 'warn');
    const trainFile = path.join(run.runDir, 'train.jsonl');
    const evalFile = path.join(run.runDir, 'eval.jsonl');
    try {
      // A Hugging Face id is downloaded first (its own phase, in bytes); training reads the snapshot.
      const base = isLocalBase(run.base) ? run.base : await fetchBase(run, ctx, abort.signal);
      const params: WorkerParams<'train'> = {
        base,
        trainFile,
        evalFile: fs.existsSync(evalFile) ? evalFile : null,
        config: run.config,
        runDir: run.runDir,
        resumeFrom,
      };
      const onEvent = (e: WorkerJobEvent) => {
        if (e.event === 'progress') {
          run.step = e.done;
          run.totalSteps = e.total;
          ctx.progress(run.step, run.totalSteps);
          publish(run);
        } else if (e.event === 'metric') {
          const m: TrainMetric = {
            step: e.step,
            split: e.split,
            loss: e.loss,
            lr: e.lr,
            gradNorm: e.gradNorm,
            tokensPerSecond: e.tokensPerSecond,
            at: now().toISOString(),
          };
          store.addMetric(run.id, m);
          if (m.split === 'train') {
            run.initialLoss ??= m.loss;
            run.finalLoss = m.loss;
          } else if (run.bestEvalLoss === null || m.loss < run.bestEvalLoss) run.bestEvalLoss = m.loss;
          events.emit({ type: 'train-metric', runId: run.id, metric: m });
        } else if (e.event === 'checkpoint') {
          run.checkpoints = run.checkpoints.filter((c) => c.step !== e.step);
          run.checkpoints.push({
            step: e.step,
            dir: e.dir,
            trainLoss: e.trainLoss,
            evalLoss: e.evalLoss,
            createdAt: now().toISOString(),
          });
          publish(run, true);
        } else if (e.event === 'log') {
          ctx.log(e.message, e.level);
          if (process.env.SRLAB_VERBOSE) process.stderr.write(`worker: ${e.message}\n`);
        }
      };
      const launch = await planLaunch(run);
      let done: WorkerResult<'train'>;
      if (launch.mode === 'accelerate') {
        done = await trainDistributed(run, launch, params, onEvent, abort.signal);
      } else {
        w = await worker.spawn();
        done = await callWorker(w, 'train', params, { signal: abort.signal, onEvent });
      }
      Object.assign(run, {
        step: done.steps,
        totalSteps: done.totalSteps,
        // The worker's first-step loss, also when logging_steps left it out of the metrics.
        initialLoss: done.initialLoss ?? run.initialLoss,
        finalLoss: done.finalLoss ?? run.finalLoss,
        bestEvalLoss: done.bestEvalLoss,
        stoppedEarly: done.stoppedEarly,
        adapterDir: done.adapterDir,
        adapterCheckpoint: done.adapterCheckpoint ?? null,
        examples: done.examples,
        truncated: done.truncated,
        versions: {
          ...done.versions,
          ...(run.versions.baseRevision ? { baseRevision: run.versions.baseRevision } : {}),
          srlab: packageVersion(),
        },
        device: done.device,
      });
      publish(run, true);
      if (run.exportGguf) await exportGguf(run, base, (w ??= await worker.spawn()), abort.signal);
      run.state = 'succeeded';
      return run;
    } catch (err) {
      const cancelled = abort.signal.aborted || (err instanceof WorkerError && err.code === 'cancelled');
      run.state = cancelled ? 'cancelled' : 'failed';
      run.error = cancelled ? 'cancelled by the user; resume from the last checkpoint' : (err as Error).message;
      if (!cancelled && err instanceof WorkerError) {
        if (err.hint) run.error += ` (${err.hint})`;
        run.stderrTail = err.stderrTail || w?.stderrTail() || null;
      }
      throw cancelled
        ? new ApiError('cancelled', run.error)
        : err instanceof ApiError
          ? err
          : new ApiError('failed', run.error);
    } finally {
      clearInterval(poll);
      ctx.signal.removeEventListener('abort', onAbort);
      await w?.close();
      run.energy = await meter.stop().then((e) => (run.energy?.seconds ? accumulate(run.energy, e) : e));
      run.finishedAt = now().toISOString();
      publish(run, true);
    }
  }

  /** Energy of a resumed run adds to what the earlier attempts used. */
  function accumulate(prev: NonNullable<TrainRun['energy']>, next: NonNullable<TrainRun['energy']>) {
    const add = (a: number | null, b: number | null) => (a === null && b === null ? null : (a ?? 0) + (b ?? 0));
    return {
      ...next,
      measured: prev.measured || next.measured,
      gpuKwh: add(prev.gpuKwh, next.gpuKwh),
      cpuKwh: add(prev.cpuKwh, next.cpuKwh),
      kwh: add(prev.kwh, next.kwh),
      co2Kg: add(prev.co2Kg, next.co2Kg),
      seconds: prev.seconds + next.seconds,
    };
  }

  /** One process in the stdio worker, or DDP through accelerate (one rank per GPU, or num_processes). */
  async function planLaunch(run: TrainRun): Promise<Launch> {
    const gpus = run.config.num_processes > 0 ? 0 : (await (deps.gpus ?? queryGpus)()).length;
    return trainLaunch({
      python: worker.python() ?? 'python3',
      processes: resolveProcesses(run.config.num_processes, gpus),
      paramsFile: path.join(run.runDir, 'train-params.json'),
      multiNode: multiNodeFromEnv(process.env),
    });
  }

  /**
   * DDP: accelerate launch starts train_entry on every rank; rank 0 speaks the worker protocol
   * under the fixed request id "train". Cancel is a file every rank agrees on at the next
   * micro-step; the process group is signalled only if that does not end the run.
   */
  async function trainDistributed(
    run: TrainRun,
    launch: Extract<Launch, { mode: 'accelerate' }>,
    params: WorkerParams<'train'>,
    onEvent: (e: WorkerJobEvent) => void,
    signal: AbortSignal,
  ): Promise<WorkerResult<'train'>> {
    const cancelFile = path.join(run.runDir, 'cancel.request');
    fs.rmSync(cancelFile, { force: true });
    const paramsFile = launch.args[launch.args.indexOf('--params') + 1]!;
    fs.writeFileSync(paramsFile, JSON.stringify(toWireParams('train', { ...params, cancelFile }), null, 2));
    if (launch.args.includes('--num_machines'))
      fs.writeFileSync(path.join(run.runDir, 'join-node.sh'), joinScript(launch, workerRoot()), { mode: 0o755 });
    const ranks = await worker.spawn({
      args: launch.args,
      processGroup: true,
      // Rank 0 waits for every rank (and machine) to join before it says ready.
      readyTimeoutMs: 15 * 60_000,
      // Ranks load the base and tokenize before their first event: no stdout for minutes is normal.
      heartbeatTimeoutMs: 0,
      cancelGraceMs: 30_000,
    });
    try {
      return await expectWorker(ranks, 'train', 'train', {
        signal,
        onEvent,
        cancel: () => fs.writeFileSync(cancelFile, new Date().toISOString()),
      });
    } finally {
      await ranks.close(15_000);
      fs.rmSync(cancelFile, { force: true });
    }
  }

  /**
   * Download a Hugging Face base into the hub cache with the worker's fetch_base job: byte progress
   * on the job, a prompt cancel, a resumable partial file, typed errors (gated, not-found,
   * network). The token (keychain, else HF_TOKEN) goes to that one worker process as HF_TOKEN,
   * never into params or logs. The commit sha is recorded as versions.baseRevision, and a resumed
   * run fetches that same commit.
   */
  async function fetchBase(run: TrainRun, ctx: JobContext, signal: AbortSignal): Promise<string> {
    const token = await hfToken(deps.llm.secrets);
    const revision = run.versions.baseRevision ?? 'main';
    ctx.setUnit('bytes');
    ctx.log(
      `base ${run.base}@${revision.slice(0, 12)}: fetching from the Hugging Face Hub (token: ${token ? (token.backend === 'env' ? 'HF_TOKEN' : 'keychain') : 'none'})`,
    );
    const fw = await worker.spawn(token ? { env: { HF_TOKEN: token.value } } : {});
    try {
      const got = await callWorker(
        fw,
        'fetch_base',
        { repo: run.base, revision },
        {
          signal,
          onEvent: (e) => {
            if (e.event === 'progress') ctx.progress(e.done, e.total);
            else if (e.event === 'log') ctx.log(e.message, e.level);
          },
        },
      );
      run.versions = { ...run.versions, baseRevision: got.revision };
      publish(run, true);
      ctx.log(
        `base ${run.base}: commit ${got.revision}, ${got.files.length} files, ${(got.bytes / 1e9).toFixed(2)} GB` +
          (got.cached ? ' (already in the cache)' : `, ${(got.downloaded / 1e9).toFixed(2)} GB downloaded`),
      );
      return got.path;
    } finally {
      await fw.close();
      ctx.setUnit('steps', run.totalSteps);
    }
  }

  async function exportGguf(run: TrainRun, base: string, w: WorkerProcess, signal: AbortSignal): Promise<void> {
    const llamaCpp = ensureLlamaCpp();
    const merged = path.join(run.runDir, 'merged');
    if (!run.adapterDir) throw new ApiError('failed', 'the run has no adapter to merge');
    const { adapterCheckpoint: mergedFrom } = await callWorker(
      w,
      'merge',
      { base, adapterDir: run.adapterDir, outDir: merged },
      { signal },
    );
    // The merge (and so the GGUF) must hold the weights the run recorded as its adapter.
    if (run.adapterCheckpoint && mergedFrom?.step !== run.adapterCheckpoint.step)
      throw new ApiError(
        'failed',
        `the merge found the adapter of step ${mergedFrom?.step ?? '?'}, but the run recorded step ${run.adapterCheckpoint.step}`,
      );
    run.mergedDir = merged;
    const gguf = path.join(run.runDir, `${run.name}.gguf`);
    await callWorker(
      w,
      'export_gguf',
      { modelDir: merged, outFile: gguf, outtype: 'f16', name: run.name, llamaCppDir: llamaCpp },
      { signal },
    );
    const adapterGguf = path.join(run.runDir, `${run.name}-lora.gguf`);
    await callWorker(
      w,
      'export_lora_gguf',
      { adapterDir: run.adapterDir, base, outFile: adapterGguf, outtype: 'f32', llamaCppDir: llamaCpp },
      { signal },
    );
    run.adapterGguf = adapterGguf;
    const existing = deps.llm.library.findByPath(gguf);
    if (existing) deps.llm.removeModel({ name: existing.name, deleteFile: false });
    const model = await deps.llm.addModel({ path: gguf, name: run.name });
    run.ggufModel = model.name;
  }

  function launch(run: TrainRun, resumeFrom: string | null, startNote: string | null = null): StartedTrain {
    const started = jobs.start({
      kind: 'train',
      title: `Train ${run.name} (${run.dataset}/${run.split} on ${path.basename(run.base)})`,
      params: { run: run.id, resumeFrom: resumeFrom ? path.basename(resumeFrom) : null },
      unit: 'steps',
      queue: 'train',
      run: (ctx) => execute(run, ctx, resumeFrom, startNote),
    });
    run.jobId = started.job.id;
    store.save(run);
    // Cancelled while still queued: the job never ran `execute`, so settle the run here.
    started.done.catch(() => {
      const stored = store.get(run.id);
      if (stored?.state === 'queued') {
        Object.assign(run, {
          state: 'cancelled',
          error: 'cancelled before it started',
          finishedAt: now().toISOString(),
        });
        publish(run, true);
      }
    });
    return { run: structuredClone(run), job: started.job, done: started.done };
  }

  return {
    presets: loadPresets,
    get,
    list: (limit) => store.list(limit),
    metrics: (id) => (get(id), store.metrics(id)),

    start(input) {
      const config = resolveConfig(input.preset, input.overrides);
      const template = trainingTemplate(deps.llm.templates, input.template);
      const asSplit = (s: string): Split => {
        if (!(SPLITS as readonly string[]).includes(s))
          throw new ApiError('invalid-input', `"${s}" is not a split (${SPLITS.join(', ')})`);
        return s as Split;
      };
      const split = asSplit(input.split);
      const evalSplit =
        input.evalSplit === undefined ? 'dev' : input.evalSplit === null ? null : asSplit(input.evalSplit);
      const { base, revision } = resolveBase(input.base);
      if (!worker.python())
        throw new ApiError(
          'failed',
          `no worker environment at ${worker.venv}: run \`srlab worker setup\` (add --cpu without a GPU)`,
        );
      const id = store.create(now().toISOString());
      const name = input.name ?? `sr-lora-${id}`;
      const runDir = path.join(root, `run-${id}`);
      fs.mkdirSync(runDir, { recursive: true });
      const run: TrainRun = {
        id,
        name,
        state: 'queued',
        base,
        dataset: input.dataset,
        split: input.split,
        evalSplit: null,
        preset: input.preset,
        config,
        template,
        exportGguf: input.exportGguf,
        dataHash: null,
        examples: null,
        truncated: null,
        // A pinned revision is fetched as given, then replaced by the commit it resolved to.
        versions: revision ? { baseRevision: revision } : {},
        device: null,
        step: 0,
        totalSteps: null,
        initialLoss: null,
        finalLoss: null,
        bestEvalLoss: null,
        stoppedEarly: false,
        runDir,
        adapterDir: null,
        adapterCheckpoint: null,
        mergedDir: null,
        ggufModel: null,
        adapterGguf: null,
        checkpoints: [],
        energy: {
          measured: false,
          method: 'not started',
          gpuKwh: null,
          cpuKwh: null,
          kwh: null,
          pue: input.pue,
          carbonIntensity: input.carbonIntensity,
          co2Kg: null,
          seconds: 0,
        },
        error: null,
        stderrTail: null,
        jobId: null,
        createdAt: now().toISOString(),
        finishedAt: null,
      };
      try {
        const exported = exportForTraining(deps.datasets, {
          dataset: input.dataset,
          split,
          out: path.join(runDir, 'train.jsonl'),
          template,
        });
        if (exported.records === 0)
          throw new ApiError(
            'invalid-input',
            `split "${input.split}" of ${input.dataset} has zero usable records (records need a benign variation)`,
          );
        const files = [exported.path];
        if (evalSplit) {
          const ev = exportForTraining(deps.datasets, {
            dataset: input.dataset,
            split: evalSplit,
            out: path.join(runDir, 'eval.jsonl'),
            template,
          });
          if (ev.records > 0) {
            run.evalSplit = evalSplit;
            files.push(ev.path);
          } else fs.rmSync(ev.path, { force: true });
        }
        run.dataHash = sha256File(files);
      } catch (err) {
        Object.assign(run, { state: 'failed', error: (err as Error).message, finishedAt: now().toISOString() });
        store.save(run, null);
        throw err;
      }
      store.save(run);
      return launch(run, null);
    },

    resume(id) {
      const run = get(id);
      if (run.state === 'running' || run.state === 'queued')
        throw new ApiError('conflict', `run ${id} is ${run.state}; cancel it first or wait`);
      if (run.state === 'succeeded') throw new ApiError('conflict', `run ${id} has already finished`);
      const last = [...run.checkpoints].sort((a, b) => b.step - a.step).find((c) => fs.existsSync(c.dir));
      run.state = 'queued';
      // No checkpoint on disk (killed before the first one, or its folders were deleted): the run
      // starts over from step 0, and says so rather than looking like a resume.
      const note = last
        ? null
        : run.checkpoints.length > 0
          ? `resume: none of the ${run.checkpoints.length} recorded checkpoints is on disk any more; training starts again from step 0`
          : run.step > 0
            ? `resume: the run stopped at step ${run.step}, before its first checkpoint; training starts again from step 0`
            : null;
      return launch(run, last ? last.dir : null, note);
    },

    cancel(id) {
      const run = get(id);
      if (run.state !== 'running' && run.state !== 'queued')
        throw new ApiError('conflict', `run ${id} is not running (${run.state})`);
      store.requestCancel(id);
      if (run.jobId !== null) {
        try {
          jobs.cancel(run.jobId);
        } catch {
          /* owned by another process: it polls the flag just set */
        }
      }
      return get(id);
    },
  };
}
