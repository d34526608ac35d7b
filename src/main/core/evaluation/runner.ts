// The evaluation job: for every generator × test set, a generation run (a finished one with the
// same settings is reused, an unfinished one resumed, else one is started), then every scorer on
// every row (the "initial" row scores the inputs), then the likelihood tests for local generators.
// Everything is stored as it completes, so a killed or cancelled evaluation resumes where it
// stopped: finished generation items are never regenerated, stored scores never recomputed.
import { ApiError } from '../../../shared/contract';
import {
  type EvaluationConfig,
  type EvaluationStage,
  INITIAL_LABEL,
  type TtestConfig,
} from '../../../shared/contracts/evaluation';
import type { RunSummary } from '../../../shared/contracts/runs';
import type { ScorerSpec } from '../../../shared/contracts/scorers';
import type { EventBus } from '../events';
import type { JobContext } from '../jobs';
import type { LlmService } from '../llm';
import { sha256Json } from '../llm/hash';
import type { Db } from '../db';
import type { RunService, StartRunInput } from '../runs';
import type { Scorer, ScoreResult } from '../scorers/types';
import {
  type ResolvedGenerator,
  type ResolvedTestset,
  resolveGenerators,
  runInput,
  type SnapshotItem,
} from './resolve';
import type { EvaluationStore, ScoreRecord, ScorerRecord } from './store';

/** How the evaluation builds scorers and scores texts (core.scorers: its registry and score cache). */
export interface ScoringDoor {
  create(spec: ScorerSpec): Promise<Scorer>;
  /** Results in input order; cached ones are not recomputed, errors are not cached. */
  scoreCached(scorer: Scorer, texts: readonly string[], opts?: { signal?: AbortSignal }): Promise<ScoreResult[]>;
  /** How many of these texts have a cached score (for the plan). */
  cachedCount?(scorer: Scorer, texts: readonly string[]): number;
}

export type LikelihoodKind = 'stereoset' | 'crows-pairs';

/** What Tables 7–8 need from a likelihood result (core.likelihood), kept as the evaluation's snapshot. */
export interface LikelihoodSnapshot {
  id: number | null;
  kind: LikelihoodKind;
  model: string;
  modelSha256: string | null;
  adapterSha256: string | null;
  testset: string;
  n: number;
  /** The metric JSON: StereoSet {n, lms, ss, icat, byDomain} or CrowS {n, pctStereotype, likelihoodDiff, byBiasType}. */
  metrics: Record<string, unknown>;
}

/** How the evaluation gets likelihood results (core.likelihood): the newest matching one, or a new run. */
export interface LikelihoodDoor {
  latest(q: {
    kind: LikelihoodKind;
    target: Extract<ResolvedGenerator['target'], { kind: 'local' }>;
    testset: string;
    limit?: number;
  }): Promise<LikelihoodSnapshot | null>;
  run(
    q: {
      kind: LikelihoodKind;
      target: Extract<ResolvedGenerator['target'], { kind: 'local' }>;
      testset: string;
      limit?: number;
    },
    opts: { signal: AbortSignal; onProgress: (done: number, total: number) => void },
  ): Promise<LikelihoodSnapshot>;
}

export interface RunnerDeps {
  db: Db;
  events: EventBus;
  runs: RunService;
  llm: LlmService;
  scoring: ScoringDoor;
  likelihood: LikelihoodDoor | null;
  store: EvaluationStore;
  publish(id: number, throttle?: boolean): void;
}

/** Scores are computed and stored this many texts at a time (a kill loses at most one chunk). */
const SCORE_CHUNK = 128;

/** The scorer the t-test reads: the one named, else the first 'unsafe' scorer, else the first non-style one. */
export function ttestScorer(ttest: TtestConfig, scorers: readonly { id: string; measure: string }[]): string | null {
  if (ttest.scorer) return scorers.some((s) => s.id === ttest.scorer) ? ttest.scorer : null;
  return scorers.find((s) => s.measure === 'unsafe')?.id ?? scorers.find((s) => s.measure !== 'style')?.id ?? null;
}

/**
 * The settings hash runs.start would store for this input (runs/index.ts's prepare: target with
 * a resolved adapter path, source, resolved template, decoding, parallel, load): how a finished
 * run with identical settings is found and reused.
 */
export async function runSettingsHash(llm: LlmService, input: StartRunInput): Promise<string> {
  const template = llm.templates.resolve(input.template);
  let target = input.target;
  if (target.kind === 'local' && target.adapter) {
    const file = llm.adapterFile(target);
    if (file) target = { ...target, adapter: (await llm.inspect(file)).path };
  }
  return sha256Json({
    target,
    source: input.source,
    template,
    decoding: input.decoding,
    parallel: input.parallel,
    load: input.load,
  });
}

