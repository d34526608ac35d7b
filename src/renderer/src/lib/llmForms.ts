// Forms of the Playground, the New run dialog and the endpoint editor → contract inputs, with
// the problems a user can fix before anything is sent. Pure.
import type { Input } from '../../../shared/api';
import type { DecodingInput, LoadOptions, TemplateRef, TemplateSpec } from '../../../shared/contracts/llm';
import { HF_URI } from '../../../shared/contracts/llm';

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

// ---- templates --------------------------------------------------------------------------

export interface TemplateDraft extends TemplateSpec {
  /** The saved template this draft started from, if any. */
  base: { name: string; version: number } | null;
}

/** Whether a draft still equals the saved template it came from. */
export function draftIsUnchanged(draft: TemplateDraft, saved: TemplateSpec | null): boolean {
  return (
    saved !== null &&
    draft.format === saved.format &&
    draft.systemPrompt === saved.systemPrompt &&
    draft.instruction === saved.instruction
  );
}

/** A saved template by name and version when unchanged (its provenance is kept), else inline. */
export function templateRef(draft: TemplateDraft, saved: TemplateSpec | null): TemplateRef {
  if (draft.base && draftIsUnchanged(draft, saved)) return { name: draft.base.name, version: draft.base.version };
  return { inline: { format: draft.format, systemPrompt: draft.systemPrompt, instruction: draft.instruction } };
}

export function templateProblems(draft: TemplateSpec): string[] {
  return draft.instruction.includes('{text}') ? [] : ['The instruction must contain {text}, where each input goes.'];
}

// ---- new run ------------------------------------------------------------------------------

export const RUN_SPLITS = ['test', 'dev', 'train', 'all'] as const;
export type RunSplit = (typeof RUN_SPLITS)[number];

export interface RunForm {
  name: string;
  targetKind: 'local' | 'endpoint';
  model: string;
  adapter: string;
  adapterScale: string;
  endpoint: string;
  sourceKind: 'dataset' | 'texts';
  dataset: string;
  split: RunSplit;
  limit: string;
  textsName: string;
  texts: string;
  /** A saved template's name, or MODEL_TEMPLATE for the model's own chat template. */
  template: string;
  parallel: string;
  decoding: DecodingForm;
  load: LoadForm;
}

export const MODEL_TEMPLATE = '(model)';

export function emptyRunForm(preset: Partial<RunForm> = {}): RunForm {
  return {
    name: '',
    targetKind: 'local',
    model: '',
    adapter: '',
    adapterScale: '1',
    endpoint: '',
    sourceKind: 'dataset',
    dataset: '',
    split: 'test',
    limit: '',
    textsName: 'prompts',
    texts: '',
    template: 'sr-llm-paper',
    parallel: '1',
    decoding: { ...DEFAULT_DECODING_FORM },
    load: { ...EMPTY_LOAD_FORM },
    ...preset,
  };
}

export type RunRequest = Input<'runs.start'>;

/**
 * The `runs.start` input, or the problems that keep it from being sent. `paper` is the spec
 * the model's own template borrows its system prompt and instruction from.
 */
export function runRequest(
  form: RunForm,
  paper: TemplateSpec | null,
): { request: RunRequest | null; problems: string[] } {
  const problems: string[] = [];
  let target: RunRequest['target'];
  if (form.targetKind === 'local') {
    if (!form.model) problems.push('Choose a model.');
    const scale = parseNumberField(form.adapterScale, 'Adapter scale', 0, 10, problems);
    target = {
      kind: 'local',
      model: form.model,
      ...(form.adapter.trim()
        ? { adapter: form.adapter.trim(), ...(scale !== undefined ? { adapterScale: scale } : {}) }
        : {}),
    };
  } else {
    if (!form.endpoint) problems.push('Choose an endpoint.');
    target = { kind: 'endpoint', endpoint: form.endpoint };
  }

  let source: RunRequest['source'];
  if (form.sourceKind === 'dataset') {
    if (!form.dataset) problems.push('Choose a dataset.');
    const limit = parseIntField(form.limit, 'Limit', 1, 10_000_000, problems);
    source = { kind: 'dataset', dataset: form.dataset, split: form.split, ...(limit !== undefined ? { limit } : {}) };
  } else {
    const texts = form.texts
      .split(/\r?\n/)
      .map((t) => t.trim())
      .filter((t) => t !== '');
    if (texts.length === 0) problems.push('Give at least one text, one per line.');
    if (!form.textsName.trim()) problems.push('Name the test set.');
    source = { kind: 'texts', name: form.textsName.trim(), texts };
  }

  let template: TemplateRef;
  if (form.template === MODEL_TEMPLATE) {
    if (!paper) problems.push('The templates are still loading.');
    template = {
      inline: {
        format: 'model',
        systemPrompt: paper?.systemPrompt ?? '',
        instruction: paper?.instruction ?? '{text}',
      },
    };
  } else {
    if (!form.template) problems.push('Choose a template.');
    template = { name: form.template };
  }

  const parallel = parseIntField(form.parallel, 'Parallel sequences', 1, 64, problems);
  const decoding = decodingFromForm(form.decoding, problems);
  const load = loadFromForm(form.load, problems);
  if (problems.length) return { request: null, problems };
  return {
    request: {
      ...(form.name.trim() ? { name: form.name.trim() } : {}),
      target,
      source,
      template,
      decoding,
      parallel: parallel ?? 1,
      load,
    },
    problems,
  };
}

