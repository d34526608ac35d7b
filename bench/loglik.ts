// Sentence log-likelihood benchmark: srlab's scorer (src/main/core/llm/loglik.ts, what
// `srlab loglik` and `srlab eval stereoset|crows-pairs` run) against a plain node-llama-cpp loop
// computing the same numbers, on the same loaded model in the same process, plus srlab batched
// (several sequences in one context) against srlab one sequence at a time.
//
//   npm run bench:loglik                              # the tiny test model, real StereoSet sentences
//   npm run bench:loglik -- --model FILE.gguf --sentences 600 --parallel 8 --repeat 5 --threads 8
//
// The baseline, per sentence: clear the sequence, evaluate BOS + the sentence's tokens with
// controlledEvaluate asking for the next-token probabilities at every position, and sum the log
// of the probability of each next token. srlab's side scores the same sentences with its
// scoreTexts (one sequence for the ratio, --parallel sequences for batching). Sides run
// interleaved --repeat times after a warm-up; medians are reported. The numbers of both are
// compared (max |difference| of the totals) so a faster wrong answer cannot pass.
//
// srlab's speed-up over the plain loop comes from prefix reuse: a StereoSet example's three
// sentences share the words before the blank, which are evaluated (and their table read) once.
// The batched side is measured but srlab does not use it: with several sequences in one context
// this node-llama-cpp build gave wrong totals now and then (maxAbsDiff.batchedVsPlain well above
// float rounding, varying from run to run), so scoreTexts uses one sequence unless told otherwise.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getLlama, LlamaLogLevel, type LlamaContext, type LlamaModel, type Token } from 'node-llama-cpp';
import { writeTinyModel } from '../scripts/make-tiny-gguf.js';
import { LOGPROB_FLOOR, scoreTexts } from '../src/main/core/llm/loglik';

function parseArgs(argv: string[]) {
  const o = { model: null as string | null, sentences: 300, parallel: 8, repeat: 5, threads: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = () => Number(argv[++i]);
    if (a === '--model') o.model = path.resolve(argv[++i]!);
    else if (a === '--sentences') o.sentences = num();
    else if (a === '--parallel') o.parallel = num();
    else if (a === '--repeat') o.repeat = num();
    else if (a === '--threads') o.threads = num();
    else {
      console.error(
        `unknown argument ${a}\nusage: npm run bench:loglik -- [--model FILE.gguf] [--sentences N] [--parallel K] [--repeat R] [--threads T]`,
      );
      process.exit(2);
    }
  }
  for (const k of ['sentences', 'parallel', 'repeat'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1) {
      console.error(`--${k} takes a whole number ≥ 1`);
      process.exit(2);
    }
  }
  o.threads ||= Number(process.env.SRLAB_THREADS) || (o.model ? os.availableParallelism() : 1);
  return o;
}

/** StereoSet intrasentence sentences (all three of each example) from ../shared/data, else made-up ones. */
function sentences(n: number): string[] {
  const file = path.resolve(import.meta.dirname, '..', '..', 'shared', 'data', 'stereoset', 'stereoset_dev.jsonl');
  const out: string[] = [];
  if (fs.existsSync(file)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!line.includes('"intrasentence"')) continue;
      const o = JSON.parse(line) as Record<string, string>;
      out.push(o.stereotype!, o['anti-stereotype']!, o.unrelated!);
      if (out.length >= n) break;
    }
  }
  for (let i = out.length; i < n; i++) out.push(`The people of group ${i} were said to be good at work and very kind.`);
  return out.slice(0, n);
}

