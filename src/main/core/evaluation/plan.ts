// What an evaluation would do, before it runs: per generator × test set the generation run that
// would be reused or resumed and the items left to generate (with a rough time from past runs of
// the same target), per row × scorer the texts whose scores are already stored or cached.
import { type EvaluationConfig, type EvaluationPlan, INITIAL_LABEL } from '../../../shared/contracts/evaluation';
import type { Target } from '../../../shared/contracts/llm';
import type { Db } from '../db';
import type { LlmService } from '../llm';
import { canonicalJson } from '../llm/hash';
import type { RunService } from '../runs';
import type { Scorer } from '../scorers/types';
import { type ResolvedGenerator, type ResolvedTestset, runInput } from './resolve';
import { findFinishedRun, type LikelihoodDoor, runOutputs, type ScoringDoor } from './runner';
import type { EvaluationStore } from './store';

interface PlanDeps {
  db: Db;
  llm: LlmService;
  runs: RunService;
  scoring: ScoringDoor;
  store: EvaluationStore;
  likelihood: LikelihoodDoor | null;
}

/** Seconds per generated item for this target and maxTokens, from its past runs (null when none). */
function secondsPerItem(runs: RunService, target: Target, maxTokens: number): number | null {
  const key = canonicalJson(target);
  let ms = 0;
  let items = 0;
  for (const r of runs.list(1000)) {
    if (canonicalJson(r.settings.target) !== key || r.settings.decoding.maxTokens !== maxTokens) continue;
    if (r.done === 0 || r.generationMs <= 0) continue;
    ms += r.generationMs;
    items += r.done;
  }
  return items > 0 ? ms / items / 1000 : null;
}

export async function buildPlan(
  deps: PlanDeps,
  config: EvaluationConfig,
  generators: readonly ResolvedGenerator[],
  testsets: readonly ResolvedTestset[],
  unfinishedId: number | null,
): Promise<EvaluationPlan> {
  const notes: string[] = [];
  const built: Scorer[] = [];
  try {
    for (const spec of config.scorers) built.push(await deps.scoring.create(spec));
    const generation: EvaluationPlan['generation'] = [];
    const outputs = new Map<string, (string | null)[]>();
    let estimate = 0;
    let estimated = false;
    for (const g of generators)
      for (const ts of testsets) {
        const input = runInput(config, 'plan', g, ts);
        const mapped = unfinishedId === null ? null : deps.store.runFor(unfinishedId, g.label, ts.key);
        let run = null;
        if (mapped !== null) {
          try {
            run = deps.runs.get(mapped);
          } catch {
            run = null;
          }
        }
        run ??= (await findFinishedRun(deps, input)) ?? (await deps.runs.findUnfinished(input));
        const cachedItems = run ? (run.state === 'succeeded' ? run.total : run.done) : 0;
        const toGenerate = Math.max(0, ts.items.length - cachedItems);
        const per = secondsPerItem(deps.runs, g.target, config.decoding.maxTokens);
        const seconds = toGenerate === 0 ? 0 : per === null ? null : per * toGenerate;
        if (seconds !== null) {
          estimate += seconds;
          estimated = true;
        }
        generation.push({
          generator: g.label,
          testset: ts.key,
          items: ts.items.length,
          runId: run?.id ?? null,
          runState: run?.state ?? null,
          cachedItems,
          toGenerate,
          estimatedSeconds: seconds,
        });
        if (run) {
          const out = runOutputs(deps.runs, run.id);
          outputs.set(
            `${g.label}|${ts.key}`,
            ts.items.map((it) => out.get(it.index)?.output ?? null),
          );
        }
      }

    const scoring: EvaluationPlan['scoring'] = [];
    const rows = [...(config.baselineInitial ? [INITIAL_LABEL] : []), ...generators.map((g) => g.label)];
    for (const row of rows)
      for (const ts of testsets) {
        const texts =
          row === INITIAL_LABEL
            ? ts.items.map((it) => it.text)
            : (outputs.get(`${row}|${ts.key}`) ?? ts.items.map(() => null));
        for (const s of built) {
          const stored =
            unfinishedId === null ? new Set<number>() : deps.store.scoredIndexes(unfinishedId, row, ts.key, s.info.id);
          const known = ts.items
            .filter((it) => !stored.has(it.index) && texts[it.index] !== null)
            .map((it) => texts[it.index]!);
          const cached = stored.size + (deps.scoring.cachedCount?.(s, known) ?? 0);
          scoring.push({
            scorer: s.info.id,
            generator: row,
            testset: ts.key,
            items: ts.items.length,
            cached,
            toScore: ts.items.length - cached,
          });
        }
      }

    const likelihood: EvaluationPlan['likelihood'] = [];
    const lik = config.likelihood;
    for (const g of generators)
      for (const [kind, name] of [
        ['stereoset', lik?.stereoset],
        ['crows-pairs', lik?.crowsPairs],
      ] as const) {
        if (!name) continue;
        if (g.target.kind !== 'local') {
          notes.push(`${g.label}: no ${kind} likelihood for an endpoint generator (it gives no token probabilities)`);
          continue;
        }
        const cached = deps.likelihood
          ? (await deps.likelihood.latest({
              kind,
              target: g.target,
              testset: name,
              ...(lik?.limit ? { limit: lik.limit } : {}),
            })) !== null
          : false;
        if (!deps.likelihood)
          notes.push('the likelihood capability is not available in this build: Tables 7–8 stay empty');
        likelihood.push({ generator: g.label, testset: name, kind, cached });
      }
    if (generators.length && !estimated) notes.push('no past runs of these generators: no time estimate yet');
    if (unfinishedId !== null)
      notes.push(`evaluation ${unfinishedId} has this config and is unfinished: starting resumes it`);

    return {
      testsets: testsets.map((t) => ({ key: t.key, label: t.label, kind: t.kind, items: t.items.length })),
      generators: generators.map((g) => ({ label: g.label, target: g.target })),
      scorers: built.map((s) => ({
        id: s.info.id,
        version: s.info.version,
        measure: s.info.measure,
        threshold: s.info.threshold,
        description: s.info.description,
      })),
      generation,
      scoring,
      likelihood,
      estimatedSeconds: estimated ? estimate : null,
      notes: [...new Set(notes)],
    };
  } finally {
    for (const s of built) await s.close?.().catch(() => undefined);
  }
}
