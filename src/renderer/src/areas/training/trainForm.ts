// The training preset form as data: every TrainConfig key with its group, label and input kind;
// ranges and choices are read from the contract's schema (trainFieldSchema), which stays the
// judge: validation runs the contract's own TrainConfig and reports every problem at once. Hints
// say what a value does; where a value comes from (paper, the authors' code, srlab) is the
// preset's own `sources`.
import { TrainConfig, TRAIN_CONFIG_KEYS } from '../../../../shared/contracts/training';
import { trainFieldSchema } from '../../../../shared/train-config-schema';

export type TrainKey = keyof TrainConfig;

export const TRAIN_GROUPS = [
  { id: 'lora', label: 'LoRA' },
  { id: 'quant', label: 'Quantization and devices' },
  { id: 'optim', label: 'Optimisation' },
  { id: 'schedule', label: 'Schedule' },
  { id: 'data', label: 'Data and sequence' },
  { id: 'checkpoints', label: 'Checkpoints and early stopping' },
] as const;
export type TrainGroupId = (typeof TRAIN_GROUPS)[number]['id'];

export type FieldKind = 'int' | 'number' | 'bool' | 'enum' | 'list';

export interface TrainField {
  key: TrainKey;
  group: TrainGroupId;
  label: string;
  kind: FieldKind;
  min?: number;
  /** The minimum itself is refused (> min, not ≥ min). */
  exclusiveMin?: boolean;
  max?: number;
  step?: number | 'any';
  options?: readonly string[];
  hint: string;
}

/** What the form states itself; limits and choices are added from the schema. */
type FormField = Omit<TrainField, 'min' | 'max' | 'exclusiveMin' | 'options'>;

const FIELDS: readonly FormField[] = [
  { key: 'lora_r', group: 'lora', label: 'Rank r', kind: 'int', hint: 'LoRA rank.' },
  {
    key: 'lora_alpha',
    group: 'lora',
    label: 'Alpha',
    kind: 'number',
    step: 'any',
    hint: 'Scale = alpha / r (> 0).',
  },
  {
    key: 'lora_dropout',
    group: 'lora',
    label: 'Dropout',
    kind: 'number',
    step: 'any',
    hint: 'Dropout on the LoRA branch.',
  },
  {
    key: 'lora_bias',
    group: 'lora',
    label: 'Bias',
    kind: 'enum',
    hint: 'Which biases train.',
  },
  {
    key: 'lora_target_modules',
    group: 'lora',
    label: 'Target modules',
    kind: 'list',
    hint: 'Comma-separated; empty: every linear layer except lm_head (srlab’s “all linear”). PEFT’s Llama default, which the authors got by naming none: q_proj, v_proj.',
  },
  {
    key: 'use_4bit',
    group: 'quant',
    label: '4-bit base (QLoRA)',
    kind: 'bool',
    hint: 'Needs bitsandbytes and a CUDA GPU.',
  },
  {
    key: 'bnb_4bit_quant_type',
    group: 'quant',
    label: '4-bit type',
    kind: 'enum',
    hint: 'Quantisation type.',
  },
  {
    key: 'bnb_4bit_compute_dtype',
    group: 'quant',
    label: 'Compute dtype',
    kind: 'enum',
    hint: 'Dtype of the 4-bit layers’ compute.',
  },
  {
    key: 'use_nested_quant',
    group: 'quant',
    label: 'Double quantization',
    kind: 'bool',
    hint: 'Quantise the 4-bit constants too.',
  },
  {
    key: 'precision',
    group: 'quant',
    label: 'Weights dtype (not 4-bit)',
    kind: 'enum',
    hint: 'auto: fp32 on CPU; on a GPU the fp16/bf16 compute dtype when on, else bf16 where supported.',
  },
  {
    key: 'fp16',
    group: 'quant',
    label: 'fp16 compute',
    kind: 'bool',
    hint: 'Mixed precision with loss scaling (GradScaler) on CUDA; on CPU the run is fp32 and its log says so.',
  },
  {
    key: 'bf16',
    group: 'quant',
    label: 'bf16 compute',
    kind: 'bool',
    hint: 'bf16 where the GPU supports it (else fp16 with loss scaling); fp32 on CPU.',
  },
  {
    key: 'num_processes',
    group: 'quant',
    label: 'Processes (GPUs)',
    kind: 'int',
    hint: '0: one per CUDA GPU (DDP through accelerate when more than one).',
  },
  {
    key: 'optimizer',
    group: 'optim',
    label: 'Optimizer',
    kind: 'enum',
    hint: 'paged_* need bitsandbytes (else torch AdamW, logged).',
  },
  {
    key: 'learning_rate',
    group: 'optim',
    label: 'Learning rate',
    kind: 'number',
    step: 'any',
    hint: 'Peak LR (> 0, ≤ 1).',
  },
  {
    key: 'weight_decay',
    group: 'optim',
    label: 'Weight decay',
    kind: 'number',
    step: 'any',
    hint: 'AdamW weight decay.',
  },
  {
    key: 'max_grad_norm',
    group: 'optim',
    label: 'Max grad norm',
    kind: 'number',
    step: 'any',
    hint: '0 disables clipping.',
  },
  {
    key: 'per_device_train_batch_size',
    group: 'optim',
    label: 'Train batch',
    kind: 'int',
    hint: 'Examples per step (per device).',
  },
  {
    key: 'per_device_eval_batch_size',
    group: 'optim',
    label: 'Eval batch',
    kind: 'int',
    hint: 'Examples per eval batch.',
  },
  {
    key: 'gradient_accumulation_steps',
    group: 'optim',
    label: 'Grad accumulation',
    kind: 'int',
    hint: 'Micro-batches per optimizer step.',
  },
  {
    key: 'num_train_epochs',
    group: 'schedule',
    label: 'Epochs',
    kind: 'number',
    step: 'any',
    hint: 'Ignored when max steps > 0.',
  },
  { key: 'max_steps', group: 'schedule', label: 'Max steps', kind: 'int', hint: '-1: from epochs.' },
  {
    key: 'lr_scheduler_type',
    group: 'schedule',
    label: 'LR schedule',
    kind: 'enum',
    hint: 'transformers’ schedule names.',
  },
  {
    key: 'warmup_ratio',
    group: 'schedule',
    label: 'Warmup ratio',
    kind: 'number',
    step: 'any',
    hint: 'Fraction of steps warming up; transformers’ constant schedule has no warmup, so with it this does nothing.',
  },
  {
    key: 'logging_steps',
    group: 'schedule',
    label: 'Log every',
    kind: 'int',
    hint: 'Steps between train-loss points.',
  },
  { key: 'seed', group: 'schedule', label: 'Seed', kind: 'int', hint: 'Shuffle, dropout and LoRA init.' },
  {
    key: 'max_seq_length',
    group: 'data',
    label: 'Sequence length',
    kind: 'int',
    hint: 'Longer examples are truncated and counted.',
  },
  {
    key: 'response_only_loss',
    group: 'data',
    label: 'Response-only loss',
    kind: 'bool',
    hint: 'On: loss on the response only (prompt masked). Off: loss on the whole sequence, as the authors’ SFTTrainer.',
  },
  {
    key: 'group_by_length',
    group: 'data',
    label: 'Group by length',
    kind: 'bool',
    hint: 'Batch examples of similar length (transformers’ LengthGroupedSampler), seeded: less padding.',
  },
  {
    key: 'save_steps',
    group: 'checkpoints',
    label: 'Checkpoint every',
    kind: 'int',
    hint: 'Steps between checkpoint + eval.',
  },
  {
    key: 'early_stopping_patience',
    group: 'checkpoints',
    label: 'Early-stopping patience',
    kind: 'int',
    hint: 'Evals without a better eval loss; 0 disables.',
  },
  {
    key: 'final_checkpoint',
    group: 'checkpoints',
    label: 'Adapter from',
    kind: 'enum',
    hint: 'last: the last step’s weights; best: the checkpoint with the lowest eval loss. The merge and GGUF hold the same.',
  },
];

