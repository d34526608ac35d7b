// The real training stack through the `srlab` CLI on a tiny Llama built here (SentencePiece
// tokenizer trained on our demo data): LoRA steps, loss down, checkpoint, cancel from another
// process, resume, merge, GGUF conversion, registration and generation in node-llama-cpp.
// Skips without the worker venv (`srlab worker setup --cpu`), except in CI where it must exist.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultVenv, venvPython, workerRoot } from '../../src/main/core/worker/paths';
import { WorkerProcess } from '../../src/main/core/worker/process';
import { ensureLlamaCpp } from '../../src/main/core/training/llamacpp';
import { tempDir } from '../helpers';
import { CLI, ensureTinyLlama, srlab, type CliRun } from './cli-helpers';

const python = venvPython(defaultVenv());
const hasVenv = fs.existsSync(python);
if (!hasVenv && process.env.CI)
  throw new Error(`CI needs the worker venv at ${defaultVenv()}: .ci/run runs \`srlab worker setup --cpu\``);
if (!hasVenv) console.warn(`SKIP train-cli: no worker venv at ${defaultVenv()} (run \`srlab worker setup --cpu\`)`);

const home = tempDir('srlab-train-');
const tiny = path.join(home, 'tiny-llama');
const env = { SRLAB_TORCH_THREADS: '2' };
const LORA = 'q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj,lm_head';
const SETTINGS = [
  'use_4bit=false',
  'max_steps=16',
  'save_steps=4',
  'per_device_train_batch_size=8',
  'learning_rate=0.003',
  'lora_r=8',
  'lora_dropout=0',
  'early_stopping_patience=0',
  `lora_target_modules=${LORA}`,
  // A train-loss point every step (the paper preset logs every 25, as the authors' code).
  'logging_steps=1',
].flatMap((s) => ['--set', s]);

function srlabAsync(args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--home', home, ...args], {
      env: { ...process.env, ...env, SRLAB_HOME: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, json: args.includes('--json') ? JSON.parse(stdout.trim()) : undefined }),
    );
  });
}

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The built CLI and the tiny Llama (built once per file; a describe run alone builds it too). */
const ensureTiny = () => ensureTinyLlama(python, tiny);

