// The worker boundary's contract: each python-worker method (the wire name) with zod params and
// result, its events, and the one way the core calls a method, `callWorker`. Keys are camelCase
// here and snake_case on the wire (the worker is Python); the conversion follows the schemas, so
// it renames object keys only — record keys (package names, probability labels) and the
// TrainConfig's own snake_case keys pass unchanged — and it happens here alone. A result or event
// that does not match its schema is a WorkerError naming the method and the field, never a cast.
import { z } from 'zod';
import { zodIssues } from '../../../shared/contract';
import { AdapterCheckpoint, TrainConfig, WorkerDoctor } from '../../../shared/contracts/training';
import { WorkerError, type WorkerEvent as RawWorkerEvent, type WorkerProcess } from './process';

const FileTokenCount = z.object({
  path: z.string(),
  /** Examples train keeps (some response token left after truncation). */
  examples: z.number().int(),
  /** Examples whose prompt alone fills max_seq_length (train drops them). */
  dropped: z.number().int(),
  /** Tokens of every record before truncation. */
  tokens: z.number().int(),
  /** Tokens fed to the model: kept examples cut at max_seq_length. */
  kept: z.number().int(),
  /** Loss targets (shifted labels; response only when response_only_loss). */
  trainable: z.number().int(),
  truncated: z.number().int(),
  longest: z.number().int(),
});
export type FileTokenCount = z.infer<typeof FileTokenCount>;

const GgufOut = z.object({ path: z.string(), sizeBytes: z.number() });

/** The `train` job's params (also written as the params file of a DDP launch, in wire form). */
const TrainParams = z.object({
  base: z.string().min(1),
  trainFile: z.string().min(1),
  evalFile: z.string().nullable(),
  config: TrainConfig,
  runDir: z.string().min(1),
  resumeFrom: z.string().nullable(),
  /** DDP only: the file every rank polls for a cancel. */
  cancelFile: z.string().optional(),
});
export type TrainParams = z.input<typeof TrainParams>;

