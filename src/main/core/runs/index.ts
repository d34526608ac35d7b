// Generation runs: a model (+ optional LoRA adapter) or an endpoint × a dataset split or test set
// × a template × decoding settings. Every item and its exact prompt is stored when the run is
// created; outputs are stored one by one as they complete, so a crashed or cancelled run resumes
// without redoing finished items, and a run can be repeated from its stored settings.
import type { ParsedInput } from '../../../shared/api';
import { OWNER, ownerAlive } from '../owner';
import { ApiError } from '../../../shared/contract';
import type { JobInfo } from '../../../shared/contracts/jobs';
import type { RunItem, RunSettings, RunState, RunSummary } from '../../../shared/contracts/runs';
import type { Db } from '../db';
import type { EventBus } from '../events';
import type { JobContext, JobService } from '../jobs';
import { findDataset } from '../datasets/repository';
import { endpointPrompt, type LlmService, type LocalHandle } from '../llm';
import { completeOnSequence, ItemError } from '../llm/generate';
import { sha256File, sha256Json } from '../llm/hash';
import { NODE_LLAMA_CPP_VERSION } from '../llm/runtime';
import { renderPrompt } from '../llm/templates';
import { packageVersion } from '../resources';

/** What runs.start takes, after its schema ran (runs.findUnfinished takes the same). */
export type StartRunInput = ParsedInput<'runs.start'>;

export interface StartedRun {
  run: RunSummary;
  job: JobInfo;
  /** Settles with the final summary (also when items failed); rejects when the run fails or is cancelled. */
  done: Promise<RunSummary>;
  /** Items already finished when this start began (non-zero for a resume). */
  alreadyDone: number;
}

export interface RunService {
  start(input: StartRunInput): Promise<StartedRun>;
  resume(id: number): Promise<StartedRun>;
  /** The newest unfinished run with exactly these settings, if any (for `srlab generate` to resume). */
  findUnfinished(input: StartRunInput): Promise<RunSummary | null>;
  list(limit: number): RunSummary[];
  get(id: number): RunSummary;
  items(input: { id: number; offset: number; limit: number; status: 'all' | 'done' | 'error' | 'pending' }): {
    total: number;
    items: RunItem[];
  };
  cancel(id: number): RunSummary;
  remove(id: number): number;
}

