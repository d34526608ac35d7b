"""Training configuration: one dataclass, a docstring per field, mirrored by the zod schema
TrainConfig in src/shared/contracts/training.ts. Keys are the SR_LLM authors' parameter names
(their released code's TRAIN_PARAM_DICT and TrainingArguments) where they had one."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import WorkerError

PRESETS_DIR = Path(__file__).parent / "presets"


@dataclass
class TrainConfig:
    use_4bit: bool = False
    """Load the base in 4-bit (QLoRA). Needs bitsandbytes and a CUDA GPU."""
    bnb_4bit_quant_type: str = "nf4"
    """4-bit quantisation type: nf4 or fp4."""
    bnb_4bit_compute_dtype: str = "float16"
    """Compute dtype of the 4-bit layers: float16, bfloat16 or float32."""
    use_nested_quant: bool = False
    """Double (nested) quantisation of the 4-bit constants."""
    lora_r: int = 64
    """LoRA rank."""
    lora_alpha: float = 16
    """LoRA scaling numerator (scale = alpha / r)."""
    lora_dropout: float = 0.2
    """Dropout on the LoRA branch."""
    lora_bias: str = "none"
    """LoRA bias handling: none, all or lora_only."""
    lora_target_modules: list = field(default_factory=list)
    """Module names LoRA adapts; empty: every linear projection except lm_head (srlab's "all linear").
    PEFT's own default for Llama, which the authors' LoraConfig used by naming none, is q_proj, v_proj."""
    num_train_epochs: float = 1
    """Epochs over the training split (ignored when max_steps > 0)."""
    max_steps: int = -1
    """Optimizer steps to run; -1: from num_train_epochs."""
    per_device_train_batch_size: int = 16
    """Examples per optimizer step (per device)."""
    per_device_eval_batch_size: int = 8
    """Examples per eval batch (per device)."""
    gradient_accumulation_steps: int = 1
    """Micro-batches accumulated into one optimizer step."""
    learning_rate: float = 2e-4
    """Peak learning rate."""
    lr_scheduler_type: str = "constant"
    """Learning-rate schedule: constant, constant_with_warmup, linear or cosine (transformers' names)."""
    warmup_ratio: float = 0.03
    """Fraction of steps spent warming up. transformers' "constant" schedule has no warmup, so
    with it this value does nothing (so in the authors' setup: constant with 0.03)."""
    weight_decay: float = 0.001
    """AdamW weight decay."""
    max_grad_norm: float = 0.3
    """Gradient clipping norm; 0 disables clipping."""
    optimizer: str = "paged_adamw_32bit"
    """paged_adamw_32bit, paged_adamw_8bit (bitsandbytes) or adamw_torch."""
    max_seq_length: int = 1024
    """Tokens per example; longer examples are truncated and counted."""
    save_steps: int = 25
    """Checkpoint (and evaluate) every this many optimizer steps."""
    early_stopping_patience: int = 3
    """Stop after this many evaluations without a better eval loss; 0 disables."""
    logging_steps: int = 1
    """Log train loss every this many steps."""
    precision: str = "auto"
    """Weights dtype when not 4-bit: auto (fp32 on CPU; on CUDA the fp16/bf16 compute dtype when
    one is on, else bf16 where supported, else fp16), float32, float16, bfloat16."""
    fp16: bool = False
    """Mixed-precision compute in float16 with loss scaling (a GradScaler) on CUDA, as transformers'
    fp16=True; on CPU training runs in float32 and the log says so."""
    bf16: bool = False
    """Mixed-precision compute in bfloat16 on CUDA where the GPU supports it (else float16 with loss
    scaling, said in the log); on CPU training runs in float32 and the log says so."""
    response_only_loss: bool = True
    """Train on response tokens only (prompt tokens masked); false: loss on the whole sequence."""
    group_by_length: bool = False
    """Batch examples of similar length together (transformers' LengthGroupedSampler), seeded."""
    final_checkpoint: str = "last"
    """Which weights become the adapter (and the merge and GGUF): "last" step, or "best" eval
    checkpoint (lowest eval loss; the last step when there is no eval split)."""
    seed: int = 42
    """Shuffle, dropout and LoRA init seed."""
    num_processes: int = 0
    """Training processes (DDP, one per GPU): 0 = one per CUDA GPU (1 without CUDA); N > 1 runs N processes through accelerate launch (on CPU, gloo: for testing)"""


CHOICES = {
    "bnb_4bit_quant_type": {"nf4", "fp4"},
    "bnb_4bit_compute_dtype": {"float16", "bfloat16", "float32"},
    "lora_bias": {"none", "all", "lora_only"},
    "lr_scheduler_type": {"constant", "constant_with_warmup", "linear", "cosine"},
    "optimizer": {"paged_adamw_32bit", "paged_adamw_8bit", "adamw_torch"},
    "precision": {"auto", "float32", "float16", "bfloat16"},
    "final_checkpoint": {"last", "best"},
}
RANGES = {
    "lora_r": (1, 1024),
    "lora_alpha": (1e-9, 4096),
    "lora_dropout": (0, 0.99),
    "num_train_epochs": (1e-9, 1000),
    "max_steps": (-1, 10**9),
    "per_device_train_batch_size": (1, 4096),
    "per_device_eval_batch_size": (1, 4096),
    "gradient_accumulation_steps": (1, 1024),
    "learning_rate": (1e-12, 1),
    "warmup_ratio": (0, 1),
    "weight_decay": (0, 1),
    "max_grad_norm": (0, 1e9),
    "max_seq_length": (16, 131072),
    "save_steps": (1, 10**9),
    "early_stopping_patience": (0, 10**6),
    "logging_steps": (1, 10**9),
    "seed": (0, 2**32 - 1),
    "num_processes": (0, 1024),
}


def validate_args(raw: dict) -> TrainConfig:
    """Build a TrainConfig, reporting every problem at once (never the first only)."""
    problems: list[str] = []
    fields = {f.name: f for f in dataclasses.fields(TrainConfig)}
    values: dict = {}
    for key, value in raw.items():
        if key not in fields:
            problems.append(f"{key}: unknown key")
            continue
        default = getattr(TrainConfig(), key)
        if isinstance(default, bool):
            if not isinstance(value, bool):
                problems.append(f"{key}: expected true or false, got {value!r}")
                continue
        elif isinstance(default, int) and not isinstance(default, bool) and key not in ("lora_alpha", "num_train_epochs"):
            if isinstance(value, bool) or not isinstance(value, int):
                problems.append(f"{key}: expected an integer, got {value!r}")
                continue
        elif isinstance(default, (int, float)):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                problems.append(f"{key}: expected a number, got {value!r}")
                continue
        elif isinstance(default, list):
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                problems.append(f"{key}: expected a list of names, got {value!r}")
                continue
        if key in CHOICES and value not in CHOICES[key]:
            problems.append(f"{key}: {value!r} is not one of {', '.join(sorted(CHOICES[key]))}")
            continue
        if key in RANGES:
            lo, hi = RANGES[key]
            if not lo <= value <= hi:
                problems.append(f"{key}: {value!r} is out of range [{lo}, {hi}]")
                continue
        values[key] = value
    if values.get("fp16") and values.get("bf16"):
        problems.append("fp16, bf16: choose one mixed-precision dtype, not both")
    if problems:
        raise WorkerError("invalid-config", "invalid training config: " + "; ".join(problems), "fix these values (srlab train --set KEY=VALUE)")
    return TrainConfig(**values)


def load_preset(name: str) -> dict:
    path = PRESETS_DIR / f"{name}.json"
    if not path.is_file():
        known = ", ".join(p.stem for p in PRESETS_DIR.glob("*.json"))
        raise WorkerError("not-found", f'no preset "{name}"', f"known presets: {known}")
    return json.loads(path.read_text())
