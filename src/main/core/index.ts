// Composition root: opens the data home and builds the capabilities of the registry
// (capabilities.ts), each with its service and handlers, behind the one contract door (`call`).
// Plain Node — never imports 'electron' — so desktop, serve mode, CLI and tests share it.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ApiEvent, Input, Method, Output } from '../../shared/api';
import {
  ApiError,
  type ApiErrorBody,
  type CallResult,
  type Caller,
  type Contract,
  LOCAL_CALLER,
  type Scope,
  scopeAllows,
  zodIssues,
} from '../../shared/contract';
import type { AnyBuilt, AnyCapability, CapabilityContext, ServicesOf } from './capability';
import { capabilities, type Registry } from './capabilities';
import type { DatasetService } from './datasets';
import { openDb, type Db } from './db';
import { asBusyError } from './db/busy';
import { createEventBus, type EventBus } from './events';
import { createJobService } from './jobs';
import type { SafeStorageLike } from './llm';
import type { RuntimeOptions } from './llm/runtime';
import { homePaths, type HomePaths } from './paths';
import { resourcesDir } from './resources';

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

/** What every core has, whatever its capabilities. */
export interface CoreBase {
  paths: HomePaths;
  db: Db;
  events: EventBus;
  /**
   * Check the caller's scope, validate `input` against the method's contract and run it; never
   * throws. In-process callers (desktop IPC, CLI) are local; serve mode passes the token's scope.
   */
  call(method: string, input: unknown, caller?: Caller): Promise<CallResult<unknown>>;
  /** Typed call for in-process callers (CLI); throws ApiError on failure. */
  invoke<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>;
  /** The event stream every face follows (SSE in serve mode, IPC, CLI progress); returns the unsubscribe. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
  close(): Promise<void>;
}

/** A core with the services of a registry's capabilities by name (those that have one), e.g. `core.runs`. */
export type CoreOf<R extends readonly AnyCapability[]> = CoreBase & ServicesOf<R>;
/** The core of the registry: core.jobs, core.datasets, core.llm, core.runs, core.worker, core.training, core.access… */
export type Core = CoreOf<Registry>;

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

/**
 * Open the data home and build every capability of the registry in order (tests may pass their
 * own registry as `capabilities`).
 */
export async function createCore<R extends readonly AnyCapability[]>(
  opts: CoreOptions & { capabilities: R },
): Promise<CoreOf<R>>;
// Last, so that `ReturnType<typeof createCore>` is the registry's Core.
export async function createCore(opts: CoreOptions): Promise<Core>;
export async function createCore(opts: CoreOptions & { capabilities?: readonly AnyCapability[] }): Promise<CoreBase> {
  const registry: readonly AnyCapability[] = opts.capabilities ?? capabilities();
  const paths = homePaths(path.resolve(opts.home));
  fs.mkdirSync(paths.home, { recursive: true });
  const db = openDb(paths.db, {
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    migrations: registry.map((c) => ({ capability: c.name, migrations: c.migrations })),
  });
  const now = opts.now ?? (() => new Date());
  const events = createEventBus();
  const jobs = createJobService({ db, events, now });

  const services: Record<string, unknown> = {};
  const built: AnyBuilt[] = [];
  const contracts = new Map<string, Contract>();
  const handlers = new Map<string, (input: unknown, caller: Caller) => unknown>();
  let ready = false;
  const ctx: CapabilityContext<Record<string, unknown>, Record<string, unknown>> = {
    db,
    paths,
    events,
    jobs,
    now,
    options: opts,
    services,
    later() {
      if (!ready) throw new Error('a capability reached for a later service while the core was being built');
      return services;
    },
  };
  try {
    for (const capability of registry) {
      if (registry.filter((c) => c.name === capability.name).length > 1)
        throw new Error(`the ${capability.name} capability is registered twice`);
      const b = await capability.create(ctx);
      register(capability, b, contracts, handlers);
      if (b.service !== null && b.service !== undefined) services[capability.name] = b.service;
      built.push(b);
    }
  } catch (err) {
    db.close();
    throw err;
  }
  ready = true;

  async function call(method: string, input: unknown, caller: Caller = LOCAL_CALLER): Promise<CallResult<unknown>> {
    const contract = contracts.get(method);
    const handler = handlers.get(method);
    if (!contract || !handler)
      return { ok: false, error: { kind: 'not-found', message: `unknown method "${method}"` } };
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
      const result = await handler(parsed.data, caller);
      if (opts.checkOutputs) {
        const checked = contract.output.safeParse(result);
        if (!checked.success)
          throw new Error(`${method} returned a result outside its contract: ${z.prettifyError(checked.error)}`);
      }
      return { ok: true, result };
    } catch (err) {
      if (err instanceof ApiError) return { ok: false, error: err.toBody() };
      // Another connection's write lock is a state to wait out (HTTP 503, CLI exit 1), not a crash.
      const busy = asBusyError(db, err);
      if (busy) return { ok: false, error: busy.toBody() };
      return { ok: false, error: { kind: 'failed', message: err instanceof Error ? err.message : String(err) } };
    }
  }