describe.skipIf(!hasVenv)('srlab train on a tiny Llama (CPU)', () => {
  let trained: CliRun;
  let cancelled: CliRun;

  beforeAll(async () => {
    ensureTiny();
    // Start, cancel from another process once the first checkpoint lands, then resume.
    const first = srlabAsync([
      'train',
      '--dataset',
      'cmd-demo',
      '--base',
      tiny,
      '--name',
      'tiny-sr',
      ...SETTINGS,
      '--json',
    ]);
    const ckpt = path.join(home, 'training', 'run-1', 'checkpoints', 'step-000004');
    await waitFor(() => fs.existsSync(ckpt), 90_000);
    const cancel = srlab(['train', 'cancel', '1', '--json'], { home });
    expect(cancel.code, cancel.stderr).toBe(0);
    cancelled = await first;
    trained = await srlabAsync(['train', 'resume', '1', '--json']);
  }, 240_000);

  it('stops a run at the next step when cancelled from another process, keeping its checkpoints', () => {
    expect(cancelled.code).toBe(1);
    expect(cancelled.json.state).toBe('cancelled');
    expect(cancelled.json.checkpoints).toContain(4);
    expect(cancelled.json.steps).toBeLessThan(16);
  });

  it('resumes from the last checkpoint and the training loss goes down', () => {
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.json).toMatchObject({ run: 1, state: 'succeeded', steps: 16, ggufModel: 'tiny-sr' });
    // Which weights the adapter, merge and GGUF hold: the paper preset keeps the last step's.
    expect(trained.json.adapterCheckpoint).toMatchObject({ step: 16, selected: 'last' });
    expect(trained.json.finalLoss).toBeLessThan(trained.json.initialLoss - 0.3);
    expect(trained.json.checkpoints).toEqual(expect.arrayContaining([4, 8, 12, 16]));
    const step = path.join(home, 'training', 'run-1', 'checkpoints', 'step-000016');
    for (const f of ['adapter_model.safetensors', 'adapter_config.json', 'train_config.json', 'trainer_state.pt'])
      expect(fs.existsSync(path.join(step, f)), f).toBe(true);
    expect(trained.json.energy).toMatchObject({ pue: 1, carbonIntensity: 0.4 });
  });

  it('stores the full config, data hash, versions and every metric with the run', () => {
    const show = srlab(['train', 'show', '1', '--json'], { home });
    expect(show.code, show.stderr).toBe(0);
    const db = srlab(['train', 'list', '--json'], { home }).json.runs[0];
    expect(db.config).toMatchObject({ lora_r: 8, lora_alpha: 16, max_steps: 16, use_4bit: false });
    expect(db.dataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(db.versions).toMatchObject({
      torch: expect.any(String),
      transformers: expect.any(String),
      peft: expect.any(String),
    });
    expect(db.examples).toBeGreaterThan(50);
  });

  it('registers a GGUF that generates in node-llama-cpp, identical to base GGUF + LoRA GGUF, with HF-identical tokens', async () => {
    const models = srlab(['models', '--json'], { home }).json.models as { name: string; path: string }[];
    const merged = models.find((m) => m.name === 'tiny-sr')!;
    expect(merged).toBeDefined();
    const adapterGguf = trained.json.adapterGguf as string;
    // No local paths inside exported artefacts.
    for (const f of [merged.path, adapterGguf]) expect(fs.readFileSync(f).includes(Buffer.from(home))).toBe(false);

    // The base as GGUF, through the same worker job.
    const w = await WorkerProcess.start({ python, root: workerRoot(), env });
    const baseGguf = path.join(home, 'tiny-base.gguf');
    try {
      await w.request('export_gguf', { model_dir: tiny, out_file: baseGguf, llama_cpp_dir: ensureLlamaCpp() });
    } finally {
      await w.close();
    }

    const prompt = '<s>[INST] <<SYS>>\nBe fair.\n<</SYS>>\n\nOK boomer, nobody cares. [/INST]';
    const hf = spawnSync(
      python,
      [
        '-c',
        `import json,sys; from transformers import AutoTokenizer; t=AutoTokenizer.from_pretrained(sys.argv[1]); print(json.dumps(t(sys.argv[2], add_special_tokens=False).input_ids))`,
        tiny,
        prompt,
      ],
      { encoding: 'utf8' },
    );
    expect(hf.status, hf.stderr).toBe(0);

    const { getLlama } = await import('node-llama-cpp');
    const llama = await getLlama({ gpu: false, build: 'never' });
    const greedy = async (modelPath: string, lora?: string) => {
      const model = await llama.loadModel({ modelPath });
      const ctx = await model.createContext({
        contextSize: 512,
        ...(lora ? { lora: { adapters: [{ filePath: lora, scale: 1 }] } } : {}),
      });
      const tokens = model.tokenize(prompt, true);
      const out: number[] = [];
      for await (const t of ctx.getSequence().evaluate(tokens, { temperature: 0 })) {
        out.push(t);
        if (out.length >= 12) break;
      }
      await ctx.dispose();
      await model.dispose();
      return { tokens: [...tokens], out };
    };
    const a = await greedy(merged.path);
    const b = await greedy(baseGguf, adapterGguf);
    expect(a.tokens).toEqual(JSON.parse(hf.stdout.trim()));
    expect(a.out.length).toBe(12);
    expect(b.out).toEqual(a.out);
    // Negative control: the base alone continues differently, so a merge (or a LoRA GGUF) that
    // dropped the adapter's deltas would fail the two equalities above.
    const baseAlone = await greedy(baseGguf);
    expect(baseAlone.tokens).toEqual(a.tokens);
    expect(baseAlone.out).not.toEqual(a.out);
    await llama.dispose();
  }, 120_000);
});

