"""LoRA / QLoRA fine-tuning on Llama-2-chat formatted JSON lines (loss on the response only,
or on the whole sequence as the SR_LLM authors' SFTTrainer had it: response_only_loss).

setup → main → fit (validate at each checkpoint) → save_checkpoint; a run resumes from any
self-describing checkpoint folder (step-000025/: adapter + config + optimizer state + step).
Our own loop rather than Trainer: cancel between micro-batches, live events, exact resume.

Distributed (DDP, one process per GPU, started by `accelerate launch` through train_entry):
the same loop, with `Dist` carrying rank/world and the few collectives it needs; in one process
(the stdio worker's `train` job) every Dist method is a no-op. As in HF Trainer,
per_device_train_batch_size is per process, so one optimizer step consumes
per_device_train_batch_size × gradient_accumulation_steps × world_size examples.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import random
import shutil
import time
from contextlib import nullcontext
from pathlib import Path

from ..config import TrainConfig, validate_args
from ..errors import Cancelled, WorkerError
from .doctor import versions

INST_END = " [/INST]"


def _torch():
    import torch

    # Processes sharing this machine (DDP on CPU) share its cores; one process takes them all.
    local_world = int(os.environ.get("LOCAL_WORLD_SIZE", "1"))
    threads = int(os.environ.get("SRLAB_TORCH_THREADS", "0")) or max(1, (os.cpu_count() or 1) // max(local_world, 1))
    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # already set in this process
        pass
    return torch


class Dist:
    """Rank, world size and the collectives training needs. Dist() is one process: every
    method is then the identity or a no-op, so the loop reads the same either way."""

    def __init__(self, rank: int = 0, world: int = 1, local_rank: int = 0, backend: str | None = None):
        self.rank, self.world, self.local_rank, self.backend = rank, world, local_rank, backend
        self._control = None  # a gloo group for CPU-side flags and the exit barrier

    @classmethod
    def from_env(cls) -> "Dist":
        """Join the process group torchrun / accelerate launch describe in the environment
        (WORLD_SIZE, RANK, LOCAL_RANK, MASTER_ADDR/PORT); nccl with CUDA, gloo otherwise."""
        world = int(os.environ.get("WORLD_SIZE", "1"))
        if world <= 1:
            return cls()
        torch = _torch()
        import torch.distributed as td

        local_rank = int(os.environ.get("LOCAL_RANK", "0"))
        backend = "nccl" if torch.cuda.is_available() else "gloo"
        if backend == "nccl":
            torch.cuda.set_device(local_rank)
        td.init_process_group(backend)
        d = cls(td.get_rank(), td.get_world_size(), local_rank, backend)
        d._control = td.new_group(backend="gloo") if backend == "nccl" else td.group.WORLD
        return d

    @property
    def active(self) -> bool:
        return self.world > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    def device(self, torch) -> str:
        if not torch.cuda.is_available():
            return "cpu"
        return f"cuda:{self.local_rank}" if self.active else "cuda"

    def describe(self, device_type: str) -> str:
        """'cpu' / 'cuda' in one process; 'cuda x4', 'cpu x2 (gloo)' under DDP."""
        if not self.active:
            return device_type
        return f"{device_type} x{self.world}" + (" (gloo)" if self.backend == "gloo" and device_type == "cpu" else "")

    def sums(self, *values: float) -> list[float]:
        """Each value summed over all ranks (one all_reduce)."""
        if not self.active:
            return list(values)
        import torch
        import torch.distributed as td

        t = torch.tensor(values, dtype=torch.float64, device="cuda" if self.backend == "nccl" else "cpu")
        td.all_reduce(t)
        return t.tolist()

    def mean(self, value: float) -> float:
        return self.sums(value)[0] / self.world

    def any(self, flag: bool) -> bool:
        """True on every rank when it is true on any (rank 0's cancel reaches all ranks together)."""
        if not self.active:
            return bool(flag)
        import torch
        import torch.distributed as td

        t = torch.tensor([1 if flag else 0], dtype=torch.int32)
        td.all_reduce(t, op=td.ReduceOp.MAX, group=self._control)
        return bool(t.item())

    def barrier(self) -> None:
        if self.active:
            import torch.distributed as td

            td.barrier(group=self._control)

    def close(self, wait_s: float = 30.0) -> None:
        """Wait (bounded) for the other ranks, so rank 0 has written its last line before any
        rank exits and the launcher tears the rest down; then leave the process group."""
        if not self.active:
            return
        import datetime

        import torch.distributed as td

        try:
            td.monitored_barrier(group=self._control, timeout=datetime.timedelta(seconds=wait_s), wait_all_ranks=True)
        except RuntimeError:  # another rank died or hangs in a collective: the launcher ends it
            pass
        try:
            td.destroy_process_group()
        except Exception:  # noqa: BLE001 - leaving is best effort
            pass


def encode_example(tok, text: str, max_len: int, response_only: bool):
    """(input_ids, labels, truncated). The prompt and response are tokenized apart, as at
    inference, where the prompt ends at `[/INST]` and the model continues."""
    body = text[3:] if text.startswith("<s>") else text
    body = body[: -len("</s>")].rstrip() if body.endswith("</s>") else body
    at = body.find(INST_END)
    if at >= 0:
        prompt, response = body[: at + len(INST_END)], body[at + len(INST_END):].strip()
    else:
        prompt, response = "", body
    p_ids = [tok.bos_token_id] + (tok(prompt, add_special_tokens=False).input_ids if prompt else [])
    r_ids = tok(response, add_special_tokens=False).input_ids + [tok.eos_token_id]
    ids = p_ids + r_ids
    labels = ([-100] * len(p_ids) if response_only else list(p_ids)) + r_ids
    truncated = len(ids) > max_len
    return ids[:max_len], labels[:max_len], truncated


def read_examples(path: str, tok, cfg: TrainConfig):
    examples, truncated, no_response = [], 0, 0
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                text = json.loads(line)["text"]
            except (json.JSONDecodeError, KeyError, TypeError) as err:
                raise WorkerError("bad-data", f"{Path(path).name} line {n}: not a {{\"text\": ...}} record ({err})", "export the split as llama2-chat") from err
            ids, labels, cut = encode_example(tok, text, cfg.max_seq_length, cfg.response_only_loss)
            truncated += cut
            if any(l != -100 for l in labels):
                examples.append((ids, labels))
            else:
                no_response += 1
    if not examples and no_response:
        raise WorkerError("bad-data", f"all {no_response} examples reach max_seq_length={cfg.max_seq_length} before their response starts", "raise max_seq_length (--set max_seq_length=2048)")
    return examples, truncated


def collate(torch, batch, pad_id: int):
    width = max(len(ids) for ids, _ in batch)
    input_ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for i, (ids, lab) in enumerate(batch):
        input_ids[i, : len(ids)] = torch.tensor(ids)
        labels[i, : len(lab)] = torch.tensor(lab)
        mask[i, : len(ids)] = 1
    return input_ids, labels, mask


# Causal LMs whose logits are exactly lm_head(last hidden state) (transformers' generated
# `logits = self.lm_head(hidden_states[:, slice_indices, :])`, no softcapping or logit scaling):
# for these the head runs on the labelled positions only. Others take the model's own loss.
SELECTIVE_HEAD_TYPES = frozenset({"llama", "mistral", "qwen2", "qwen3", "phi3", "gemma"})


def token_loss_module(torch, peft_model):
    """A module whose forward gives (summed cross-entropy, labelled-token count) for a batch.

    For the types in SELECTIVE_HEAD_TYPES it runs the decoder, then the LM head (LoRA-wrapped or
    not) on the positions whose next token is labelled only, as TRL's SFTTrainer does by
    default (loss_type="chunked_nll"): pad positions and, with response_only_loss, the prompt
    never reach the vocabulary projection, and the batch × length × vocab logits tensor (2 GB
    at batch 16 × 1024 × 32000 in float32) is never built. Same sum as transformers'
    ForCausalLMLoss (float32 logits, labels shifted, -100 ignored); tested against it.
    Right-padded batches (collate's) run without a padding mask (see forward).
    Always use_cache=False: a training forward has no use for a KV cache (transformers would
    otherwise build and fill one per layer, and with one it stops isolating sequences packed by
    position_ids). DDP wraps this module, so every parameter it touches goes through DDP's
    forward and gradients sync as before."""
    F = torch.nn.functional
    lm = peft_model.get_base_model()
    selective = getattr(lm.config, "model_type", None) in SELECTIVE_HEAD_TYPES and lm.get_output_embeddings() is not None

    class TokenLoss(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.peft_model = peft_model
            self.selective = selective
            self.causal_only = True  # False: always pass the padding mask (tests compare the two)

        def forward(self, input_ids, attention_mask, labels):
            target = labels[:, 1:]
            keep = target != -100
            count = keep.sum()
            # Right padding needs no padding mask in a causal LM: a real token attends only to
            # earlier positions, all real; pad positions compute garbage no label reads. Without
            # a mask SDPA takes its is_causal path (on CUDA in fp16/bf16 the FlashAttention
            # kernel, which takes no arbitrary mask; on the CPU the causal flash kernel, 25%
            # faster a step on the tiny Llama) and transformers builds no batch × 1 × L × L mask.
            # Any other padding keeps the mask.
            right_padded = self.causal_only and bool((attention_mask[:, 1:] <= attention_mask[:, :-1]).all())
            mask = None if right_padded else attention_mask
            if not self.selective:
                out = self.peft_model(input_ids=input_ids, attention_mask=mask, labels=labels, use_cache=False)
                return out.loss * count, count
            hidden = lm.get_decoder()(input_ids=input_ids, attention_mask=mask, use_cache=False).last_hidden_state
            logits = lm.get_output_embeddings()(hidden[:, :-1][keep])
            return F.cross_entropy(logits.float(), target[keep], reduction="sum"), count

    return TokenLoss()


# A micro-batch runs as sub-batches of similar length: one padded to its longest example wastes
# compute on pads (17.7% of the tokens of the demo data's length-grouped micro-batches of 16 with
# the tiny Llama's tokenizer, and attention grows with the square of the width). Sorted longest
# first, a new sub-batch starts once an example is this much shorter than the sub-batch's
# longest; padding then stays under this share of each sub-batch. Not varlen packing: on the
# CPU, SDPA attends packed sequences through a dense block mask, quadratic in the packed length
# (2.6x slower than padding for 16 demo examples); it pays only with FlashAttention varlen.
SUB_BATCH_PAD_SHARE = 0.1


def length_sub_batches(idx: list[int], lengths: list[int], pad_share: float = SUB_BATCH_PAD_SHARE) -> list[list[int]]:
    """The micro-batch idx cut into sub-batches of similar length (longest first). Padding-free
    training without varlen attention kernels: the loss and gradients are those of the whole
    micro-batch (train_step divides every sub-batch's loss sum by the micro-batch's token count);
    only the pad positions are gone. pad_share=1 keeps the micro-batch whole."""
    order = sorted(idx, key=lambda i: lengths[i], reverse=True)
    subs: list[list[int]] = []
    for i in order:
        if subs and lengths[i] >= (1 - pad_share) * lengths[subs[-1][0]]:
            subs[-1].append(i)
        else:
            subs.append([i])
    return subs


def examples_per_step(cfg: TrainConfig, world: int = 1) -> int:
    """Examples one optimizer step consumes over all processes (per_device is per process)."""
    return cfg.per_device_train_batch_size * cfg.gradient_accumulation_steps * world


def length_grouped_order(lengths: list[int], batch_size: int, rng: random.Random) -> list[int]:
    """transformers' get_length_grouped_indices (behind group_by_length), with a seeded Random: a
    random permutation cut into megabatches of min(n // (4 × batch), 50) batches, each sorted
    longest first, and the megabatch holding the longest example put first (an out-of-memory
    shows at once). Consecutive batches are then of similar length: less padding."""
    n = len(lengths)
    mega = (min(n // (batch_size * 4), 50) or 1) * batch_size
    idx = list(range(n))
    rng.shuffle(idx)
    megabatches = [sorted(idx[i : i + mega], key=lambda j: lengths[j], reverse=True) for i in range(0, n, mega)]
    longest = max(range(len(megabatches)), key=lambda k: lengths[megabatches[k][0]])
    megabatches[0][0], megabatches[longest][0] = megabatches[longest][0], megabatches[0][0]
    return [j for m in megabatches for j in m]


def step_plan(n_examples: int, cfg: TrainConfig, total_steps: int, world: int = 1, lengths: list[int] | None = None) -> list[list[int]]:
    """For each optimizer step, the example indices the whole step consumes (all ranks);
    deterministic in the seed and the same on every rank, so a resumed run sees exactly the
    batches the original would have. With group_by_length (and the examples' token lengths),
    each epoch's order is length-grouped as transformers' LengthGroupedSampler does."""
    per_step = examples_per_step(cfg, world)
    grouped = cfg.group_by_length and lengths is not None
    order: list[int] = []
    epoch = 0
    while len(order) < total_steps * per_step:
        rng = random.Random(cfg.seed + epoch)
        if grouped:
            idx = length_grouped_order(lengths, per_step, rng)
        else:
            idx = list(range(n_examples))
            rng.shuffle(idx)
        order += idx
        epoch += 1
    return [order[s * per_step : (s + 1) * per_step] for s in range(total_steps)]


def rank_micro_batches(step: list[int], rank: int, world: int, bs: int) -> list[list[int]]:
    """This rank's share of one step: the rank-th contiguous slice, cut into micro-batches of bs.
    The shares of all ranks cover the step exactly once; with one process, the whole step."""
    share = len(step) // world
    mine = step[rank * share : (rank + 1) * share]
    return [mine[i : i + bs] for i in range(0, len(mine), bs)]


def micro_batches(n_examples: int, cfg: TrainConfig, total_steps: int, rank: int = 0, world: int = 1, lengths: list[int] | None = None) -> list[list[list[int]]]:
    """For each optimizer step, this rank's micro-batches of example indices."""
    bs = cfg.per_device_train_batch_size
    return [rank_micro_batches(step, rank, world, bs) for step in step_plan(n_examples, cfg, total_steps, world, lengths)]


def check_4bit(torch, cfg: TrainConfig) -> None:
    v = versions()
    missing = [what for what, ok in (("bitsandbytes", v["bitsandbytes"]), ("a CUDA GPU", torch.cuda.is_available())) if not ok]
    if cfg.use_4bit and missing:
        raise WorkerError(
            "4bit-unavailable",
            f"use_4bit=true needs bitsandbytes and a CUDA GPU; this machine lacks {' and '.join(missing)}",
            "train LoRA in 16/32-bit instead: --set use_4bit=false (paged optimizers fall back to torch AdamW)",
        )


@dataclasses.dataclass(frozen=True)
class PrecisionPlan:
    """How one run computes, decided from the config and the device alone (precision_plan)."""

    weights: str
    """from_pretrained dtype (of the non-quantised modules under 4-bit)."""
    autocast: str | None
    """CUDA autocast dtype for forward passes; None: no autocast."""
    loss_scaling: bool
    """A GradScaler scales the loss (float16 autocast: fp16 gradients underflow without it)."""
    bnb_compute: str
    """Compute dtype of the 4-bit layers."""
    notes: tuple[tuple[str, str], ...]
    """(level, text) lines for the job log: what was chosen, and every fallback."""


def precision_plan(cfg: TrainConfig, device_type: str, bf16_supported: bool) -> PrecisionPlan:
    """fp16=True (the paper's "fp16 compute", the authors' fp16=True): float16 autocast with loss
    scaling, as transformers' fp16 path (a GradScaler). bf16=True: bfloat16 autocast, no scaling
    (float16 with scaling where the GPU lacks bf16). Both are CUDA-only: on the CPU the run is
    float32 and the log says so. Without either flag the weights dtype decides, as before."""
    notes: list[tuple[str, str]] = []
    asked = "float16" if cfg.fp16 else "bfloat16" if cfg.bf16 else None
    compute = asked
    if asked and device_type != "cuda":
        flag = "fp16" if cfg.fp16 else "bf16"
        notes.append(("warn", f"{flag}=true needs a CUDA GPU: training in float32 on {device_type} instead (no mixed precision, no loss scaling)"))
        compute = None
    elif asked == "bfloat16" and not bf16_supported:
        notes.append(("warn", "bf16=true but this GPU has no bfloat16: float16 compute with loss scaling instead"))
        compute = "float16"
    bnb_compute = cfg.bnb_4bit_compute_dtype
    if cfg.use_4bit and bnb_compute == "bfloat16" and device_type == "cuda" and not bf16_supported:
        notes.append(("warn", "bnb_4bit_compute_dtype=bfloat16 but this GPU has no bfloat16: float16 instead"))
        bnb_compute = "float16"
    if cfg.precision != "auto":
        weights = cfg.precision
    elif device_type != "cuda":
        weights = "float32"
    else:
        weights = compute or ("bfloat16" if bf16_supported else "float16")
    autocast = compute or (weights if device_type == "cuda" and weights != "float32" else None)
    scaling = autocast == "float16"
    if autocast:
        notes.append(("info", f"mixed precision on CUDA: {autocast} autocast" + (" with loss scaling (torch.amp.GradScaler)" if scaling else "")))
    return PrecisionPlan(weights, autocast, scaling, bnb_compute, tuple(notes))


def model_load_kwargs(torch, cfg: TrainConfig, device_type: str, local_rank: int = 0, plan: PrecisionPlan | None = None) -> dict:
    """from_pretrained arguments: the weights dtype, and for QLoRA the 4-bit quantisation
    (NF4/FP4, compute dtype, nested quantisation) placed whole on this rank's GPU."""
    plan = plan or precision_plan(cfg, device_type, device_type == "cuda" and torch.cuda.is_bf16_supported())
    load = {"dtype": getattr(torch, plan.weights)}
    if cfg.use_4bit:
        from transformers import BitsAndBytesConfig

        load["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type=cfg.bnb_4bit_quant_type,
            bnb_4bit_compute_dtype=getattr(torch, plan.bnb_compute),
            bnb_4bit_use_double_quant=cfg.use_nested_quant,
        )
        load["device_map"] = {"": local_rank}
    return load


def make_optimizer(torch, cfg: TrainConfig, trainable: list, device_type: str, log):
    """The paper's paged AdamW (bitsandbytes, CUDA only), else torch AdamW with the same update,
    saying so."""
    if cfg.optimizer.startswith("paged_") and versions()["bitsandbytes"] and device_type == "cuda":
        import bitsandbytes as bnb

        cls = bnb.optim.PagedAdamW32bit if cfg.optimizer == "paged_adamw_32bit" else bnb.optim.PagedAdamW8bit
        return cls(trainable, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
    if cfg.optimizer != "adamw_torch":
        log(f"{cfg.optimizer} needs bitsandbytes on CUDA; using torch AdamW (same update, not paged)", "warn")
    return torch.optim.AdamW(trainable, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)


def setup(params: dict, ctx, dist: Dist | None = None):
    """Model with LoRA (wrapped in DDP when distributed), tokenizer, data, optimizer and schedule."""
    dist = dist or Dist()
    torch = _torch()
    cfg = validate_args(params.get("config") or {})
    check_4bit(torch, cfg)
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer, get_scheduler

    torch.manual_seed(cfg.seed)  # the same seed on every rank: identical LoRA init
    device = dist.device(torch)
    device_type = device.split(":")[0]
    base = params["base"]
    try:
        tok = AutoTokenizer.from_pretrained(base)
    except Exception as err:  # noqa: BLE001
        raise WorkerError("bad-base", f"{base} is not a usable model: {err}", "give a Hugging Face model id or a folder with config.json, weights and a tokenizer") from err
    plan = precision_plan(cfg, device_type, device_type == "cuda" and torch.cuda.is_bf16_supported())
    load = model_load_kwargs(torch, cfg, device_type, dist.local_rank, plan)
    dtype = load["dtype"]
    try:
        model = AutoModelForCausalLM.from_pretrained(base, **load)
    except Exception as err:  # noqa: BLE001
        raise WorkerError("bad-base", f"{base} is not a usable causal LM: {err}", "give a Hugging Face model id or a folder with config.json and weights") from err
    if cfg.use_4bit:
        from peft import prepare_model_for_kbit_training

        # Under DDP, reentrant gradient checkpointing marks LoRA weights ready twice.
        model = prepare_model_for_kbit_training(model, gradient_checkpointing_kwargs={"use_reentrant": False}) if dist.active else prepare_model_for_kbit_training(model)
    else:
        model.to(device)
    targets = cfg.lora_target_modules or sorted(
        {name.rsplit(".", 1)[-1] for name, m in model.named_modules() if isinstance(m, torch.nn.Linear) and not name.endswith("lm_head")}
    )
    lora = LoraConfig(r=cfg.lora_r, lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout, bias=cfg.lora_bias, task_type="CAUSAL_LM", target_modules=targets)
    model = get_peft_model(model, lora)

    train, truncated = read_examples(params["train_file"], tok, cfg)
    if not train:
        raise WorkerError("empty-split", "the training split has zero usable records", "pick a split with benign variations (srlab stats)")
    evals, eval_truncated = read_examples(params["eval_file"], tok, cfg) if params.get("eval_file") else ([], 0)
    if truncated:
        ctx.log(f"{truncated} of {len(train)} training examples were longer than max_seq_length={cfg.max_seq_length} and were truncated", "warn")

    per_step = examples_per_step(cfg, dist.world)
    total_steps = cfg.max_steps if cfg.max_steps > 0 else max(1, math.ceil(cfg.num_train_epochs * math.ceil(len(train) / per_step)))
    optim = make_optimizer(torch, cfg, [p for p in model.parameters() if p.requires_grad], device_type, ctx.log)
    sched = get_scheduler(cfg.lr_scheduler_type, optim, num_warmup_steps=math.ceil(cfg.warmup_ratio * total_steps), num_training_steps=total_steps)
    pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    module = model  # the peft model: saved and loaded; `model` (its token loss) is what trains
    loss = token_loss_module(torch, module)  # evaluates; unwrapped, so each rank evaluates its own share
    model = loss
    if dist.active:
        model = torch.nn.parallel.DistributedDataParallel(loss, device_ids=[dist.local_rank] if device_type == "cuda" else None)
    # Loss scaling as transformers' fp16 path does it (only ever with float16 autocast on CUDA).
    scaler = torch.amp.GradScaler(device_type) if plan.loss_scaling else None
    return dict(torch=torch, cfg=cfg, tok=tok, model=model, module=module, loss=loss, dist=dist, train=train, evals=evals,
                lengths=[len(ids) for ids, _ in train], label_counts=[sum(1 for l in labels[1:] if l != -100) for _, labels in train],
                truncated=truncated + eval_truncated, total_steps=total_steps, optim=optim, sched=sched, pad=pad,
                device=device, device_type=device_type, dtype=dtype, targets=targets, plan=plan, scaler=scaler)


def validate(s) -> float | None:
    """Token-weighted mean loss over the eval split (None without one). Under DDP each rank takes
    every world-th batch and the sums are all-reduced: the same number on every rank, so early
    stopping decides the same everywhere."""
    torch, model, evals, dist = s["torch"], s["loss"], s["evals"], s["dist"]
    if not evals:
        return None
    model.eval()
    total, count = 0.0, 0
    bs = s["cfg"].per_device_eval_batch_size
    with torch.no_grad():
        for i in range(dist.rank * bs, len(evals), bs * dist.world):
            ids, labels, mask = (t.to(s["device"]) for t in collate(torch, evals[i : i + bs], s["pad"]))
            loss_sum, n = model(ids, mask, labels)  # n: labelled tokens, the weight of this batch's mean
            total += float(loss_sum)
            count += int(n)
    model.train()
    total, count = dist.sums(total, count)
    return total / max(count, 1)


def scrub_adapter_dir(path: Path, base: str) -> None:
    """peft writes a README and adapter_config with the base's local path; exported artefacts
    (the LoRA GGUF's metadata among them) must not carry local paths."""
    (path / "README.md").unlink(missing_ok=True)
    cfg_file = path / "adapter_config.json"
    if cfg_file.is_file():
        cfg = json.loads(cfg_file.read_text())
        if cfg.get("base_model_name_or_path") and os.path.isabs(str(cfg["base_model_name_or_path"])):
            cfg["base_model_name_or_path"] = Path(cfg["base_model_name_or_path"]).name
        cfg_file.write_text(json.dumps(cfg, indent=2))


def save_adapter(s, out: Path, base: str) -> None:
    s["module"].save_pretrained(out, save_embedding_layers=False)
    scrub_adapter_dir(out, base)


def save_checkpoint(s, params: dict, state: dict) -> Path:
    """step-000025/: adapter + train config + hyperparameters + optimizer/scheduler state + step.
    Written beside and renamed into place, so a full disk never damages earlier checkpoints."""
    torch = s["torch"]
    root = Path(params["run_dir"]) / "checkpoints"
    final = root / f"step-{state['step']:06d}"
    tmp = root / f".{final.name}.tmp"
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        save_adapter(s, tmp, params["base"])
        (tmp / "train_config.json").write_text(json.dumps({"base": os.path.basename(str(params["base"]).rstrip("/")), "config": dataclasses.asdict(s["cfg"]), "step": state["step"], "total_steps": s["total_steps"]}, indent=2))
        scaler = s.get("scaler")
        torch.save({"optimizer": s["optim"].state_dict(), "scheduler": s["sched"].state_dict(), "state": state, "torch_rng": torch.get_rng_state(),
                    "scaler": scaler.state_dict() if scaler is not None else None}, tmp / "trainer_state.pt")
        shutil.rmtree(final, ignore_errors=True)
        tmp.rename(final)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        code = "disk-full" if getattr(err, "errno", None) == 28 else "io-error"
        raise WorkerError(code, f"could not write checkpoint {final.name}: {err}", "free disk space, then resume: earlier checkpoints are intact") from err
    return final


def load_checkpoint(s, ckpt: Path) -> dict:
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    torch = s["torch"]
    weights = load_file(str(ckpt / "adapter_model.safetensors"), device=s["device"])
    set_peft_model_state_dict(s["module"], weights)
    # On the CPU first (the RNG state must stay there); the optimizer moves its state to its params.
    saved = torch.load(ckpt / "trainer_state.pt", weights_only=False, map_location="cpu")
    s["optim"].load_state_dict(saved["optimizer"])
    s["sched"].load_state_dict(saved["scheduler"])
    if s.get("scaler") is not None and saved.get("scaler"):
        s["scaler"].load_state_dict(saved["scaler"])
    torch.set_rng_state(saved["torch_rng"])
    return saved["state"]


def checkpoint_on_main(s, params: dict, state: dict) -> Path:
    """Rank 0 writes the checkpoint; the others wait for it (so none races ahead)."""
    dist = s["dist"]
    path = save_checkpoint(s, params, state) if dist.is_main else Path(params["run_dir"]) / "checkpoints" / f"step-{state['step']:06d}"
    dist.barrier()
    return path


def train_step(s, micro: list[list[int]], ctx, autocast) -> tuple[float, int]:
    """Forward/backward over this rank's micro-batches of one step; DDP all-reduces gradients on
    the last one only. Returns (this rank's mean loss, its tokens). Cancels, on every rank
    together, before any micro-batch once rank 0's context is cancelled."""
    torch, model, dist, train = s["torch"], s["model"], s["dist"], s["train"]
    step_loss, step_tokens = 0.0, 0
    lengths, label_counts = s["lengths"], s["label_counts"]
    for n, idx in enumerate(micro):
        if dist.any(ctx.cancelled):
            raise Cancelled()
        # The micro-batch's mean token loss, as one padded batch gives it: every sub-batch's loss
        # sum over the micro-batch's labelled tokens (those after the first position).
        count = max(1, sum(label_counts[i] for i in idx))
        subs = length_sub_batches(idx, lengths, s.get("sub_batch_pad_share", SUB_BATCH_PAD_SHARE))
        for k, sub in enumerate(subs):
            ids, labels, mask = (t.to(s["device"]) for t in collate(torch, [train[i] for i in sub], s["pad"]))
            last = n == len(micro) - 1 and k == len(subs) - 1
            sync = nullcontext() if not dist.active or last else model.no_sync()  # DDP syncs once a step
            with sync:
                with autocast or nullcontext():
                    loss_sum, _ = model(ids, mask, labels)
                    loss = loss_sum / count / len(micro)
                (s["scaler"].scale(loss) if s.get("scaler") is not None else loss).backward()
            step_loss += float(loss.detach())
            step_tokens += int(mask.sum())
    return step_loss, step_tokens


def evaluate_and_checkpoint(s, params: dict, ctx, state: dict, step_loss: float) -> None:
    eval_loss = validate(s)
    if eval_loss is not None:
        ctx.metric(step=state["step"], split="eval", loss=eval_loss, lr=None, grad_norm=None, tokens_per_second=None)
        state["last_eval"] = eval_loss
        if state["best_eval"] is None or eval_loss < state["best_eval"]:
            state["best_eval"], state["best_step"], state["bad_evals"] = eval_loss, state["step"], 0
        else:
            state["bad_evals"] += 1
    path = checkpoint_on_main(s, params, state)
    ctx.checkpoint(step=state["step"], dir=str(path), train_loss=step_loss, eval_loss=eval_loss)


def fit(s, params: dict, ctx, state: dict) -> dict:
    torch, model, cfg, dist = s["torch"], s["model"], s["cfg"], s["dist"]
    plan = micro_batches(len(s["train"]), cfg, s["total_steps"], dist.rank, dist.world, lengths=s["lengths"])
    model.train()
    t0, tokens_seen = time.perf_counter(), 0
    autocast = torch.autocast("cuda", dtype=getattr(torch, s["plan"].autocast)) if s["plan"].autocast else None
    scaler = s.get("scaler")
    while state["step"] < s["total_steps"]:
        step_t0 = time.perf_counter()
        step_loss, step_tokens = train_step(s, plan[state["step"]], ctx, autocast)
        # The whole step's numbers: mean loss over ranks, tokens over ranks.
        loss_sum, step_tokens = dist.sums(step_loss, step_tokens)
        step_loss, step_tokens = loss_sum / dist.world, int(step_tokens)
        grad_norm = None
        if scaler is not None:
            scaler.unscale_(s["optim"])  # clip the true gradients, as transformers does
        if cfg.max_grad_norm > 0:
            grad_norm = float(torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], cfg.max_grad_norm))
            grad_norm = grad_norm if math.isfinite(grad_norm) else None  # an fp16 overflow step: skipped by the scaler
        lr = s["sched"].get_last_lr()[0]
        if scaler is not None:
            scaler.step(s["optim"])  # skips the update when the scaled gradients overflowed
            scaler.update()
        else:
            s["optim"].step()
        s["sched"].step()
        s["optim"].zero_grad(set_to_none=True)
        state["step"] += 1
        tokens_seen += step_tokens
        if state["initial_loss"] is None:
            state["initial_loss"] = step_loss
        state["last_loss"] = step_loss
        if state["step"] % cfg.logging_steps == 0 or state["step"] == s["total_steps"]:
            ctx.metric(step=state["step"], split="train", loss=step_loss, lr=lr, grad_norm=grad_norm,
                       tokens_per_second=step_tokens / max(time.perf_counter() - step_t0, 1e-9))
        ctx.progress(state["step"], s["total_steps"])
        last = state["step"] == s["total_steps"]
        if state["step"] % cfg.save_steps == 0 or last:
            evaluate_and_checkpoint(s, params, ctx, state, step_loss)
            if cfg.early_stopping_patience and state["bad_evals"] >= cfg.early_stopping_patience and not last:
                ctx.log(f"early stopping: eval loss did not improve for {state['bad_evals']} evaluations", "info")
                state["stopped_early"] = True
                break
    state["train_seconds"] = state.get("train_seconds", 0.0) + time.perf_counter() - t0
    state["tokens"] = state.get("tokens", 0) + tokens_seen
    return state


ADAPTER_PROVENANCE = "srlab_adapter.json"
ADAPTER_FILES = ("adapter_model.safetensors", "adapter_config.json")


def save_final_adapter(s, params: dict, state: dict, log) -> dict:
    """Write run_dir/adapter from the weights final_checkpoint names, and say which step they
    are from in adapter/srlab_adapter.json (merge copies it beside the merged model, so the GGUF
    keeps it too). "last": the weights the loop ended with (the authors' code saves trainer.model
    after trainer.train()). "best": the checkpoint with the lowest eval loss, copied as written."""
    cfg = s["cfg"]
    adapter = Path(params["run_dir"]) / "adapter"
    shutil.rmtree(adapter, ignore_errors=True)
    chosen = {"step": state["step"], "selected": "last", "eval_loss": state.get("last_eval"), "reason": "final_checkpoint=last: the last step's weights"}
    best = state.get("best_step")
    if cfg.final_checkpoint == "best":
        ckpt = Path(params["run_dir"]) / "checkpoints" / f"step-{best:06d}" if best is not None else None
        if best is None:
            chosen["reason"] = "final_checkpoint=best, but no eval split ran: the last step's weights"
        elif not all((ckpt / f).is_file() for f in ADAPTER_FILES):
            chosen["reason"] = f"final_checkpoint=best, but checkpoint {ckpt.name} is gone: the last step's weights"
        else:
            chosen = {"step": best, "selected": "best", "eval_loss": state["best_eval"], "reason": f"final_checkpoint=best: lowest eval loss at step {best}"}
    if chosen["selected"] == "best":
        adapter.mkdir(parents=True)
        for f in ADAPTER_FILES:
            shutil.copy(ckpt / f, adapter / f)
    else:
        save_adapter(s, adapter, params["base"])
    (adapter / ADAPTER_PROVENANCE).write_text(json.dumps(chosen, indent=2))
    log(f"adapter from step {chosen['step']} ({chosen['reason']})")
    return chosen


def main(params: dict, ctx) -> dict:
    """The stdio worker's `train` job: one process."""
    return run(params, ctx, Dist())


def run(params: dict, ctx, dist: Dist) -> dict:
    """Train on this process's share (all of it with Dist()); every rank runs this, and only
    rank 0's ctx reaches the app. Rank 0 writes checkpoints and the adapter."""
    s = setup(params, ctx, dist)
    state = {"step": 0, "initial_loss": None, "last_loss": None, "best_eval": None, "best_step": None, "last_eval": None, "bad_evals": 0, "stopped_early": False}
    if params.get("resume_from"):
        state = load_checkpoint(s, Path(params["resume_from"]))  # every rank loads it
        ctx.log(f"resumed from {Path(params['resume_from']).name} at step {state['step']}")
    device = dist.describe(s["device_type"])
    per_step = f"; {examples_per_step(s['cfg'], dist.world)} examples per step over {dist.world} processes" if dist.active else ""
    ctx.log(f"{len(s['train'])} training examples, {len(s['evals'])} eval, {s['total_steps']} steps on {device}{per_step}; LoRA on {', '.join(s['targets'])}")
    cfg = s["cfg"]
    for level, text in s["plan"].notes:
        ctx.log(text, level)
    ctx.log(("loss on the whole sequence (prompt and response)" if not cfg.response_only_loss else "loss on the response tokens only (prompt masked)")
            + ("; batches grouped by length (seeded)" if cfg.group_by_length else "")
            + ("; LM head on labelled positions only" if s["loss"].selective else "")
            + f"; micro-batches run as sub-batches of similar length (padding under {SUB_BATCH_PAD_SHARE:.0%}), causal attention without a padding mask")
    if cfg.lr_scheduler_type == "constant" and cfg.warmup_ratio > 0:
        # get_scheduler("constant") takes no warmup: the same in transformers' Trainer.
        ctx.log(f"warmup_ratio={cfg.warmup_ratio} has no effect with lr_scheduler_type=constant (no warmup in transformers' constant schedule; so in the authors' setup)")
    ctx.progress(state["step"], s["total_steps"])
    state = fit(s, params, ctx, state)
    adapter = Path(params["run_dir"]) / "adapter"
    chosen = None
    if dist.is_main:
        chosen = save_final_adapter(s, params, state, ctx.log)
    dist.barrier()
    return {
        "steps": state["step"],
        "total_steps": s["total_steps"],
        "initial_loss": state["initial_loss"],
        "final_loss": state["last_loss"],
        "best_eval_loss": state["best_eval"],
        "stopped_early": state["stopped_early"],
        "adapter_dir": str(adapter),
        "adapter_checkpoint": chosen,
        "examples": len(s["train"]),
        "truncated": s["truncated"],
        "versions": versions(),
        "device": device,
        "world_size": dist.world,
        "tokens": state["tokens"],
        "train_seconds": state["train_seconds"],
    }
