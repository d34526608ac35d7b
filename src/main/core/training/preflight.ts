// Preflight of a planned training run: what the split holds once formatted (examples, tokens,
// truncation), the planned steps, the base's size from its config.json, and a memory estimate
// for the chosen precision against the free VRAM nvidia-smi reports, and a rough duration.
// Tokens are counted with the base's own tokenizer by the worker when it can (venv present,
// tokenizer on this machine; cached per data hash and settings), else estimated as characters / 4.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ParsedInput } from '../../../shared/api';
import { ApiError } from '../../../shared/contract';
import type { TemplateRef } from '../../../shared/contracts/llm';
import type { TrainConfig, TrainPreflight } from '../../../shared/contracts/training';
import { SPLITS, type Split } from '../../../shared/domain';
import type { DatasetService } from '../datasets';
import type { Db } from '../db';
import type { TemplateStore } from '../llm/templates';
import type { WorkerService } from '../worker';
import { exportForTraining, resolveConfig, trainingTemplate } from './config';
import { durationEstimate, measuredThroughput } from './duration';
import { resolveProcesses } from './launch';
import {
  cachedTokenCount,
  countTokensWithWorker,
  tokenizerUnavailable,
  type TokenCache,
  type TokenCountOutcome,
} from './tokencount';

const GiB = 2 ** 30;
/** Characters per token for the estimate (Llama-2 SentencePiece on English prose is ~3.5–4.5). */
export const CHARS_PER_TOKEN = 4;

/** The architecture numbers a parameter count needs (Hugging Face Llama-style config.json keys). */
export interface ModelShape {
  hidden_size: number;
  num_hidden_layers: number;
  intermediate_size: number;
  vocab_size: number;
  num_attention_heads?: number;
  num_key_value_heads?: number;
  tie_word_embeddings?: boolean;
}

/** Input and output width of each linear projection of one Llama decoder layer. */
function projections(s: ModelShape): Record<string, [number, number]> {
  const h = s.hidden_size;
  const heads = s.num_attention_heads ?? 0;
  const kv = heads > 0 && s.num_key_value_heads ? (h / heads) * s.num_key_value_heads : h;
  const i = s.intermediate_size;
  return {
    q_proj: [h, h],
    k_proj: [h, kv],
    v_proj: [h, kv],
    o_proj: [h, h],
    gate_proj: [h, i],
    up_proj: [h, i],
    down_proj: [i, h],
  };
}

/** Parameters of a Llama model: embeddings, per layer attention + MLP + 2 norms, final norm, lm_head. */
export function llamaParams(s: ModelShape): { total: number; linear: number; embeddings: number } {
  const linearPerLayer = Object.values(projections(s)).reduce((n, [a, b]) => n + a * b, 0);
  const linear = linearPerLayer * s.num_hidden_layers;
  const embeddings = s.vocab_size * s.hidden_size * (s.tie_word_embeddings ? 1 : 2);
  const norms = s.hidden_size * (2 * s.num_hidden_layers + 1);
  return { total: linear + embeddings + norms, linear, embeddings };
}

/** LoRA parameters: r × (d_in + d_out) per adapted projection per layer; empty targets: all of them. */
export function loraParams(s: ModelShape, r: number, targets: readonly string[]): number {
  const proj = projections(s);
  const names = targets.length ? Object.keys(proj).filter((k) => targets.includes(k)) : Object.keys(proj);
  return names.reduce((n, k) => n + r * (proj[k]![0] + proj[k]![1]), 0) * s.num_hidden_layers;
}

/** A Llama-like shape for a size in billions (when only the name says it): 32 layers, d ≈ √(P/12L). */
export function shapeFromBillions(billions: number): ModelShape {
  const layers = billions >= 30 ? 60 : billions >= 10 ? 40 : billions >= 2 ? 32 : billions >= 0.5 ? 24 : 12;
  const hidden = Math.round(Math.sqrt((billions * 1e9) / (12 * layers)) / 64) * 64 || 64;
  return {
    hidden_size: hidden,
    num_hidden_layers: layers,
    intermediate_size: Math.round(hidden * 2.6875),
    vocab_size: 32000,
  };
}

/** A size in the name, e.g. "Llama-2-7b-chat-hf" → 7, "tiny-350m" → 0.35. */
export function billionsFromName(name: string): number | null {
  const m = /(?:^|[^a-z0-9.])(\d+(?:\.\d+)?)\s*([bm])(?![a-z])/i.exec(path.basename(name).replace(/[_-]/g, ' '));
  if (!m) return null;
  const n = Number(m[1]);
  return m[2]!.toLowerCase() === 'm' ? n / 1000 : n;
}