export const WORKER_METHODS = {
  /** What the worker itself reports; the core adds what it knows (venv, installed, …). */
  doctor: {
    params: z.object({}),
    result: WorkerDoctor.pick({
      python: true,
      pythonVersion: true,
      packages: true,
      cuda: true,
      gpus: true,
      canRun: true,
      problems: true,
    }),
  },
  /** Download a Hugging Face base into the hub cache (byte progress; the token goes by env). */
  fetch_base: {
    params: z.object({ repo: z.string().min(1), revision: z.string().min(1) }),
    result: z.object({
      path: z.string(),
      revision: z.string(),
      files: z.array(z.string()),
      bytes: z.number(),
      downloaded: z.number(),
      cached: z.boolean(),
    }),
  },
  train: {
    params: TrainParams,
    result: z.object({
      steps: z.number().int(),
      totalSteps: z.number().int(),
      initialLoss: z.number().nullable(),
      finalLoss: z.number().nullable(),
      bestEvalLoss: z.number().nullable(),
      stoppedEarly: z.boolean(),
      adapterDir: z.string(),
      /** Which step the adapter's weights are from (final_checkpoint); null on ranks ≠ 0 only. */
      adapterCheckpoint: AdapterCheckpoint.nullable(),
      examples: z.number().int(),
      truncated: z.number().int(),
      versions: z.record(z.string(), z.string().nullable()),
      device: z.string(),
      worldSize: z.number().int(),
      tokens: z.number(),
      trainSeconds: z.number(),
    }),
  },
  merge: {
    params: z.object({ base: z.string().min(1), adapterDir: z.string().min(1), outDir: z.string().min(1) }),
    /** adapterCheckpoint: the adapter's srlab_adapter.json (null for an adapter without one). */
    result: z.object({ outDir: z.string(), adapterCheckpoint: AdapterCheckpoint.nullable() }),
  },
  export_gguf: {
    params: z.object({
      modelDir: z.string().min(1),
      outFile: z.string().min(1),
      outtype: z.enum(['f32', 'f16', 'bf16', 'q8_0']),
      name: z.string(),
      llamaCppDir: z.string().min(1),
    }),
    result: GgufOut,
  },
  export_lora_gguf: {
    params: z.object({
      adapterDir: z.string().min(1),
      base: z.string().min(1),
      outFile: z.string().min(1),
      outtype: z.enum(['f32', 'f16', 'bf16', 'q8_0']),
      llamaCppDir: z.string().min(1),
    }),
    result: GgufOut,
  },
  count_tokens: {
    params: z.object({
      base: z.string().min(1),
      files: z.array(z.string().min(1)).min(1),
      maxSeqLength: z.number().int().min(1),
      responseOnlyLoss: z.boolean(),
    }),
    result: z.object({ tokenizer: z.string(), files: z.array(FileTokenCount) }),
  },
  /** A Hugging Face sequence classifier over texts: softmax probabilities named by id2label. */
  classify: {
    params: z.object({
      model: z.string().min(1),
      texts: z.array(z.string()),
      batchSize: z.number().int().min(1).max(4096).optional(),
      maxLength: z.number().int().min(1).max(1_000_000).optional(),
    }),
    result: z.object({
      labels: z.array(z.string()),
      results: z.array(z.object({ label: z.string(), probs: z.record(z.string(), z.number()) })),
      /** Texts longer than maxLength tokens (truncated, counted). */
      truncated: z.number().int(),
      device: z.string(),
    }),
  },
  /** Full fine-tuning of a sequence classifier (core/classifiers): steps, checkpoints, resume. */
  train_classifier: {
    params: z.object({
      base: z.string().min(1),
      trainFile: z.string().min(1),
      evalFile: z.string().nullable(),
      /** Class names in index order (the JSONL files' `label` indexes them). */
      labels: z.array(z.string().min(1)).min(2),
      outDir: z.string().min(1),
      runDir: z.string().min(1),
      epochs: z.number().int().min(1),
      batchSize: z.number().int().min(1),
      learningRate: z.number(),
      maxLength: z.number().int().min(1),
      seed: z.number().int(),
      saveSteps: z.number().int().min(0),
      resumeFrom: z.string().nullable(),
    }),
    result: z.object({
      steps: z.number().int(),
      totalSteps: z.number().int(),
      initialLoss: z.number().nullable(),
      finalLoss: z.number().nullable(),
      bestEvalLoss: z.number().nullable(),
      evalAccuracy: z.number().nullable(),
      outDir: z.string(),
      labels: z.array(z.string()),
      examples: z.number().int(),
      truncated: z.number().int(),
      device: z.string(),
      versions: z.record(z.string(), z.string().nullable()),
      trainSeconds: z.number(),
    }),
  },
  /** Zero-shot classification over a label list with an NLI model (style traits): entailment softmax. */
  zero_shot: {
    params: z.object({
      model: z.string().min(1),
      texts: z.array(z.string()),
      labels: z.array(z.string().min(1)).min(1),
      hypothesisTemplate: z.string().optional(),
      batchSize: z.number().int().min(1).max(4096).optional(),
      maxLength: z.number().int().min(1).max(1_000_000).optional(),
    }),
    result: z.object({
      labels: z.array(z.string()),
      results: z.array(z.object({ label: z.string(), probs: z.record(z.string(), z.number()) })),
      truncated: z.number().int(),
      device: z.string(),
    }),
  },
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

export type WorkerMethod = keyof typeof WORKER_METHODS;
export type WorkerParams<M extends WorkerMethod> = z.input<(typeof WORKER_METHODS)[M]['params']>;
export type WorkerResult<M extends WorkerMethod> = z.output<(typeof WORKER_METHODS)[M]['result']>;

const nullableNumber = z.number().nullable();

/** What a job reports while it runs (python-worker protocol.JobContext). */
export const WorkerEventSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('progress'), done: z.number(), total: nullableNumber, unit: z.string() }),
  z.object({ event: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string() }),
  z.object({
    event: z.literal('metric'),
    step: z.number().int(),
    split: z.enum(['train', 'eval']),
    loss: z.number(),
    lr: nullableNumber,
    gradNorm: nullableNumber,
    tokensPerSecond: nullableNumber,
  }),
  z.object({
    event: z.literal('checkpoint'),
    step: z.number().int(),
    dir: z.string(),
    trainLoss: nullableNumber,
    evalLoss: nullableNumber,
  }),
]);
export type WorkerJobEvent = z.infer<typeof WorkerEventSchema>;

export interface CallOptions {
  onEvent?: (e: WorkerJobEvent) => void;
  signal?: AbortSignal;
}

/** Keys whose words the rule below would split wrongly (a unit is one word: MiB). */
const WIRE_NAMES: Record<string, string> = { totalMiB: 'total_mib', freeMiB: 'free_mib' };

