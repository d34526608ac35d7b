// Local models (GGUF library, downloads, preflight), prompt templates, the playground and
// sentence log-likelihoods. Generation runs and OpenAI-compatible endpoints are in runs.ts.
import { z } from 'zod';
import { defineContract } from '../contract';
import { JobInfo } from './jobs';

export const ModelName = z
  .string()
  .trim()
  .min(1, 'a model name is required')
  .max(120)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._:+-]*$/u, 'use letters, digits, space, dot, colon, plus, dash or underscore');

/** `hf:OWNER/REPO/FILE.gguf` (the file may sit in a folder: `hf:OWNER/REPO/dir/FILE.gguf`), optionally `@REVISION`. */
export const HF_URI = /^hf:([\w.-]+)\/([\w.-]+)\/((?:[\w.+-]+\/)*[\w.+-]+\.gguf)(?:@([\w./-]+))?$/;
export const HfUri = z.string().regex(HF_URI, 'give a Hugging Face file as hf:OWNER/REPO/FILE.gguf');

export const ModelSource = z.discriminatedUnion('kind', [
  /** Registered from a file already on disk; the file stays where it is. */
  z.object({ kind: z.literal('file') }),
  /** Downloaded from Hugging Face into the data home's models/ folder. */
  z.object({ kind: z.literal('hf'), uri: z.string(), url: z.string() }),
]);
export type ModelSource = z.infer<typeof ModelSource>;

/** What a GGUF file is, read from its header (no weights are loaded). */
export const GgufSummary = z.object({
  architecture: z.string(),
  /** general.name from the file, if any. */
  title: z.string().nullable(),
  /** Parameter count, summed over the tensors. */
  parameters: z.number(),
  /** The file type, e.g. "Q4_K_M", "F16", "ALL_F32"; null when the file does not say. */
  quantization: z.string().nullable(),
  /** The context length the model was trained with. */
  contextLength: z.number().int().nullable(),
  layers: z.number().int().nullable(),
  embeddingLength: z.number().int().nullable(),
  vocabularySize: z.number().int().nullable(),
  /** The Jinja chat template stored in the file (tokenizer.chat_template), if any. */
  chatTemplate: z.string().nullable(),
  /** "model" or "adapter" (a LoRA adapter GGUF). */
  fileKind: z.enum(['model', 'adapter']),
});
export type GgufSummary = z.infer<typeof GgufSummary>;

export const ModelInfo = z.object({
  id: z.number().int(),
  name: z.string(),
  path: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  source: ModelSource,
  gguf: GgufSummary,
  addedAt: z.string(),
  /** The file is gone from disk since it was registered (moved or deleted outside srlab). */
  missing: z.boolean(),
});
export type ModelInfo = z.infer<typeof ModelInfo>;

/**
 * A file's name inside one of the data home's own folders (models/, bases/): one path segment,
 * never a path — no separators, not `.` or `..`, no NUL.
 */
export const FolderFileName = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => !/[/\\\0]/.test(s) && s !== '.' && s !== '..', 'give a name in the folder, not a path');

/** A GGUF file in the models/ folder, not yet in the library. */
export const ModelFolderFile = z.object({
  file: z.string(),
  sizeBytes: z.number(),
  /** Its header (null when it cannot be read: `problem` says why). */
  gguf: GgufSummary.nullable(),
  problem: z.string().nullable(),
});
export type ModelFolderFile = z.infer<typeof ModelFolderFile>;

/** A known-good model srlab suggests; never bundled, pulled on request. */
export const RecommendedModel = z.object({
  name: z.string(),
  uri: z.string(),
  description: z.string(),
  approxSizeBytes: z.number(),
  /** Memory (VRAM, else RAM) it needs at a 4k context, roughly. */
  approxMemoryBytes: z.number(),
});
export type RecommendedModel = z.infer<typeof RecommendedModel>;

export const GPU_KINDS = ['cuda', 'vulkan', 'metal'] as const;

export const Hardware = z.object({
  /** The GPU backend node-llama-cpp loaded, or null when inference runs on the CPU. */
  gpu: z.enum(GPU_KINDS).nullable(),
  gpuNames: z.array(z.string()),
  vram: z.object({ total: z.number(), free: z.number() }).nullable(),
  ram: z.object({ total: z.number(), free: z.number() }),
  cpuCores: z.number().int(),
  /** Threads srlab uses unless told otherwise ($SRLAB_THREADS, --threads). */
  threads: z.number().int(),
});
export type Hardware = z.infer<typeof Hardware>;

