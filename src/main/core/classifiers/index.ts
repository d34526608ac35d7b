// Classifiers: Hugging Face sequence classifiers as named scorers. Training one (the paper's
// classifier route) writes the dataset's label as JSONL, drives the worker's `train_classifier`
// job as LoRA training drives `train` (a job in the 'train' queue: progress in steps, cancel —
// also from another process —, checkpoints, resume from the last one), then scores the test
// split with the finished classifier through the same `classify` path a scorer uses, so the
// stored validation numbers are the scorer's own.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ParsedInput } from '../../../shared/api';
import { ApiError, type Caller } from '../../../shared/contract';
import type { ClassifierInfo, ClassifierTraining, TraitList } from '../../../shared/contracts/classifiers';
import type { JobInfo } from '../../../shared/contracts/jobs';
import type { Split } from '../../../shared/domain';
import { binaryClassificationMetrics } from '../../../shared/metrics/classification';
import type { DatasetService } from '../datasets';
import type { EventBus } from '../events';
import type { JobContext, JobService } from '../jobs';
import type { LlmService } from '../llm';
import { sha256File } from '../llm/hash';
import { hfToken } from '../llm/secrets';
import type { HomePaths } from '../paths';
import { packageVersion } from '../resources';
import { resolveNamedBase } from '../training/bases';
import { resolveBase } from '../training';
import { callWorker, WorkerError, type WorkerJobEvent, type WorkerProcess, type WorkerService } from '../worker';
import { LABEL_CLASSES, labelledTexts, writeJsonl } from './data';
import { parseTraits } from './traits';
import type { ClassifierStore } from './store';

const EVENT_INTERVAL_MS = 250;
const CANCEL_POLL_MS = 500;
/** Texts per classify call while validating (the job reports progress per batch). */
const VALIDATION_BATCH = 32;

export interface StartedClassifierTrain {
  classifier: ClassifierInfo;
  job: JobInfo;
  done: Promise<ClassifierInfo>;
}

/** sha256 prefix over a model folder's config and weight files: the version scores are cached under. */
export async function folderVersion(folder: string): Promise<string> {
  const files = fs
    .readdirSync(folder)
    .filter((f) => f === 'config.json' || /\.(safetensors|bin)$/.test(f))
    .sort();
  if (!files.some((f) => f !== 'config.json'))
    throw new ApiError('invalid-input', `${folder} has no weights (*.safetensors or *.bin)`);
  const h = crypto.createHash('sha256');
  for (const f of files) h.update(`${f}:${await sha256File(path.join(folder, f))}\n`);
  return `sha256:${h.digest('hex').slice(0, 16)}`;
}

/** A model folder's class names in index order, from config.json's id2label (LABEL_i when absent). */
export function folderLabels(folder: string): string[] {
  const file = path.join(folder, 'config.json');
  if (!fs.existsSync(file))
    throw new ApiError('invalid-input', `${folder} is not a Hugging Face model folder (no config.json)`);
  let cfg: { id2label?: Record<string, string>; num_labels?: number };
  try {
    cfg = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof cfg;
  } catch (err) {
    throw new ApiError('invalid-input', `${file}: not valid JSON (${(err as Error).message})`);
  }
  const id2label = cfg.id2label ?? {};
  const n = Math.max(cfg.num_labels ?? 0, Object.keys(id2label).length);
  if (n < 2)
    throw new ApiError('invalid-input', `${file}: id2label names fewer than two classes: not a sequence classifier`);
  return Array.from({ length: n }, (_, i) => id2label[String(i)] ?? `LABEL_${i}`);
}

function checkPositive(labels: readonly string[], positive: string, where: string): void {
  if (!labels.includes(positive))
    throw new ApiError('invalid-input', `${where} has no class "${positive}" (its classes: ${labels.join(', ')})`, [
      { path: 'positive', message: `not one of ${labels.join(', ')}` },
    ]);
}