/** camelCase → snake_case at lower→upper boundaries: sizeBytes → size_bytes (totalMiB → total_mib by name). */
export function snakeKey(key: string): string {
  return WIRE_NAMES[key] ?? key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
}
const defOf = (schema: z.ZodType) => (schema as unknown as { def: Def }).def;
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Rename keys along a schema: `toWire` camelCase → snake_case, else back. Values the schema does
 * not describe as objects/arrays/records pass as they are; validation reports what is wrong.
 */
function convert(schema: z.ZodType, value: unknown, toWire: boolean): unknown {
  const def = defOf(schema);
  switch (def.type) {
    case 'object': {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(def.shape!)) {
        const [from, to] = toWire ? [key, snakeKey(key)] : [snakeKey(key), key];
        if (from in value) out[to] = convert(sub, value[from], toWire);
      }
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.map((v) => convert(def.element!, v, toWire)) : value;
    case 'record':
      return isPlainObject(value)
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(def.valueType!, v, toWire)]))
        : value;
    case 'union': {
      // The first option the value fits (checked on the TypeScript side of the conversion).
      for (const option of def.options!) {
        const converted = convert(option, value, toWire);
        if (option.safeParse(toWire ? value : converted).success) return converted;
      }
      return value;
    }
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return value === null || value === undefined ? value : convert(def.innerType!, value, toWire);
    default:
      return value;
  }
}

/** A method's params as the worker reads them (snake_case), validated. */
export function toWireParams<M extends WorkerMethod>(method: M, params: WorkerParams<M>): Record<string, unknown> {
  const schema: z.ZodType = WORKER_METHODS[method].params;
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw malformed(method, 'params', parsed.error);
  return convert(schema, parsed.data, true) as Record<string, unknown>;
}

/** A worker's answer as the core reads it (camelCase), or a WorkerError naming the field. */
export function fromWireResult<M extends WorkerMethod>(method: M, result: unknown): WorkerResult<M> {
  const schema: z.ZodType = WORKER_METHODS[method].result;
  const parsed = schema.safeParse(convert(schema, result, false));
  if (!parsed.success) throw malformed(method, 'result', parsed.error);
  return parsed.data as WorkerResult<M>;
}

export function fromWireEvent(method: WorkerMethod, event: RawWorkerEvent): WorkerJobEvent {
  const parsed = WorkerEventSchema.safeParse(convert(WorkerEventSchema, event, false));
  if (!parsed.success) throw malformed(method, `"${String(event.event)}" event`, parsed.error);
  return parsed.data;
}

function malformed(method: string, what: string, error: z.ZodError): WorkerError {
  const fields = zodIssues(error)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ');
  return new WorkerError(
    'bad-protocol',
    `worker method "${method}": malformed ${what} (${fields})`,
    'the app and python-worker disagree on this method: reinstall or update both together',
  );
}

/**
 * Events are checked as they arrive; a malformed one is dropped and fails the call when it ends
 * (throwing inside the worker's stdout reader would take the process down, not the call).
 */
function eventChecker(method: WorkerMethod, onEvent: CallOptions['onEvent']) {
  let problem: WorkerError | null = null;
  return {
    onEvent: (raw: RawWorkerEvent) => {
      try {
        const e = fromWireEvent(method, raw);
        onEvent?.(e);
      } catch (err) {
        if (err instanceof WorkerError) problem ??= err;
        else throw err;
      }
    },
    settle: () => {
      if (problem) throw problem;
    },
  };
}

/** Run one worker method: params converted and checked, events and result converted and validated. */
export async function callWorker<M extends WorkerMethod>(
  w: WorkerProcess,
  method: M,
  params: WorkerParams<M>,
  opts: CallOptions = {},
): Promise<WorkerResult<M>> {
  const events = eventChecker(method, opts.onEvent);
  const raw = await w.request(method, toWireParams(method, params), {
    onEvent: events.onEvent,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  events.settle();
  return fromWireResult(method, raw);
}

/**
 * The reply to a job a launched process runs on its own (DDP rank 0 runs the `train` request from
 * its params file — written with toWireParams — under a fixed id), converted and validated as
 * callWorker does.
 */
export async function expectWorker<M extends WorkerMethod>(
  w: WorkerProcess,
  method: M,
  id: string,
  opts: CallOptions & { cancel: () => void },
): Promise<WorkerResult<M>> {
  const events = eventChecker(method, opts.onEvent);
  const raw = await w.expect(id, method, {
    onEvent: events.onEvent,
    cancel: opts.cancel,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  events.settle();
  return fromWireResult(method, raw);
}
