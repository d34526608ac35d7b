// The Train form's preflight: which train.preflight input the form amounts to (null while it is
// incomplete), and the figures the card shows from the core's answer.
import type { Input } from '../../../../shared/api';
import type { TrainConfig, TrainPreflight } from '../../../../shared/contracts/training';
import { formatBytes, formatCount } from '../../lib/format';
import { formatRoughDuration } from '../../../../shared/format';

export interface PreflightForm {
  dataset: string;
  split: string;
  base: string;
  preset: string | null;
  overrides: Record<string, unknown> | null;
}

/** The train.preflight input, or null when the form is not complete or not valid yet. */
export function preflightInput(f: PreflightForm): Input<'train.preflight'> | null {
  const base = f.base.trim();
  if (!base || !f.dataset || !f.split || !f.preset || f.overrides === null) return null;
  return { dataset: f.dataset, split: f.split, base, preset: f.preset, overrides: f.overrides };
}

/** A stable key of an input: the request is only repeated when it changes. */
export function preflightKey(input: Input<'train.preflight'> | null): string | null {
  return input === null ? null : JSON.stringify(input);
}

/** "6.74 B", "350 M", "41.3 K". */
export function formatParams(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} K`;
  return String(n);
}

export interface PreflightView {
  memory: string;
  memoryTitle: string;
  device: string;
  examples: string;
  tokens: string;
  /** 'real': counted with the base's tokenizer; 'estimated': characters / 4. */
  tokensBadge: 'real' | 'estimated' | null;
  /** The basis and its reason, for a tooltip. */
  tokensTitle: string;
  truncated: string;
  steps: string;
  model: string;
  /** "≈ 2 h 10 min", or a word when unknown. */
  duration: string;
  durationBadge: 'measured' | 'estimated' | 'unknown' | null;
  durationTitle: string;
}

/**
 * Card figures. Steps are recomputed here from the answer's example count with the form's
 * current config, so they follow edits at once; the rest waits for the (debounced) answer.
 */
export function preflightView(
  p: TrainPreflight | null,
  config: TrainConfig,
  steps: (examples: number, config: TrainConfig, devices: number) => number,
): PreflightView {
  const gib = (n: number) => `${n.toFixed(1)} GiB`;
  if (!p)
    return {
      memory: '–',
      memoryTitle: '',
      device: '–',
      examples: '–',
      tokens: '–',
      tokensBadge: null,
      tokensTitle: '',
      truncated: '–',
      steps: config.max_steps > 0 ? formatCount(config.max_steps) : '–',
      model: '',
      duration: '–',
      durationBadge: null,
      durationTitle: '',
    };
  const d = p.duration;
  const m = p.memory;
  return {
    memory: m ? `≈ ${gib(m.totalGiB)} (${m.weights})` : '–',
    memoryTitle: m
      ? `weights ${gib(m.parts.weightsGiB)} · LoRA ${gib(m.parts.loraGiB)} · AdamW ${gib(m.parts.optimizerGiB)} · activations ${gib(m.parts.activationsGiB)} · overhead ${gib(m.parts.overheadGiB)}`
      : '',
    device: p.gpu
      ? `${formatBytes(p.gpu.freeMiB * 2 ** 20)} free of ${formatBytes(p.gpu.totalMiB * 2 ** 20)}`
      : 'no NVIDIA GPU',
    examples: `${formatCount(p.examples)}${p.skipped ? ` (${formatCount(p.skipped)} skipped)` : ''}`,
    tokens: `${p.tokens.estimated ? '≈ ' : ''}${formatCount(p.tokens.total)} (mean ${formatCount(Math.round(p.tokens.mean))}, max ${formatCount(p.tokens.max)})`,
    tokensBadge: p.tokens.basis === 'tokenizer' ? 'real' : 'estimated',
    tokensTitle: `${p.tokens.method} — ${p.tokens.reason}${p.tokens.trainable !== null ? ` · ${formatCount(p.tokens.trainable)} trainable (loss) tokens per epoch` : ''}`,
    truncated: `${formatCount(p.truncated)} > ${formatCount(config.max_seq_length)} tokens${p.tokens.dropped ? ` (${formatCount(p.tokens.dropped)} dropped)` : ''}`,
    steps:
      p.examples > 0 || config.max_steps > 0 ? formatCount(steps(p.examples, config, Math.max(1, p.gpuCount))) : '0',
    model: p.model
      ? `${formatParams(p.model.params)} params (${p.model.source === 'config.json' ? 'from config.json' : 'from the name'}), LoRA ${formatParams(p.model.loraParams)} trainable`
      : 'base size unknown (no readable config.json and no size in the name)',
    duration:
      d.seconds === null ? 'unknown' : `${d.basis === 'measured' ? '~' : '≈ '}${formatRoughDuration(d.seconds)}`,
    durationBadge: d.basis,
    durationTitle: d.detail,
  };
}