export function createClassifiersService(deps: {
  store: ClassifierStore;
  paths: HomePaths;
  jobs: JobService;
  events: EventBus;
  worker: WorkerService;
  datasets: DatasetService;
  llm: Pick<LlmService, 'secrets'>;
  now: () => Date;
}) {
  const { store, jobs, events, worker, now } = deps;
  store.markInterrupted(now().toISOString());
  const root = path.join(deps.paths.home, 'classifiers');
  let lastEmit = 0;

  function publish(c: ClassifierInfo, force = false): void {
    store.save(c);
    const t = Date.now();
    if (force || t - lastEmit >= EVENT_INTERVAL_MS) {
      lastEmit = t;
      events.emit({ type: 'classifier', name: c.name, classifier: structuredClone(c) });
    }
  }

  function get(name: string): ClassifierInfo {
    const c = store.get(name);
    if (!c) {
      const names = store.list().map((x) => x.name);
      throw new ApiError(
        'not-found',
        `no classifier "${name}"${names.length ? ` (have: ${names.join(', ')})` : ' (none yet: srlab classifiers add or train)'}`,
      );
    }
    return c;
  }

  function refuseTaken(name: string): void {
    if (store.get(name))
      throw new ApiError('conflict', `a classifier named "${name}" exists (remove it first, or pick another --name)`);
  }

  /** A Hugging Face id is fetched into the hub cache first, as training does (byte progress, token). */
  async function fetchBase(
    c: ClassifierInfo,
    training: ClassifierTraining,
    ctx: JobContext,
    signal: AbortSignal,
  ): Promise<string> {
    const token = await hfToken(deps.llm.secrets);
    const fw = await worker.spawn(token ? { env: { HF_TOKEN: token.value } } : {});
    ctx.setUnit('bytes');
    try {
      const got = await callWorker(
        fw,
        'fetch_base',
        { repo: c.base!, revision: training.baseRevision ?? 'main' },
        { signal, onEvent: (e) => (e.event === 'progress' ? ctx.progress(e.done, e.total) : undefined) },
      );
      training.baseRevision = got.revision;
      ctx.log(`base ${c.base}: commit ${got.revision}${got.cached ? ' (already in the cache)' : ''}`);
      return got.path;
    } finally {
      await fw.close();
      ctx.setUnit('steps', training.totalSteps);
    }
  }

  /** The test split (dev without one) scored by the finished classifier with the `classify` job, in the training's worker. */
  async function validate(
    c: ClassifierInfo,
    training: ClassifierTraining,
    w: WorkerProcess,
    ctx: JobContext,
    signal: AbortSignal,
  ) {
    const split: Split = training.examples.test > 0 ? 'test' : 'dev';
    const rows = labelledTexts(deps.datasets, training.dataset, split, training.label);
    if (rows.length === 0) {
      ctx.log(`no labelled ${split} texts: the classifier has no validation metrics`, 'warn');
      return null;
    }
    ctx.setUnit('texts', rows.length);
    const r = await callWorker(
      w,
      'classify',
      {
        model: c.model,
        texts: rows.map((x) => x.text),
        batchSize: VALIDATION_BATCH,
        // As the hf scorer cuts texts (scorers/hf.ts), so these are the scorer's own numbers.
        maxLength: training.settings.maxLength,
      },
      { signal, onEvent: (e) => (e.event === 'progress' ? ctx.progress(e.done, e.total) : undefined) },
    );
    if (r.results.length !== rows.length)
      throw new ApiError('failed', `validation scored ${r.results.length} of ${rows.length} texts`);
    const scores = r.results.map((row) => row.probs[c.positive]!);
    const m = binaryClassificationMetrics(
      rows.map((x) => x.label === 1),
      scores,
      0.5,
    );
    return {
      accuracy: m.accuracy,
      macroF1: m.macroF1,
      rocAuc: Number.isNaN(m.rocAuc) ? null : m.rocAuc,
      n: m.n,
      split: `${training.dataset}/${split}`,
    };
  }

  async function execute(c: ClassifierInfo, ctx: JobContext, resumeFrom: string | null): Promise<ClassifierInfo> {
    const training = c.training!;
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    store.clearCancel(c.id);
    const poll = setInterval(() => {
      if (store.cancelRequested(c.id)) abort.abort();
    }, CANCEL_POLL_MS);
    let w: WorkerProcess | undefined;
    Object.assign(c, { state: 'running', error: null, finishedAt: null, jobId: ctx.jobId });
    publish(c, true);
    const runDir = training.runDir;
    const outDir = path.join(runDir, 'classifier');
    try {
      const base = fs.existsSync(c.base!) ? c.base! : await fetchBase(c, training, ctx, abort.signal);
      const onEvent = (e: WorkerJobEvent) => {
        if (e.event === 'progress') {
          training.step = e.done;
          training.totalSteps = e.total;
          ctx.progress(e.done, e.total);
          publish(c);
        } else if (e.event === 'metric') {
          if (e.split === 'train') {
            training.initialLoss ??= e.loss;
            training.finalLoss = e.loss;
          } else {
            if (training.bestEvalLoss === null || e.loss < training.bestEvalLoss) training.bestEvalLoss = e.loss;
            ctx.log(`step ${e.step}: eval loss ${e.loss.toFixed(4)}`);
          }
        } else if (e.event === 'checkpoint') {
          training.checkpoints = training.checkpoints.filter((k) => k.step !== e.step && fs.existsSync(k.dir));
          training.checkpoints.push({ step: e.step, dir: e.dir, trainLoss: e.trainLoss, evalLoss: e.evalLoss });
          publish(c, true);
        } else if (e.event === 'log') ctx.log(e.message, e.level);
      };
      w = await worker.spawn();
      const s = training.settings;
      const done = await callWorker(
        w,
        'train_classifier',
        {
          base,
          trainFile: path.join(runDir, 'train.jsonl'),
          evalFile: training.examples.dev > 0 ? path.join(runDir, 'dev.jsonl') : null,
          labels: LABEL_CLASSES[training.label].classes,
          outDir,
          runDir,
          epochs: s.epochs,
          batchSize: s.batchSize,
          learningRate: s.learningRate,
          maxLength: s.maxLength,
          seed: s.seed,
          saveSteps: s.saveSteps,
          resumeFrom,
        },
        { signal: abort.signal, onEvent },
      );
      Object.assign(training, {
        step: done.steps,
        totalSteps: done.totalSteps,
        initialLoss: training.initialLoss ?? done.initialLoss,
        finalLoss: done.finalLoss,
        bestEvalLoss: done.bestEvalLoss,
        device: done.device,
        versions: { ...done.versions, srlab: packageVersion() },
        trainSeconds: (training.trainSeconds ?? 0) + done.trainSeconds,
      });
      c.model = done.outDir;
      c.labels = done.labels;
      c.version = await folderVersion(done.outDir);
      publish(c, true);
      c.validation = await validate(c, training, w, ctx, abort.signal);
      c.state = 'ready';
      return c;
    } catch (err) {
      const cancelled = abort.signal.aborted || (err instanceof WorkerError && err.code === 'cancelled');
      c.state = cancelled ? 'cancelled' : 'failed';
      c.error = cancelled
        ? 'cancelled by the user; resume from the last checkpoint'
        : `${(err as Error).message}${err instanceof WorkerError && err.hint ? ` (${err.hint})` : ''}`;
      throw cancelled
        ? new ApiError('cancelled', c.error)
        : err instanceof ApiError
          ? err
          : new ApiError('failed', c.error);
    } finally {
      clearInterval(poll);
      ctx.signal.removeEventListener('abort', onAbort);
      await w?.close();
      c.finishedAt = now().toISOString();
      publish(c, true);
    }
  }

  function launch(c: ClassifierInfo, resumeFrom: string | null): StartedClassifierTrain {
    const t = c.training!;
    const started = jobs.start({
      kind: 'classifier-train',
      title: `Train classifier ${c.name} (${t.dataset}/${t.label} on ${path.basename(c.base!)})`,
      params: { classifier: c.name, resumeFrom: resumeFrom ? path.basename(resumeFrom) : null },
      unit: 'steps',
      // One training at a time, LoRA or classifier: they share the GPU.
      queue: 'train',
      run: async (ctx) => {
        const done = await execute(c, ctx, resumeFrom);
        return { classifier: done.name, validation: done.validation, steps: done.training!.step };
      },
    });
    c.jobId = started.job.id;
    store.save(c);
    const done = started.done.then(
      () => get(c.name),
      (err: unknown) => {
        // Cancelled while still queued: the job never ran `execute`, so settle the row here.
        const stored = store.get(c.name);
        if (stored?.state === 'queued')
          publish(
            { ...stored, state: 'cancelled', error: 'cancelled before it started', finishedAt: now().toISOString() },
            true,
          );
        throw err;
      },
    );
    done.catch(() => undefined);
    return { classifier: structuredClone(c), job: started.job, done };
  }

  return {
    get,
    list: (): ClassifierInfo[] => store.list(),

    /** A classifier a scorer can use now (ready), or an error saying why not. */
    usable(name: string): ClassifierInfo {
      const c = get(name);
      if (c.state !== 'ready')
        throw new ApiError(
          'conflict',
          `classifier "${name}" is ${c.state}${c.error ? ` (${c.error})` : ''}: only a finished classifier scores`,
        );
      return c;
    },

    /**
     * The classes a Hugging Face id turned out to have (known only once the worker loaded it):
     * recorded, and the positive class checked against them.
     */
    noteLabels(name: string, labels: string[]): ClassifierInfo {
      const c = get(name);
      checkPositive(labels, c.positive, `classifier "${name}" (${c.model})`);
      if (JSON.stringify(c.labels) !== JSON.stringify(labels)) {
        c.labels = labels;
        publish(c, true);
      }
      return c;
    },

    async add(input: ParsedInput<'classifiers.add'>): Promise<ClassifierInfo> {
      refuseTaken(input.name);
      const at = now().toISOString();
      let c: Omit<ClassifierInfo, 'id'>;
      const common = {
        name: input.name,
        base: null,
        positive: input.positive,
        measure: input.measure,
        state: 'ready' as const,
        validation: null,
        training: null,
        error: null,
        jobId: null,
        createdAt: at,
        finishedAt: at,
      };
      if (input.source.kind === 'folder') {
        const folder = path.resolve(input.source.path);
        const labels = folderLabels(folder);
        checkPositive(labels, input.positive, folder);
        c = { ...common, source: 'folder', model: folder, labels, version: await folderVersion(folder) };
      } else {
        const id = input.source.id;
        if (!/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(id) || id.includes('..'))
          throw new ApiError('invalid-input', `"${id}" is not a Hugging Face model id (org/name)`, [
            { path: 'source.id', message: 'not org/name' },
          ]);
        // Its classes are read when the worker first loads it (noteLabels), which checks the positive class.
        c = { ...common, source: 'hf', model: id, labels: null, version: `hf:${id}` };
      }
      store.insert(c);
      const added = get(input.name);
      events.emit({ type: 'classifier', name: added.name, classifier: added });
      return added;
    },

    train(input: ParsedInput<'classifiers.train'>, caller: Caller): StartedClassifierTrain {
      // A pinned Hub base (org/name@rev) is fetched at that revision, then recorded as the commit it resolved to.
      const { base, revision } = resolveBase(resolveNamedBase(input, caller, deps.paths.bases).base);
      if (!worker.python())
        throw new ApiError(
          'failed',
          `no worker environment at ${worker.venv}: run \`srlab worker setup\` (add --cpu without a GPU)`,
        );
      const name = input.name ?? `${input.dataset}-${input.label}`.replace(/[^\w.-]+/g, '-');
      refuseTaken(name);
      const rows = {
        train: labelledTexts(deps.datasets, input.dataset, 'train', input.label),
        dev: labelledTexts(deps.datasets, input.dataset, 'dev', input.label),
        test: labelledTexts(deps.datasets, input.dataset, 'test', input.label),
      };
      const classes = new Set(rows.train.map((r) => r.label));
      if (classes.size < 2)
        throw new ApiError(
          'invalid-input',
          rows.train.length === 0
            ? `the train split of ${input.dataset} has no records with a ${input.label} label (split the dataset first: srlab split)`
            : `every one of the ${rows.train.length} training records of ${input.dataset} is ${LABEL_CLASSES[input.label].classes[[...classes][0]!]}: a classifier needs both classes`,
        );
      const runDir = path.join(root, name);
      fs.rmSync(runDir, { recursive: true, force: true });
      fs.mkdirSync(runDir, { recursive: true });
      const files = (['train', 'dev', 'test'] as const).map((s) => {
        const f = path.join(runDir, `${s}.jsonl`);
        writeJsonl(f, rows[s]);
        return f;
      });
      const h = crypto.createHash('sha256');
      for (const f of files.slice(0, 2)) h.update(fs.readFileSync(f));
      const cls = LABEL_CLASSES[input.label];
      const at = now().toISOString();
      const training: ClassifierTraining = {
        dataset: input.dataset,
        label: input.label,
        examples: { train: rows.train.length, dev: rows.dev.length, test: rows.test.length },
        dataHash: h.digest('hex'),
        settings: {
          epochs: input.epochs,
          batchSize: input.batchSize,
          learningRate: input.learningRate,
          maxLength: input.maxLength,
          seed: input.seed,
          saveSteps: input.saveSteps,
        },
        runDir,
        step: 0,
        totalSteps: null,
        initialLoss: null,
        finalLoss: null,
        bestEvalLoss: null,
        checkpoints: [],
        device: null,
        versions: {},
        trainSeconds: null,
        baseRevision: revision,
      };
      store.insert(
        {
          name,
          source: 'trained',
          base,
          model: path.join(runDir, 'classifier'),
          labels: [...cls.classes],
          positive: cls.positive,
          measure: cls.measure,
          state: 'queued',
          version: 'untrained',
          validation: null,
          training,
          error: null,
          jobId: null,
          createdAt: at,
          finishedAt: null,
        },
        process.pid,
      );
      return launch(get(name), null);
    },

    resume(name: string): StartedClassifierTrain {
      const c = get(name);
      if (c.state === 'running' || c.state === 'queued')
        throw new ApiError('conflict', `classifier "${name}" is ${c.state}; cancel it first or wait`);
      if (!c.training) throw new ApiError('conflict', `classifier "${name}" was added, not trained: nothing to resume`);
      if (c.state === 'ready') throw new ApiError('conflict', `classifier "${name}" has already finished training`);
      const last = [...c.training.checkpoints].sort((a, b) => b.step - a.step).find((k) => fs.existsSync(k.dir));
      c.state = 'queued';
      store.save(c);
      return launch(c, last ? last.dir : null);
    },

    cancel(name: string): ClassifierInfo {
      const c = get(name);
      if (c.state !== 'running' && c.state !== 'queued')
        throw new ApiError('conflict', `classifier "${name}" is not training (${c.state})`);
      store.requestCancel(c.id);
      if (c.jobId !== null) {
        try {
          jobs.cancel(c.jobId);
        } catch {
          /* owned by another process: it polls the flag just set */
        }
      }
      return get(name);
    },

    remove(name: string, deleteFiles: boolean): { removed: string; deletedFiles: boolean } {
      const c = get(name);
      if (c.state === 'running' || c.state === 'queued')
        throw new ApiError(
          'conflict',
          `classifier "${name}" is ${c.state}: cancel it first (srlab classifiers cancel ${name})`,
        );
      store.remove(name);
      // Only srlab's own training folder is ever deleted, never a folder the user registered.
      const del = deleteFiles && c.training !== null;
      if (del) fs.rmSync(c.training!.runDir, { recursive: true, force: true });
      events.emit({ type: 'classifier', name, classifier: null });
      return { removed: name, deletedFiles: del };
    },

    addTraits(input: ParsedInput<'classifiers.addTraits'>) {
      let text: string;
      let sourceFile: string | null = null;
      if (input.source.kind === 'path') {
        sourceFile = path.resolve(input.source.path);
        try {
          text = fs.readFileSync(sourceFile, 'utf8');
        } catch (err) {
          throw new ApiError('invalid-input', `cannot read ${sourceFile}: ${(err as Error).message}`);
        }
      } else text = input.source.text;
      const parsed = parseTraits(text);
      const where = sourceFile ?? 'the trait text';
      if (parsed.traits.length < 2)
        throw new ApiError(
          'invalid-input',
          `${where} has ${parsed.traits.length} usable trait(s); a trait list needs two or more`,
          parsed.rejected.map((r) => ({ path: `line ${r.line}`, message: r.message })),
        );
      const traitList: TraitList = {
        name: input.name,
        traits: parsed.traits,
        sourceFile,
        createdAt: now().toISOString(),
      };
      store.putTraitList(traitList);
      return { traitList, rejected: parsed.rejected };
    },

    traitList(name: string): TraitList {
      const t = store.traitList(name);
      if (!t) {
        const names = store.traitLists().map((x) => x.name);
        throw new ApiError(
          'not-found',
          `no trait list "${name}"${names.length ? ` (have: ${names.join(', ')})` : ' (import one: srlab classifiers traits add)'}`,
        );
      }
      return t;
    },
    traitLists: (): TraitList[] => store.traitLists(),

    /** The worker, with the Hugging Face token (keychain, else HF_TOKEN) for gated Hub classifiers. */
    async workerFor(c: ClassifierInfo): Promise<Pick<WorkerService, 'spawn'>> {
      if (c.source !== 'hf') return worker;
      const token = await hfToken(deps.llm.secrets);
      return { spawn: () => worker.spawn(token ? { env: { HF_TOKEN: token.value } } : {}) };
    },
  };
}

export type ClassifiersService = ReturnType<typeof createClassifiersService>;