/** Options a caller may give to a local load; the rest is chosen by the preflight. */
export const LoadOptions = z.object({
  /** Tokens of context per sequence; default: the preflight's choice (≤ the trained length, ≤ 4096). */
  contextSize: z.number().int().min(16).max(1_048_576).optional(),
  /** Layers to offload to the GPU; default: as many as fit in free VRAM. */
  gpuLayers: z.number().int().min(0).max(10_000).optional(),
  threads: z.number().int().min(1).max(512).optional(),
  /** Parallel sequences sharing the context (batching). */
  sequences: z.number().int().min(1).max(64).optional(),
});
export type LoadOptions = z.infer<typeof LoadOptions>;

export const Preflight = z.object({
  model: z.string(),
  /** false: srlab will refuse this load; `reason` says why. */
  fits: z.boolean(),
  reason: z.string().nullable(),
  gpu: z.enum(GPU_KINDS).nullable(),
  gpuLayers: z.number().int(),
  totalLayers: z.number().int(),
  contextSize: z.number().int(),
  sequences: z.number().int(),
  threads: z.number().int(),
  /** Estimated need for weights + context, and what is free now. */
  estimate: z.object({ vramBytes: z.number(), ramBytes: z.number() }),
  free: z.object({ vramBytes: z.number(), ramBytes: z.number() }),
});
export type Preflight = z.infer<typeof Preflight>;

// ---- prompt templates -------------------------------------------------------------------

/**
 * How a user turn becomes the prompt text:
 * - `llama2-chat`: `<s>[INST] <<SYS>>\n{system}\n<</SYS>>\n\n{user} [/INST]` (the paper's format);
 * - `model`: the chat template stored in the model file (falls back to llama2-chat when it has none);
 * - `raw`: the user turn as it is, after BOS (for base models).
 */
export const TEMPLATE_FORMATS = ['llama2-chat', 'model', 'raw'] as const;
export type TemplateFormat = (typeof TEMPLATE_FORMATS)[number];

export const TemplateSpec = z.object({
  format: z.enum(TEMPLATE_FORMATS),
  systemPrompt: z.string().max(20_000),
  /** The user turn; `{text}` is replaced by each input text. */
  instruction: z
    .string()
    .max(20_000)
    .refine((s) => s.includes('{text}'), 'the instruction must contain {text}'),
});
export type TemplateSpec = z.infer<typeof TemplateSpec>;

/** A named, versioned template; saving under an existing name adds the next version. */
export const PromptTemplate = TemplateSpec.extend({
  id: z.number().int(),
  name: z.string(),
  version: z.number().int(),
  /** A built-in template (versions 1–2 of "sr-llm-paper", "srllm-authors-code") cannot be changed, only superseded. */
  builtin: z.boolean(),
  createdAt: z.string(),
});
export type PromptTemplate = z.infer<typeof PromptTemplate>;

/** A template by name (latest version unless `version`), or given inline. */
export const TemplateRef = z.union([
  z.object({ name: z.string().min(1), version: z.number().int().min(1).max(1e6).optional() }),
  z.object({ inline: TemplateSpec }),
]);
export type TemplateRef = z.infer<typeof TemplateRef>;

export const DEFAULT_TEMPLATE_NAME = 'sr-llm-paper';

// ---- decoding ---------------------------------------------------------------------------

/** Greedy by default, as in the paper. temperature > 0 samples with `seed`. */
export const Decoding = z.object({
  temperature: z.number().min(0).max(5).default(0),
  topK: z.number().int().min(0).max(1_000_000).optional(),
  topP: z.number().min(0).max(1).optional(),
  seed: z.number().int().min(0).max(4294967295).default(42),
  maxTokens: z.number().int().min(1).max(32_768).default(256),
  /** Generation stops before the first of these strings; it is not part of the output. */
  stop: z.array(z.string().min(1)).max(16).default([]),
});
export type Decoding = z.infer<typeof Decoding>;
export type DecodingInput = z.input<typeof Decoding>;

export const FINISH_REASONS = ['eos', 'length', 'stop', 'error', 'cancelled'] as const;
export type FinishReason = (typeof FINISH_REASONS)[number];

/** A training run by id, e.g. to use its adapter GGUF. */
export const TrainRunId = z.number().int().min(1);

