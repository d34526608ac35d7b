// Generation runs (a benign variation for every record of a split or every prompt of a test
// set) and the OpenAI-compatible endpoints they can target.
import { z } from 'zod';
import { defineContract } from '../contract';
import { SPLITS } from '../domain';
import { JobInfo } from './jobs';
import { Decoding, FINISH_REASONS, LoadOptions, ModelName, TemplateRef, TemplateSpec, Target } from './llm';

// ---- endpoints --------------------------------------------------------------------------

export const SECRET_BACKENDS = ['safe-storage', 'secret-tool', 'env'] as const;
export type SecretBackend = (typeof SECRET_BACKENDS)[number];

export const EndpointSettings = z.object({
  /** e.g. https://api.openai.com/v1, http://127.0.0.1:8000/v1 (vLLM), http://127.0.0.1:11434/v1 (Ollama). */
  baseUrl: z.string().url(),
  model: z.string().min(1).max(200),
  /** Requests in flight at once. */
  concurrency: z.number().int().min(1).max(256).default(4),
  /** Request starts per minute; 0 = unlimited. */
  requestsPerMinute: z.number().int().min(0).max(100_000).default(60),
  timeoutMs: z.number().int().min(100).max(600_000).default(60_000),
  /** Retries after a 429, a 5xx or a network error, with exponential backoff (Retry-After honoured). */
  maxRetries: z.number().int().min(0).max(20).default(4),
});

export const Endpoint = EndpointSettings.extend({
  id: z.number().int(),
  name: z.string(),
  /** Whether a key is available, and where it is kept. The key itself never leaves core. */
  hasKey: z.boolean(),
  keyBackend: z.enum(SECRET_BACKENDS).nullable(),
  createdAt: z.string(),
});
export type Endpoint = z.infer<typeof Endpoint>;

export const KeychainStatus = z.object({
  /** Where a new key would be stored; null when there is no keychain (keys then come from env vars). */
  backend: z.enum(['safe-storage', 'secret-tool']).nullable(),
  /** Human explanation, e.g. how to provide a key when no keychain is available. */
  message: z.string(),
});
export type KeychainStatus = z.infer<typeof KeychainStatus>;

export const endpoints = {
  list: defineContract({
    channel: 'endpoints.list',
    scope: 'lab',
    input: z.object({}).default({}),
    output: z.object({ endpoints: z.array(Endpoint), keychain: KeychainStatus }),
  }),
  /**
   * Create or update an endpoint. `apiKey` is write-only: it goes to the OS keychain, never to
   * the database, logs or exports; with no keychain the call fails and says to use the
   * `SRLAB_API_KEY_<NAME>` environment variable. `apiKey: null` deletes a stored key.
   */
  save: defineContract({
    channel: 'endpoints.save',
    scope: 'lab',
    input: EndpointSettings.extend({ name: ModelName, apiKey: z.string().min(1).max(4096).nullable().optional() }),
    output: z.object({ endpoint: Endpoint }),
  }),
  remove: defineContract({
    channel: 'endpoints.remove',
    scope: 'lab',
    input: z.object({ name: z.string().min(1) }),
    output: z.object({ removed: z.string() }),
  }),
  /** One tiny request (GET /models, else a 1-token completion) to check URL, key and model. */
  test: defineContract({
    channel: 'endpoints.test',
    scope: 'lab',
    input: z.object({ name: z.string().min(1) }),
    output: z.object({ ok: z.boolean(), latencyMs: z.number(), message: z.string() }),
  }),
};

// ---- runs -------------------------------------------------------------------------------

export const RunSource = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('dataset'),
    dataset: z.string().min(1),
    split: z.enum([...SPLITS, 'all']),
    /** The first N records of the split (by record id). */
    limit: z.number().int().min(1).max(1e9).optional(),
  }),
  /** A test set given as texts (e.g. counterfactual sentences, ToxiGen or BOLD prompts). */
  z.object({
    kind: z.literal('texts'),
    name: z.string().min(1).max(200),
    texts: z.array(z.string().min(1)).min(1).max(100_000),
  }),
]);
export type RunSource = z.infer<typeof RunSource>;

export const RUN_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** Everything needed to reproduce a run; stored with it, shown with it. */
export const RunSettings = z.object({
  target: Target,
  source: RunSource,
  /** The template as it was used (resolved from its name and version). */
  template: TemplateSpec.extend({ name: z.string().nullable(), version: z.number().int().nullable() }),
  decoding: Decoding,
  parallel: z.number().int(),
  load: LoadOptions,
});
export type RunSettings = z.infer<typeof RunSettings>;

