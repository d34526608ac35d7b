// Composition root: opens the data home and wires the services behind the contract.
// Plain Node — never imports 'electron' — so desktop, serve mode, CLI and tests share it.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { type Method, type Input, type Output, type ParsedInput, contractByChannel } from '../../shared/api';
import {
  ApiError,
  type ApiErrorBody,
  type CallResult,
  type Caller,
  LOCAL_CALLER,
  type Scope,
  scopeAllows,
  zodIssues,
} from '../../shared/contract';
import { openDb, schemaVersion, type Db } from './db';
import { createEventBus, type EventBus } from './events';
import { createJobService, type JobService } from './jobs';
import { createDatasetService, type DatasetService } from './datasets';
import { createLlmService, type LlmService, type SafeStorageLike } from './llm';
import { HF_TOKEN_SECRET, hfToken } from './llm/secrets';
import type { RuntimeOptions } from './llm/runtime';
import { createRunService, type RunService } from './runs';
import { homePaths, type HomePaths } from './paths';
import { createTrainingService, type TrainingService } from './training';
import { trainPreflight } from './training/preflight';
import { createWorkerService, type WorkerService } from './worker';
import { packageVersion, resourcesDir } from './resources';

export interface CoreOptions {
  home: string;
  /** The Electron build of better-sqlite3 (desktop only); Node uses node_modules' own. */
  nativeBinding?: string;
  /** Offer the demo dataset on the first run of a data home (default true). */
  loadDemo?: boolean;
  /** Check every result against its contract's output schema (tests and development). */
  checkOutputs?: boolean;
  now?: () => Date;
  /** Electron safeStorage for API keys (desktop); elsewhere secret-tool or env vars. */
  safeStorage?: SafeStorageLike;
  /** node-llama-cpp runtime options (GPU choice, threads); default from SRLAB_GPU / SRLAB_THREADS. */
  runtime?: RuntimeOptions;
  /** For tests: the secret-tool binary (null: none) and the endpoint retry backoff base. */
  secretTool?: string | null;
  endpointRetryBaseMs?: number;
  /** For tests: datasets with at least this many records get stats/split as jobs (default 20 000). */
  offThreadMinRecords?: number;
}

type Handlers = { [M in Method]: (input: ParsedInput<M>, caller: Caller) => Output<M> | Promise<Output<M>> };

export interface Core {
  paths: HomePaths;
  db: Db;
  events: EventBus;
  jobs: JobService;
  datasets: DatasetService;
  llm: LlmService;
  runs: RunService;
  worker: WorkerService;
  training: TrainingService;
  /**
   * Check the caller's scope, validate `input` against the method's contract and run it; never
   * throws. In-process callers (desktop IPC, CLI) are local; serve mode passes the token's scope.
   */
  call(method: string, input: unknown, caller?: Caller): Promise<CallResult<unknown>>;
  /** Typed call for in-process callers (CLI); throws ApiError on failure. */
  invoke<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>;
  close(): Promise<void>;
}

export const DEMO_DATASET = 'cmd-demo';

/** The `forbidden` error for a call outside the caller's scope (a field that names a server path, or the whole method). */
function scopeRefusal(method: string, needed: Scope, field?: string): ApiErrorBody {
  const what = field ? `${method} with ${field}` : method;
  const why =
    needed === 'local'
      ? 'it names a server path or program, which never crosses HTTP; use the desktop app or the srlab CLI on the server'
      : needed === 'lab'
        ? 'it needs the lab token; an evaluator token reaches only its own scoring session'
        : 'it is not open to this caller';
  return {
    kind: 'forbidden',
    message: `${what} is ${needed}-only: ${why}`,
    ...(field ? { issues: [{ path: field, message: `${needed}-only` }] } : {}),
  };
}

