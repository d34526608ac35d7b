// The evaluation service (core.evaluation): plan, start, resume and cancel evaluations, and read
// their tables, exports, items and the leaderboard back — always recomputed from stored data.
import { ApiError } from '../../../shared/contract';
import {
  type EvalItem,
  type EvalTable,
  type EvaluationConfig,
  type EvaluationPlan,
  type EvaluationSummary,
  type ExportFormat,
  INITIAL_LABEL,
  type LeaderboardRow,
  type TableId,
} from '../../../shared/contracts/evaluation';
import type { JobInfo } from '../../../shared/contracts/jobs';
import type { RunSummary } from '../../../shared/contracts/runs';
import type { Db } from '../db';
import type { EventBus } from '../events';
import type { JobService } from '../jobs';
import type { LlmService } from '../llm';
import { sha256Json } from '../llm/hash';
import type { RunService } from '../runs';
import { leaderboard } from './compare';
import { exportTables, nonEmpty } from './export';
import { buildPlan } from './plan';
import { resolveGenerators, type ResolvedTestset, resolveTestsets, type TestsetReader } from './resolve';
import {
  executeEvaluation,
  type LikelihoodDoor,
  type LikelihoodSnapshot,
  type RunnerDeps,
  runOutputs,
  type ScoringDoor,
} from './runner';
import { createEvaluationStore } from './store';
import { buildTables, type EvaluationData } from './tables';
import { counterfactualScores } from './tables/counterfactual';
import { verdictScorers } from './tables/data';

export type { LikelihoodDoor, LikelihoodSnapshot, ScoringDoor } from './runner';
export type { TestsetReader } from './resolve';

export interface EvaluationDeps {
  db: Db;
  jobs: JobService;
  events: EventBus;
  now: () => Date;
  runs: RunService;
  llm: LlmService;
  testsets: TestsetReader | null;
  scoring: ScoringDoor;
  likelihood: LikelihoodDoor | null;
}

export interface StartedEvaluation {
  evaluation: EvaluationSummary;
  job: JobInfo;
  /** Settles when the job ends; rejects when it fails or is cancelled. */
  done: Promise<{ evaluationId: number }>;
}

export type EvaluationService = ReturnType<typeof createEvaluationService>;

