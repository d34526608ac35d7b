// The Python worker (environment, doctor) and LoRA/QLoRA training runs.
// TrainConfig is the one place for the training settings' keys, limits and defaults: the worker
// validates against the JSON Schema generated from it (python-worker/srlab_worker/
// train_config.schema.json, `npm run gen:worker-schema`) and builds its dataclass from it, and the
// form reads its limits from it. Every key has a default, so a config stored before a key existed
// still parses. Keys use the SR_LLM authors' released parameter names so their configs carry over.
import { z } from 'zod';
import { defineContract } from '../contract';
import { JobInfo } from './jobs';
import { DEFAULT_TEMPLATE_NAME, TemplateRef } from './llm';
import { KeychainStatus, SECRET_BACKENDS } from './runs';

const positiveInt = z.number().int().min(1);

export const TrainConfig = z.object({
  /** Load the base in 4-bit (QLoRA). Needs bitsandbytes and a CUDA GPU. */
  use_4bit: z.boolean().default(false),
  /** 4-bit quantisation type. */
  bnb_4bit_quant_type: z.enum(['nf4', 'fp4']).default('nf4'),
  /** Compute dtype of the 4-bit layers. */
  bnb_4bit_compute_dtype: z.enum(['float16', 'bfloat16', 'float32']).default('float16'),
  /** Double (nested) quantisation of the 4-bit constants. */
  use_nested_quant: z.boolean().default(false),
  /** LoRA rank. */
  lora_r: z.number().int().min(1).max(1024).default(64),
  /** LoRA scaling numerator (scale = alpha / r). */
  lora_alpha: z.number().positive().max(4096).default(16),
  /** Dropout on the LoRA branch. */
  lora_dropout: z.number().min(0).max(0.99).default(0.2),
  /** LoRA bias handling (paper: none). */
  lora_bias: z.enum(['none', 'all', 'lora_only']).default('none'),
  /**
   * Module names LoRA adapts; empty: every linear projection of the model except lm_head (srlab's
   * "all linear"). PEFT's own default for Llama, which the authors' LoraConfig got by naming none,
   * is q_proj, v_proj.
   */
  lora_target_modules: z.array(z.string().min(1)).default([]),
  /** Epochs over the training split (ignored when max_steps > 0). */
  num_train_epochs: z.number().positive().max(1000).default(1),
  /** Optimizer steps to run; -1: from num_train_epochs. */
  max_steps: z.number().int().min(-1).max(1e9).default(-1),
  /** Examples per optimizer step (per device). */
  per_device_train_batch_size: positiveInt.max(4096).default(16),
  /** Examples per eval batch (per device). */
  per_device_eval_batch_size: positiveInt.max(4096).default(8),
  /** Micro-batches accumulated into one optimizer step. */
  gradient_accumulation_steps: positiveInt.max(1024).default(1),
  /** Peak learning rate. */
  learning_rate: z.number().positive().max(1).default(2e-4),
  /** Learning-rate schedule (transformers' names). */
  lr_scheduler_type: z.enum(['constant', 'constant_with_warmup', 'linear', 'cosine']).default('constant'),
  /** Fraction of steps spent warming up; transformers' "constant" schedule has none, so there it does nothing. */
  warmup_ratio: z.number().min(0).max(1).default(0.03),
  /** AdamW weight decay. */
  weight_decay: z.number().min(0).max(1).default(0.001),
  /** Gradient clipping norm; 0 disables clipping. */
  max_grad_norm: z.number().min(0).max(1e9).default(0.3),
  /** Optimizer; paged_* need bitsandbytes (else torch AdamW with the same math, logged). */
  optimizer: z.enum(['paged_adamw_32bit', 'paged_adamw_8bit', 'adamw_torch']).default('paged_adamw_32bit'),
  /** Tokens per example; longer examples are truncated and counted. */
  max_seq_length: z.number().int().min(16).max(131072).default(1024),
  /** Checkpoint (and evaluate) every this many optimizer steps. */
  save_steps: positiveInt.max(1e9).default(25),
  /** Stop after this many evaluations without a better eval loss; 0 disables. */
  early_stopping_patience: z.number().int().min(0).max(1e6).default(3),
  /** Log train loss every this many steps. */
  logging_steps: positiveInt.max(1e9).default(1),
  /**
   * Weights dtype when not 4-bit: auto (fp32 on CPU; on CUDA the fp16/bf16 compute dtype when one
   * is on, else bf16 where supported, else fp16), or forced.
   */
  precision: z.enum(['auto', 'float32', 'float16', 'bfloat16']).default('auto'),
  /**
   * Mixed-precision float16 compute with loss scaling (a GradScaler) on CUDA, as transformers'
   * fp16=True; on CPU the run is float32 and its log says so.
   */
  fp16: z.boolean().default(false),
  /** Mixed-precision bfloat16 compute on CUDA where supported (else fp16 with loss scaling); fp32 on CPU. */
  bf16: z.boolean().default(false),
  /** Train on response tokens only (prompt tokens masked); false: loss on the whole sequence. */
  response_only_loss: z.boolean().default(true),
  /** Batch examples of similar length together (transformers' LengthGroupedSampler), seeded. */
  group_by_length: z.boolean().default(false),
  /**
   * Which weights become the adapter, the merge and the GGUF: the 'last' step's, or the 'best'
   * eval checkpoint's (lowest eval loss; the last step when no eval split ran).
   */
  final_checkpoint: z.enum(['last', 'best']).default('last'),
  /** Shuffle, dropout and LoRA init seed (at most 2^32 - 1: numpy's seed range). */
  seed: z.number().int().min(0).max(4294967295).default(42),
  /**
   * Training processes (DDP through accelerate launch, one per GPU): 0 = one per CUDA GPU (1 without
   * CUDA); N > 1 = N processes (on CPU they use gloo, which is for testing).
   */
  num_processes: z.number().int().min(0).max(1024).default(0),
});
export type TrainConfig = z.infer<typeof TrainConfig>;
export const TRAIN_CONFIG_KEYS = Object.keys(TrainConfig.shape) as (keyof TrainConfig)[];

