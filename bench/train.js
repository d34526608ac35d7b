#!/usr/bin/env node
// npm run bench:train — training tokens/s of srlab's worker job vs a plain transformers Trainer
// script with the same settings, on the tiny Llama and the demo data (llama2-chat export), in
// one run. Needs the worker venv (`srlab worker setup --cpu`) and a build (`npm run build`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
const venv = process.env.SRLAB_WORKER_VENV ?? path.join(cache, 'srlab', 'worker-venv');
const python = path.join(venv, 'bin', 'python');
if (!fs.existsSync(python)) {
  console.error(`no worker venv at ${venv}: run \`node bin/srlab.js worker setup --cpu\``);
  process.exit(2);
}
const steps = Number(process.env.BENCH_STEPS ?? 20);
const dir = path.join(root, 'bench', '.data', 'train');
const home = path.join(dir, 'home');
fs.rmSync(home, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });

const run = (cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
};

const tiny = path.join(dir, 'tiny-llama');
if (!fs.existsSync(path.join(tiny, 'model.safetensors')))
  run(python, [path.join(root, 'python-worker', 'scripts', 'make_tiny_llama.py'), tiny]);
const data = path.join(dir, 'train.jsonl');
run(process.execPath, [
  path.join(root, 'bin', 'srlab.js'),
  '--home',
  home,
  'export',
  'cmd-demo',
  '--split',
  'train',
  '--format',
  'llama2-chat',
  '--out',
  data,
  '--json',
]);

const threads = String(Math.min(os.availableParallelism(), 8));
const out = JSON.parse(
  run(python, [path.join(root, 'python-worker', 'scripts', 'bench_train.py'), tiny, data, '--steps', String(steps)], {
    SRLAB_TORCH_THREADS: threads,
  })
    .trim()
    .split('\n')
    .at(-1),
);
const fmt = (r) =>
  `${r.tokensPerSecond.toFixed(0).padStart(7)} tokens/s  (${r.tokens.toFixed(0)} tokens in ${r.seconds.toFixed(2)} s, loss ${r.finalLoss.toFixed(3)})`;
console.log(`tiny Llama, ${steps} LoRA steps, batch 8, fp32, ${threads} threads`);
console.log(`srlab worker job     ${fmt(out.srlab)}`);
console.log(`transformers Trainer ${fmt(out.trainer)}`);
console.log(`ratio (srlab / Trainer) ${out.ratio.toFixed(2)}`);
console.log(
  'loss: srlab reports its last step, Trainer its mean over the run; Trainer tokens = mean example length × examples seen',
);
