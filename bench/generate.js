// Generation benchmark: srlab's generation run against a plain node-llama-cpp loop over the
// same prompts with the same settings, measured in the same run, plus parallel vs sequential.
//
//   npm run bench:generate                          # the tiny test model (written to bench/.data)
//   npm run bench:generate -- --model FILE.gguf     # any GGUF model
//   npm run bench:generate -- --items 64 --max-tokens 128 --parallel 4 --repeat 3 --threads 8
//
// (b) srlab is run as a user runs it: `srlab generate --model M --dataset cmd-demo --split train
// --limit N --max-tokens T --json` through the built CLI; its tokensPerSecond is generated tokens
// over generation wall time (prompt evaluation included, model loading excluded), with every item
// stored in SQLite as it completes. (a) The baseline takes the exact prompts srlab sent (from the
// run's items), loads the model with node-llama-cpp directly and, per prompt: clears the
// sequence, tokenizes, evaluates greedily until EOS or the token budget. Its clock also starts
// after loading. Each side runs in a fresh process, --repeat times, interleaved; the median is
// reported, with the share of srlab's time spent outside generation (robust to machine noise).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { writeTinyModel } from '../scripts/make-tiny-gguf.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'bin', 'srlab.js');

function parseArgs(argv) {
  const o = { model: null, items: 32, maxTokens: 64, parallel: 4, repeat: 5, threads: null, contextSize: 2048 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => Number(argv[++i]);
    if (a === '--model') o.model = path.resolve(argv[++i]);
    else if (a === '--items') o.items = num();
    else if (a === '--max-tokens') o.maxTokens = num();
    else if (a === '--parallel') o.parallel = num();
    else if (a === '--repeat') o.repeat = num();
    else if (a === '--threads') o.threads = num();
    else if (a === '--context-size') o.contextSize = num();
    else {
      console.error(
        `unknown argument ${a}\nusage: node bench/generate.js [--model FILE.gguf] [--items N] [--max-tokens N] [--parallel K] [--repeat R] [--threads T] [--context-size C]`,
      );
      process.exit(2);
    }
  }
  for (const k of ['items', 'maxTokens', 'parallel', 'repeat', 'contextSize']) {
    if (!Number.isInteger(o[k]) || o[k] < 1) {
      console.error(`--${k} takes a whole number ≥ 1`);
      process.exit(2);
    }
  }
  o.threads ??= Number(process.env.SRLAB_THREADS) || (o.model ? os.availableParallelism() : 1);
  return o;
}