export const TrainPreset = z.object({
  name: z.string(),
  description: z.string(),
  /** Where the values come from (paper tables, the authors' released code, srlab). */
  source: z.string(),
  config: TrainConfig,
  /** Per key, where its value comes from ("paper, Tables 3–4", "authors' code (…)", "srlab (…)"). */
  sources: z.record(z.string(), z.string()).default({}),
});
export type TrainPreset = z.infer<typeof TrainPreset>;

export const TRAIN_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

export const TrainCheckpoint = z.object({
  step: z.number().int(),
  /** The self-describing checkpoint folder (adapter + config + optimizer state + step). */
  dir: z.string(),
  trainLoss: z.number().nullable(),
  evalLoss: z.number().nullable(),
  createdAt: z.string(),
});
export type TrainCheckpoint = z.infer<typeof TrainCheckpoint>;

/** Which weights the adapter (and so the merge and the GGUF) holds: worker train.save_final_adapter. */
export const AdapterCheckpoint = z.object({
  step: z.number().int(),
  /** 'best': the checkpoint with the lowest eval loss; 'last': the weights the run ended with. */
  selected: z.enum(['best', 'last']),
  /** Eval loss at that step; null without an eval split. */
  evalLoss: z.number().nullable(),
  /** Why this one, in words (e.g. "final_checkpoint=best, but no eval split ran: …"). */
  reason: z.string(),
});
export type AdapterCheckpoint = z.infer<typeof AdapterCheckpoint>;

/**
 * The prompt template a run's examples were written with (a llama2-chat template, copied at
 * start): generating with the same template sends byte for byte the prompt the model was trained
 * on up to `[/INST]`.
 */
export const TrainTemplate = z.object({
  /** null: given inline. */
  name: z.string().nullable(),
  version: z.number().int().nullable(),
  systemPrompt: z.string(),
  instruction: z.string(),
});
export type TrainTemplate = z.infer<typeof TrainTemplate>;

export const TrainMetric = z.object({
  step: z.number().int(),
  /** 'train' (loss, lr, grad norm, tokens/s) or 'eval' (loss). */
  split: z.enum(['train', 'eval']),
  loss: z.number(),
  lr: z.number().nullable(),
  gradNorm: z.number().nullable(),
  tokensPerSecond: z.number().nullable(),
  at: z.string(),
});
export type TrainMetric = z.infer<typeof TrainMetric>;

