// A rough duration for the training preflight: tokens the run trains on ÷ throughput. The
// throughput is measured when this machine has trained the same base on the same device before
// (median tokens/s of those runs), else estimated from FLOPs against a small table of GPU peaks
// at an assumed utilisation, else unknown. An estimate is never presented as a measurement.
import type { TrainPreflight } from '../../../shared/contracts/training';
import type { Db } from '../db';

/**
 * Peak dense (no sparsity) bf16/fp16 tensor TFLOP/s by GPU, from the vendors' data sheets.
 * Matched against nvidia-smi's name in order, so the more specific names come first.
 */
export const GPU_PEAK_TFLOPS: readonly { match: RegExp; name: string; tflops: number }[] = [
  { match: /\bH200\b/i, name: 'H200', tflops: 989 },
  { match: /\bH100\b.*\bPCIe\b/i, name: 'H100 PCIe', tflops: 756 },
  { match: /\bH100\b.*\bNVL\b/i, name: 'H100 NVL', tflops: 835 },
  { match: /\bH100\b/i, name: 'H100 SXM', tflops: 989 },
  { match: /\bA100\b/i, name: 'A100', tflops: 312 },
  { match: /\bL40S\b/i, name: 'L40S', tflops: 362 },
  { match: /\bL40\b/i, name: 'L40', tflops: 181 },
  { match: /\bL4\b/i, name: 'L4', tflops: 121 },
  { match: /\bA40\b/i, name: 'A40', tflops: 150 },
  { match: /\bA10\b/i, name: 'A10', tflops: 125 },
  { match: /\bRTX 4090\b/i, name: 'RTX 4090', tflops: 165 },
  { match: /\bRTX 3090\b/i, name: 'RTX 3090', tflops: 71 },
  { match: /\bV100\b.*\bPCIE\b/i, name: 'V100 PCIe', tflops: 112 },
  { match: /\bV100\b/i, name: 'V100 SXM2', tflops: 125 },
  { match: /\bT4\b/i, name: 'T4', tflops: 65 },
];

/** Fraction of the peak a LoRA fine-tune is assumed to sustain (model FLOPs utilisation). */
export const ASSUMED_UTILISATION = 0.35;
/** Sustained FLOP/s assumed for PyTorch training on a CPU (fp32, many cores): a labelled guess. */
export const ASSUMED_CPU_FLOPS = 0.2e12;

/** The table row for an nvidia-smi GPU name, or null when it is not in the table. */
export function gpuPeak(name: string): { name: string; tflops: number } | null {
  const row = GPU_PEAK_TFLOPS.find((r) => r.match.test(name));
  return row ? { name: row.name, tflops: row.tflops } : null;
}

/**
 * Training FLOPs per token for a model of `params` parameters. Full backprop: 6N (forward 2N,
 * backward 4N: gradients of activations and of weights). LoRA on a frozen base: ≈ 4N (forward
 * 2N + activation gradients 2N; the frozen weights get no gradient, the adapters are negligible).
 * Gradient checkpointing recomputes the forward: + 2N (QLoRA's prepare_model_for_kbit_training
 * turns it on).
 */
export function flopsPerToken(params: number, opts: { lora: boolean; checkpointing?: boolean }): number {
  return (opts.lora ? 4 : 6) * params + (opts.checkpointing ? 2 * params : 0);
}

/** Median of a non-empty list (mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Measured throughput on this machine: for each succeeded run with this base and device, the
 * median tokens/s of its train metrics (one training process's rate); then the median over runs.
 */
export function measuredThroughput(
  db: Db,
  base: string,
  device: string,
): { tokensPerSecond: number; runs: number } | null {
  const rows = db
    .prepare<[string, string], { id: number; tps: number }>(
      `SELECT r.id AS id, m.tokens_per_second AS tps
         FROM train_runs r JOIN train_metrics m ON m.run_id = r.id
        WHERE r.state = 'succeeded' AND json_extract(r.data, '$.base') = ? AND json_extract(r.data, '$.device') = ?
          AND m.split = 'train' AND m.tokens_per_second > 0`,
    )
    .all(base, device);
  const byRun = new Map<number, number[]>();
  for (const r of rows) byRun.set(r.id, [...(byRun.get(r.id) ?? []), r.tps]);
  if (byRun.size === 0) return null;
  return { tokensPerSecond: median([...byRun.values()].map(median)), runs: byRun.size };
}