export async function createCore(opts: CoreOptions): Promise<Core> {
  const paths = homePaths(path.resolve(opts.home));
  fs.mkdirSync(paths.home, { recursive: true });
  const db = openDb(paths.db, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  const now = opts.now ?? (() => new Date());
  const events = createEventBus();
  const jobs = createJobService({ db, events, now });
  const datasets = createDatasetService({
    db,
    paths,
    jobs,
    events,
    now,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    ...(opts.offThreadMinRecords !== undefined ? { offThreadMinRecords: opts.offThreadMinRecords } : {}),
  });
  const llm = createLlmService({
    db,
    paths,
    jobs,
    events,
    now,
    ...(opts.runtime ? { runtime: opts.runtime } : {}),
    ...(opts.safeStorage ? { safeStorage: opts.safeStorage } : {}),
    ...(opts.secretTool !== undefined ? { secretTool: opts.secretTool } : {}),
    ...(opts.endpointRetryBaseMs !== undefined ? { endpointRetryBaseMs: opts.endpointRetryBaseMs } : {}),
  });
  const runs = createRunService({ db, jobs, events, llm, now });
  const worker = createWorkerService({ home: paths.home, jobs });
  const training = createTrainingService({ db, paths, jobs, events, worker, datasets, llm, now });

  const hfTokenStatus = async () => {
    const token = await hfToken(llm.secrets);
    return { hasToken: token !== null, backend: token?.backend ?? null, keychain: llm.secrets.status() };
  };

  const handlers: Handlers = {
    'datasets.list': () => datasets.list(),
    'datasets.import': (input) => ({ job: datasets.startImport(input).job }),
    'datasets.records': (input) => datasets.records(input),
    'datasets.record': (input) => datasets.record(input),
    'datasets.editRecord': (input) => datasets.editRecord(input),
    'datasets.targets': (input) => datasets.targets(input),
    'datasets.fields': (input) => datasets.fields(input),
    'datasets.stats': (input) => datasets.stats(input),
    'datasets.split': (input) => datasets.split(input),
    'datasets.exportDefaults': () => datasets.exportDefaults(),
    'datasets.export': (input) => datasets.export(input),
    'datasets.remove': (input) => datasets.remove(input),
    'jobs.list': (input) => ({ jobs: jobs.list(input.limit) }),
    'jobs.get': (input) => ({ job: jobs.get(input.id) }),
    'jobs.cancel': (input) => ({ job: jobs.cancel(input.id) }),
    'jobs.log': (input) => jobs.log(input.id, input.after),
    'models.list': () => llm.listModels(),
    'models.get': (input) => ({ model: llm.library.get(input.name) }),
    'models.add': async (input) => ({ model: await llm.addModel(input) }),
    'models.pull': (input) => ({ job: llm.startPull(input).job }),
    'models.remove': (input) => llm.removeModel(input),
    'models.preflight': (input) => llm.preflight(input),
    'models.inspect': (input) => llm.inspect(input.path),
    'llm.hardware': () => llm.hardware(),
    'llm.templates': (input) => ({ templates: llm.templates.list(input.name, input.allVersions) }),
    'llm.saveTemplate': ({ name, ...spec }) => ({ template: llm.templates.save(name, spec) }),
    'llm.renderPrompt': (input) => llm.renderPrompt(input),
    'llm.loglik': (input) => llm.loglik(input),
    'chat.complete': (input) => llm.complete(input),
    'chat.cancel': (input) => llm.cancelCompletion(input.streamId),
    'runs.start': async (input) => {
      const { run, job } = await runs.start(input);
      return { run, job };
    },
    'runs.list': (input) => ({ runs: runs.list(input.limit) }),
    'runs.get': (input) => ({ run: runs.get(input.id) }),
    'runs.items': (input) => runs.items(input),
    'runs.resume': async (input) => {
      const { run, job } = await runs.resume(input.id);
      return { run, job };
    },
    'runs.cancel': (input) => ({ run: runs.cancel(input.id) }),
    'runs.remove': (input) => ({ removed: runs.remove(input.id) }),
    'endpoints.list': async () => ({ endpoints: await llm.endpoints.list(), keychain: llm.secrets.status() }),
    'endpoints.save': async ({ name, apiKey, ...settings }) => ({
      endpoint: await llm.saveEndpoint(name, settings, apiKey),
    }),
    'endpoints.remove': async (input) => {
      await llm.endpoints.remove(input.name);
      return { removed: input.name };
    },
    'endpoints.test': (input) => llm.testEndpoint(input.name),
    'worker.doctor': () => worker.doctor(),
    'worker.setup': (input) => ({ job: worker.startSetup(input).job }),
    'train.presets': () => ({ presets: training.presets() }),
    'train.start': (input) => {
      const { run, job } = training.start(input);
      return { run, job };
    },
    'train.preflight': (input) => trainPreflight(input, { datasets, worker, db, templates: llm.templates }),
    'train.list': (input) => ({ runs: training.list(input.limit) }),
    'train.get': (input) => ({ run: training.get(input.id) }),
    'train.metrics': (input) => ({ metrics: training.metrics(input.id) }),
    'train.resume': (input) => {
      const { run, job } = training.resume(input.id);
      return { run, job };
    },
    'train.cancel': (input) => ({ run: training.cancel(input.id) }),
    'hf.tokenStatus': () => hfTokenStatus(),
    'hf.setToken': async ({ token }) => {
      if (!llm.secrets.writableBackend)
        throw new ApiError(
          'failed',
          `${llm.secrets.status().message} For Hugging Face downloads, set HF_TOKEN in the environment instead.`,
        );
      await llm.secrets.set(HF_TOKEN_SECRET, token);
      return hfTokenStatus();
    },
    'hf.clearToken': async () => {
      await llm.secrets.delete(HF_TOKEN_SECRET);
      return hfTokenStatus();
    },
    'system.info': () => ({
      version: packageVersion(),
      home: paths.home,
      dbPath: paths.db,
      schemaVersion: schemaVersion(db),
    }),
  };

  async function call(method: string, input: unknown, caller: Caller = LOCAL_CALLER): Promise<CallResult<unknown>> {
    const contract = contractByChannel.get(method);
    if (!contract) return { ok: false, error: { kind: 'not-found', message: `unknown method "${method}"` } };
    if (!scopeAllows(caller.scope, contract.scope)) return { ok: false, error: scopeRefusal(method, contract.scope) };
    const parsed = contract.input.safeParse(input ?? {});
    if (!parsed.success) {
      const issues = zodIssues(parsed.error);
      return {
        ok: false,
        error: {
          kind: 'invalid-input',
          message: `invalid input for ${method}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
          issues,
        },
      };
    }
    const localField = contract.localWhen?.(parsed.data) ?? null;
    if (localField !== null && caller.scope !== 'local')
      return { ok: false, error: scopeRefusal(method, 'local', localField) };
    try {
      const handler = handlers[method as Method] as (i: unknown, c: Caller) => unknown;
      const result = await handler(parsed.data, caller);
      if (opts.checkOutputs) {
        const checked = contract.output.safeParse(result);
        if (!checked.success)
          throw new Error(`${method} returned a result outside its contract: ${z.prettifyError(checked.error)}`);
      }
      return { ok: true, result };
    } catch (err) {
      if (err instanceof ApiError) return { ok: false, error: err.toBody() };
      return { ok: false, error: { kind: 'failed', message: err instanceof Error ? err.message : String(err) } };
    }
  }

  async function invoke<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
    const r = await call(method, input);
    if (!r.ok) throw new ApiError(r.error.kind, r.error.message, r.error.issues);
    return r.result as Output<M>;
  }

  const core: Core = {
    paths,
    db,
    events,
    jobs,
    datasets,
    llm,
    runs,
    worker,
    training,
    call,
    invoke,
    async close() {
      await worker.close(); // kill on close: a run it interrupts stays resumable from its checkpoints
      await jobs.idle();
      await llm.close();
      db.close();
    },
  };
  if (opts.loadDemo ?? true) await offerDemoOnce(core);
  return core;
}

/**
 * A new data home starts with the demo CMD dataset, imported and split, so a first-time user
 * sees a working workbench. Recorded in settings, so a demo the user removed stays removed.
 */
async function offerDemoOnce(core: Core): Promise<void> {
  const done = core.db.prepare("SELECT value FROM settings WHERE key = 'demo-offered'").get();
  if (done) return;
  const file = path.join(resourcesDir(), 'demo', 'cmd-demo.jsonl');
  const { done: imported } = core.datasets.startImport({
    dataset: DEMO_DATASET,
    source: { kind: 'path', path: file },
    format: 'cmd-nested',
    strict: true,
  });
  await imported;
  await core.datasets.split({ dataset: DEMO_DATASET, seed: 42, ratios: [70, 10, 20] });
  core.db.prepare("INSERT INTO settings (key, value) VALUES ('demo-offered', ?)").run(new Date().toISOString());
}