/**
 * Every field with its limits and choices as the contract's schema states them (the same schema
 * the worker validates against), so the form never keeps a copy that could drift.
 */
export const TRAIN_FIELDS: readonly TrainField[] = FIELDS.map((f) => {
  const spec = trainFieldSchema(f.key);
  const low = spec.minimum ?? spec.exclusiveMinimum;
  return {
    ...f,
    ...(low !== undefined ? { min: low } : {}),
    ...(spec.exclusiveMinimum !== undefined ? { exclusiveMin: true } : {}),
    ...(spec.maximum !== undefined ? { max: spec.maximum } : {}),
    ...(spec.enum ? { options: spec.enum } : {}),
  };
});

/** Fields of one group, in form order. */
export function fieldsOf(group: TrainGroupId): TrainField[] {
  return TRAIN_FIELDS.filter((f) => f.group === group);
}

/** Keys of the contract the form does not show (none today; a test guards it). */
export function missingFields(): TrainKey[] {
  const shown = new Set(TRAIN_FIELDS.map((f) => f.key));
  return TRAIN_CONFIG_KEYS.filter((k) => !shown.has(k));
}

/** What the user typed, per key: text for inputs, booleans for checkboxes. */
export type FormValues = Partial<Record<TrainKey, string | boolean>>;