/** "1.57 PFLOP", "3.2 TFLOP", "41 GFLOP". */
export function formatFlops(flops: number): string {
  if (flops >= 1e15) return `${(flops / 1e15).toFixed(2)} PFLOP`;
  if (flops >= 1e12) return `${(flops / 1e12).toFixed(1)} TFLOP`;
  return `${Math.max(0, Math.round(flops / 1e9))} GFLOP`;
}

export interface DurationInput {
  /** Tokens the run trains on (all processes together). */
  trainTokens: number;
  /** Parameters of the base; null when unknown. */
  params: number | null;
  /** Training processes (data parallel); the throughput is per process. */
  processes: number;
  /** Best GPU's nvidia-smi name; null without a GPU. */
  gpuName: string | null;
  use4bit: boolean;
  measured: { tokensPerSecond: number; runs: number } | null;
  /** 'cuda' or 'cpu': the device a run would use (matched against earlier runs). */
  device: string;
}

export function durationEstimate(d: DurationInput): TrainPreflight['duration'] {
  const procs = Math.max(1, d.processes);
  const across = procs > 1 ? ` × ${procs} processes (data parallel, assumed linear)` : '';
  if (d.measured) {
    const tps = d.measured.tokensPerSecond * procs;
    return {
      seconds: d.trainTokens / tps,
      basis: 'measured',
      tokensPerSecond: tps,
      detail: `${Math.round(d.trainTokens).toLocaleString('en')} tokens at ${d.measured.tokensPerSecond.toFixed(1)} tokens/s${across}: the median of ${d.measured.runs} earlier succeeded run${d.measured.runs === 1 ? '' : 's'} of this base on ${d.device} here (their own batch and sequence settings); training loop only, not loading or GGUF export`,
    };
  }
  if (d.params === null || d.params <= 0)
    return {
      seconds: null,
      basis: 'unknown',
      tokensPerSecond: null,
      detail: 'the base’s size is unknown (no readable config.json, no size in the name) and no earlier run of it here',
    };
  const perToken = flopsPerToken(d.params, { lora: true, checkpointing: d.use4bit });
  const formula = d.use4bit
    ? '6 × params per token (LoRA: forward 2N + activation backward 2N; + 2N recompute, QLoRA uses gradient checkpointing)'
    : '4 × params per token (LoRA on a frozen base: forward 2N + activation backward 2N, no weight gradients)';
  const flops = perToken * d.trainTokens;
  const peak = d.gpuName ? gpuPeak(d.gpuName) : null;
  if (d.gpuName && !peak)
    return {
      seconds: null,
      basis: 'unknown',
      tokensPerSecond: null,
      detail: `${d.gpuName} is not in the GPU table; ${formatFlops(flops)} to do at ${formula}`,
    };
  const rate = peak ? peak.tflops * 1e12 * ASSUMED_UTILISATION : ASSUMED_CPU_FLOPS;
  const tps = (rate / perToken) * procs;
  const head = `${formatFlops(flops)} (${formula}) ÷ `;
  const detail = peak
    ? `${head}${peak.name} ${peak.tflops} TFLOP/s dense bf16/fp16 peak × ${ASSUMED_UTILISATION * 100}% assumed utilisation${across}: an estimate, not a measurement`
    : `no GPU${d.params >= 1e9 ? `: CPU training of a ${(d.params / 1e9).toFixed(0)}B model is impractical` : ''}. ${head}an assumed CPU rate of ${ASSUMED_CPU_FLOPS / 1e12} TFLOP/s${across}: an estimate, not a measurement`;
  return { seconds: d.trainTokens / tps, basis: 'estimated', tokensPerSecond: tps, detail };
}