/** The shape from `<dir>/config.json` when it has the four Llama numbers; null otherwise. */
export function readModelShape(dir: string): ModelShape | null {
  try {
    const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    const num = (k: string) => (typeof cfg[k] === 'number' && Number.isFinite(cfg[k]) ? (cfg[k] as number) : null);
    const [h, l, i, v] = ['hidden_size', 'num_hidden_layers', 'intermediate_size', 'vocab_size'].map(num);
    if (!h || !l || !i || !v) return null;
    return {
      hidden_size: h,
      num_hidden_layers: l,
      intermediate_size: i,
      vocab_size: v,
      ...(num('num_attention_heads') ? { num_attention_heads: num('num_attention_heads')! } : {}),
      ...(num('num_key_value_heads') ? { num_key_value_heads: num('num_key_value_heads')! } : {}),
      tie_word_embeddings: cfg.tie_word_embeddings === true,
    };
  } catch {
    return null;
  }
}

/** Planned optimizer steps: max_steps, else epochs × ceil(examples / (batch × accumulation × devices)). */
export function plannedSteps(examples: number, config: TrainConfig, devices = 1): number {
  if (config.max_steps > 0) return config.max_steps;
  const perStep = config.per_device_train_batch_size * config.gradient_accumulation_steps * Math.max(1, devices);
  return Math.max(1, Math.ceil(Math.max(1, Math.ceil(examples / perStep)) * config.num_train_epochs));
}

/**
 * Training memory (a planning estimate): weights in the chosen precision (4-bit: linear layers at
 * ~0.5 byte + quantisation constants, embeddings and lm_head in 16-bit), LoRA weights + grads in
 * fp32, AdamW moments (8 bytes per LoRA param), activations with gradient checkpointing (one
 * hidden state per layer kept, one layer's working set, fp32 logits), and CUDA context slack.
 */
export function memoryEstimate(
  shape: ModelShape,
  config: TrainConfig,
  opts: { gpu: boolean },
): NonNullable<TrainPreflight['memory']> {
  const p = llamaParams(shape);
  const lora = loraParams(shape, config.lora_r, config.lora_target_modules);
  let weightsName: string;
  let weightBytes: number;
  if (config.use_4bit) {
    weightsName = `4-bit ${config.bnb_4bit_quant_type.toUpperCase()}${config.use_nested_quant ? ' (double quant)' : ''}`;
    const perParam = 0.5 + (config.use_nested_quant ? 0.127 : 0.5) / 8; // absmax per 64 weights
    weightBytes = p.linear * perParam + (p.total - p.linear) * 2;
  } else {
    // As the worker's precision_plan: auto follows fp16/bf16 on a GPU, float32 on the CPU.
    const dtype =
      config.precision === 'auto' ? (opts.gpu ? (config.fp16 ? 'float16' : 'bfloat16') : 'float32') : config.precision;
    weightsName = dtype;
    weightBytes = p.total * (dtype === 'float32' ? 4 : 2);
  }
  const act16 = config.use_4bit || config.precision !== 'float32' ? 2 : 4;
  const tokens = config.per_device_train_batch_size * Math.min(config.max_seq_length, 4096);
  const activations =
    tokens * shape.hidden_size * shape.num_hidden_layers * act16 + // checkpointed layer inputs
    tokens * (4 * shape.hidden_size + 2 * shape.intermediate_size) * act16 * 2 + // one layer recomputed
    tokens * shape.vocab_size * 4; // logits in fp32 for the loss
  const parts = {
    weightsGiB: weightBytes / GiB,
    loraGiB: (lora * 8) / GiB, // fp32 weights + grads
    optimizerGiB: (lora * 8) / GiB, // AdamW: two fp32 moments
    activationsGiB: activations / GiB,
    overheadGiB: opts.gpu ? 0.75 : 0.25,
  };
  const totalGiB = Object.values(parts).reduce((a, b) => a + b, 0);
  return {
    weights: weightsName,
    totalGiB,
    parts,
    note: 'An estimate for planning (weights + LoRA + AdamW state + activations with gradient checkpointing + CUDA context); the real peak depends on kernels and fragmentation.',
  };
}

export interface GpuInfo {
  index: number;
  name: string;
  totalMiB: number;
  freeMiB: number;
}

/** `nvidia-smi --query-gpu=index,name,memory.total,memory.free` parsed; [] without nvidia-smi. */
export function parseNvidiaSmi(out: string): GpuInfo[] {
  return out
    .split('\n')
    .map((l) => l.split(',').map((s) => s.trim()))
    .filter((f) => f.length >= 4 && f[0] !== '' && Number.isFinite(Number(f[2])) && Number.isFinite(Number(f[3])))
    .map((f) => ({ index: Number(f[0]), name: f[1]!, totalMiB: Number(f[2]), freeMiB: Number(f[3]) }));
}