/** A preset's config as form values. */
export function toFormValues(config: TrainConfig): FormValues {
  const out: FormValues = {};
  for (const f of TRAIN_FIELDS) {
    const v = config[f.key];
    out[f.key] = f.kind === 'bool' ? Boolean(v) : Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** One form value as the contract's type; text that is not a number stays text (and fails validation). */
export function parseValue(field: TrainField, raw: string | boolean | undefined): unknown {
  if (field.kind === 'bool') return raw === true || raw === 'true';
  const text = typeof raw === 'string' ? raw.trim() : String(raw ?? '');
  if (field.kind === 'list')
    return text === ''
      ? []
      : text
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
  if (field.kind === 'enum') return text;
  if (text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

export interface FieldIssue {
  key: string;
  message: string;
}

export interface FormCheck {
  /** The full config when valid. */
  config: TrainConfig | null;
  /** Every problem at once, by key. */
  issues: FieldIssue[];
  /** Advice that does not block (e.g. 4-bit without CUDA). */
  warnings: FieldIssue[];
}

function friendly(field: TrainField | undefined, code: string, message: string, value: unknown): string {
  if (code === 'invalid_type' && typeof value === 'number' && field?.kind === 'int') return 'must be a whole number';
  if (code === 'invalid_type' && field && (field.kind === 'int' || field.kind === 'number')) return 'enter a number';
  if (!field) return message;
  if (code === 'too_small' || code === 'too_big') {
    const lo = field.min;
    const hi = field.max;
    const low = lo === undefined ? '' : field.exclusiveMin ? `> ${lo}` : `≥ ${lo}`;
    const high = hi === undefined ? '' : `≤ ${hi}`;
    return `out of range: must be ${[low, high].filter(Boolean).join(' and ')}`;
  }
  return message;
}

/** Validate the form against the contract's TrainConfig; `env` adds non-blocking advice. */
export function checkForm(
  values: FormValues,
  env: { cuda?: boolean; bitsandbytes?: boolean; evalSplit?: boolean } = {},
): FormCheck {
  const candidate: Record<string, unknown> = {};
  for (const f of TRAIN_FIELDS) candidate[f.key] = parseValue(f, values[f.key]);
  const parsed = TrainConfig.safeParse(candidate);
  // Every key has a default in the contract; an emptied input is still a problem, never a silent default.
  const issues: FieldIssue[] = TRAIN_FIELDS.filter((f) => candidate[f.key] === undefined).map((f) => ({
    key: f.key,
    message: 'required',
  }));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '(form)');
      const field = TRAIN_FIELDS.find((f) => f.key === key);
      const code = String(issue.code);
      const msg = candidate[key] === undefined ? 'required' : friendly(field, code, issue.message, candidate[key]);
      if (!issues.some((i) => i.key === key)) issues.push({ key, message: msg });
    }
  }
  const v = candidate as Partial<TrainConfig>;
  if (v.fp16 === true && v.bf16 === true)
    issues.push({ key: 'bf16', message: 'choose fp16 or bf16 compute, not both' });
  const warnings: FieldIssue[] = [];
  const cfg = parsed.success && issues.length === 0 ? parsed.data : null;
  // Advice reads the typed values even while other fields are invalid.
  if (v.use_4bit && env.cuda === false)
    warnings.push({ key: 'use_4bit', message: 'no CUDA GPU here: 4-bit fails; untick it for 16/32-bit LoRA' });
  else if (v.use_4bit && env.bitsandbytes === false)
    warnings.push({
      key: 'use_4bit',
      message: 'bitsandbytes is not installed: 4-bit fails; untick it for 16/32-bit LoRA',
    });
  if (env.cuda === false && (v.fp16 === true || v.bf16 === true))
    warnings.push({
      key: v.fp16 ? 'fp16' : 'bf16',
      message: 'no CUDA GPU here: the run computes in fp32 (its log says so)',
    });
  if (v.max_steps === 0) warnings.push({ key: 'max_steps', message: '0 steps: nothing trains' });
  if (v.lr_scheduler_type === 'constant' && typeof v.warmup_ratio === 'number' && v.warmup_ratio > 0)
    warnings.push({
      key: 'warmup_ratio',
      message:
        'does nothing with the constant schedule (transformers’ constant has no warmup), as in the authors’ setup',
    });
  if (v.final_checkpoint === 'best' && env.evalSplit === false)
    warnings.push({
      key: 'final_checkpoint',
      message: 'no eval split: “best” has nothing to compare, so the adapter is the last step’s',
    });
  return { config: cfg, issues, warnings };
}

/** Keys whose value differs from the preset: sent as overrides (the preset stays the record). */
export function overridesOf(config: TrainConfig, preset: TrainConfig): Partial<TrainConfig> {
  const out: Record<string, unknown> = {};
  for (const k of TRAIN_CONFIG_KEYS) {
    if (JSON.stringify(config[k]) !== JSON.stringify(preset[k])) out[k] = config[k];
  }
  return out as Partial<TrainConfig>;
}

/** Whether a field's current text equals the preset's value (the default mark). */
export function isDefault(field: TrainField, value: string | boolean | undefined, preset: TrainConfig): boolean {
  return JSON.stringify(parseValue(field, value)) === JSON.stringify(preset[field.key]);
}

/** The preset's value as shown beside a field ("srllm-paper: 64"). */
export function defaultText(field: TrainField, preset: TrainConfig): string {
  const v = preset[field.key];
  if (Array.isArray(v)) return v.length ? v.join(', ') : 'all linear';
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  return String(v);
}

/** Where the preset's value of a field comes from ("paper, Tables 3–4", "authors' code (…)", "srlab"). */
export function sourceOf(field: TrainField, sources: Record<string, string>): string | null {
  return sources[field.key] ?? null;
}
