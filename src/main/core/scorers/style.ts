// Style-trait scorers (`{kind:'style', via:'hf', classifier, traits}`): per text, a probability
// for each trait of a named trait list (e.g. ParlAI's 215 Image-Chat traits, PAPER.md Table 9).
// Two ways, chosen by the classifier itself:
// - a style classifier whose own classes are the traits (as ParlAI's): its softmax, restricted
//   to the list's traits and renormalised over them;
// - an NLI classifier (it has an "entailment" class): zero-shot over the list, one hypothesis
//   per trait, the entailment logits softmaxed across the traits (the worker's zero_shot job).
// The score is the top trait's probability and the label that trait. The judge variant
// (`via:'judge'`) is createJudgeStyleScorer in judge-style.ts.
import crypto from 'node:crypto';
import { ApiError } from '../../../shared/contract';
import type { ClassifierInfo, TraitList } from '../../../shared/contracts/classifiers';
import type { ScorerSpec } from '../../../shared/contracts/scorers';
import { callWorker, type WorkerJobEvent } from '../worker/methods';
import { classifyWith, HF_THRESHOLD } from './hf';
import type { ScorerDeps } from './registry';
import type { Scorer, ScoreResult } from './types';

/**
 * srlab's hypothesis for zero-shot style scoring (the paper does not give one; it used ParlAI's
 * trained style classifier). The trait is lower-cased to read as a sentence.
 */
export const STYLE_HYPOTHESIS = 'The style of this text is {}.';

export type StyleScorerDeps = Pick<ScorerDeps, 'classifiers'>;

const isEntailment = (label: string) => label.toLowerCase().startsWith('entail');

/** Top trait and its probability, from a trait → probability map. */
function top(probs: Record<string, number>): { label: string; score: number } {
  let best = { label: '', score: -1 };
  for (const [label, score] of Object.entries(probs)) if (score > best.score) best = { label, score };
  return best;
}

/** The classifier's probabilities kept for the list's traits only, renormalised to sum to 1. */
export function restrictToTraits(
  probs: Record<string, number>,
  traits: readonly string[],
  byLower: Map<string, string>,
): Record<string, number> {
  const out: Record<string, number> = {};
  let sum = 0;
  for (const t of traits) {
    const p = probs[byLower.get(t.toLowerCase())!] ?? 0;
    out[t] = p;
    sum += p;
  }
  if (sum > 0) for (const t of traits) out[t]! /= sum;
  return out;
}

function traitsVersion(list: TraitList): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify(list.traits.map((t) => t.name)))
    .digest('hex')
    .slice(0, 12);
}

async function zeroShot(
  deps: StyleScorerDeps,
  c: ClassifierInfo,
  traits: readonly string[],
  texts: readonly string[],
  opts: { signal?: AbortSignal; onProgress?: (done: number) => void },
) {
  const w = await (await deps.classifiers.workerFor(c)).spawn();
  try {
    const onEvent = (e: WorkerJobEvent) => {
      if (e.event === 'progress') opts.onProgress?.(e.done);
    };
    const r = await callWorker(
      w,
      'zero_shot',
      {
        model: c.model,
        texts: [...texts],
        labels: traits.map((t) => t.toLowerCase()),
        hypothesisTemplate: STYLE_HYPOTHESIS,
      },
      { onEvent, ...(opts.signal ? { signal: opts.signal } : {}) },
    );
    if (r.results.length !== texts.length)
      throw new Error(`zero-shot scored ${r.results.length} of ${texts.length} texts`);
    // Back from the lower-cased hypotheses to the list's own spelling.
    return r.results.map((row) => Object.fromEntries(traits.map((t) => [t, row.probs[t.toLowerCase()]!])));
  } finally {
    await w.close();
  }
}

export async function createStyleScorer(
  spec: Extract<ScorerSpec, { kind: 'style' }>,
  deps: StyleScorerDeps,
): Promise<Scorer> {
  if (spec.via !== 'hf')
    throw new ApiError(
      'invalid-input',
      "style scorers via 'judge' are built by createJudgeStyleScorer (judge-style.ts)",
    );
  if (!spec.classifier)
    throw new ApiError(
      'invalid-input',
      "a style scorer via 'hf' needs a classifier (a style classifier or an NLI model)",
      [{ path: 'classifier', message: 'required when via is hf' }],
    );
  const list = deps.classifiers.traitList(spec.traits);
  let c = deps.classifiers.usable(spec.classifier);
  const traits = list.traits.map((t) => t.name);
  // A Hub classifier's classes are unknown until the worker first loads it: read them on one text.
  if (c.labels === null) {
    await classifyWith(deps, c, ['.']);
    c = deps.classifiers.usable(spec.classifier);
  }
  const labels = c.labels!;
  const mode = labels.some(isEntailment) ? 'zero-shot' : 'labels';
  const byLower = new Map(labels.map((l) => [l.toLowerCase(), l]));
  if (mode === 'labels') {
    const missing = traits.filter((t) => !byLower.has(t.toLowerCase()));
    if (missing.length > 0)
      throw new ApiError(
        'invalid-input',
        `classifier "${c.name}" has no class for ${missing.length} of the ${traits.length} traits of "${list.name}" (${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}); give a style classifier with these classes, or an NLI classifier for zero-shot`,
      );
  }
  return {
    info: {
      id: `style:hf:${c.name}:${list.name}`,
      version: `${c.version}+traits:${traitsVersion(list)}${mode === 'zero-shot' ? `+nli:${STYLE_HYPOTHESIS}` : ''}`,
      measure: 'style',
      threshold: HF_THRESHOLD,
      description:
        mode === 'zero-shot'
          ? `style traits "${list.name}" (${traits.length}) zero-shot with NLI classifier ${c.name} ("${STYLE_HYPOTHESIS}")`
          : `style traits "${list.name}" (${traits.length}) from style classifier ${c.name}'s own classes`,
      validation: null,
    },
    async score(texts, opts = {}): Promise<ScoreResult[]> {
      if (texts.length === 0) return [];
      const rows =
        mode === 'zero-shot'
          ? await zeroShot(deps, c, traits, texts, opts)
          : (await classifyWith(deps, c, texts, opts)).results.map((r) => restrictToTraits(r.probs, traits, byLower));
      return rows.map((probs) => {
        const best = top(probs);
        return { score: best.score, label: best.label, probs, error: null };
      });
    },
  };
}