  async function invoke<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
    const r = await call(method, input);
    if (!r.ok) throw new ApiError(r.error.kind, r.error.message, r.error.issues);
    return r.result as Output<M>;
  }

  const base: CoreBase = {
    paths,
    db,
    events,
    call,
    invoke,
    onEvent: (listener) => events.subscribe(listener),
    async close() {
      // Stop what keeps jobs running (e.g. kill the worker: a run it interrupts stays resumable
      // from its checkpoints), wait for the jobs, then release what the services hold.
      for (const b of [...built].reverse()) await b.stop?.();
      await jobs.idle();
      for (const b of [...built].reverse()) await b.close?.();
      db.close();
    },
  };
  const core = { ...services, ...base };
  if ((opts.loadDemo ?? true) && services.datasets) await offerDemoOnce(db, services.datasets as DatasetService);
  return core;
}

/**
 * Add a capability's handlers under its contracts' channels: exactly one handler per method of
 * its groups (the compiler checks this too; a registry built at run time is checked here), and no
 * channel served twice.
 */
function register(
  capability: AnyCapability,
  b: AnyBuilt,
  contracts: Map<string, Contract>,
  handlers: Map<string, (input: unknown, caller: Caller) => unknown>,
): void {
  const channels = Object.values(capability.contracts).flatMap((group) => Object.values(group));
  for (const contract of channels) {
    if (contracts.has(contract.channel))
      throw new Error(`${contract.channel} is served twice (again by the ${capability.name} capability)`);
    const handler = b.handlers[contract.channel] as ((input: unknown, caller: Caller) => unknown) | undefined;
    if (typeof handler !== 'function')
      throw new Error(`the ${capability.name} capability has no handler for ${contract.channel}`);
    contracts.set(contract.channel, contract);
    handlers.set(contract.channel, handler);
  }
  const extra = Object.keys(b.handlers).filter((m) => !channels.some((c) => c.channel === m));
  if (extra.length > 0)
    throw new Error(`the ${capability.name} capability has handlers outside its contracts: ${extra.join(', ')}`);
}

/**
 * A new data home starts with the demo CMD dataset, imported and split, so a first-time user
 * sees a working workbench. Recorded in settings, so a demo the user removed stays removed.
 */
async function offerDemoOnce(db: Db, datasets: DatasetService): Promise<void> {
  const done = db.prepare("SELECT value FROM settings WHERE key = 'demo-offered'").get();
  if (done) return;
  const file = path.join(resourcesDir(), 'demo', 'cmd-demo.jsonl');
  const { done: imported } = datasets.startImport({
    dataset: DEMO_DATASET,
    source: { kind: 'path', path: file },
    format: 'cmd-nested',
    strict: true,
  });
  await imported;
  await datasets.split({ dataset: DEMO_DATASET, seed: 42, ratios: [70, 10, 20] });
  db.prepare("INSERT INTO settings (key, value) VALUES ('demo-offered', ?)").run(new Date().toISOString());
}

// What the transports and the CLI may use besides createCore (lint: they import only this index).
export { defaultHome, homePaths, type HomePaths } from './paths';
export { packageVersion, resourcesDir } from './resources';
export { saveUpload } from './datasets/uploads';
export { parseSetting } from './training/config';
export { envKeyName } from './llm/secrets';
export { humanBytes } from './llm/format';