function srlab(home, args) {
  const r = spawnSync(process.execPath, [CLI, '--home', home, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    env: { ...process.env, SRLAB_HOME: '' },
  });
  if (r.status !== 0) {
    console.error(`srlab ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
    process.exit(1);
  }
  return args.includes('--json') ? JSON.parse(r.stdout) : r.stdout;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function plainLoop(model, prompts, o) {
  const context = await model.createContext({ contextSize: o.contextSize, sequences: 1, threads: o.threads });
  const sequence = context.getSequence();
  let tokens = 0;
  const t0 = performance.now();
  for (const prompt of prompts) {
    await sequence.clearHistory();
    const input = model.tokenize(prompt, true);
    let n = 0;
    for await (const token of sequence.evaluate(input, { temperature: 0, seed: 42 })) {
      if (model.isEogToken(token)) break;
      n++;
      if (n >= o.maxTokens) break;
    }
    tokens += n;
  }
  const seconds = (performance.now() - t0) / 1000;
  await context.dispose();
  return { tokens, seconds, tokensPerSecond: tokens / seconds };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(ROOT, 'out', 'main', 'cli.js'))) {
    console.error('srlab is not built: run `npm run build` first');
    process.exit(1);
  }
  let modelFile = o.model;
  if (!modelFile) {
    modelFile = path.join(ROOT, 'bench', '.data', 'tiny.gguf');
    writeTinyModel(modelFile);
  }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'srlab-bench-gen-'));
  try {
    srlab(home, ['models', 'add', modelFile, '--name', 'bench', '--json']);
    const gen = (parallel) => [
      'generate',
      '--model',
      'bench',
      '--dataset',
      'cmd-demo',
      '--split',
      'train',
      '--limit',
      String(o.items),
      '--max-tokens',
      String(o.maxTokens),
      '--parallel',
      String(parallel),
      '--threads',
      String(o.threads),
      '--context-size',
      String(o.contextSize),
      '--json',
      '--fresh',
    ];

    console.log(
      `model ${path.basename(modelFile)}, ${o.items} prompts × ≤${o.maxTokens} tokens, greedy, ${o.threads} thread(s), median of ${o.repeat}`,
    );
    // The prompts srlab sends, taken from a first (warm-up) run's items.
    const warm = srlab(home, gen(1));
    const promptsFile = path.join(home, 'prompts.json');
    fs.writeFileSync(promptsFile, JSON.stringify(warm.items.map((i) => i.prompt)));
    const plain = () => {
      const r = spawnSync(
        process.execPath,
        [fileURLToPath(import.meta.url), '--plain-child', modelFile, promptsFile, JSON.stringify(o)],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) {
        console.error(`the plain loop failed:\n${r.stderr}`);
        process.exit(1);
      }
      return JSON.parse(r.stdout);
    };

    // Both sides run in a fresh process of their own, interleaved, so drift in machine load hits both alike.
    const srlabRuns = [];
    const plainRuns = [];
    const parallelRuns = [];
    for (let r = 0; r < o.repeat; r++) {
      srlabRuns.push(srlab(home, gen(1)));
      plainRuns.push(plain());
      parallelRuns.push(srlab(home, gen(o.parallel)));
    }

    const srlabTps = median(srlabRuns.map((x) => x.tokensPerSecond));
    const plainTps = median(plainRuns.map((x) => x.tokensPerSecond));
    const parallelTps = median(parallelRuns.map((x) => x.tokensPerSecond));
    const srlabTokens = srlabRuns[0].run.generatedTokens;
    const plainTokens = plainRuns[0].tokens;
    const range = (xs) => `range ${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;
    console.log(
      `(a) plain node-llama-cpp loop   ${plainTps.toFixed(1).padStart(9)} tokens/s  (${plainTokens} tokens; ${range(plainRuns.map((x) => x.tokensPerSecond))})`,
    );
    console.log(
      `(b) srlab generate, sequential  ${srlabTps.toFixed(1).padStart(9)} tokens/s  (${srlabTokens} tokens; ${range(srlabRuns.map((x) => x.tokensPerSecond))})`,
    );
    const overhead = (plainTps / srlabTps - 1) * 100;
    console.log(
      `    srlab / plain = ${(srlabTps / plainTps).toFixed(3)}  (overhead ${overhead.toFixed(1)}%, target < 5%)`,
    );
    // Robust to machine noise: the share of srlab's generation wall time spent outside the items
    // (storing results, events, sequence reset and tokenization) in its sequential runs.
    const outside = median(
      srlabRuns.map((x) => 1 - x.items.reduce((a, i) => a + (i.generateMs ?? 0), 0) / x.run.generationMs),
    );
    console.log(
      `    time outside the items' own generation: ${(outside * 100).toFixed(1)}% of srlab's generation time`,
    );
    console.log(`(c) srlab generate, --parallel ${o.parallel} ${parallelTps.toFixed(1).padStart(9)} tokens/s`);
    console.log(`    parallel / sequential = ${(parallelTps / srlabTps).toFixed(2)}×`);
    if (srlabTokens !== plainTokens)
      console.log(
        `    note: token counts differ (${srlabTokens} vs ${plainTokens}): the two did not generate the same text`,
      );
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** The baseline in its own process: load, then time the loop over the prompts. */
async function plainChild([modelFile, promptsFile, opts]) {
  const o = JSON.parse(opts);
  const prompts = JSON.parse(fs.readFileSync(promptsFile, 'utf8'));
  const llama = await getLlama({ build: 'never', logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath: modelFile });
  const result = await plainLoop(model, prompts, o);
  await model.dispose();
  await llama.dispose();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[2] === '--plain-child') await plainChild(process.argv.slice(3));
else await main();