export function createEvaluationService(deps: EvaluationDeps) {
  const { db, jobs, events, now, runs } = deps;
  /** Evaluations executing in this process: id → job id. */
  const live = new Map<number, number>();
  const liveIds = { has: (id: number) => live.has(id) } as ReadonlySet<number>;
  const store = createEvaluationStore(db, now, liveIds);

  let lastPublish = 0;
  function publish(id: number, throttle = false): void {
    const t = performance.now();
    if (throttle && t - lastPublish < 250) return;
    lastPublish = t;
    events.emit({ type: 'evaluation', evaluation: store.get(id) });
  }

  const runnerDeps: RunnerDeps = {
    db,
    events,
    runs,
    llm: deps.llm,
    scoring: deps.scoring,
    likelihood: deps.likelihood,
    store,
    publish,
  };

  /** The test sets as snapshotted when the evaluation was created. */
  function storedTestsets(id: number, config: EvaluationConfig): ResolvedTestset[] {
    return store.testsets(id).map((t) => {
      const ref = config.testsets.find((r) => (r.kind === 'cmd' ? `${r.dataset}/${r.split}` : r.testset) === t.key)!;
      return { key: t.key, label: t.label, kind: t.kind, ref, items: store.items(id, t.key) };
    });
  }

  function launch(id: number): StartedEvaluation {
    const evaluation = store.get(id);
    const testsets = storedTestsets(id, evaluation.config);
    const total = testsets.reduce((a, t) => a + t.items.length, 0);
    const started = jobs.start<{ evaluationId: number }>({
      kind: 'evaluation',
      title: `Evaluate: ${evaluation.name}`,
      params: { evaluationId: id },
      unit: 'items',
      total,
      run: async (ctx) => {
        try {
          const result = await executeEvaluation(runnerDeps, id, { testsets }, ctx);
          store.finish(id, 'succeeded', null);
          return result;
        } catch (err) {
          const cancelled = ctx.signal.aborted || (err instanceof ApiError && err.kind === 'cancelled');
          store.finish(
            id,
            cancelled ? 'cancelled' : 'failed',
            cancelled ? 'cancelled by the user' : err instanceof Error ? err.message : String(err),
          );
          throw err;
        } finally {
          live.delete(id);
          publish(id);
        }
      },
    });
    live.set(id, started.job.id);
    store.markQueued(id, started.job.id);
    const done = started.done.finally(() => live.delete(id));
    done.catch(() => undefined);
    publish(id);
    return { evaluation: store.get(id), job: started.job, done };
  }

  function configHash(config: EvaluationConfig): string {
    return sha256Json(config);
  }

  /** Everything the tables of one evaluation are computed from. */
  function loadData(id: number): EvaluationData {
    const evaluation = store.get(id);
    const config = evaluation.config;
    const generators = resolveGenerators(config).map((g) => g.label);
    const runMap = new Map<string, RunSummary>();
    for (const r of store.runs(id)) {
      try {
        runMap.set(`${r.generator}|${r.testset}`, runs.get(r.runId));
      } catch {
        // The run was removed: its cells lose the run's provenance, the scores stay.
      }
    }
    const scorers = store.scorers(id);
    return {
      evaluation,
      testsets: store
        .testsets(id)
        .map((t) => ({ key: t.key, label: t.label, kind: t.kind, items: store.items(id, t.key) })),
      rows: [...(config.baselineInitial ? [INITIAL_LABEL] : []), ...generators],
      generators,
      scorers,
      runs: runMap,
      scores: store.scores(id),
      likelihood: store.likelihood(id).map((l) => ({ ...l, result: l.result as LikelihoodSnapshot })),
    };
  }

  function tables(key: number | string, reference: boolean): { evaluation: EvaluationSummary; tables: EvalTable[] } {
    const ev = store.find(key);
    return { evaluation: ev, tables: buildTables(loadData(ev.id), { reference }) };
  }

  return {
    store,
    configHash,

    async plan(config: EvaluationConfig): Promise<EvaluationPlan> {
      const generators = resolveGenerators(config);
      const testsets = resolveTestsets(db, deps.testsets, config);
      const unfinished = store.findUnfinished(configHash(config));
      return buildPlan(
        { db, llm: deps.llm, runs, scoring: deps.scoring, store, likelihood: deps.likelihood },
        config,
        generators,
        testsets,
        unfinished?.id ?? null,
      );
    },

    /** Create an evaluation (its items snapshotted now) and start its job. */
    start(config: EvaluationConfig): StartedEvaluation {
      const generators = resolveGenerators(config);
      const testsets = resolveTestsets(db, deps.testsets, config);
      if (config.scorers.length === 0 && !config.likelihood)
        throw new ApiError(
          'invalid-input',
          'give at least one scorer (or a likelihood test): nothing would be measured',
        );
      const defaultName = `${generators.map((g) => g.label).join(', ') || INITIAL_LABEL} × ${testsets.map((t) => t.label).join(', ')}`;
      const id = store.create(config.name ?? defaultName.slice(0, 200), config, configHash(config), testsets);
      return launch(id);
    },

    /** The newest unfinished evaluation with exactly this config (what `srlab eval run` resumes). */
    findUnfinished(config: EvaluationConfig): EvaluationSummary | null {
      return store.findUnfinished(configHash(config));
    },

    resume(id: number): StartedEvaluation {
      const ev = store.get(id);
      if (live.has(id) || ev.state === 'running' || ev.state === 'queued')
        throw new ApiError('conflict', `evaluation ${id} is already ${ev.state}`);
      if (ev.state === 'succeeded') throw new ApiError('conflict', `evaluation ${id} is complete`);
      return launch(id);
    },

    cancel(id: number): EvaluationSummary {
      const ev = store.get(id);
      const jobId = live.get(id);
      if (jobId === undefined) {
        if (ev.state === 'running' || ev.state === 'queued')
          throw new ApiError('conflict', `evaluation ${id} is running in another srlab process; cancel it there`);
        throw new ApiError('conflict', `evaluation ${id} is not running (${ev.state})`);
      }
      jobs.cancel(jobId);
      return store.get(id);
    },

    list: (limit: number) => store.list(limit),
    get: (key: number | string) => store.find(key),

    remove(id: number): number {
      const ev = store.get(id);
      if (live.has(id) || ev.state === 'running' || ev.state === 'queued')
        throw new ApiError('conflict', `evaluation ${id} is ${ev.state}: cancel it first`);
      store.remove(id);
      return id;
    },

    loadData,
    tables,

    export(key: number | string, format: ExportFormat, reference: boolean, only?: readonly TableId[]) {
      const { evaluation, tables: all } = tables(key, reference);
      const chosen = nonEmpty(all).filter((t) => !only || only.includes(t.id));
      if (chosen.length === 0)
        throw new ApiError(
          'invalid-input',
          `evaluation ${evaluation.id} has no ${only ? `${only.join(', ')} ` : ''}table with values yet (state: ${evaluation.state})`,
        );
      return exportTables(chosen, format, evaluation.name);
    },

    items(input: {
      evaluation: number | string;
      generator?: string | undefined;
      testset?: string | undefined;
      group?: string | undefined;
      filter: 'all' | 'positive' | 'flips' | 'disagreement';
      offset: number;
      limit: number;
    }): { total: number; items: EvalItem[] } {
      const data = loadData(store.find(input.evaluation).id);
      const verdictIds = verdictScorers(data).map((s) => s.id);
      const first = verdictScorers(data)[0];
      const byKey = new Map<string, EvalItem['scores']>();
      for (const s of data.scores) {
        const k = `${s.generator}|${s.testset}|${s.index}`;
        const list = byKey.get(k) ?? [];
        list.push({ scorer: s.scorer, score: s.score, verdict: s.verdict, label: s.label, error: s.error });
        byKey.set(k, list);
      }
      const out: EvalItem[] = [];
      for (const row of data.rows) {
        if (input.generator !== undefined && row !== input.generator) continue;
        for (const ts of data.testsets) {
          if (input.testset !== undefined && ts.key !== input.testset) continue;
          const run = data.runs.get(`${row}|${ts.key}`);
          const outputs = row === INITIAL_LABEL || !run ? null : runOutputs(runs, run.id);
          // Counterfactual sets: which originals' verdicts flip among their variants (first verdict scorer).
          let flipped: Set<string | number> | null = null;
          if (ts.kind === 'counterfactual' && first) {
            const verdicts = new Map<string | number, Set<boolean>>();
            const scored = counterfactualScores(
              ts.items,
              data.scores.filter((s) => s.generator === row && s.testset === ts.key && s.scorer === first.id),
            );
            for (const c of scored) {
              const set = verdicts.get(c.original) ?? new Set<boolean>();
              set.add(c.score > first.threshold);
              verdicts.set(c.original, set);
            }
            flipped = new Set([...verdicts].filter(([, v]) => v.size > 1).map(([k]) => k));
          }
          for (const it of ts.items) {
            if (input.group !== undefined && (it.group ?? '(none)') !== input.group) continue;
            const scores = byKey.get(`${row}|${ts.key}|${it.index}`) ?? [];
            const verdicts = new Set(
              scores.filter((s) => verdictIds.includes(s.scorer) && s.verdict !== null).map((s) => s.verdict),
            );
            const original = it.fields.original as string | number | undefined;
            const item: EvalItem = {
              generator: row,
              testset: ts.key,
              index: it.index,
              group: it.group,
              subgroup: it.subgroup,
              input: it.text,
              output: outputs ? (outputs.get(it.index)?.output ?? null) : row === INITIAL_LABEL ? it.text : null,
              error: outputs ? (outputs.get(it.index)?.error ?? null) : null,
              scores,
              disagreement: verdicts.size > 1,
              flip: flipped && original !== undefined ? flipped.has(original) : null,
            };
            const keep =
              input.filter === 'all' ||
              (input.filter === 'positive' && scores.some((s) => s.verdict === true)) ||
              (input.filter === 'flips' && item.flip === true) ||
              (input.filter === 'disagreement' && item.disagreement);
            if (keep) out.push(item);
          }
        }
      }
      return { total: out.length, items: out.slice(input.offset, input.offset + input.limit) };
    },

    compare(input: {
      baseline: { generator: string; evaluation?: number | string | undefined };
      testset?: string | undefined;
      scorer?: string | undefined;
      seed: number;
      resamples: number;
    }): LeaderboardRow[] {
      const baseEval = input.baseline.evaluation === undefined ? undefined : store.find(input.baseline.evaluation).id;
      const all = store.list(1000).map((e) => loadData(e.id));
      return leaderboard(all, {
        baseline: { generator: input.baseline.generator, evaluation: baseEval },
        testset: input.testset,
        scorer: input.scorer,
        seed: input.seed,
        resamples: input.resamples,
      });
    },
  };
}