export const TrainEnergy = z.object({
  /**
   * true only when a power sensor was read (nvidia-smi, RAPL). false with kWh set: a stated
   * estimate (CPU at 0.5 × TDP, as codecarbon); false with kWh null: nothing to go on.
   */
  measured: z.boolean(),
  /** How it was measured, e.g. "nvidia-smi power.draw, 1 s samples + RAPL package". */
  method: z.string(),
  gpuKwh: z.number().nullable(),
  cpuKwh: z.number().nullable(),
  /** (gpu + cpu) × PUE. */
  kwh: z.number().nullable(),
  pue: z.number(),
  /** kgCO2e per kWh. */
  carbonIntensity: z.number(),
  co2Kg: z.number().nullable(),
  seconds: z.number(),
});
export type TrainEnergy = z.infer<typeof TrainEnergy>;

export const TrainRun = z.object({
  id: z.number().int(),
  name: z.string(),
  state: z.enum(TRAIN_STATES),
  /** Base model: a Hugging Face id or a local folder. */
  base: z.string(),
  dataset: z.string(),
  split: z.string(),
  evalSplit: z.string().nullable(),
  preset: z.string(),
  config: TrainConfig,
  /** The template the examples were exported with (null: runs from before templates were recorded). */
  template: TrainTemplate.nullable().default(null),
  /** Merge and convert to GGUF at the end (kept so a resume does the same). */
  exportGguf: z.boolean(),
  /** sha256 of the exact training JSONL given to the worker. */
  dataHash: z.string().nullable(),
  examples: z.number().int().nullable(),
  /** Examples longer than max_seq_length (truncated, never silently). */
  truncated: z.number().int().nullable(),
  /** Library versions the worker ran with (torch, transformers, peft, python, …). */
  versions: z.record(z.string(), z.string().nullable()),
  device: z.string().nullable(),
  step: z.number().int(),
  totalSteps: z.number().int().nullable(),
  initialLoss: z.number().nullable(),
  finalLoss: z.number().nullable(),
  bestEvalLoss: z.number().nullable(),
  stoppedEarly: z.boolean(),
  runDir: z.string(),
  adapterDir: z.string().nullable(),
  /** The step the adapter, the merge and the GGUF come from (null until training ends; older runs). */
  adapterCheckpoint: AdapterCheckpoint.nullable().default(null),
  mergedDir: z.string().nullable(),
  /** Name of the merged GGUF in the model library. */
  ggufModel: z.string().nullable(),
  /** The adapter alone as a GGUF LoRA (use with the base GGUF). */
  adapterGguf: z.string().nullable(),
  checkpoints: z.array(TrainCheckpoint),
  energy: TrainEnergy.nullable(),
  error: z.string().nullable(),
  /** Last lines the worker wrote to stderr, kept when it failed. */
  stderrTail: z.string().nullable(),
  jobId: z.number().int().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type TrainRun = z.infer<typeof TrainRun>;

/** A Python interpreter found on PATH (python3, python3.N, python), to make the worker venv from. */
export const FoundPython = z.object({
  /** Its place in the doctor's list: what a browser's worker.setup names instead of a path. */
  index: z.number().int(),
  path: z.string(),
  version: z.string(),
  /** 3.10 or newer: what the worker needs. */
  usable: z.boolean(),
});
export type FoundPython = z.infer<typeof FoundPython>;

export const WorkerDoctor = z.object({
  /** false: no managed venv yet (run `srlab worker setup`). */
  installed: z.boolean(),
  venv: z.string(),
  python: z.string().nullable(),
  pythonVersion: z.string().nullable(),
  /** Package → version, null when absent: torch, transformers, peft, accelerate, bitsandbytes, … */
  packages: z.record(z.string(), z.string().nullable()),
  cuda: z.object({ available: z.boolean(), version: z.string().nullable() }),
  gpus: z.array(z.object({ index: z.number().int(), name: z.string(), totalMiB: z.number(), freeMiB: z.number() })),
  /** What this machine can run, e.g. "QLoRA 4-bit", "LoRA 32-bit on CPU". */
  canRun: z.array(z.string()),
  problems: z.array(z.string()),
  /** The Pythons found on this machine to make the venv from; worker.setup picks one by `index`. */
  pythons: z.array(FoundPython),
});
export type WorkerDoctor = z.infer<typeof WorkerDoctor>;

/**
 * A Hugging Face model id (`owner/name`), as opposed to a folder on the server. Over HTTP a base
 * must be one: a folder is a server path, which only local callers (desktop, CLI) may name.
 */
export function isHubId(base: string): boolean {
  return /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(base) && !base.includes('..');
}

/**
 * A base named by its folder in the data home's bases/ folder: `bases:NAME` (a Hugging Face id
 * never has a colon). The core resolves it to the folder inside bases/ only, so a browser can
 * train on a local base without naming a server path.
 */
export const BASE_FOLDER_PREFIX = 'bases:';

/** The folder name of a `bases:NAME` base, or null when `base` is not one (a one-segment name only). */
export function baseFolderName(base: string): string | null {
  if (!base.startsWith(BASE_FOLDER_PREFIX)) return null;
  const name = base.slice(BASE_FOLDER_PREFIX.length);
  return name && !/[/\\\0]/.test(name) && name !== '.' && name !== '..' ? name : null;
}

/** A base a browser may give: a Hugging Face id or a `bases:NAME` folder (anything else is a server path). */
function baseIsNamed(base: string): boolean {
  return isHubId(base) || baseFolderName(base) !== null;
}

/** What train.start (and train.preflight) take. */
export const TrainStartInput = z.object({
  dataset: z.string().min(1),
  split: z.string().min(1).default('train'),
  /** null: no eval (no early stopping); default 'validation' when the dataset has it. */
  evalSplit: z.string().min(1).nullable().optional(),
  base: z.string().min(1),
  preset: z.string().min(1).default('srllm-paper'),
  /**
   * The prompt template the examples are written with (a llama2-chat one): the paper's
   * "sr-llm-paper" by default, or "srllm-authors-code" (the authors' released code's prompt).
   */
  template: TemplateRef.default({ name: DEFAULT_TEMPLATE_NAME }),
  /** Overrides of preset values by key (validated against TrainConfig). */
  overrides: z.record(z.string(), z.unknown()).default({}),
  name: z.string().min(1).max(120).optional(),
  /** Merge the adapter and convert to GGUF (registered in the model library). */
  exportGguf: z.boolean().default(true),
  pue: z.number().min(1).max(5).default(1.0),
  carbonIntensity: z.number().min(0).max(5).default(0.4),
});

/** What train.preflight takes: a train.start input, and whether to count tokens with the worker. */
export const TrainPreflightInput = TrainStartInput.extend({
  /**
   * true (default): count tokens with the base's tokenizer in the worker when it can (seconds
   * the first time, then cached); false: characters / 4 unless already cached (instant), for a
   * first answer while the real count runs.
   */
  countTokens: z.boolean().default(true),
});

/** A preflight of a planned run: what the split holds, steps, size of the base, memory vs free VRAM. */
export const TrainPreflight = z.object({
  /** Examples the run would train on (records of the split with a benign variation). */
  examples: z.number().int(),
  /** Records of the split without a usable benign variation (dropped at export). */
  skipped: z.number().int(),
  tokens: z.object({
    /** Tokens of the formatted llama2-chat examples (all of them, before truncation). */
    total: z.number().int(),
    mean: z.number(),
    max: z.number().int(),
    /** true: counted as characters / 4, not with the base's tokenizer (basis 'estimated'). */
    estimated: z.boolean(),
    method: z.string(),
    /**
     * 'tokenizer': counted by the worker with the base's own tokenizer, exactly as training
     * encodes examples; 'estimated': characters / 4 (no worker venv, or the base's tokenizer is
     * not on this machine; `reason` says which).
     */
    basis: z.enum(['tokenizer', 'estimated']),
    /** Why this basis, in words (e.g. "the base is not a local folder nor in the Hugging Face cache"). */
    reason: z.string(),
    /** The tokenizer used (class and base); null when estimated. */
    tokenizer: z.string().nullable(),
    /** Tokens fed to the model per epoch: each trained example cut at max_seq_length, summed. */
    kept: z.number().int(),
    /** Loss targets per epoch (response tokens when response_only_loss); null when estimated. */
    trainable: z.number().int().nullable(),
    /** Examples whose prompt alone fills max_seq_length: training drops them; null when estimated. */
    dropped: z.number().int().nullable(),
  }),
  /** Examples longer than max_seq_length (truncated at training). */
  truncated: z.number().int(),
  /** Planned optimizer steps: max_steps, or epochs × ceil(examples / (batch × accumulation)). */
  steps: z.number().int(),
  /** Tokens the run trains on: min(example, max_seq_length) summed, times epochs (or steps' share). */
  trainTokens: z.number().int(),
  model: z
    .object({
      /** Parameters of the base; from config.json, or from a size in the name ("7b"). */
      params: z.number(),
      source: z.enum(['config.json', 'name']),
      /** Trainable LoRA parameters for the chosen rank and target modules. */
      loraParams: z.number(),
      hiddenSize: z.number().int(),
      layers: z.number().int(),
      vocabSize: z.number().int(),
    })
    .nullable(),
  /** A planning estimate, not a measurement; null when the base's size is unknown. */
  memory: z
    .object({
      /** Weights dtype the estimate assumes, e.g. "4-bit NF4", "bfloat16", "float32". */
      weights: z.string(),
      totalGiB: z.number(),
      parts: z.object({
        weightsGiB: z.number(),
        loraGiB: z.number(),
        optimizerGiB: z.number(),
        activationsGiB: z.number(),
        overheadGiB: z.number(),
      }),
      note: z.string(),
    })
    .nullable(),
  /** The GPU with the most free memory (nvidia-smi); null without one. */
  gpu: z.object({ index: z.number().int(), name: z.string(), totalMiB: z.number(), freeMiB: z.number() }).nullable(),
  /** How many GPUs nvidia-smi lists (0: "no NVIDIA GPU"). */
  gpuCount: z.number().int(),
  gpuNote: z.string(),
  /** Estimate ≤ free VRAM of the best GPU; null when either is unknown. */
  fits: z.boolean().nullable(),
  /**
   * Rough wall time of the training loop (trainTokens ÷ throughput). 'measured': the median
   * tokens/s of earlier succeeded runs here with the same base and device; 'estimated': from
   * FLOPs against a GPU table (or an assumed CPU rate) at an assumed utilisation; 'unknown':
   * nothing to go on (seconds null). `detail` says how it was reached.
   */
  duration: z.object({
    seconds: z.number().nullable(),
    basis: z.enum(['measured', 'estimated', 'unknown']),
    /** Tokens per second the figure assumes (measured or estimated); null when unknown. */
    tokensPerSecond: z.number().nullable(),
    detail: z.string(),
  }),
  /** What would stop or spoil the run. */
  problems: z.array(z.string()),
});
export type TrainPreflight = z.infer<typeof TrainPreflight>;

const RunRef = z.object({ id: z.number().int() });

export const worker = {
  /** What the worker environment has (python, torch, CUDA, GPUs with free VRAM, bitsandbytes, …). */
  doctor: defineContract({
    channel: 'worker.doctor',
    scope: 'lab',
    input: z.object({}).default({}),
    output: WorkerDoctor,
  }),
  /** Create the managed venv and install the stack, as a job (kind "worker-setup", unit steps). */
  setup: defineContract({
    channel: 'worker.setup',
    scope: 'lab',
    localWhen: (i) => (i.python !== undefined ? 'python' : null),
    input: z
      .object({
        /** A Python executable by path (a program to run: local callers only). */
        python: z.string().min(1).optional(),
        /** One of the Pythons worker.doctor found, by its `index`: how a browser chooses one. */
        pythonIndex: z.number().int().min(0).max(255).optional(),
        /** CPU stack (requirements-cpu.txt) instead of the GPU one. */
        cpu: z.boolean().default(false),
      })
      .refine((i) => !(i.python !== undefined && i.pythonIndex !== undefined), {
        message: 'give either python (a path) or pythonIndex (from worker.doctor), not both',
        path: ['pythonIndex'],
      }),
    output: z.object({ job: JobInfo }),
  }),
};

export const train = {
  presets: defineContract({
    channel: 'train.presets',
    scope: 'lab',
    input: z.object({}).default({}),
    output: z.object({ presets: z.array(TrainPreset) }),
  }),
  /** Start a run as a job (kind "train", unit steps); live `train-metric` and `train-run` events. */
  start: defineContract({
    channel: 'train.start',
    scope: 'lab',
    localWhen: (i) => (baseIsNamed(i.base) ? null : 'base'),
    input: TrainStartInput,
    output: z.object({ run: TrainRun, job: JobInfo }),
  }),
  /** What a train.start with this input would do: examples, tokens, steps, memory estimate vs free VRAM. */
  preflight: defineContract({
    channel: 'train.preflight',
    scope: 'lab',
    localWhen: (i) => (baseIsNamed(i.base) ? null : 'base'),
    input: TrainPreflightInput,
    output: TrainPreflight,
  }),
  /** The base model folders in the data home's bases/ folder, to give as `bases:NAME` (see BASE_FOLDER_PREFIX). */
  bases: defineContract({
    channel: 'train.bases',
    scope: 'lab',
    input: z.object({}).default({}),
    output: z.object({
      /** The folder (shown, so the user knows where to put a base; never taken as input). */
      folder: z.string(),
      bases: z.array(
        z.object({
          name: z.string(),
          /** Has a config.json (a Hugging Face model folder); false: training would refuse it. */
          hasConfig: z.boolean(),
        }),
      ),
    }),
  }),
  list: defineContract({
    channel: 'train.list',
    scope: 'lab',
    input: z.object({ limit: z.number().int().min(1).max(500).default(50) }).default({ limit: 50 }),
    output: z.object({ runs: z.array(TrainRun) }),
  }),
  get: defineContract({ channel: 'train.get', scope: 'lab', input: RunRef, output: z.object({ run: TrainRun }) }),
  metrics: defineContract({
    channel: 'train.metrics',
    scope: 'lab',
    input: RunRef,
    output: z.object({ metrics: z.array(TrainMetric) }),
  }),
  /** Continue a cancelled, failed or interrupted run from its last checkpoint. */
  resume: defineContract({
    channel: 'train.resume',
    scope: 'lab',
    input: RunRef,
    output: z.object({ run: TrainRun, job: JobInfo }),
  }),
  cancel: defineContract({ channel: 'train.cancel', scope: 'lab', input: RunRef, output: z.object({ run: TrainRun }) }),
};

export const HfTokenStatus = z.object({
  /** A token is available for Hugging Face downloads (gated bases such as meta-llama/*). */
  hasToken: z.boolean(),
  /** Where it comes from: the keychain (`srlab hf-token set`), or 'env' (HF_TOKEN). Never the token itself. */
  backend: z.enum(SECRET_BACKENDS).nullable(),
  keychain: KeychainStatus,
});
export type HfTokenStatus = z.infer<typeof HfTokenStatus>;

/** The Hugging Face access token, kept like endpoint keys (OS keychain; HF_TOKEN as the fallback). */
export const hf = {
  tokenStatus: defineContract({
    channel: 'hf.tokenStatus',
    scope: 'lab',
    input: z.object({}).default({}),
    output: HfTokenStatus,
  }),
  /** Write-only: stored in the OS keychain, never in the database in plain text, logs or job params. */
  setToken: defineContract({
    channel: 'hf.setToken',
    scope: 'lab',
    input: z.object({ token: z.string().trim().min(1).max(4096) }),
    output: HfTokenStatus,
  }),
  clearToken: defineContract({
    channel: 'hf.clearToken',
    scope: 'lab',
    input: z.object({}).default({}),
    output: HfTokenStatus,
  }),
};

// What this capability gives the registry (src/shared/capabilities.ts): its contract groups,
// its events and its job kinds.
export const contracts = { worker, train, hf };
export const events = [
  /** A training run changed state, step, checkpoints or artefacts (throttled while running). */
  z.object({ type: z.literal('train-run'), run: TrainRun }),
  /** One live training metric (train loss/LR every logging step, eval loss at each checkpoint). */
  z.object({ type: z.literal('train-metric'), runId: z.number().int(), metric: TrainMetric }),
] as const;
export const JOB_KINDS = ['train', 'worker-setup'] as const;