interface RunRow {
  id: number;
  name: string;
  state: string;
  settings: string;
  settings_hash: string;
  provenance: string;
  total: number;
  generation_ms: number;
  job_id: number | null;
  owner: string | null;
  heartbeat_at: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

interface ItemRow {
  run_id: number;
  idx: number;
  record_id: number | null;
  input: string;
  reference: string | null;
  prompt: string;
  output: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  finish_reason: string | null;
  error: string | null;
  generate_ms: number | null;
  cached: number;
  finished_at: string | null;
}

interface ItemResult {
  output: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  finishReason: string;
  generateMs: number | null;
  error: string | null;
  cached: number;
}

function rowToItem(r: ItemRow): RunItem {
  return {
    runId: r.run_id,
    index: r.idx,
    recordId: r.record_id,
    input: r.input,
    reference: r.reference,
    prompt: r.prompt,
    output: r.output,
    promptTokens: r.prompt_tokens,
    completionTokens: r.completion_tokens,
    finishReason: r.finish_reason as RunItem['finishReason'],
    error: r.error,
    generateMs: r.generate_ms,
    cached: r.cached === 1,
    finishedAt: r.finished_at,
  };
}

const HEARTBEAT_MS = 5_000;

export interface RunDeps {
  db: Db;
  jobs: JobService;
  events: EventBus;
  llm: LlmService;
  now: () => Date;
}

export function createRunService(deps: RunDeps): RunService {
  const { db, jobs, events, llm, now } = deps;
  /** Runs executing in this process: id → job id. */
  const live = new Map<number, number>();

  const byId = db.prepare<[number], RunRow>('SELECT * FROM runs WHERE id = ?');
  const counts = db.prepare<[number], { done: number; errors: number; tokens: number | null }>(
    `SELECT COALESCE(SUM(finished_at IS NOT NULL AND error IS NULL), 0) AS done,
            COALESCE(SUM(error IS NOT NULL), 0) AS errors,
            SUM(CASE WHEN error IS NULL THEN completion_tokens END) AS tokens
       FROM run_items WHERE run_id = ?`,
  );
  const setState = db.prepare('UPDATE runs SET state = ?, error = ?, finished_at = ? WHERE id = ?');
  // A run's jobs (kind generate, params {runId}) are kept: the first one's start is the run's.
  const firstStart = db
    .prepare<[number], string | null>(
      "SELECT MIN(started_at) FROM jobs WHERE kind = 'generate' AND json_extract(params, '$.runId') = ?",
    )
    .pluck();

  /** A run recorded as running whose process is gone was interrupted: say so (once) in the database. */
  function effectiveState(r: RunRow): RunState {
    if (
      (r.state === 'running' || r.state === 'queued') &&
      !live.has(r.id) &&
      !ownerAlive(r.owner, r.heartbeat_at, now())
    ) {
      const reason = `interrupted: srlab stopped while this run was ${r.state}; resume it (srlab runs resume ${r.id}) to finish the remaining items`;
      setState.run('interrupted', reason, r.finished_at, r.id);
      r.state = 'interrupted';
      r.error = reason;
    }
    return r.state as RunState;
  }

  function summary(r: RunRow): RunSummary {
    const state = effectiveState(r);
    const c = counts.get(r.id)!;
    const tokens = c.tokens ?? 0;
    return {
      id: r.id,
      name: r.name,
      state,
      settings: JSON.parse(r.settings) as RunSettings,
      provenance: JSON.parse(r.provenance) as RunSummary['provenance'],
      total: r.total,
      done: c.done,
      errors: c.errors,
      generatedTokens: tokens,
      generationMs: r.generation_ms,
      tokensPerSecond: r.generation_ms > 0 && tokens > 0 ? tokens / (r.generation_ms / 1000) : null,
      jobId: r.job_id,
      error: r.error,
      createdAt: r.created_at,
      startedAt: firstStart.get(r.id) ?? null,
      finishedAt: r.finished_at,
    };
  }

  function get(id: number): RunSummary {
    const r = byId.get(id);
    if (!r) throw new ApiError('not-found', `no run ${id}`);
    return summary(r);
  }

  interface Prepared {
    settings: RunSettings;
    hash: string;
    provenance: RunSummary['provenance'];
    items: { recordId: number | null; input: string; reference: string | null }[];
    prompts: (text: string) => string;
  }

  async function prepare(input: StartRunInput): Promise<Prepared> {
    const spec = llm.templates.resolve(input.template);
    const settings: RunSettings = {
      target: input.target,
      source: input.source,
      template: spec,
      decoding: input.decoding,
      parallel: input.parallel,
      load: input.load,
    };
    let provenance: RunSummary['provenance'];
    let prompts: (text: string) => string;
    if (input.target.kind === 'local') {
      const model = llm.library.get(input.target.model);
      const gguf = await llm.inspectModel(model);
      const info = llm.promptInfo(gguf);
      prompts = (text) => renderPrompt(spec, text, info);
      let adapterSha256: string | null = null;
      // A path (local callers) or a training run's adapter GGUF (adapterRun, kept as the reference).
      const adapterFile = llm.adapterFile(input.target);
      if (adapterFile) {
        const a = await llm.inspect(adapterFile);
        if (a.gguf.fileKind !== 'adapter')
          throw new ApiError('invalid-input', `${a.path} is a model, not a LoRA adapter`);
        adapterSha256 = await sha256File(a.path);
        if (input.target.adapter) settings.target = { ...input.target, adapter: a.path };
      }
      provenance = {
        modelSha256: model.sha256,
        adapterSha256,
        endpoint: null,
        srlabVersion: packageVersion(),
        nodeLlamaCppVersion: NODE_LLAMA_CPP_VERSION,
      };
    } else {
      const cfg = llm.endpoints.config(input.target.endpoint);
      prompts = (text) => endpointPrompt(spec, text).shown;
      provenance = {
        modelSha256: null,
        adapterSha256: null,
        endpoint: `${cfg.baseUrl} ${cfg.model}`,
        srlabVersion: packageVersion(),
        nodeLlamaCppVersion: null,
      };
    }

    let items: Prepared['items'];
    if (input.source.kind === 'dataset') {
      const ds = findDataset(db, input.source.dataset);
      const split = input.source.split;
      const rows = db
        .prepare<unknown[], { id: number; text: string; benign: string | null }>(
          `SELECT id, text, benign FROM records WHERE dataset_id = ? ${split === 'all' ? '' : 'AND split = ?'} ORDER BY id ${input.source.limit ? 'LIMIT ?' : ''}`,
        )
        .all(...[ds.id, ...(split === 'all' ? [] : [split]), ...(input.source.limit ? [input.source.limit] : [])]);
      if (rows.length === 0) {
        throw new ApiError(
          'invalid-input',
          `dataset "${ds.name}" has no records${split === 'all' ? '' : ` in the ${split} split`}${split === 'all' ? '' : ` (split it first: srlab split ${ds.name})`}`,
        );
      }
      items = rows.map((r) => ({ recordId: r.id, input: r.text, reference: r.benign }));
    } else {
      items = input.source.texts.map((t) => ({ recordId: null, input: t, reference: null }));
    }
    return { settings, hash: sha256Json(settings), provenance, items, prompts };
  }

  function defaultName(input: StartRunInput): string {
    const who =
      input.target.kind === 'local'
        ? input.target.model +
          (input.target.adapter
            ? ' + adapter'
            : input.target.adapterRun
              ? ` + adapter of training run ${input.target.adapterRun}`
              : '')
        : input.target.endpoint;
    const what = input.source.kind === 'dataset' ? `${input.source.dataset}/${input.source.split}` : input.source.name;
    return `${who} × ${what}`;
  }

  function launch(runId: number, alreadyDone: number): StartedRun {
    const r = byId.get(runId)!;
    const settings = JSON.parse(r.settings) as RunSettings;
    const started = jobs.start<RunSummary>({
      kind: 'generate',
      title: `Generate: ${r.name}`,
      params: { runId },
      unit: 'items',
      // Local runs share the machine: one at a time. Endpoint runs only wait on the network.
      ...(settings.target.kind === 'local' ? { queue: 'llm-local' } : {}),
      run: (ctx) => execute(runId, ctx),
    });
    live.set(runId, started.job.id);
    db.prepare(
      "UPDATE runs SET state = 'queued', job_id = ?, owner = ?, heartbeat_at = ?, error = NULL, finished_at = NULL WHERE id = ?",
    ).run(started.job.id, OWNER, now().toISOString(), runId);
    const done = started.done.finally(() => live.delete(runId));
    done.catch(() => undefined);
    publish(runId);
    return { run: get(runId), job: started.job, done, alreadyDone };
  }

  let lastPublish = 0;
  function publish(runId: number, throttle = false): void {
    const t = performance.now();
    if (throttle && t - lastPublish < 250) return;
    lastPublish = t;
    events.emit({ type: 'run', run: get(runId) });
  }

  async function execute(runId: number, ctx: JobContext): Promise<RunSummary> {
    const row = byId.get(runId)!;
    const settings = JSON.parse(row.settings) as RunSettings;
    const provenance = JSON.parse(row.provenance) as RunSummary['provenance'];
    db.prepare("UPDATE runs SET state = 'running', heartbeat_at = ? WHERE id = ?").run(now().toISOString(), runId);
    publish(runId);
    const pending = db
      .prepare<[number], ItemRow>(
        'SELECT * FROM run_items WHERE run_id = ? AND (finished_at IS NULL OR error IS NOT NULL) ORDER BY idx',
      )
      .all(runId);
    let done = row.total - pending.length;
    ctx.progress(done, row.total);

    const store = db.prepare(
      `UPDATE run_items SET output = @output, prompt_tokens = @promptTokens, completion_tokens = @completionTokens,
         finish_reason = @finishReason, error = @error, generate_ms = @generateMs, cached = @cached, finished_at = @at
       WHERE run_id = @runId AND idx = @idx`,
    );
    const tick = db.prepare('UPDATE runs SET generation_ms = ?, heartbeat_at = ? WHERE id = ?');
    const baseMs = row.generation_ms;
    let segmentStart = performance.now();
    let generating = false;
    const saveItem = db.transaction((r: ItemResult & { runId: number; idx: number; at: string }) => {
      store.run(r);
      tick.run(baseMs + (performance.now() - segmentStart), r.at, runId);
    });
    // Heartbeat: other processes see this run is alive; generation time is kept up to date.
    const heartbeat = setInterval(
      () => tick.run(baseMs + (generating ? performance.now() - segmentStart : 0), now().toISOString(), runId),
      HEARTBEAT_MS,
    );
    heartbeat.unref();

    let local: LocalHandle | null = null;
    try {
      let generate: (item: ItemRow) => Promise<ItemResult | null>;
      let workers: number;
      if (settings.target.kind === 'local') {
        const model = llm.library.get(settings.target.model);
        if (provenance.modelSha256 && model.sha256 !== provenance.modelSha256) {
          throw new ApiError(
            'conflict',
            `model "${model.name}" is not the file this run started with (sha256 ${model.sha256.slice(0, 12)}…, the run used ${provenance.modelSha256.slice(0, 12)}…)`,
          );
        }
        local = await llm.openLocal(settings.target, { ...settings.load, sequences: settings.parallel });
        const handle = local;
        workers = settings.parallel;
        // One context sequence per worker; the context batches their tokens together.
        const free = Array.from({ length: workers }, () => handle.session.context.getSequence());
        generate = async (item) => {
          const sequence = free.pop()!;
          try {
            const r = await completeOnSequence(sequence, handle.session.model, item.prompt, settings.decoding, {
              signal: ctx.signal,
              seed: settings.decoding.seed + item.idx,
            });
            if (r.finishReason === 'cancelled') return null;
            return { ...r, error: null, cached: 0 };
          } finally {
            free.push(sequence);
          }
        };
      } else {
        const { client, config } = await llm.endpointClient(settings.target.endpoint);
        workers = config.concurrency;
        generate = async (item) => {
          const { request } = endpointPrompt(settings.template, item.input);
          const r = await client.complete(request, settings.decoding, {
            signal: ctx.signal,
            seed: settings.decoding.seed + item.idx,
          });
          return {
            output: r.output,
            promptTokens: r.promptTokens,
            completionTokens: r.completionTokens,
            finishReason: r.finishReason,
            generateMs: r.generateMs,
            error: null,
            cached: r.cached ? 1 : 0,
          };
        };
      }

      // Loading is not generation: the clock starts now.
      segmentStart = performance.now();
      generating = true;
      let next = 0;
      const worker = async () => {
        while (next < pending.length && !ctx.signal.aborted) {
          const item = pending[next++]!;
          let result: ItemResult | null;
          try {
            result = await generate(item);
          } catch (err) {
            if (ctx.signal.aborted) return;
            if (!(err instanceof ItemError)) throw err;
            result = {
              output: null,
              promptTokens: null,
              completionTokens: null,
              finishReason: 'error',
              generateMs: null,
              error: err.message,
              cached: 0,
            };
          }
          if (result === null) return;
          const at = now().toISOString();
          // One commit per item: its result and the run's generation time together.
          saveItem.immediate({ ...result, runId, idx: item.idx, at }); // IMMEDIATE: waits for the lock
          done++;
          ctx.progress(done, row.total);
          events.emit({
            type: 'run-item',
            runId,
            item: rowToItem({
              ...item,
              output: result.output,
              prompt_tokens: result.promptTokens,
              completion_tokens: result.completionTokens,
              finish_reason: result.finishReason,
              error: result.error,
              generate_ms: result.generateMs,
              cached: result.cached,
              finished_at: at,
            }),
          });
          publish(runId, true);
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, pending.length)) }, worker));
      tick.run(baseMs + (performance.now() - segmentStart), now().toISOString(), runId);
      if (ctx.signal.aborted)
        throw new ApiError(
          'cancelled',
          `run ${runId} was cancelled; ${done} of ${row.total} items are stored (resume it to finish)`,
        );
      setState.run('succeeded', null, now().toISOString(), runId);
      return get(runId);
    } catch (err) {
      const cancelled = ctx.signal.aborted || (err instanceof ApiError && err.kind === 'cancelled');
      const message = err instanceof Error ? err.message : String(err);
      setState.run(
        cancelled ? 'cancelled' : 'failed',
        cancelled ? 'cancelled by the user' : message,
        now().toISOString(),
        runId,
      );
      throw err;
    } finally {
      clearInterval(heartbeat);
      await local?.session.dispose();
      live.delete(runId);
      publish(runId);
    }
  }

  return {
    async start(input) {
      const p = await prepare(input);
      const at = now().toISOString();
      const insertRun = db.prepare(
        `INSERT INTO runs (name, state, settings, settings_hash, provenance, total, created_at) VALUES (?, 'queued', ?, ?, ?, ?, ?)`,
      );
      const insertItem = db.prepare(
        'INSERT INTO run_items (run_id, idx, record_id, input, reference, prompt) VALUES (?, ?, ?, ?, ?, ?)',
      );
      const runId = db
        .transaction(() => {
          const id = Number(
            insertRun.run(
              input.name ?? defaultName(input),
              JSON.stringify(p.settings),
              p.hash,
              JSON.stringify(p.provenance),
              p.items.length,
              at,
            ).lastInsertRowid,
          );
          p.items.forEach((item, i) =>
            insertItem.run(id, i, item.recordId, item.input, item.reference, p.prompts(item.input)),
          );
          return id;
        })
        .immediate();
      return launch(runId, 0);
    },

    async resume(id) {
      const run = get(id);
      if (live.has(id) || run.state === 'running' || run.state === 'queued') {
        throw new ApiError('conflict', `run ${id} is already ${run.state}`);
      }
      if (run.done === run.total)
        throw new ApiError('conflict', `run ${id} is complete: all ${run.total} items are done`);
      return launch(id, run.done);
    },

    async findUnfinished(input) {
      const p = await prepare(input);
      const rows = db
        .prepare<[string], RunRow>('SELECT * FROM runs WHERE settings_hash = ? ORDER BY id DESC')
        .all(p.hash);
      for (const r of rows) {
        const s = summary(r);
        if ((s.state === 'interrupted' || s.state === 'cancelled' || s.state === 'failed') && s.done < s.total)
          return s;
        if (s.state === 'succeeded') return null;
      }
      return null;
    },

    list(limit) {
      return db.prepare<[number], RunRow>('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit).map(summary);
    },

    get,

    items({ id, offset, limit, status }) {
      get(id);
      const where = {
        all: '',
        done: 'AND finished_at IS NOT NULL AND error IS NULL',
        error: 'AND error IS NOT NULL',
        pending: 'AND finished_at IS NULL',
      }[status];
      const total = db
        .prepare<[number], { n: number }>(`SELECT COUNT(*) AS n FROM run_items WHERE run_id = ? ${where}`)
        .get(id)!.n;
      const rows = db
        .prepare<[number, number, number], ItemRow>(
          `SELECT * FROM run_items WHERE run_id = ? ${where} ORDER BY idx LIMIT ? OFFSET ?`,
        )
        .all(id, limit, offset);
      return { total, items: rows.map(rowToItem) };
    },

    cancel(id) {
      const run = get(id);
      const jobId = live.get(id);
      if (jobId === undefined) {
        if (run.state === 'running' || run.state === 'queued')
          throw new ApiError('conflict', `run ${id} is running in another srlab process; cancel it there`);
        throw new ApiError('conflict', `run ${id} is not running (${run.state})`);
      }
      jobs.cancel(jobId);
      return get(id);
    },

    remove(id) {
      const run = get(id);
      if (live.has(id) || run.state === 'running' || run.state === 'queued')
        throw new ApiError('conflict', `run ${id} is ${run.state}: cancel it first`);
      db.prepare('DELETE FROM runs WHERE id = ?').run(id);
      return id;
    },
  };
}