/** Where a prompt goes: a local GGUF model (with an optional LoRA adapter) or a named endpoint. */
export const Target = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('local'),
      model: z.string().min(1),
      /** Path of a LoRA adapter GGUF applied on top of the model (a server path: local callers only). */
      adapter: z.string().min(1).optional(),
      /** The LoRA adapter GGUF of this training run (its `adapterGguf`): how a browser names one. */
      adapterRun: TrainRunId.optional(),
      adapterScale: z.number().min(0).max(10).default(1),
    })
    .refine((t) => !(t.adapter && t.adapterRun !== undefined), {
      message: 'give either adapter (a file) or adapterRun (a training run), not both',
      path: ['adapterRun'],
    }),
  z.object({
    kind: z.literal('endpoint'),
    endpoint: z.string().min(1),
  }),
]);
export type Target = z.infer<typeof Target>;
export type TargetInput = z.input<typeof Target>;

export const Completion = z.object({
  /** The exact prompt text sent (special tokens written out, e.g. `<s>`). */
  prompt: z.string(),
  output: z.string(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  finishReason: z.enum(FINISH_REASONS),
  /** Time to load the model (0 when it was already loaded) and to generate. */
  loadMs: z.number(),
  generateMs: z.number(),
  tokensPerSecond: z.number().nullable(),
  cached: z.boolean(),
});
export type Completion = z.infer<typeof Completion>;

// ---- log-likelihood ---------------------------------------------------------------------

export const TokenLogprob = z.object({
  token: z.number().int(),
  /** The token's text (may be part of a multi-byte character). */
  piece: z.string(),
  /** Natural-log probability of this token given everything before it. */
  logprob: z.number(),
});
export type TokenLogprob = z.infer<typeof TokenLogprob>;

export const LoglikResult = z.object({
  text: z.string(),
  prefix: z.string(),
  /** Tokens of `text` only (the prefix and BOS are conditioned on, not scored). */
  tokens: z.array(TokenLogprob),
  /** Sum of the token log-probabilities (natural log). */
  total: z.number(),
  /** total / tokens.length: what StereoSet's geometric-mean score ranks by. */
  mean: z.number(),
});
export type LoglikResult = z.infer<typeof LoglikResult>;

export const llm = {
  hardware: defineContract({
    channel: 'llm.hardware',
    scope: 'lab',
    input: z.object({}).default({}),
    output: Hardware,
  }),
  templates: defineContract({
    channel: 'llm.templates',
    scope: 'lab',
    input: z
      .object({ name: z.string().optional(), allVersions: z.boolean().default(false) })
      .default({ allVersions: false }),
    output: z.object({ templates: z.array(PromptTemplate) }),
  }),
  saveTemplate: defineContract({
    channel: 'llm.saveTemplate',
    scope: 'lab',
    input: TemplateSpec.extend({ name: ModelName }),
    output: z.object({ template: PromptTemplate }),
  }),
  /** Render a template for one text without running anything: what would be sent. */
  renderPrompt: defineContract({
    channel: 'llm.renderPrompt',
    scope: 'lab',
    input: z.object({ template: TemplateRef, text: z.string(), model: z.string().optional() }),
    output: z.object({ prompt: z.string() }),
  }),
  /**
   * Total and per-token log-probabilities of each text, optionally after a prefix. The text is
   * encoded without special tokens; the first token is scored given BOS (+ prefix).
   */
  loglik: defineContract({
    channel: 'llm.loglik',
    scope: 'lab',
    localWhen: (i) => (i.adapter ? 'adapter' : null),
    input: z
      .object({
        model: z.string().min(1),
        adapter: z.string().min(1).optional(),
        /** A training run's adapter GGUF instead of a path (see Target). */
        adapterRun: TrainRunId.optional(),
        adapterScale: z.number().min(0).max(10).default(1),
        items: z
          .array(z.object({ text: z.string().min(1), prefix: z.string().default('') }))
          .min(1)
          .max(100_000),
        load: LoadOptions.default({}),
      })
      .refine((i) => !(i.adapter && i.adapterRun !== undefined), {
        message: 'give either adapter (a file) or adapterRun (a training run), not both',
        path: ['adapterRun'],
      }),
    output: z.object({
      model: z.string(),
      modelSha256: z.string(),
      results: z.array(LoglikResult),
      durationMs: z.number(),
    }),
  }),
};

export const models = {
  list: defineContract({
    channel: 'models.list',
    scope: 'lab',
    input: z.object({}).default({}),
    output: z.object({ models: z.array(ModelInfo), recommended: z.array(RecommendedModel) }),
  }),
  get: defineContract({
    channel: 'models.get',
    scope: 'lab',
    input: z.object({ name: z.string().min(1) }),
    output: z.object({ model: ModelInfo }),
  }),
  /** Register a GGUF file on disk (metadata read, sha256 computed; the file is not copied). */
  add: defineContract({
    channel: 'models.add',
    scope: 'local',
    input: z.object({ path: z.string().min(1), name: ModelName.optional() }),
    output: z.object({ model: ModelInfo }),
  }),
  /**
   * The GGUF files lying in the data home's models/ folder (top level) that are not in the
   * library yet: how a browser, which may not name server paths, finds a file to add.
   */
  folder: defineContract({
    channel: 'models.folder',
    scope: 'lab',
    input: z.object({}).default({}),
    output: z.object({
      /** The folder (shown, so the user knows where to put files; never taken as input). */
      folder: z.string(),
      files: z.array(ModelFolderFile),
    }),
  }),
  /** Register a GGUF file of the models/ folder by its file name (resolved inside that folder only). */
  addFromFolder: defineContract({
    channel: 'models.addFromFolder',
    scope: 'lab',
    input: z.object({ file: FolderFileName, name: ModelName.optional() }),
    output: z.object({ model: ModelInfo }),
  }),
  /** Download from Hugging Face as a job (kind "model-download", unit bytes, result ModelInfo); resumes a partial download. */
  pull: defineContract({
    channel: 'models.pull',
    scope: 'lab',
    input: z.object({ uri: HfUri, name: ModelName.optional() }),
    output: z.object({ job: JobInfo }),
  }),
  /** Forget a model; `deleteFile` also deletes a file srlab downloaded (never a file the user added). */
  remove: defineContract({
    channel: 'models.remove',
    scope: 'lab',
    input: z.object({ name: z.string().min(1), deleteFile: z.boolean().default(false) }),
    output: z.object({ removed: z.string(), fileDeleted: z.boolean() }),
  }),
  /** What a load would use (GPU layers, context) and whether it fits, before loading anything. */
  preflight: defineContract({
    channel: 'models.preflight',
    scope: 'lab',
    input: z.object({ name: z.string().min(1), load: LoadOptions.default({}) }),
    output: Preflight,
  }),
  /** Read a GGUF file's header without registering it (e.g. to check an adapter). */
  inspect: defineContract({
    channel: 'models.inspect',
    scope: 'local',
    input: z.object({ path: z.string().min(1) }),
    output: z.object({ path: z.string(), sizeBytes: z.number(), gguf: GgufSummary }),
  }),
};

export const chat = {
  /** The playground: one prompt through a template, to a local model or an endpoint. */
  complete: defineContract({
    channel: 'chat.complete',
    scope: 'lab',
    localWhen: (i) => (i.target.kind === 'local' && i.target.adapter ? 'target.adapter' : null),
    input: z.object({
      target: Target,
      template: TemplateRef.default({ name: DEFAULT_TEMPLATE_NAME }),
      text: z.string().min(1).max(200_000),
      decoding: Decoding.default({ temperature: 0, seed: 42, maxTokens: 256, stop: [] }),
      load: LoadOptions.default({}),
      /** When set, the text is streamed as `chat-token` events carrying this id, and `chat.cancel` can stop it. */
      streamId: z.string().max(100).optional(),
    }),
    output: Completion,
  }),
  /**
   * Stop the running `chat.complete` that gave this `streamId`: it returns what was generated
   * so far with finishReason 'cancelled'. `cancelled` is false when no such completion runs.
   */
  cancel: defineContract({
    channel: 'chat.cancel',
    scope: 'lab',
    input: z.object({ streamId: z.string().min(1).max(100) }),
    output: z.object({ cancelled: z.boolean() }),
  }),
};

// What this capability gives the registry (src/shared/capabilities.ts): its contract groups,
// its events and its job kinds.
export const contracts = { models, llm, chat };
export const events = [
  z.object({ type: z.literal('models-changed'), model: z.string().nullable() }),
  /** Streamed playground text for a chat.complete call that gave `streamId`. */
  z.object({ type: z.literal('chat-token'), streamId: z.string(), text: z.string() }),
] as const;
export const JOB_KINDS = ['model-download'] as const;
