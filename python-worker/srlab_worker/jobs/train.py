"""LoRA / QLoRA fine-tuning on Llama-2-chat formatted JSON lines, response-only loss.

setup → main → fit (validate at each checkpoint) → save_checkpoint; a run resumes from any
self-describing checkpoint folder (step-000025/: adapter + config + optimizer state + step).
Our own loop rather than Trainer: cancel between micro-batches, live events, exact resume.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import random
import shutil
import time
from pathlib import Path

from ..config import TrainConfig, validate_args
from ..errors import Cancelled, WorkerError
from .doctor import versions

INST_END = " [/INST]"


def _torch():
    import torch

    threads = int(os.environ.get("SRLAB_TORCH_THREADS", "0")) or os.cpu_count() or 1
    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:  # already set in this process
        pass
    return torch


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


def micro_batches(n_examples: int, cfg: TrainConfig, total_steps: int) -> list[list[list[int]]]:
    """For each optimizer step, its micro-batches of example indices; deterministic in the seed,
    so a resumed run sees exactly the batches the original would have."""
    per_step = cfg.per_device_train_batch_size * cfg.gradient_accumulation_steps
    order: list[int] = []
    epoch = 0
    while len(order) < total_steps * per_step:
        idx = list(range(n_examples))
        random.Random(cfg.seed + epoch).shuffle(idx)
        order += idx
        epoch += 1
    steps = []
    bs = cfg.per_device_train_batch_size
    for s in range(total_steps):
        chunk = order[s * per_step : (s + 1) * per_step]
        steps.append([chunk[i : i + bs] for i in range(0, len(chunk), bs)])
    return steps


def check_4bit(torch, cfg: TrainConfig) -> None:
    v = versions()
    missing = [what for what, ok in (("bitsandbytes", v["bitsandbytes"]), ("a CUDA GPU", torch.cuda.is_available())) if not ok]
    if cfg.use_4bit and missing:
        raise WorkerError(
            "4bit-unavailable",
            f"use_4bit=true needs bitsandbytes and a CUDA GPU; this machine lacks {' and '.join(missing)}",
            "train LoRA in 16/32-bit instead: --set use_4bit=false (paged optimizers fall back to torch AdamW)",
        )


def setup(params: dict, ctx):
    """Model with LoRA, tokenizer, data, optimizer and schedule."""
    torch = _torch()
    cfg = validate_args(params.get("config") or {})
    check_4bit(torch, cfg)
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer, get_scheduler

    torch.manual_seed(cfg.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    base = params["base"]
    try:
        tok = AutoTokenizer.from_pretrained(base)
    except Exception as err:  # noqa: BLE001
        raise WorkerError("bad-base", f"{base} is not a usable model: {err}", "give a Hugging Face model id or a folder with config.json, weights and a tokenizer") from err
    dtype = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}.get(cfg.precision)
    if dtype is None:
        dtype = torch.float32 if device == "cpu" else (torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16)
    load = {"dtype": dtype}
    if cfg.use_4bit:
        from transformers import BitsAndBytesConfig

        load["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type=cfg.bnb_4bit_quant_type,
            bnb_4bit_compute_dtype=getattr(torch, cfg.bnb_4bit_compute_dtype),
            bnb_4bit_use_double_quant=cfg.use_nested_quant,
        )
        load["device_map"] = {"": 0}
    try:
        model = AutoModelForCausalLM.from_pretrained(base, **load)
    except Exception as err:  # noqa: BLE001
        raise WorkerError("bad-base", f"{base} is not a usable causal LM: {err}", "give a Hugging Face model id or a folder with config.json and weights") from err
    if cfg.use_4bit:
        from peft import prepare_model_for_kbit_training

        model = prepare_model_for_kbit_training(model)
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

    per_step = cfg.per_device_train_batch_size * cfg.gradient_accumulation_steps
    total_steps = cfg.max_steps if cfg.max_steps > 0 else max(1, math.ceil(cfg.num_train_epochs * math.ceil(len(train) / per_step)))
    trainable = [p for p in model.parameters() if p.requires_grad]
    optim = None
    if cfg.optimizer.startswith("paged_") and versions()["bitsandbytes"] and device == "cuda":
        import bitsandbytes as bnb

        cls = bnb.optim.PagedAdamW32bit if cfg.optimizer == "paged_adamw_32bit" else bnb.optim.PagedAdamW8bit
        optim = cls(trainable, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
    else:
        if cfg.optimizer != "adamw_torch":
            ctx.log(f"{cfg.optimizer} needs bitsandbytes on CUDA; using torch AdamW (same update, not paged)", "warn")
        optim = torch.optim.AdamW(trainable, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
    sched = get_scheduler(cfg.lr_scheduler_type, optim, num_warmup_steps=math.ceil(cfg.warmup_ratio * total_steps), num_training_steps=total_steps)
    pad = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    return dict(torch=torch, cfg=cfg, tok=tok, model=model, train=train, evals=evals, truncated=truncated + eval_truncated,
                total_steps=total_steps, optim=optim, sched=sched, pad=pad, device=device, dtype=dtype, targets=targets)


def validate(s) -> float | None:
    """Token-weighted mean loss over the eval split (None without one)."""
    torch, model, evals = s["torch"], s["model"], s["evals"]
    if not evals:
        return None
    model.eval()
    total, count = 0.0, 0
    bs = s["cfg"].per_device_eval_batch_size
    with torch.no_grad():
        for i in range(0, len(evals), bs):
            ids, labels, mask = (t.to(s["device"]) for t in collate(torch, evals[i : i + bs], s["pad"]))
            n = int((labels[:, 1:] != -100).sum())
            total += float(model(input_ids=ids, attention_mask=mask, labels=labels).loss) * n
            count += n
    model.train()
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
    s["model"].save_pretrained(out, save_embedding_layers=False)
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
        torch.save({"optimizer": s["optim"].state_dict(), "scheduler": s["sched"].state_dict(), "state": state, "torch_rng": torch.get_rng_state()}, tmp / "trainer_state.pt")
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
    set_peft_model_state_dict(s["model"], weights)
    saved = torch.load(ckpt / "trainer_state.pt", weights_only=False)
    s["optim"].load_state_dict(saved["optimizer"])
    s["sched"].load_state_dict(saved["scheduler"])
    torch.set_rng_state(saved["torch_rng"])
    return saved["state"]


def fit(s, params: dict, ctx, state: dict) -> dict:
    torch, model, cfg = s["torch"], s["model"], s["cfg"]
    plan = micro_batches(len(s["train"]), cfg, s["total_steps"])
    model.train()
    t0, tokens_seen = time.perf_counter(), 0
    autocast = torch.autocast("cuda", dtype=s["dtype"]) if s["device"] == "cuda" and s["dtype"] != torch.float32 else None
    while state["step"] < s["total_steps"]:
        step_t0, step_tokens, step_loss = time.perf_counter(), 0, 0.0
        micro = plan[state["step"]]
        for idx in micro:
            ctx.check_cancel()
            ids, labels, mask = (t.to(s["device"]) for t in collate(torch, [s["train"][i] for i in idx], s["pad"]))
            if autocast:
                with autocast:
                    loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss / len(micro)
            else:
                loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss / len(micro)
            loss.backward()
            step_loss += float(loss)
            step_tokens += int(mask.sum())
        grad_norm = None
        if cfg.max_grad_norm > 0:
            grad_norm = float(torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], cfg.max_grad_norm))
        lr = s["sched"].get_last_lr()[0]
        s["optim"].step()
        s["sched"].step()
        s["optim"].zero_grad(set_to_none=True)
        state["step"] += 1
        tokens_seen += step_tokens
        if state["initial_loss"] is None:
            state["initial_loss"] = step_loss
        state["last_loss"] = step_loss
        if state["step"] % cfg.logging_steps == 0 or state["step"] == s["total_steps"]:
            ctx.metric(step=state["step"], split="train", loss=step_loss, lr=lr, gradNorm=grad_norm,
                       tokensPerSecond=step_tokens / max(time.perf_counter() - step_t0, 1e-9))
        ctx.progress(state["step"], s["total_steps"])
        last = state["step"] == s["total_steps"]
        if state["step"] % cfg.save_steps == 0 or last:
            eval_loss = validate(s)
            if eval_loss is not None:
                ctx.metric(step=state["step"], split="eval", loss=eval_loss, lr=None, gradNorm=None, tokensPerSecond=None)
                if state["best_eval"] is None or eval_loss < state["best_eval"]:
                    state["best_eval"], state["bad_evals"] = eval_loss, 0
                else:
                    state["bad_evals"] += 1
            path = save_checkpoint(s, params, state)
            ctx.checkpoint(step=state["step"], dir=str(path), trainLoss=step_loss, evalLoss=eval_loss)
            if cfg.early_stopping_patience and state["bad_evals"] >= cfg.early_stopping_patience and not last:
                ctx.log(f"early stopping: eval loss did not improve for {state['bad_evals']} evaluations", "info")
                state["stopped_early"] = True
                break
    state["train_seconds"] = state.get("train_seconds", 0.0) + time.perf_counter() - t0
    state["tokens"] = state.get("tokens", 0) + tokens_seen
    return state


def main(params: dict, ctx) -> dict:
    s = setup(params, ctx)
    state = {"step": 0, "initial_loss": None, "last_loss": None, "best_eval": None, "bad_evals": 0, "stopped_early": False}
    if params.get("resume_from"):
        state = load_checkpoint(s, Path(params["resume_from"]))
        ctx.log(f"resumed from {Path(params['resume_from']).name} at step {state['step']}")
    ctx.log(f"{len(s['train'])} training examples, {len(s['evals'])} eval, {s['total_steps']} steps on {s['device']}; LoRA on {', '.join(s['targets'])}")
    ctx.progress(state["step"], s["total_steps"])
    state = fit(s, params, ctx, state)
    adapter = Path(params["run_dir"]) / "adapter"
    shutil.rmtree(adapter, ignore_errors=True)
    save_adapter(s, adapter, params["base"])
    return {
        "steps": state["step"],
        "totalSteps": s["total_steps"],
        "initialLoss": state["initial_loss"],
        "finalLoss": state["last_loss"],
        "bestEvalLoss": state["best_eval"],
        "stoppedEarly": state["stopped_early"],
        "adapterDir": str(adapter),
        "examples": len(s["train"]),
        "truncated": s["truncated"],
        "versions": versions(),
        "device": s["device"],
        "tokens": state["tokens"],
        "trainSeconds": state["train_seconds"],
    }