/** The newest succeeded run with these settings whose model file is still the one it used. */
export async function findFinishedRun(
  deps: Pick<RunnerDeps, 'db' | 'llm' | 'runs'>,
  input: StartRunInput,
): Promise<RunSummary | null> {
  const hash = await runSettingsHash(deps.llm, input);
  const ids = deps.db
    .prepare<[string], number>("SELECT id FROM runs WHERE settings_hash = ? AND state = 'succeeded' ORDER BY id DESC")
    .pluck()
    .all(hash);
  for (const id of ids) {
    const run = deps.runs.get(id);
    if (run.done !== run.total) continue; // items failed: generate afresh rather than score errors
    if (input.target.kind === 'local') {
      const model = deps.llm.library.get(input.target.model);
      if (run.provenance.modelSha256 !== model.sha256) continue;
    }
    return run;
  }
  return null;
}

/** Every item of a run: output or error per index. */
export function runOutputs(
  runs: RunService,
  runId: number,
): Map<number, { output: string | null; error: string | null }> {
  const out = new Map<number, { output: string | null; error: string | null }>();
  for (let offset = 0; ; offset += 5000) {
    const page = runs.items({ id: runId, offset, limit: 5000, status: 'all' });
    for (const it of page.items)
      out.set(it.index, {
        output: it.finishedAt !== null && it.error === null ? it.output : null,
        error: it.error ?? (it.finishedAt === null ? 'not generated' : null),
      });
    if (page.items.length === 0 || offset + page.items.length >= page.total) return out;
  }
}

function stage(
  key: string,
  kind: EvaluationStage['kind'],
  generator: string,
  testset: string,
  scorer: string | null,
  total: number,
): EvaluationStage {
  return {
    key,
    kind,
    generator,
    testset,
    scorer,
    done: 0,
    total,
    itemsPerSecond: null,
    state: 'pending',
    runId: null,
    error: null,
  };
}

/** The stages an evaluation goes through, in order (scorer ids known once the scorers are built). */
export function planStages(
  config: EvaluationConfig,
  testsets: readonly { key: string; items: number }[],
  generators: readonly ResolvedGenerator[],
  scorers: readonly { id: string; measure: string }[],
): EvaluationStage[] {
  const stages: EvaluationStage[] = [];
  const tt = ttestScorer(config.ttest, scorers);
  const initialScorers = config.baselineInitial
    ? scorers
    : scorers.filter((s) => config.ttest.measure === 'reduction' && generators.length > 0 && s.id === tt);
  for (const ts of testsets)
    for (const s of initialScorers)
      stages.push(stage(`score|${INITIAL_LABEL}|${ts.key}|${s.id}`, 'score', INITIAL_LABEL, ts.key, s.id, ts.items));
  for (const g of generators) {
    for (const ts of testsets) {
      stages.push(stage(`generate|${g.label}|${ts.key}`, 'generate', g.label, ts.key, null, ts.items));
      for (const s of scorers)
        stages.push(stage(`score|${g.label}|${ts.key}|${s.id}`, 'score', g.label, ts.key, s.id, ts.items));
    }
  }
  const lik = config.likelihood;
  for (const g of generators) {
    for (const [kind, name] of [
      ['stereoset', lik?.stereoset],
      ['crows-pairs', lik?.crowsPairs],
    ] as const) {
      if (!name) continue;
      const s = stage(`likelihood|${g.label}|${kind}`, 'likelihood', g.label, name, null, 0);
      if (g.target.kind !== 'local') {
        s.state = 'skipped';
        s.error = 'log-likelihoods need a local model (an endpoint gives no token probabilities)';
      }
      stages.push(s);
    }
  }
  return stages;
}