describe.skipIf(!hasVenv)('srlab train with bad input', () => {
  it.each([
    [['--base', '/nonexistent/folder'], 2, /is not a Hugging Face model folder/],
    [['--base', '.', '--set', 'lora_r=0', '--set', 'lora_dropout=3'], 2, /lora_r: .*lora_dropout: /],
    [['--base', '.', '--set', 'no_such_key=1'], 2, /no_such_key: unknown training setting/],
    [['--base', '.', '--split', 'nope'], 2, /"nope" is not a split/],
  ])('refuses %j with a clear message', (args, code, message) => {
    const r = srlab(['train', '--dataset', 'cmd-demo', ...args], { home });
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
  });

  it('says 4-bit needs bitsandbytes and CUDA, offering the 16/32-bit LoRA path', async () => {
    const r = await srlabAsync(['train', '--dataset', 'cmd-demo', '--base', tiny, '--set', 'max_steps=1', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.state).toBe('failed');
    expect(r.json.error.message).toMatch(/use_4bit=true needs bitsandbytes and a CUDA GPU.*use_4bit=false/);
  });
});

// DDP through the real `accelerate launch` (torchrun underneath): two gloo processes on CPU stand
// in for two GPUs. Same code path as a multi-GPU machine except the backend (nccl there).
describe.skipIf(!hasVenv)('srlab train with num_processes=2 (DDP through accelerate launch)', () => {
  let ddp: CliRun;
  let cancelled: CliRun;
  let runDir = '';

  beforeAll(async () => {
    ensureTiny();
    const first = srlabAsync([
      'train',
      '--dataset',
      'cmd-demo',
      '--base',
      tiny,
      '--name',
      'tiny-ddp',
      '--no-gguf',
      ...SETTINGS,
      '--set',
      'num_processes=2',
      '--set',
      'per_device_train_batch_size=4',
      '--set',
      'max_steps=12',
      '--json',
    ]);
    // Cancel from another process once the first checkpoint lands, then resume on two ranks.
    // Only a launched (DDP) run writes train-params.json, which tells this run's folder apart.
    const training = path.join(home, 'training');
    const ddpRun = () =>
      fs.existsSync(training)
        ? fs.readdirSync(training).find((d) => fs.existsSync(path.join(training, d, 'train-params.json')))
        : undefined;
    await waitFor(() => {
      const d = ddpRun();
      return d !== undefined && fs.existsSync(path.join(training, d, 'checkpoints', 'step-000004'));
    }, 150_000);
    runDir = path.join(training, ddpRun()!);
    const id = Number(path.basename(runDir).replace('run-', ''));
    expect(srlab(['train', 'cancel', String(id), '--json'], { home }).code).toBe(0);
    cancelled = await first;
    ddp = await srlabAsync(['train', 'resume', String(id), '--json']);
  }, 300_000);

  it('stops every rank when cancelled from another process, keeping the checkpoints', () => {
    expect(cancelled.code).toBe(1);
    expect(cancelled.json.state).toBe('cancelled');
    expect(cancelled.json.checkpoints).toContain(4);
    expect(cancelled.json.steps).toBeLessThan(12);
    expect(fs.existsSync(path.join(runDir, 'cancel.request'))).toBe(false);
  });

  it('resumes on two ranks to the planned step with the training loss going down', () => {
    expect(ddp.code, ddp.stderr).toBe(0);
    expect(ddp.json).toMatchObject({ state: 'succeeded', steps: 12 });
    expect(ddp.json.finalLoss).toBeLessThan(ddp.json.initialLoss);
    expect(ddp.json.checkpoints).toEqual(expect.arrayContaining([4, 8, 12]));
    expect(fs.existsSync(path.join(runDir, 'adapter', 'adapter_model.safetensors'))).toBe(true);
  });

  it('records the world size with the run and every step exactly once (rank 0 alone reports)', () => {
    const show = srlab(['train', 'show', String(ddp.json.run), '--json'], { home });
    expect(show.code, show.stderr).toBe(0);
    expect(show.json.device).toMatch(/x2/);
    const steps = (show.json.metrics as { split: string; step: number }[])
      .filter((m) => m.split === 'train')
      .map((m) => m.step);
    // Steps after the last checkpoint before the cancel are redone on resume, so they repeat.
    expect(new Set(steps)).toEqual(new Set(Array.from({ length: 12 }, (_, i) => i + 1)));
    expect(steps.filter((s) => s <= 4)).toEqual([1, 2, 3, 4]);
  });
});