export function queryGpus(timeoutMs = 3000): Promise<GpuInfo[]> {
  if (process.env.SRLAB_NO_NVIDIA_SMI) return Promise.resolve([]);
  return new Promise((resolve) => {
    execFile(
      'nvidia-smi',
      ['--query-gpu=index,name,memory.total,memory.free', '--format=csv,noheader,nounits'],
      { timeout: timeoutMs, encoding: 'utf8' },
      (err, stdout) => resolve(err ? [] : parseNvidiaSmi(stdout)),
    );
  });
}

/** Token counts of formatted examples (characters / 4) and how many exceed max_seq_length. */
export function countTokens(texts: readonly string[], maxSeq: number) {
  let total = 0;
  let max = 0;
  let truncated = 0;
  let kept = 0;
  for (const t of texts) {
    const n = Math.ceil(t.length / CHARS_PER_TOKEN);
    total += n;
    max = Math.max(max, n);
    kept += Math.min(n, maxSeq);
    if (n > maxSeq) truncated++;
  }
  return { total, max, mean: texts.length ? total / texts.length : 0, truncated, kept };
}

export async function trainPreflight(
  input: Omit<ParsedInput<'train.preflight'>, 'countTokens' | 'template'> & {
    countTokens?: boolean;
    template?: TemplateRef;
  },
  deps: {
    datasets: DatasetService;
    gpus?: () => Promise<GpuInfo[]>;
    /** Counts tokens with the base's tokenizer; without it, characters / 4. */
    worker?: WorkerService;
    /** Earlier runs' measured throughput; without it, the duration is estimated. */
    db?: Db;
    tokenCache?: TokenCache;
    /** Resolves input.template as train.start does; without it, the paper's prompt (export defaults). */
    templates?: Pick<TemplateStore, 'resolve'>;
  },
): Promise<TrainPreflight> {
  const config = resolveConfig(input.preset, input.overrides);
  const template = deps.templates && input.template ? trainingTemplate(deps.templates, input.template) : null;
  if (!(SPLITS as readonly string[]).includes(input.split))
    throw new ApiError('invalid-input', `"${input.split}" is not a split (${SPLITS.join(', ')})`);
  const gpusP = (deps.gpus ?? queryGpus)();

  // The exact llama2-chat text train.start would give the worker, into a temp file read back.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'srlab-preflight-'));
  let texts: string[];
  let skipped: number;
  let outcome: TokenCountOutcome;
  const localDir = path.isAbsolute(input.base) || input.base.startsWith('.') || fs.existsSync(input.base);
  // A pinned Hugging Face id (org/name@rev) counts with the cached tokenizer of org/name.
  const base = localDir ? path.resolve(input.base) : input.base.replace(/@.*$/, '');
  try {
    const exported = exportForTraining(deps.datasets, {
      dataset: input.dataset,
      split: input.split as Split,
      out: path.join(tmp, 'train.jsonl'),
      template,
    });
    skipped = exported.skipped;
    texts = fs
      .readFileSync(exported.path, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => String((JSON.parse(l) as { text: string }).text));
    const unavailable = !deps.worker
      ? 'no worker to count with'
      : !deps.worker.python()
        ? `no worker environment at ${deps.worker.venv} (srlab worker setup)`
        : texts.length === 0
          ? 'nothing to count'
          : tokenizerUnavailable(base, localDir ? base : null);
    const args = {
      base,
      files: [exported.path],
      dataHash: crypto.createHash('sha256').update(fs.readFileSync(exported.path)).digest('hex'),
      maxSeq: config.max_seq_length,
      responseOnly: config.response_only_loss,
    };
    const cached = unavailable ? null : cachedTokenCount(args, deps.tokenCache);
    outcome = unavailable
      ? { ok: false, reason: unavailable }
      : cached
        ? { ok: true, count: cached }
        : input.countTokens === false
          ? { ok: false, reason: 'not counted yet (a quick first answer; the real count follows)' }
          : await countTokensWithWorker(deps.worker!, args, deps.tokenCache);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const estimate = countTokens(texts, config.max_seq_length);
  const real = outcome.ok ? outcome.count.files[0]! : null;
  const examples = real ? real.examples : texts.length;
  const counted = real
    ? {
        total: real.tokens,
        max: real.longest,
        mean: texts.length ? real.tokens / texts.length : 0,
        truncated: real.truncated,
        kept: real.kept,
      }
    : estimate;

  const gpus = await gpusP;
  // Training processes, decided as the launch decides them (num_processes, else one per GPU).
  const devices = resolveProcesses(config.num_processes, gpus.length);
  const steps = plannedSteps(examples, config, devices);
  const perStep = config.per_device_train_batch_size * config.gradient_accumulation_steps * devices;
  const seen = config.max_steps > 0 ? steps * perStep : examples * config.num_train_epochs;
  const trainTokens = Math.round(examples ? (counted.kept / examples) * seen : 0);

  const fromConfig = localDir ? readModelShape(base) : null;
  const billions = fromConfig ? null : billionsFromName(input.base);
  const shape = fromConfig ?? (billions !== null ? shapeFromBillions(billions) : null);
  const model = shape
    ? {
        params: fromConfig ? llamaParams(shape).total : billions! * 1e9,
        source: fromConfig ? ('config.json' as const) : ('name' as const),
        loraParams: loraParams(shape, config.lora_r, config.lora_target_modules),
        hiddenSize: shape.hidden_size,
        layers: shape.num_hidden_layers,
        vocabSize: shape.vocab_size,
      }
    : null;
  const gpu = gpus.length ? gpus.reduce((a, b) => (b.freeMiB > a.freeMiB ? b : a)) : null;
  const memory = shape ? memoryEstimate(shape, config, { gpu: gpu !== null }) : null;
  const fits = memory && gpu ? memory.totalGiB * 1024 <= gpu.freeMiB : null;
  const device = gpu ? 'cuda' : 'cpu';
  const duration = durationEstimate({
    trainTokens,
    params: model?.params ?? null,
    processes: devices,
    gpuName: gpu?.name ?? null,
    use4bit: config.use_4bit,
    measured: deps.db ? measuredThroughput(deps.db, base, device) : null,
    device,
  });

  const problems: string[] = [];
  if (real && real.dropped > 0)
    problems.push(
      `${real.dropped} example${real.dropped === 1 ? '' : 's'} will be dropped: the prompt alone fills max_seq_length (${config.max_seq_length}), leaving no response token to train on${examples === 0 ? '; none is left: raise max_seq_length' : ''}`,
    );
  if (texts.length === 0)
    problems.push(
      `split "${input.split}" of ${input.dataset} has zero usable examples (records need a benign variation)`,
    );
  if (localDir && !fs.existsSync(path.join(path.resolve(input.base), 'config.json')))
    problems.push(`${path.resolve(input.base)} is not a Hugging Face model folder (no config.json)`);
  if (config.use_4bit && !gpu)
    problems.push(
      '4-bit (QLoRA) needs a CUDA GPU and bitsandbytes; no NVIDIA GPU found: untick 4-bit for 16/32-bit LoRA',
    );
  if (fits === false)
    problems.push(
      `the memory estimate (${memory!.totalGiB.toFixed(1)} GiB) exceeds the free VRAM of the best GPU (${(gpu!.freeMiB / 1024).toFixed(1)} GiB): lower the batch or sequence length, or use 4-bit`,
    );
  if (counted.truncated > 0 && examples > 0 && counted.truncated / examples > 0.1)
    problems.push(
      `${counted.truncated} of ${examples} examples are longer than max_seq_length (${config.max_seq_length}) and will be truncated`,
    );

  return {
    examples,
    skipped,
    tokens: {
      total: counted.total,
      mean: counted.mean,
      max: counted.max,
      estimated: !outcome.ok,
      method: outcome.ok
        ? `the base's tokenizer (${outcome.count.tokenizer}), encoded as training encodes examples`
        : `characters / ${CHARS_PER_TOKEN} of the llama2-chat text (not the base's tokenizer)`,
      basis: outcome.ok ? 'tokenizer' : 'estimated',
      reason: outcome.ok
        ? outcome.count.cached
          ? 'counted by the worker (cached for this split and settings)'
          : `counted by the worker in ${(outcome.count.ms / 1000).toFixed(1)} s`
        : `estimated: ${outcome.reason}`,
      tokenizer: outcome.ok ? outcome.count.tokenizer : null,
      kept: counted.kept,
      trainable: real ? real.trainable : null,
      dropped: real ? real.dropped : null,
    },
    truncated: counted.truncated,
    steps,
    trainTokens,
    model,
    memory,
    gpu,
    gpuCount: gpus.length,
    gpuNote: gpu
      ? `${gpus.length} NVIDIA GPU${gpus.length > 1 ? 's' : ''}; best: ${gpu.name} (nvidia-smi)`
      : 'no NVIDIA GPU (nvidia-smi not found or lists none)',
    fits,
    duration,
    problems,
  };
}
