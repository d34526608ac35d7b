// `srlab train preflight`: what `srlab train` with the same flags would do, without starting it:
// examples, tokens (the base's tokenizer when the worker can, else characters / 4), truncation,
// steps, memory estimate vs free VRAM, and a rough duration with its basis.
import { ApiError, type Input } from '../../../shared/api';
import type { TrainPreflight } from '../../../shared/contracts/training';
import { parseSetting } from '../../core';
import { formatRoughDuration } from '../../../shared/format';
import { type Door, printJson } from '../context';

/** The flags `srlab train` and `srlab train preflight` share. */
export interface TrainInputFlags {
  dataset?: string;
  split: string;
  eval?: string;
  base?: string;
  preset: string;
  /** A llama2-chat prompt template by name (latest version): sr-llm-paper (default), srllm-authors-code, … */
  template?: string;
  set: string[];
  name?: string;
  gguf: boolean;
  pue: number;
  carbon: number;
}

/** The train.start / train.preflight input from the flags, as given: core.call checks it (exit 2 when bad). */
export function trainInputFromFlags(argv: TrainInputFlags): Input<'train.start'> {
  if (!argv.dataset || !argv.base)
    throw new ApiError('invalid-input', 'give --dataset and --base (or an action: resume, cancel, show, list)');
  return {
    dataset: argv.dataset,
    split: argv.split,
    base: argv.base,
    preset: argv.preset,
    overrides: Object.fromEntries(argv.set.map(parseSetting)),
    exportGguf: argv.gguf,
    pue: argv.pue,
    carbonIntensity: argv.carbon,
    ...(argv.eval !== undefined ? { evalSplit: argv.eval === 'none' ? null : argv.eval } : {}),
    ...(argv.name !== undefined ? { name: argv.name } : {}),
    ...(argv.template !== undefined ? { template: { name: argv.template } } : {}),
  };
}

const n = (x: number) => Math.round(x).toLocaleString('en');

export function preflightTable(p: TrainPreflight): string[] {
  const t = p.tokens;
  const rows: [string, string][] = [
    ['examples', `${n(p.examples)}${p.skipped ? ` (${n(p.skipped)} records skipped: no benign variation)` : ''}`],
    [
      'tokens',
      `${t.basis === 'estimated' ? '≈ ' : ''}${n(t.total)} (mean ${n(t.mean)}, max ${n(t.max)}) [${t.basis === 'tokenizer' ? `tokenizer: ${t.tokenizer ?? '?'}` : 'estimated: characters / 4'}]`,
    ],
    ['  basis', t.reason],
    ...(t.trainable !== null ? [['  trainable', `${n(t.trainable)} loss tokens per epoch`] as [string, string]] : []),
    ['truncated', `${n(p.truncated)}${t.dropped ? ` (${n(t.dropped)} dropped: prompt fills max_seq_length)` : ''}`],
    ['steps', n(p.steps)],
    ['train tokens', n(p.trainTokens)],
    [
      'duration',
      p.duration.seconds === null
        ? `unknown — ${p.duration.detail}`
        : `${p.duration.basis === 'measured' ? '~' : '≈ '}${formatRoughDuration(p.duration.seconds)} [${p.duration.basis}] — ${p.duration.detail}`,
    ],
    [
      'model',
      p.model
        ? `${(p.model.params / 1e9).toFixed(3)} B params (${p.model.source}), LoRA ${(p.model.loraParams / 1e6).toFixed(2)} M`
        : 'size unknown',
    ],
    ['memory', p.memory ? `≈ ${p.memory.totalGiB.toFixed(1)} GiB (${p.memory.weights}; an estimate)` : '–'],
    ['gpu', `${p.gpuNote}${p.fits === null ? '' : p.fits ? '; fits' : '; does NOT fit'}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`);
  for (const m of p.problems) lines.push(`problem: ${m}`);
  return lines;
}

export async function runTrainPreflight(core: Door, argv: TrainInputFlags & { json: boolean }): Promise<void> {
  const p = await core.invoke('train.preflight', trainInputFromFlags(argv));
  if (argv.json) return printJson(p);
  for (const line of preflightTable(p)) console.log(line);
}
