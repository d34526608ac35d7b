// One completion on one context sequence: greedy unless a temperature is set, ending at an
// end-of-generation token, a stop string or the token budget.
import type { LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import type { Decoding, FinishReason } from '../../../shared/contracts/llm';

export interface LocalCompletion {
  output: string;
  promptTokens: number;
  completionTokens: number;
  finishReason: FinishReason;
  generateMs: number;
}

/** A per-item failure (prompt too long, …): the run records it and goes on. */
export class ItemError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ItemError';
  }
}

/** The prompt's tokens: the whole text with special tokens (`<s>`, `[INST]` markers of the template) parsed. */
export function promptTokens(model: LlamaModel, prompt: string): Token[] {
  return model.tokenize(prompt, true);
}

/** Index of the earliest stop string in `text`, or -1. */
export function firstStop(text: string, stops: readonly string[]): number {
  let at = -1;
  for (const s of stops) {
    const i = text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  return at;
}

export async function completeOnSequence(
  sequence: LlamaContextSequence,
  model: LlamaModel,
  prompt: string,
  decoding: Decoding,
  opts: { signal?: AbortSignal; seed?: number; onText?: (delta: string) => void } = {},
): Promise<LocalCompletion> {
  const tokens = promptTokens(model, prompt);
  const room = sequence.contextSize - tokens.length;
  if (room < 1) {
    throw new ItemError(
      `the prompt is ${tokens.length} tokens; the context holds ${sequence.contextSize}. Shorten the input or load with a larger context`,
    );
  }
  const budget = Math.min(decoding.maxTokens, room);
  await sequence.clearHistory();

  const t0 = performance.now();
  const out: Token[] = [];
  let finishReason: FinishReason = 'length';
  let text = '';
  // Detokenize as we go only when something needs the text (stop strings, streaming).
  const watchText = decoding.stop.length > 0 || opts.onText !== undefined;
  const holdBack = Math.max(0, ...decoding.stop.map((s) => s.length - 1));
  const iterator = sequence.evaluate(tokens, {
    temperature: decoding.temperature,
    ...(decoding.topK !== undefined ? { topK: decoding.topK } : {}),
    ...(decoding.topP !== undefined ? { topP: decoding.topP } : {}),
    seed: opts.seed ?? decoding.seed,
  });
  for await (const token of iterator) {
    if (opts.signal?.aborted) {
      finishReason = 'cancelled';
      break;
    }
    if (model.isEogToken(token)) {
      finishReason = 'eos';
      break;
    }
    out.push(token);
    if (watchText) {
      const next = model.detokenize(out);
      const stopAt = firstStop(next, decoding.stop);
      if (stopAt >= 0) {
        const kept = next.slice(0, stopAt);
        if (opts.onText && kept.length > text.length) opts.onText(kept.slice(text.length));
        text = kept;
        finishReason = 'stop';
        break;
      }
      // Hold back what could be the start of a stop string (and half a character), so streamed text never shows either.
      const safe = next.endsWith('\uFFFD') ? next.length - 1 - holdBack : next.length - holdBack;
      if (opts.onText && safe > text.length) {
        opts.onText(next.slice(text.length, safe));
        text = next.slice(0, safe);
      }
    }
    if (out.length >= budget) break;
  }
  const generateMs = performance.now() - t0;
  if (finishReason !== 'stop') {
    const final = model.detokenize(out);
    if (opts.onText && final.length > text.length) opts.onText(final.slice(text.length));
    text = final;
  }
  return { output: text, promptTokens: tokens.length, completionTokens: out.length, finishReason, generateMs };
}
