// Form pieces shared by the Playground and the New run dialog → contract inputs, with the
// problems a user can fix before anything is sent: number fields, decoding and load settings,
// the adapter field. Each area's own form lives in its folder (runs/runForm.ts,
// playground/templateDraft.ts, models/modelForms.ts). Pure.
import type { DecodingInput, LoadOptions } from '../../../shared/contracts/llm';

/** A whole number from a text field: undefined when empty, a problem when not a number in range. */
export function parseIntField(
  raw: string,
  label: string,
  min: number,
  max: number,
  problems: string[],
): number | undefined {
  const s = raw.trim();
  if (s === '') return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${label} must be a whole number from ${min} to ${max}.`);
    return undefined;
  }
  return n;
}

export function parseNumberField(
  raw: string,
  label: string,
  min: number,
  max: number,
  problems: string[],
): number | undefined {
  const s = raw.trim();
  if (s === '') return undefined;
  const n = Number(s);
  if (!Number.isFinite(n) || n < min || n > max) {
    problems.push(`${label} must be a number from ${min} to ${max}.`);
    return undefined;
  }
  return n;
}

/**
 * Stop strings, one per line; `\n` and `\t` written with a backslash stand for a new line and a
 * tab, `\\` for a backslash. Empty lines are ignored.
 */
export function parseStopStrings(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line !== '')
    .map((line) => line.replace(/\\(n|t|\\)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\')));
}

/** The inverse of parseStopStrings, to show stored stop strings in the text area. */
export function formatStopStrings(stop: string[]): string {
  return stop.map((s) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t')).join('\n');
}

export interface DecodingForm {
  maxTokens: string;
  temperature: string;
  seed: string;
  topK: string;
  topP: string;
  stop: string;
}

export const DEFAULT_DECODING_FORM: DecodingForm = {
  maxTokens: '256',
  temperature: '0',
  seed: '42',
  topK: '',
  topP: '',
  stop: '',
};

export function decodingFromForm(form: DecodingForm, problems: string[]): DecodingInput {
  const decoding: DecodingInput = {};
  const maxTokens = parseIntField(form.maxTokens, 'Max tokens', 1, 32_768, problems);
  if (maxTokens !== undefined) decoding.maxTokens = maxTokens;
  const temperature = parseNumberField(form.temperature, 'Temperature', 0, 5, problems);
  if (temperature !== undefined) decoding.temperature = temperature;
  const seed = parseIntField(form.seed, 'Seed', 0, 2 ** 31 - 1, problems);
  if (seed !== undefined) decoding.seed = seed;
  // Top-k / top-p only mean something when sampling.
  if ((temperature ?? 0) > 0) {
    const topK = parseIntField(form.topK, 'Top-k', 0, 100_000, problems);
    if (topK !== undefined) decoding.topK = topK;
    const topP = parseNumberField(form.topP, 'Top-p', 0, 1, problems);
    if (topP !== undefined) decoding.topP = topP;
  }
  const stop = parseStopStrings(form.stop);
  if (stop.length > 16) problems.push('At most 16 stop strings.');
  else if (stop.length) decoding.stop = stop;
  return decoding;
}

export interface LoadForm {
  threads: string;
  contextSize: string;
  gpuLayers: string;
}

export const EMPTY_LOAD_FORM: LoadForm = { threads: '', contextSize: '', gpuLayers: '' };

export function loadFromForm(form: LoadForm, problems: string[]): LoadOptions {
  const load: LoadOptions = {};
  const threads = parseIntField(form.threads, 'Threads', 1, 512, problems);
  if (threads !== undefined) load.threads = threads;
  const contextSize = parseIntField(form.contextSize, 'Context size', 16, 1_048_576, problems);
  if (contextSize !== undefined) load.contextSize = contextSize;
  const gpuLayers = parseIntField(form.gpuLayers, 'GPU layers', 0, 10_000, problems);
  if (gpuLayers !== undefined) load.gpuLayers = gpuLayers;
  return load;
}

// ---- adapters ---------------------------------------------------------------------------------

/** How an adapter field names a training run's adapter GGUF (`run:ID`) rather than a file path. */
export const ADAPTER_RUN_PREFIX = 'run:';

/**
 * A local target's adapter from its field: `run:ID` is a training run's adapter (`adapterRun`, what
 * a browser can give), anything else a file path (`adapter`, local callers only); '' is none.
 */
export function adapterFields(value: string): { adapter?: string; adapterRun?: number } {
  const v = value.trim();
  if (!v) return {};
  if (v.startsWith(ADAPTER_RUN_PREFIX)) {
    const id = Number(v.slice(ADAPTER_RUN_PREFIX.length));
    if (Number.isInteger(id) && id > 0) return { adapterRun: id };
  }
  return { adapter: v };
}