// ---- downloads and endpoints ------------------------------------------------------------------

export function hfUriProblem(uri: string): string | null {
  const s = uri.trim();
  if (!s) return 'Give a Hugging Face file as hf:OWNER/REPO/FILE.gguf.';
  if (!HF_URI.test(s))
    return 'That is not hf:OWNER/REPO/FILE.gguf (the file must end in .gguf; @REVISION is optional).';
  return null;
}

/** https://huggingface.co/OWNER/REPO/blob/main/FILE.gguf (or /resolve/) → hf:OWNER/REPO/FILE.gguf; other text unchanged. */
export function hfUriFromUrl(text: string): string {
  const m =
    /^https?:\/\/huggingface\.co\/([\w.-]+)\/([\w.-]+)\/(?:blob|resolve)\/([\w./-]+?)\/((?:[\w.+-]+\/)*[\w.+-]+\.gguf)(?:\?.*)?$/.exec(
      text.trim(),
    );
  if (!m) return text.trim();
  const [, owner, repo, rev, file] = m;
  return `hf:${owner}/${repo}/${file}${rev === 'main' ? '' : `@${rev}`}`;
}

export interface EndpointForm {
  name: string;
  baseUrl: string;
  model: string;
  concurrency: string;
  requestsPerMinute: string;
  timeoutMs: string;
  maxRetries: string;
  /** Write-only: empty keeps the stored key. */
  apiKey: string;
  removeKey: boolean;
}

export const EMPTY_ENDPOINT_FORM: EndpointForm = {
  name: '',
  baseUrl: '',
  model: '',
  concurrency: '4',
  requestsPerMinute: '60',
  timeoutMs: '60000',
  maxRetries: '4',
  apiKey: '',
  removeKey: false,
};

export function endpointRequest(form: EndpointForm): { request: Input<'endpoints.save'> | null; problems: string[] } {
  const problems: string[] = [];
  if (!form.name.trim()) problems.push('Name the endpoint.');
  let url: URL | null = null;
  try {
    url = new URL(form.baseUrl.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
  } catch {
    problems.push('The base URL must be an http(s) URL, e.g. http://127.0.0.1:8000/v1.');
  }
  if (!form.model.trim()) problems.push('Name the model the endpoint serves.');
  const concurrency = parseIntField(form.concurrency, 'Concurrency', 1, 256, problems);
  const requestsPerMinute = parseIntField(form.requestsPerMinute, 'Requests per minute', 0, 100_000, problems);
  const timeoutMs = parseIntField(form.timeoutMs, 'Timeout', 100, 600_000, problems);
  const maxRetries = parseIntField(form.maxRetries, 'Retries', 0, 20, problems);
  if (problems.length || !url) return { request: null, problems };
  const apiKey = form.removeKey ? null : form.apiKey.trim() ? form.apiKey.trim() : undefined;
  return {
    request: {
      name: form.name.trim(),
      baseUrl: form.baseUrl.trim(),
      model: form.model.trim(),
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(requestsPerMinute !== undefined ? { requestsPerMinute } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(maxRetries !== undefined ? { maxRetries } : {}),
      ...(apiKey !== undefined ? { apiKey } : {}),
    },
    problems,
  };
}