/** The plain node-llama-cpp loop: one sequence, full next-token probabilities at every position. */
async function plainLoop(context: LlamaContext, model: LlamaModel, texts: string[]): Promise<number[]> {
  const sequence = context.getSequence();
  const bos = (model.tokens.bos ?? model.tokens.eos) as Token;
  const totals: number[] = [];
  try {
    for (const text of texts) {
      const tokens = [bos, ...model.tokenize(text, false)];
      await sequence.clearHistory();
      const out = await sequence.controlledEvaluate(
        tokens.slice(0, -1).map((t) => [t, { generateNext: { probabilities: true } }] as const),
      );
      let total = 0;
      for (let i = 1; i < tokens.length; i++) {
        const p = out[i - 1]?.next.probabilities?.get(tokens[i]!) ?? 0;
        total += p > 0 ? Math.log(p) : LOGPROB_FLOOR;
      }
      totals.push(total);
    }
  } finally {
    sequence.dispose();
  }
  return totals;
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const o = parseArgs(process.argv.slice(2));
  let modelPath = o.model;
  if (!modelPath) {
    const dir = path.join(import.meta.dirname, '.data');
    fs.mkdirSync(dir, { recursive: true });
    modelPath = path.join(dir, 'tiny-loglik.gguf');
    writeTinyModel(modelPath);
  }
  const texts = sentences(o.sentences);
  const llama = await getLlama({ logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath });
  // A context per side: a disposed sequence goes back to its context's pool only later.
  const base = await model.createContext({ sequences: 1, contextSize: 512, threads: o.threads });
  const one = await model.createContext({ sequences: 1, contextSize: 512, threads: o.threads });
  // The batched context shares one KV cache of at most the trained length, as srlab's preflight
  // sizes it (a larger one made this llama.cpp build's non-flash attention give wrong numbers).
  const many = await model.createContext({
    sequences: o.parallel,
    contextSize: Math.min(model.trainContextSize, 512 * o.parallel),
    threads: o.threads,
  });
  const items = texts.map((text) => ({ text, prefix: '' }));
  // The three sentences of one StereoSet example stay on one sequence (they share a prefix).
  const groups = texts.map((_, i) => Math.floor(i / 3));
  const sides = {
    plain: () => plainLoop(base, model, texts),
    srlab: async () => (await scoreTexts(one, model, items, { pieces: false })).map((r) => r.total),
    batched: async () =>
      (await scoreTexts(many, model, items, { pieces: false, groups, sequences: o.parallel })).map((r) => r.total),
  };
  const ms: Record<keyof typeof sides, number[]> = { plain: [], srlab: [], batched: [] };
  const totals: Partial<Record<keyof typeof sides, number[]>> = {};
  for (const side of Object.keys(sides) as (keyof typeof sides)[]) totals[side] = await sides[side](); // warm-up
  const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((x, i) => Math.abs(x - b[i]!)));
  // Every run's numbers are compared with the plain loop's: a wrong answer may come only now and then.
  const worst = {
    srlabVsPlain: maxDiff(totals.srlab!, totals.plain!),
    batchedVsPlain: maxDiff(totals.batched!, totals.plain!),
  };
  for (let r = 0; r < o.repeat; r++) {
    for (const side of Object.keys(sides) as (keyof typeof sides)[]) {
      const t = await time(sides[side]);
      ms[side].push(t.ms);
      if (side === 'srlab') worst.srlabVsPlain = Math.max(worst.srlabVsPlain, maxDiff(t.value, totals.plain!));
      if (side === 'batched') worst.batchedVsPlain = Math.max(worst.batchedVsPlain, maxDiff(t.value, totals.plain!));
    }
  }
  const tokens = texts.reduce((a, t) => a + model.tokenize(t, false).length, 0);
  const med = { plain: median(ms.plain), srlab: median(ms.srlab), batched: median(ms.batched) };
  const report = {
    model: path.basename(modelPath),
    vocabulary: model.fileInfo.metadata.tokenizer?.ggml?.tokens?.length ?? null,
    gpu: llama.gpu,
    threads: o.threads,
    sentences: texts.length,
    tokens,
    repeat: o.repeat,
    ms: med,
    sentencesPerSecond: {
      plain: +((texts.length * 1000) / med.plain).toFixed(1),
      srlab: +((texts.length * 1000) / med.srlab).toFixed(1),
      batched: +((texts.length * 1000) / med.batched).toFixed(1),
    },
    /** Plain time over srlab time, both on one sequence: ≥ 0.9 is the goal (1 = as fast). */
    ratioSrlabVsPlain: +(med.plain / med.srlab).toFixed(3),
    /** One-sequence time over batched time: how much batching gains (see maxAbsDiff before trusting it). */
    speedupBatched: +(med.srlab / med.batched).toFixed(3),
    parallel: o.parallel,
    /** Largest |total − plain total| over every run (float rounding is ~1e-3 on these sums). */
    maxAbsDiff: worst,
    rerun: `npm run bench:loglik -- ${o.model ? `--model ${o.model} ` : ''}--sentences ${o.sentences} --parallel ${o.parallel} --repeat ${o.repeat} --threads ${o.threads}`,
  };
  console.log(JSON.stringify(report, null, 2));
  await Promise.all([base.dispose(), one.dispose(), many.dispose()]);
  await model.dispose();
  await llama.dispose();
}

await main();
