// Style-trait probabilities through an LLM judge (`{kind:'style', via:'judge', model, traits}`):
// the judge names up to STYLE_JUDGE_TOP traits of the list with a weight each, in JSON that a
// grammar built from the list holds it to (it cannot name a trait outside the list); the weights,
// normalised, are the text's distribution over the list (unnamed traits 0). srlab's own method:
// the paper used ParlAI's trained style classifier (the `via:'hf'` scorer in style.ts).
import crypto from 'node:crypto';
import { ApiError } from '../../../shared/contract';
import type { Trait } from '../../../shared/contracts/classifiers';
import type { ScorerSpec } from '../../../shared/contracts/scorers';
import { sha256Json } from '../llm/hash';
import { generateJson, judgeChatPrompt, judgeTokens, jsonSchemaGrammar, localJudge, PROBABILITY_STEPS } from './judge';
import type { JudgeItem } from './judge';
import type { ScorerDeps } from './registry';
import type { Scorer } from './types';

export type JudgeStyleScorerDeps = Pick<ScorerDeps, 'llm' | 'classifiers'>;

/** How many traits the judge may name per text. */
export const STYLE_JUDGE_TOP = 5;

/** The prompt: the trait list (names with their glosses), then the text. */
export function styleJudgePrompt(traits: readonly Trait[], text: string): string {
  const list = traits.map((t) => (t.glosses.length ? `${t.name} (${t.glosses.join(', ')})` : t.name)).join('\n');
  return (
    `Which personality traits does the style of the text below show? Choose 1 to ${STYLE_JUDGE_TOP} traits, ` +
    'only from this list, and give each a weight from 0 to 1 for how strongly the text shows it.\n\n' +
    `Traits:\n${list}\n\n` +
    'Answer with JSON only: {"traits": [{"trait": a trait name from the list, "weight": 0 to 1}, …]}.\n\n' +
    `Text:\n"""\n${text}\n"""`
  );
}

export function styleJudgeSchema(names: readonly string[]) {
  return {
    type: 'object',
    properties: {
      traits: {
        type: 'array',
        items: {
          type: 'object',
          properties: { trait: { enum: names }, weight: { enum: PROBABILITY_STEPS } },
        },
        minItems: 1,
        maxItems: STYLE_JUDGE_TOP,
      },
    },
  } as const;
}

/**
 * The judge's answer as a distribution over every trait of the list: weights of a trait named
 * twice add up; all weights 0 gives the named traits equal shares. Throws on an unreadable answer.
 */
export function styleDistribution(output: string, names: readonly string[]): Record<string, number> {
  let value: unknown;
  try {
    value = JSON.parse(output);
  } catch {
    throw new Error(`the judge's answer is not complete JSON: ${JSON.stringify(output.slice(0, 120))}`);
  }
  const picks = (value as { traits?: unknown } | null)?.traits;
  if (!Array.isArray(picks) || picks.length === 0) throw new Error('the judge named no traits');
  const known = new Set(names);
  const weights = new Map<string, number>();
  for (const p of picks as { trait?: unknown; weight?: unknown }[]) {
    if (typeof p?.trait !== 'string' || !known.has(p.trait))
      throw new Error(`the judge named a trait not in the list: ${JSON.stringify(p?.trait)}`);
    if (typeof p.weight !== 'number' || !(p.weight >= 0 && p.weight <= 1))
      throw new Error(`the weight of "${p.trait}" is not in [0, 1]: ${JSON.stringify(p.weight)}`);
    weights.set(p.trait, (weights.get(p.trait) ?? 0) + p.weight);
  }
  const total = [...weights.values()].reduce((a, w) => a + w, 0);
  const probs: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  for (const [t, w] of weights) probs[t] = total > 0 ? w / total : 1 / weights.size;
  return probs;
}

export async function createJudgeStyleScorer(
  spec: Extract<ScorerSpec, { kind: 'style' }>,
  deps: JudgeStyleScorerDeps,
): Promise<Scorer> {
  if (spec.via !== 'judge')
    throw new ApiError('invalid-input', "style scorers via 'hf' are built by createStyleScorer (style.ts)");
  if (!spec.model)
    throw new ApiError('invalid-input', "a style scorer via 'judge' needs a model (a library model name)", [
      { path: 'model', message: 'required when via is judge' },
    ]);
  const list = deps.classifiers.traitList(spec.traits);
  const names = list.traits.map((t) => t.name);
  if (names.length === 0) throw new ApiError('invalid-input', `trait list "${list.name}" is empty`);
  const judge = localJudge(deps.llm, spec.model);
  const schema = styleJudgeSchema(names);
  // The longest answer: STYLE_JUDGE_TOP entries with the longest name, one token per character at worst.
  const maxTokens = 96 + STYLE_JUDGE_TOP * (Math.max(...names.map((n) => n.length)) + 64);
  const traitsHash = crypto.createHash('sha256').update(JSON.stringify(list.traits)).digest('hex').slice(0, 12);

  const item: JudgeItem = async (sequence, model, info, text) => {
    const prompt = judgeChatPrompt(styleJudgePrompt(list.traits, text), info);
    const tokens = judgeTokens(model, prompt, text);
    const grammar = await jsonSchemaGrammar(model, schema);
    const probs = styleDistribution(await generateJson(sequence, model, tokens, grammar, maxTokens), names);
    let best = { label: names[0]!, score: -1 };
    for (const n of names) if (probs[n]! > best.score) best = { label: n, score: probs[n]! };
    return { score: best.score, label: best.label, probs, error: null };
  };

  return {
    info: {
      id: `style:judge:${judge.modelName}:${list.name}`,
      version: sha256Json({
        model: judge.modelSha256,
        traits: traitsHash,
        prompt: styleJudgePrompt(list.traits, '{text}'),
        top: STYLE_JUDGE_TOP,
      }).slice(0, 16),
      measure: 'style',
      threshold: 0.5,
      description:
        `style traits "${list.name}" (${names.length}) judged by ${judge.modelName} ` +
        `(sha256 ${judge.modelSha256.slice(0, 12)}…): up to ${STYLE_JUDGE_TOP} traits with weights, JSON held to the list ` +
        'by a grammar, weights normalised (srlab’s method, not the paper’s classifier)',
      validation: null,
    },
    score: (texts, opts) => judge.run(texts, item, opts),
  };
}
