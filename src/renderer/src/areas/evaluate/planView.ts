// What the New evaluation form shows of `evaluation.plan`: per generation and per scorer what is
// cached and what is left to do, the totals, and the rough time. Pure.
import type { EvaluationPlan } from '../../../../shared/contracts/evaluation';
import { formatCount, formatEta } from '../../lib/format';

export interface PlanTotals {
  /** Generations (generator × test set) and their items. */
  generations: number;
  itemsToGenerate: number;
  itemsCachedGeneration: number;
  /** Reused finished runs; unfinished runs that will be resumed. */
  reusedRuns: number;
  resumedRuns: number;
  /** Texts scored per scorer, summed over scorers. */
  toScore: number;
  cachedScores: number;
  likelihoodToRun: number;
  likelihoodCached: number;
}

export function planTotals(plan: EvaluationPlan): PlanTotals {
  const t: PlanTotals = {
    generations: plan.generation.length,
    itemsToGenerate: 0,
    itemsCachedGeneration: 0,
    reusedRuns: 0,
    resumedRuns: 0,
    toScore: 0,
    cachedScores: 0,
    likelihoodToRun: 0,
    likelihoodCached: 0,
  };
  for (const g of plan.generation) {
    t.itemsToGenerate += g.toGenerate;
    t.itemsCachedGeneration += g.cachedItems;
    if (g.runId !== null) {
      if (g.toGenerate === 0) t.reusedRuns++;
      else t.resumedRuns++;
    }
  }
  for (const s of plan.scoring) {
    t.toScore += s.toScore;
    t.cachedScores += s.cached;
  }
  for (const l of plan.likelihood) {
    if (l.cached) t.likelihoodCached++;
    else t.likelihoodToRun++;
  }
  return t;
}

/** The one line above the plan's tables: what Start would do. */
export function planHeadline(plan: EvaluationPlan): string {
  const t = planTotals(plan);
  const parts = [
    `${formatCount(t.itemsToGenerate)} item${t.itemsToGenerate === 1 ? '' : 's'} to generate` +
      (t.itemsCachedGeneration ? ` (${formatCount(t.itemsCachedGeneration)} cached)` : ''),
    `${formatCount(t.toScore)} score${t.toScore === 1 ? '' : 's'} to compute` +
      (t.cachedScores ? ` (${formatCount(t.cachedScores)} cached)` : ''),
  ];
  if (t.likelihoodToRun + t.likelihoodCached > 0)
    parts.push(`${t.likelihoodToRun} likelihood test${t.likelihoodToRun === 1 ? '' : 's'} to run`);
  return `${parts.join(' · ')} · ${roughTime(plan.estimatedSeconds)}`;
}

/** "about 3m 05s", or why no estimate is given. */
export function roughTime(seconds: number | null): string {
  if (seconds === null) return 'time unknown (no past run of these generators to estimate from)';
  if (seconds < 1) return 'about no time (everything is cached)';
  return `about ${formatEta(seconds)}`;
}

/** A generation's state in words: reused, resumed, or new. */
export function generationStatus(g: EvaluationPlan['generation'][number]): string {
  if (g.runId === null) return 'new run';
  if (g.toGenerate === 0) return `reuses run #${g.runId}`;
  return `resumes run #${g.runId} (${g.runState ?? 'unfinished'})`;
}

/** Share of a stage's work already cached, 0..1 (1 when there is nothing to do). */
export function cachedShare(cached: number, total: number): number {
  return total <= 0 ? 1 : Math.min(1, Math.max(0, cached / total));
}
