#!/usr/bin/env node
// npm run bench:train — training tokens/s of srlab's worker `train` job vs the authors' recipe
// (TRL's SFTTrainer with the paper's settings, Tables 3–4, as far as they apply on this device),
// on the same tiny Llama, the same data (the demo's llama2-chat export, train split) and the same
// max sequence length, in one run; then both eval losses on the same held-out split (dev).
// Needs the worker venv (`srlab worker setup --cpu`) and a build (`npm run build`). TRL is not
// part of the worker's requirements: the first run installs it (with `datasets`) into an overlay
// venv under bench/.data that sees the worker venv's packages, so the worker venv stays as it is
// (SRLAB_BENCH_TRL_VENV picks another folder).
//
// A shared CPU is noisy (other processes take cores mid-run), so the two sides alternate for
// BENCH_ROUNDS rounds (default 3) and each side's best round counts.
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
const epochs = Number(process.env.BENCH_EPOCHS ?? 1);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = path.join(root, 'bench', '.data', 'train');
const home = path.join(dir, 'home');
fs.rmSync(home, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });

const run = (cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
};

// The overlay venv: the worker venv's site-packages through a .pth file, TRL on top.
const overlay = process.env.SRLAB_BENCH_TRL_VENV ?? path.join(dir, 'trl-venv');
const overlayPython = path.join(overlay, 'bin', 'python');
const hasTrl = () =>
  fs.existsSync(overlayPython) &&
  spawnSync(overlayPython, ['-c', 'import trl, datasets'], { encoding: 'utf8' }).status === 0;
if (!hasTrl()) {
  console.error(`installing TRL into ${overlay} (once; the worker venv is not touched)`);
  run(python, ['-m', 'venv', overlay]);
  const site = run(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])']).trim();
  const overlaySite = run(overlayPython, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])']).trim();
  fs.writeFileSync(path.join(overlaySite, '_srlab_worker_venv.pth'), `${site}\n`);
  run(overlayPython, ['-m', 'pip', 'install', '--quiet', 'trl>=1.0', 'datasets']);
}

const tiny = path.join(dir, 'tiny-llama');
if (!fs.existsSync(path.join(tiny, 'model.safetensors')))
  run(python, [path.join(root, 'python-worker', 'scripts', 'make_tiny_llama.py'), tiny]);
const exportSplit = (split) => {
  const out = path.join(dir, `${split}.jsonl`);
  const args = ['--home', home, 'export', 'cmd-demo', '--split', split, '--format', 'llama2-chat'];
  run(process.execPath, [path.join(root, 'bin', 'srlab.js'), ...args, '--out', out, '--json']);
  return out;
};
const data = exportSplit('train');
const evalData = exportSplit('dev');

const threads = String(Math.min(os.availableParallelism(), 8));
const out = JSON.parse(
  run(
    overlayPython,
    [
      path.join(root, 'python-worker', 'scripts', 'bench_train.py'),
      tiny,
      data,
      evalData,
      '--epochs',
      String(epochs),
      '--rounds',
      String(rounds),
    ],
    { SRLAB_TORCH_THREADS: threads },
  )
    .trim()
    .split('\n')
    .at(-1),
);
const c = out.config;
const fmt = (r) =>
  `${r.tokensPerSecond.toFixed(0).padStart(7)} tokens/s  (${r.tokens} tokens in ${r.seconds.toFixed(2)} s, ${r.steps} steps; ` +
  `rounds: ${r.rounds.map((x) => x.toFixed(0)).join(', ')} tokens/s)  eval loss ${r.evalLoss.toFixed(4)}`;
console.log(
  `tiny Llama, ${epochs} epoch(s) of the demo train split, the paper's settings on ${out.device}: LoRA r ${c.lora_r} alpha ${c.lora_alpha} ` +
    `dropout ${c.lora_dropout} on ${c.lora_target_modules.join('/')}, batch ${c.per_device_train_batch_size}, lr ${c.learning_rate} ${c.lr_scheduler_type}, ` +
    `max length ${c.max_seq_length}, ${c.use_4bit ? '4-bit' : 'no 4-bit'}, ${out.precision}, ${threads} threads; best of ${rounds} alternating rounds`,
);
console.log(`srlab worker job        ${fmt(out.srlab)}`);
console.log(`TRL SFTTrainer (paper)  ${fmt(out.sft)}`);
console.log(`ratio (srlab / SFTTrainer) ${out.ratio.toFixed(2)}`);
console.log(
  `eval loss on the dev split (${out.evalTokens} tokens, token-weighted, whole sequence): srlab ${out.srlab.evalLoss.toFixed(4)}, ` +
    `SFTTrainer ${out.sft.evalLoss.toFixed(4)}, untrained ${out.untrainedEvalLoss.toFixed(4)}`,
);
console.log(
  'tokens/s: real (non-pad) input tokens over the training loop wall time, each side counting its own attention masks',
);
console.log('rerun: npm run bench:train   (BENCH_EPOCHS, BENCH_ROUNDS; GPU: python-worker/scripts/gpu_bench_train.sh)');