export async function executeEvaluation(
  deps: RunnerDeps,
  id: number,
  resolved: { testsets: ResolvedTestset[] },
  ctx: JobContext,
): Promise<{ evaluationId: number }> {
  const { store, runs, scoring } = deps;
  const evaluation = store.get(id);
  const config = evaluation.config;
  const generators = resolveGenerators(config);
  const testsets = resolved.testsets;
  store.markRunning(id);
  deps.publish(id);

  // Build every scorer once (a judge loads its model once for all rows).
  const built: Scorer[] = [];
  const heartbeat = setInterval(() => store.heartbeat(id), 5_000);
  heartbeat.unref();
  try {
    for (const spec of config.scorers) {
      ctx.log(`building scorer ${JSON.stringify(spec)}`);
      built.push(await scoring.create(spec));
    }
    const seenIds = new Set<string>();
    for (const s of built) {
      if (seenIds.has(s.info.id)) throw new ApiError('invalid-input', `scorer ${s.info.id} is listed twice`);
      seenIds.add(s.info.id);
    }
    const records: ScorerRecord[] = built.map((s, position) => ({
      id: s.info.id,
      version: s.info.version,
      measure: s.info.measure,
      threshold: s.info.threshold,
      description: s.info.description,
      spec: config.scorers[position],
      position,
    }));
    store.setScorers(id, records);
    const scorerById = new Map(built.map((s) => [s.info.id, s]));

    const stages = planStages(
      config,
      testsets.map((t) => ({ key: t.key, items: t.items.length })),
      generators,
      records,
    );
    const byKey = new Map(stages.map((s) => [s.key, s]));
    // A resumed evaluation keeps the time its stages already took.
    const durationBefore = new Map(evaluation.stages.map((s) => [s.key, s.durationMs ?? 0]));
    const totalUnits = () => stages.reduce((a, s) => a + s.total, 0);
    const doneUnits = () => stages.reduce((a, s) => a + s.done, 0);
    let lastSave = 0;
    const report = (force = false) => {
      ctx.progress(doneUnits(), totalUnits());
      const t = performance.now();
      if (!force && t - lastSave < 250) return;
      lastSave = t;
      store.saveStages(id, stages);
      deps.publish(id, !force);
    };
    const timed = async (s: EvaluationStage, work: () => Promise<void>) => {
      if (s.state === 'skipped') return;
      const started = performance.now();
      const doneAtStart = s.done;
      s.state = 'running';
      report(true);
      const spent = () => (s.durationMs = (durationBefore.get(s.key) ?? 0) + (performance.now() - started));
      const rate = setInterval(() => {
        const secs = (performance.now() - started) / 1000;
        s.itemsPerSecond = secs > 0 ? (s.done - doneAtStart) / secs : null;
        spent();
      }, 500);
      try {
        await work();
        spent();
        const secs = (performance.now() - started) / 1000;
        if (s.done > doneAtStart && secs > 0) s.itemsPerSecond = (s.done - doneAtStart) / secs;
        s.state = 'done';
      } catch (err) {
        spent();
        s.state = 'failed';
        s.error = err instanceof Error ? err.message : String(err);
        throw err;
      } finally {
        clearInterval(rate);
        report(true);
      }
    };
    const checkCancel = () => {
      if (ctx.signal.aborted)
        throw new ApiError('cancelled', `evaluation ${id} was cancelled; what is done is stored (resume it to finish)`);
    };

    const scoreRow = async (
      s: EvaluationStage,
      ts: ResolvedTestset,
      texts: (string | null)[],
      missing: (i: number) => string,
    ) => {
      const scorer = scorerById.get(s.scorer!)!;
      const have = store.scoredIndexes(id, s.generator, ts.key, scorer.info.id);
      s.done = have.size;
      const pending = ts.items.map((it) => it.index).filter((i) => !have.has(i));
      for (let at = 0; at < pending.length; at += SCORE_CHUNK) {
        checkCancel();
        const chunk = pending.slice(at, at + SCORE_CHUNK);
        const withText = chunk.filter((i) => texts[i] !== null);
        const results = withText.length
          ? await scoring.scoreCached(
              scorer,
              withText.map((i) => texts[i]!),
              { signal: ctx.signal },
            )
          : [];
        const byIndex = new Map(withText.map((i, k) => [i, results[k]!]));
        const rows: ScoreRecord[] = chunk.map((i) => {
          const r = byIndex.get(i);
          const base = {
            generator: s.generator,
            testset: ts.key,
            index: i,
            scorer: scorer.info.id,
            version: scorer.info.version,
          };
          if (!r) return { ...base, score: null, verdict: null, label: null, probs: null, error: missing(i) };
          return {
            ...base,
            score: r.score,
            verdict: r.score === null ? null : r.score > scorer.info.threshold,
            label: r.label,
            probs: r.probs,
            error: r.score === null ? (r.error ?? 'no score') : null,
          };
        });
        store.saveScores(id, rows);
        s.done += chunk.length;
        report();
      }
    };

    // 1. The "initial" row: the inputs themselves.
    for (const ts of testsets) {
      const texts = ts.items.map((it) => it.text);
      for (const r of records) {
        const s = byKey.get(`score|${INITIAL_LABEL}|${ts.key}|${r.id}`);
        if (s) await timed(s, () => scoreRow(s, ts, texts, () => 'no input'));
      }
    }

    // 2. Each generator: its runs, then its scores.
    for (const g of generators) {
      for (const ts of testsets) {
        const s = byKey.get(`generate|${g.label}|${ts.key}`)!;
        let runId: number | null = null;
        await timed(s, async () => {
          runId = await generateRun(deps, id, evaluation.name, config, g, ts, s, ctx, report);
        });
        const outputs = runOutputs(runs, runId!);
        const texts = ts.items.map((it) => outputs.get(it.index)?.output ?? null);
        for (const r of records) {
          const sc = byKey.get(`score|${g.label}|${ts.key}|${r.id}`)!;
          await timed(sc, () =>
            scoreRow(sc, ts, texts, (i) => `no output: ${outputs.get(i)?.error ?? 'not generated'}`),
          );
        }
      }
    }

    // 3. Likelihood tests (Tables 7–8) for local generators.
    const lik = config.likelihood;
    if (lik && (lik.stereoset || lik.crowsPairs)) {
      for (const g of generators) {
        for (const kind of ['stereoset', 'crows-pairs'] as const) {
          const s = byKey.get(`likelihood|${g.label}|${kind}`);
          if (!s || s.state === 'skipped' || g.target.kind !== 'local') continue;
          const target = g.target;
          if (!deps.likelihood) {
            s.state = 'skipped';
            s.error = 'the likelihood capability is not available in this build';
            continue;
          }
          const door = deps.likelihood;
          await timed(s, async () => {
            checkCancel();
            const q = { kind, target, testset: s.testset, ...(lik.limit ? { limit: lik.limit } : {}) };
            let result = await door.latest(q);
            if (result) ctx.log(`reusing ${kind} likelihood result ${result.id ?? ''} for ${g.label}`);
            else
              result = await door.run(q, {
                signal: ctx.signal,
                onProgress: (done, total) => {
                  s.done = done;
                  s.total = total;
                  report();
                },
              });
            s.total = Math.max(s.total, result.n);
            s.done = s.total;
            store.setLikelihood(id, g.label, kind, s.testset, result);
          });
        }
      }
    }
    report(true);
    return { evaluationId: id };
  } finally {
    clearInterval(heartbeat);
    for (const s of built) await s.close?.().catch(() => undefined);
  }
}

