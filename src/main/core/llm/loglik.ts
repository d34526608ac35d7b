// Sentence log-likelihoods, as StereoSet and CrowS-Pairs need them (METRICS.md §1–2): the text is
// encoded without special tokens, its first token is scored given BOS (+ prefix), each later
// token given the tokens before it; per-token natural-log probabilities and their sum.
//
// Why the whole next-token table is still asked for: node-llama-cpp 3.21.1's controlledEvaluate
// offers, per position, the full probability list (`probabilities`) or the probability of the
// token its sampler *selects* (`confidence`). There is no way to ask for a given token's
// probability: making the sampler select the target needs a logit bias, and the probability
// then has to be recovered from a float32 confidence near 1, which loses the digits (a bias
// large enough for any target leaves 1 − confidence below float32's resolution). So the table
// is read for the target's entry only, and the work saved is elsewhere: positions shared with
// the sentence scored before on the same sequence are not evaluated again (see scoreOne), and
// sequences run batched in one context.
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

/**
 * What a sequence holds after scoring an item: the log-probability each evaluated position gave
 * its next token (undefined where it was not scored). The sequence's own contextTokens say which
 * tokens its KV cache holds.
 */
interface SequenceMemory {
  logprobs: (number | undefined)[];
}

/**
 * How many leading positions of `evalTokens` can be taken from what the sequence holds: position
 * i has the same context when tokens 0..i match, and the same next token when i + 1 matches too,
 * so the last matching position is evaluated again (its next token may differ). Positions that
 * must be scored but were not scored before end the reuse.
 */
function reusable(
  held: readonly Token[],
  memory: SequenceMemory | null,
  evalTokens: readonly Token[],
  firstScoredAt: number,
): number {
  if (!memory) return 0;
  let match = 0;
  const n = Math.min(held.length, evalTokens.length);
  while (match < n && held[match] === evalTokens[match]) match++;
  let keep = Math.max(0, match - 1);
  for (let i = firstScoredAt; i < keep; i++) {
    if (memory.logprobs[i] === undefined) {
      keep = i;
      break;
    }
  }
  return keep;
}

async function scoreOne(
  sequence: LlamaContextSequence,
  model: LlamaModel,
  item: LoglikItem,
  index: number,
  opts: { pieces: boolean; reusePrefix: boolean },
  memory: { current: SequenceMemory | null },
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
  const firstScoredAt = cond.length - 1 + firstScored;
  const evalTokens = all.slice(0, -1);
  // Sentences that start alike (StereoSet's three fillings of one blank, a CrowS pair) share the
  // positions before they differ: those stay in the KV cache and keep their scores, and only
  // the rest is evaluated. The reused numbers are the ones computed before, for the same tokens.
  const before = memory.current;
  const keep = opts.reusePrefix ? reusable(sequence.contextTokens, before, evalTokens, firstScoredAt) : 0;
  memory.current = null; // the sequence changes now: after a failure there is nothing to reuse
  if (keep === 0) await sequence.clearHistory();
  else await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
  const input: ControlledEvaluateInputItem[] = [];
  for (let i = keep; i < evalTokens.length; i++)
    input.push(i >= firstScoredAt ? [evalTokens[i]!, { generateNext: { probabilities: true } }] : evalTokens[i]!);
  const outputs = await sequence.controlledEvaluate(input);
  const logprobs = new Array<number | undefined>(evalTokens.length);
  for (let i = firstScoredAt; i < evalTokens.length; i++) {
    if (i < keep) {
      logprobs[i] = before!.logprobs[i];
      continue;
    }
    // Only the target token's entry of the table is read (see the note at the top of the file).
    const p = outputs[i - keep]?.next.probabilities?.get(all[i + 1]!) ?? 0;
    logprobs[i] = p > 0 ? Math.log(p) : LOGPROB_FLOOR;
  }
  memory.current = { logprobs };

  const tokens: LoglikResult['tokens'] = [];
  for (let j = firstScored; j < target.length; j++) {
    const at = cond.length - 1 + j;
    // Detokenized after the tokens before it, so a piece keeps its leading space (" world", not "world").
    const piece = opts.pieces ? model.detokenize([target[j]!], false, all.slice(Math.max(0, at - 3), at + 1)) : '';
    tokens.push({ token: target[j]!, piece, logprob: logprobs[at]! });
  }
  const total = tokens.reduce((a, t) => a + t.logprob, 0);
  return { text: item.text, prefix: item.prefix, tokens, total, mean: tokens.length ? total / tokens.length : 0 };
}

/**
 * Several sequences of one context scoring at once gave wrong log-likelihoods now and then with
 * node-llama-cpp 3.21.1 (up to 25 nats off on some sentences, different on each run; reproduced
 * with a plain node-llama-cpp loop, no srlab code). So one sequence scores unless the caller asks
 * for more (bench/loglik.ts does, to watch for the fix); the rest of the context stays unused.
 */
export const SAFE_SEQUENCES = 1;

/** Score every item on `opts.sequences` sequences of the context (default 1), results in input order. */
export async function scoreTexts(
  context: LlamaContext,
  model: LlamaModel,
  items: readonly LoglikItem[],
  opts: {
    signal?: AbortSignal;
    onDone?: (done: number) => void;
    /** false: leave each token's text empty (metrics need only the numbers; detokenizing costs). */
    pieces?: boolean;
    /**
     * Keep the positions a text shares with the one its sequence scored before (default true).
     * Items that start alike should then be next to each other in `items`.
     */
    reusePrefix?: boolean;
    /**
     * A group key per item (e.g. the example a sentence belongs to): a sequence's run of items
     * never ends inside a group, so a group's texts share one sequence and its prefix.
     */
    groups?: readonly number[];
    /** Sequences scoring at once (batched in one context); see SAFE_SEQUENCES before raising it. */
    sequences?: number;
  } = {},
): Promise<LoglikResult[]> {
  const results = new Array<LoglikResult>(items.length);
  let next = 0;
  let done = 0;
  const workers = Math.max(1, Math.min(opts.sequences ?? SAFE_SEQUENCES, context.totalSequences, items.length));
  // Each sequence takes runs of consecutive items, so texts that start alike (placed next to each
  // other by the caller) mostly land on the same sequence; several runs per sequence keep the
  // sequences evenly busy.
  const run = Math.max(1, Math.min(32, Math.floor(items.length / (workers * 4))));
  const worker = async () => {
    const sequence = context.getSequence();
    const memory: { current: SequenceMemory | null } = { current: null };
    const scoreOpts = { pieces: opts.pieces ?? true, reusePrefix: opts.reusePrefix ?? true };
    try {
      while (next < items.length) {
        const from = next;
        let to = Math.min(items.length, from + run);
        while (opts.groups && to < items.length && opts.groups[to] === opts.groups[to - 1]) to++;
        next = to;
        for (let i = from; i < to; i++) {
          if (opts.signal?.aborted) throw new ApiError('cancelled', 'log-likelihood scoring was cancelled');
          results[i] = await scoreOne(sequence, model, items[i]!, i, scoreOpts, memory);
          opts.onDone?.(++done);
        }
      }
    } finally {
      sequence.dispose();
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
