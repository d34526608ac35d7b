// Formatting for the Models, Playground and Runs areas: parameter counts, tokens/s, durations,
// hashes, finish reasons, and how a run's target and source read in one line. Pure.
import type { FinishReason, ModelSource, Target } from '../../../shared/contracts/llm';
import type { RunSource } from '../../../shared/contracts/runs';
import { formatCount, formatEta } from './format';

/** 239168 → "239K", 6.74e9 → "6.7B", 1.1e6 → "1.1M". */
export function formatParameters(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n) || n < 0) return '–';
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, suffix] of units) {
    if (n >= size) {
      const v = n / size;
      return `${v >= 100 ? Math.round(v) : Number(v.toFixed(1))}${suffix}`;
    }
  }
  return String(Math.round(n));
}

/** "54.4 tok/s" (one decimal under 100, none above); "–" when unknown. */
export function formatTokensPerSecond(tps: number | null | undefined): string {
  if (tps === null || tps === undefined || !Number.isFinite(tps) || tps < 0) return '–';
  return tps >= 100 ? `${formatCount(tps)} tok/s` : `${tps.toFixed(1)} tok/s`;
}

/** Tokens per second from a token count and a duration in ms; null when either is unknown or zero. */
export function tokensPerSecond(tokens: number | null | undefined, ms: number | null | undefined): number | null {
  if (tokens === null || tokens === undefined || ms === null || ms === undefined) return null;
  if (!(ms > 0) || tokens < 0) return null;
  return tokens / (ms / 1000);
}

/** 266 → "266 ms", 1234 → "1.23 s", 12345 → "12.3 s", 125000 → "2m 05s"; "–" when unknown. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 60) return `${s.toFixed(1)} s`;
  return formatEta(s);
}

/** The first characters of a hash, enough to tell files apart at a glance. */
export function shortSha(sha: string | null | undefined, length = 12): string {
  return sha ? sha.slice(0, length) : '–';
}

export const FINISH_REASON_LABELS: Record<FinishReason, string> = {
  eos: 'end of text',
  length: 'max tokens',
  stop: 'stop string',
  error: 'error',
  cancelled: 'cancelled',
};

export function finishReasonLabel(reason: FinishReason | null | undefined): string {
  return reason ? FINISH_REASON_LABELS[reason] : '–';
}

/**
 * Control characters (other than new line and tab) as their visible Unicode "control
 * pictures", so a model's stray bytes show up instead of vanishing or breaking the layout.
 */
export function showControlChars(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return String.fromCharCode(code === 0x7f ? 0x2421 : 0x2400 + code);
  });
}

export function modelSourceLabel(source: ModelSource): string {
  return source.kind === 'hf' ? `Hugging Face · ${source.uri}` : 'local file';
}

/** The last path segment of a file path, whichever separator it uses. */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export function targetLabel(target: Target): string {
  if (target.kind === 'endpoint') return `endpoint ${target.endpoint}`;
  const adapter = target.adapter
    ? fileName(target.adapter)
    : target.adapterRun !== undefined
      ? `of training run ${target.adapterRun}`
      : null;
  if (!adapter) return target.model;
  const scale = target.adapterScale !== 1 ? ` ×${target.adapterScale}` : '';
  return `${target.model} + adapter ${adapter}${scale}`;
}

export function sourceLabel(source: RunSource): string {
  if (source.kind === 'texts') return `${source.name} (${formatCount(source.texts.length)} texts)`;
  const split = source.split === 'all' ? 'all splits' : `${source.split} split`;
  return `${source.dataset} · ${split}${source.limit ? ` · first ${formatCount(source.limit)}` : ''}`;
}