/** Reuse, resume or start the generation run of a generator on a test set; answers its id once it has ended. */
async function generateRun(
  deps: RunnerDeps,
  id: number,
  evaluationName: string,
  config: EvaluationConfig,
  g: ResolvedGenerator,
  ts: ResolvedTestset,
  s: EvaluationStage,
  ctx: JobContext,
  report: (force?: boolean) => void,
): Promise<number> {
  const { runs, store, events } = deps;
  const input = runInput(config, evaluationName, g, ts);
  let run: RunSummary | null = null;
  const mapped = store.runFor(id, g.label, ts.key);
  if (mapped !== null) {
    try {
      run = runs.get(mapped);
    } catch {
      run = null; // removed since: find or start another
    }
  }
  if (!run) run = (await findFinishedRun(deps, input)) ?? (await runs.findUnfinished(input));
  if (run) {
    store.setRun(id, g.label, ts.key, run.id);
    s.runId = run.id;
    s.done = run.done;
    if (run.state === 'succeeded' || run.done === run.total) {
      ctx.log(`${g.label} × ${ts.key}: reusing run ${run.id} (${run.done} of ${run.total} items)`);
      s.done = s.total;
      return run.id;
    }
    ctx.log(`${g.label} × ${ts.key}: resuming run ${run.id} (${run.done} of ${run.total} items already done)`);
  }
  if (run && run.total !== ts.items.length)
    throw new ApiError('conflict', `run ${run.id} has ${run.total} items but the test set has ${ts.items.length}`);
  const started = run ? await runs.resume(run.id) : await runs.start(input);
  const runId = started.run.id;
  store.setRun(id, g.label, ts.key, runId);
  s.runId = runId;
  s.done = started.alreadyDone;
  report(true);
  const onAbort = () => {
    try {
      runs.cancel(runId);
    } catch {
      // already ended
    }
  };
  ctx.signal.addEventListener('abort', onAbort);
  const stop = events.subscribe((e) => {
    if (e.type === 'run-item' && e.runId === runId) {
      s.done++;
      report();
    }
  });
  try {
    const final = await started.done;
    s.done = final.done;
    return runId;
  } finally {
    stop();
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/** Items a row × scorer still has to score, given the stored ones (for the plan). */
export function unscored(items: readonly SnapshotItem[], have: ReadonlySet<number>): number {
  return items.filter((i) => !have.has(i.index)).length;
}