export const RunSummary = z.object({
  id: z.number().int(),
  name: z.string(),
  state: z.enum(RUN_STATES),
  settings: RunSettings,
  /** Provenance: the model file's sha256 (or the endpoint's URL + model), adapter sha256, srlab version. */
  provenance: z.object({
    modelSha256: z.string().nullable(),
    adapterSha256: z.string().nullable(),
    endpoint: z.string().nullable(),
    srlabVersion: z.string(),
    nodeLlamaCppVersion: z.string().nullable(),
  }),
  total: z.number().int(),
  done: z.number().int(),
  errors: z.number().int(),
  generatedTokens: z.number().int(),
  /** Summed wall time of generation (model loading excluded). */
  generationMs: z.number(),
  tokensPerSecond: z.number().nullable(),
  /** The job now running it (or that last ran it). */
  jobId: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  /** When generation first started (its first job left the queue); null while it never ran. A resume keeps it. */
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const RunItem = z.object({
  runId: z.number().int(),
  /** Position in the run's input, from 0. */
  index: z.number().int(),
  /** The dataset record, when the source is a dataset. */
  recordId: z.number().int().nullable(),
  input: z.string(),
  /** The dataset's own benign variation, for side-by-side comparison (null if none). */
  reference: z.string().nullable(),
  /** The exact prompt text sent. */
  prompt: z.string(),
  output: z.string().nullable(),
  promptTokens: z.number().int().nullable(),
  completionTokens: z.number().int().nullable(),
  finishReason: z.enum(FINISH_REASONS).nullable(),
  error: z.string().nullable(),
  generateMs: z.number().nullable(),
  /** The answer came from the endpoint response cache (nothing was sent). */
  cached: z.boolean(),
  finishedAt: z.string().nullable(),
});
export type RunItem = z.infer<typeof RunItem>;

/** What runs.start takes (and runs.findUnfinished, to find a run started with the same). */
export const RunStartInput = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  target: Target,
  source: RunSource,
  template: TemplateRef.default({ name: 'sr-llm-paper' }),
  decoding: Decoding.default({ temperature: 0, seed: 42, maxTokens: 256, stop: [] }),
  /** Local runs: sequences generated at once, batched in one context. Endpoint runs use the endpoint's own concurrency. */
  parallel: z.number().int().min(1).max(64).default(1),
  load: LoadOptions.default({}),
});

export const runs = {
  /** Start a generation run as a job (kind "generate", unit items); items are stored as they complete. */
  start: defineContract({
    channel: 'runs.start',
    scope: 'lab',
    localWhen: (i) => (i.target.kind === 'local' && i.target.adapter ? 'target.adapter' : null),
    input: RunStartInput,
    output: z.object({ run: RunSummary, job: JobInfo }),
  }),
  /**
   * The newest unfinished (interrupted, cancelled or failed) run whose settings equal what
   * runs.start with this input would store, or null: `srlab generate` resumes it instead.
   */
  findUnfinished: defineContract({
    channel: 'runs.findUnfinished',
    scope: 'lab',
    localWhen: (i) => (i.target.kind === 'local' && i.target.adapter ? 'target.adapter' : null),
    input: RunStartInput,
    output: z.object({ run: RunSummary.nullable() }),
  }),
  list: defineContract({
    channel: 'runs.list',
    scope: 'lab',
    input: z.object({ limit: z.number().int().min(1).max(1000).default(100) }).default({ limit: 100 }),
    output: z.object({ runs: z.array(RunSummary) }),
  }),
  get: defineContract({
    channel: 'runs.get',
    scope: 'lab',
    input: z.object({ id: z.number().int() }),
    output: z.object({ run: RunSummary }),
  }),
  items: defineContract({
    channel: 'runs.items',
    scope: 'lab',
    input: z.object({
      id: z.number().int(),
      offset: z.number().int().min(0).max(1e9).default(0),
      limit: z.number().int().min(1).max(5000).default(200),
      /** done: finished without error; error: finished with an error; pending: not generated yet. */
      status: z.enum(['all', 'done', 'error', 'pending']).default('all'),
    }),
    output: z.object({ total: z.number().int(), items: z.array(RunItem) }),
  }),
  /** Continue an interrupted, cancelled or failed run: finished items are kept, errors and the rest are generated. */
  resume: defineContract({
    channel: 'runs.resume',
    scope: 'lab',
    input: z.object({ id: z.number().int() }),
    output: z.object({ run: RunSummary, job: JobInfo }),
  }),
  cancel: defineContract({
    channel: 'runs.cancel',
    scope: 'lab',
    input: z.object({ id: z.number().int() }),
    output: z.object({ run: RunSummary }),
  }),
  remove: defineContract({
    channel: 'runs.remove',
    scope: 'lab',
    input: z.object({ id: z.number().int() }),
    output: z.object({ removed: z.number().int() }),
  }),
};

// What this capability gives the registry (src/shared/capabilities.ts): its contract groups,
// its events and its job kinds.
export const contracts = { runs, endpoints };
export const events = [
  /** A generation run changed state or counts (throttled while running). */
  z.object({ type: z.literal('run'), run: RunSummary }),
  /** One item of a run finished (with its output or error). */
  z.object({ type: z.literal('run-item'), runId: z.number().int(), item: RunItem }),
] as const;
export const JOB_KINDS = ['generate'] as const;
