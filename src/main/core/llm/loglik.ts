// Sentence log-likelihoods, as StereoSet and CrowS-Pairs need them (METRICS.md §1–2): the text is
// encoded without special tokens, its first token is scored given BOS (+ prefix), each later
// token given the tokens before it; per-token natural-log probabilities and their sum.
import type {
  ControlledEvaluateInputItem,
  LlamaContext,
  LlamaContextSequence,
  LlamaModel,
  Token,
} from 'node-llama-cpp';
import { ApiError } from '../../../shared/contract';
import type { LoglikResult } from '../../../shared/contracts/llm';

/** ln of the smallest positive float32: what a probability that underflowed to 0 is reported as. */
export const LOGPROB_FLOOR = Math.log(1.401298464324817e-45);

export interface LoglikItem {
  text: string;
  prefix: string;
}

/**
 * The tokens that condition the text and the text's own tokens. With a prefix, the two are
 * tokenized together and split where the prefix's tokens end (lm-evaluation-harness's way), so
 * a word cut by the join is scored as the tokenizer really splits it.
 */
export function splitTokens(model: LlamaModel, item: LoglikItem): { context: Token[]; target: Token[] } {
  const start = model.tokens.bos ?? model.tokens.eos;
  const head: Token[] = start === null ? [] : [start];
  if (item.prefix === '') return { context: head, target: model.tokenize(item.text, false) };
  const whole = model.tokenize(item.prefix + item.text, false);
  const pre = model.tokenize(item.prefix, false);
  const shared = pre.length <= whole.length && pre.every((t, i) => whole[i] === t);
  if (shared && pre.length < whole.length) return { context: [...head, ...pre], target: whole.slice(pre.length) };
  return { context: [...head, ...pre], target: model.tokenize(item.text, false, 'trimLeadingSpace') };
}

async function scoreOne(
  sequence: LlamaContextSequence,
  model: LlamaModel,
  item: LoglikItem,
  index: number,
): Promise<LoglikResult> {
  const { context: cond, target } = splitTokens(model, item);
  if (target.length === 0) throw new ApiError('invalid-input', `item ${index}: the text has no tokens`);
  const all = [...cond, ...target];
  if (all.length > sequence.contextSize) {
    throw new ApiError(
      'invalid-input',
      `item ${index}: ${all.length} tokens (with BOS and prefix), longer than the context (${sequence.contextSize})`,
    );
  }
  // Without BOS/EOS and prefix the first token has nothing to be scored against: it is skipped.
  const firstScored = cond.length === 0 ? 1 : 0;
  const input: ControlledEvaluateInputItem[] = [];
  const evalTokens = all.slice(0, -1);
  for (let i = 0; i < evalTokens.length; i++) {
    const scores = i >= cond.length - 1 + firstScored;
    input.push(scores ? [evalTokens[i]!, { generateNext: { probabilities: true } }] : evalTokens[i]!);
  }
  await sequence.clearHistory();
  {
    const outputs = await sequence.controlledEvaluate(input);
    const tokens: LoglikResult['tokens'] = [];
    for (let j = firstScored; j < target.length; j++) {
      const at = cond.length - 1 + j;
      const p = outputs[at]?.next.probabilities?.get(target[j]!) ?? 0;
      const logprob = p > 0 ? Math.log(p) : LOGPROB_FLOOR;
      // Detokenized after the tokens before it, so a piece keeps its leading space (" world", not "world").
      const piece = model.detokenize([target[j]!], false, all.slice(Math.max(0, at - 3), at + 1));
      tokens.push({ token: target[j]!, piece, logprob });
    }
    const total = tokens.reduce((a, t) => a + t.logprob, 0);
    return { text: item.text, prefix: item.prefix, tokens, total, mean: tokens.length ? total / tokens.length : 0 };
  }
}

/** Score every item, `context.totalSequences` at a time (batched in one context), results in input order. */
export async function scoreTexts(
  context: LlamaContext,
  model: LlamaModel,
  items: readonly LoglikItem[],
  opts: { signal?: AbortSignal; onDone?: (done: number) => void } = {},
): Promise<LoglikResult[]> {
  const results = new Array<LoglikResult>(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    const sequence = context.getSequence();
    try {
      while (next < items.length) {
        if (opts.signal?.aborted) throw new ApiError('cancelled', 'log-likelihood scoring was cancelled');
        const i = next++;
        results[i] = await scoreOne(sequence, model, items[i]!, i);
        opts.onDone?.(++done);
      }
    } finally {
      sequence.dispose();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(context.totalSequences, items.length)) }, worker));
  return results;
}
