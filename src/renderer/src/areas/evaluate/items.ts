// The item browser's small pieces: which rows and test sets an evaluation has (its filter
// choices), and a score in words. Pure.
import type { EvalItem, EvaluationSummary } from '../../../../shared/contracts/evaluation';
import { INITIAL_LABEL } from '../../../../shared/contracts/evaluation';

/** The rows ("initial" first) and test set keys an evaluation's stages name, in first-seen order. */
export function itemChoices(e: Pick<EvaluationSummary, 'stages'>): { generators: string[]; testsets: string[] } {
  const generators: string[] = [];
  const testsets: string[] = [];
  for (const s of e.stages) {
    if (!generators.includes(s.generator)) generators.push(s.generator);
    if (!testsets.includes(s.testset)) testsets.push(s.testset);
  }
  const i = generators.indexOf(INITIAL_LABEL);
  if (i > 0) generators.unshift(...generators.splice(i, 1));
  return { generators, testsets };
}

/** "0.93 ✓" for a positive verdict, "0.12" otherwise, "error" or "–" when there is no score. */
export function formatScore(s: EvalItem['scores'][number]): string {
  if (s.error) return 'error';
  if (s.score === null || !Number.isFinite(s.score)) return s.verdict === null ? '–' : s.verdict ? '✓' : '✗';
  return `${s.score.toFixed(2)}${s.verdict ? ' ✓' : ''}`;
}
