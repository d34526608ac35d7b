"""Fine-tune a Hugging Face sequence classifier on labelled texts: the paper's classifier route
(a RoBERTa-large "unsafe" classifier trained on the CMD). Full fine-tuning with AdamW and a linear
schedule, one process; the same events as the LoRA `train` job (progress in steps, train/eval
loss metrics, checkpoints) and resume from a checkpoint (weights, optimizer, schedule, RNG and
step), so a cancelled or crashed run continues where it stopped.

params: base (HF id or folder; a causal LM or encoder gets a fresh classification head),
        train_file / eval_file (JSONL {"text", "label": class index}; eval_file may be null),
        labels (class names, index order), out_dir (the finished classifier), run_dir
        (checkpoints/), epochs, batch_size, learning_rate, weight_decay, warmup_ratio,
        max_length, seed, save_steps (0: at each epoch's end), resume_from (a checkpoint folder
        or null).
"""

from __future__ import annotations

import json
import math
import random
import shutil
import time
from pathlib import Path

from ..errors import WorkerError

KEEP_CHECKPOINTS = 2


def _params(params: dict) -> dict:
    problems = []

    def text(key, nullable=False):
        v = params.get(key)
        if v is None and nullable:
            return None
        if not isinstance(v, str) or not v:
            problems.append(f"{key}: a non-empty string")
        return v

    def number(key, default, lo, hi, integer=False):
        v = params.get(key, default)
        ok = isinstance(v, (int, float)) and not isinstance(v, bool) and lo <= v <= hi and (not integer or int(v) == v)
        if not ok:
            problems.append(f"{key}: {'an integer' if integer else 'a number'} in {lo}..{hi}")
        return int(v) if ok and integer else v

    out = {
        "base": text("base"),
        "train_file": text("train_file"),
        "eval_file": text("eval_file", nullable=True),
        "out_dir": text("out_dir"),
        "run_dir": text("run_dir"),
        "resume_from": text("resume_from", nullable=True),
        "epochs": number("epochs", 3, 1, 1000, integer=True),
        "batch_size": number("batch_size", 16, 1, 4096, integer=True),
        "learning_rate": number("learning_rate", 2e-5, 0, 1),
        "weight_decay": number("weight_decay", 0.01, 0, 1),
        "warmup_ratio": number("warmup_ratio", 0.06, 0, 1),
        "max_length": number("max_length", 256, 1, 1_000_000, integer=True),
        "seed": number("seed", 42, 0, 2**31 - 1, integer=True),
        "save_steps": number("save_steps", 0, 0, 10**9, integer=True),
    }
    labels = params.get("labels")
    if not isinstance(labels, list) or len(labels) < 2 or not all(isinstance(x, str) and x for x in labels) or len(set(labels)) != len(labels):
        problems.append("labels: two or more distinct class names")
    out["labels"] = labels
    if problems:
        raise WorkerError("invalid-params", "invalid train_classifier params: " + "; ".join(problems), "fix these values")
    return out


def read_examples(path: str, n_labels: int) -> list[tuple[str, int]]:
    """(text, label) pairs; a malformed line is an error naming the file and line."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                t, y = rec["text"], rec["label"]
                if not isinstance(t, str) or not isinstance(y, int) or isinstance(y, bool) or not 0 <= y < n_labels:
                    raise ValueError(f"text must be a string and label an integer in 0..{n_labels - 1}")
            except (ValueError, KeyError, TypeError) as err:
                raise WorkerError("bad-data", f"{path} line {i}: {err}", "the app writes these files; re-run the training") from err
            rows.append((t, y))
    return rows


def batch_order(n: int, batch_size: int, seed: int, epoch: int) -> list[list[int]]:
    """The batches of one epoch: a shuffle fixed by (seed, epoch), so a resumed run sees the same ones."""
    idx = list(range(n))
    random.Random(seed * 1_000_003 + epoch).shuffle(idx)
    return [idx[i:i + batch_size] for i in range(0, n, batch_size)]


def _load(p: dict, torch):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    labels = p["labels"]
    try:
        tok = AutoTokenizer.from_pretrained(p["base"])
        model = AutoModelForSequenceClassification.from_pretrained(
            p["base"],
            num_labels=len(labels),
            id2label=dict(enumerate(labels)),
            label2id={name: i for i, name in enumerate(labels)},
            # A classifier with other classes (or a plain LM) gets a fresh head of the right size.
            ignore_mismatched_sizes=True,
        )
    except Exception as err:  # noqa: BLE001
        raise WorkerError("bad-base", f"{p['base']} is not a usable base for a sequence classifier: {err}", "give a Hugging Face model id or a folder with config.json, weights and a tokenizer") from err
    # Decoder bases (Llama, GPT-2) pool the last non-pad token: they need a pad id.
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token or tok.unk_token
    model.config.pad_token_id = tok.pad_token_id
    return tok, model


def _evaluate(torch, model, tok, rows, p, device) -> tuple[float | None, float | None]:
    """Mean cross-entropy and accuracy over the eval split (None without one)."""
    if not rows:
        return None, None
    model.eval()
    loss_sum, right = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(rows), p["batch_size"]):
            batch = rows[start:start + p["batch_size"]]
            enc = tok([t for t, _ in batch], padding=True, truncation=True, max_length=p["max_length"], return_tensors="pt").to(device)
            y = torch.tensor([lab for _, lab in batch], device=device)
            logits = model(**enc).logits.float()
            loss_sum += torch.nn.functional.cross_entropy(logits, y, reduction="sum").item()
            right += (logits.argmax(-1) == y).sum().item()
    model.train()
    return loss_sum / len(rows), right / len(rows)


def _save_checkpoint(torch, model, tok, optim, sched, state: dict, run_dir: str) -> Path:
    """checkpoints/step-000012/: weights, tokenizer, optimizer/schedule/RNG and the step. Written
    beside and renamed into place, so a full disk never damages an earlier checkpoint."""
    root = Path(run_dir) / "checkpoints"
    final = root / f"step-{state['step']:06d}"
    tmp = root / f".{final.name}.tmp"
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        model.save_pretrained(tmp, safe_serialization=True)
        tok.save_pretrained(tmp)
        torch.save({"optimizer": optim.state_dict(), "scheduler": sched.state_dict(), "state": state, "torch_rng": torch.get_rng_state()}, tmp / "trainer_state.pt")
        shutil.rmtree(final, ignore_errors=True)
        tmp.rename(final)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        code = "disk-full" if getattr(err, "errno", None) == 28 else "io-error"
        raise WorkerError(code, f"could not write checkpoint {final.name}: {err}", "free disk space, then resume: earlier checkpoints are intact") from err
    # Full fine-tuning checkpoints are the model's size (RoBERTa-large: 1.4 GB, 4 GB with Adam's state).
    for old in sorted(p for p in root.glob("step-*") if p.is_dir())[:-KEEP_CHECKPOINTS]:
        shutil.rmtree(old, ignore_errors=True)
    return final


def main(params: dict, ctx) -> dict:
    p = _params(params)
    from .train import _torch

    torch = _torch()
    import transformers
    from transformers import get_scheduler

    torch.manual_seed(p["seed"])
    device = "cuda" if torch.cuda.is_available() else "cpu"
    labels = p["labels"]
    train = read_examples(p["train_file"], len(labels))
    evals = read_examples(p["eval_file"], len(labels)) if p["eval_file"] else []
    if not train:
        raise WorkerError("empty-split", "the training split has zero labelled texts", "pick a dataset and split with this label (srlab stats)")
    if len({y for _, y in train}) < 2:
        raise WorkerError("one-class", "every training text has the same class: a classifier cannot learn from that", "pick a label with both classes in the training split")
    resume = Path(p["resume_from"]) if p["resume_from"] else None
    if resume and not (resume / "trainer_state.pt").is_file():
        raise WorkerError("bad-checkpoint", f"{resume} is not a classifier checkpoint (no trainer_state.pt)", "resume from a folder the run wrote under checkpoints/")
    # A resumed run loads the checkpoint's weights (and tokenizer) instead of the base's.
    tok, model = _load({**p, "base": str(resume) if resume else p["base"]}, torch)
    model.to(device).train()

    truncated = sum(len(ids) > p["max_length"] for ids in tok([t for t, _ in train], add_special_tokens=True).input_ids)
    if truncated:
        ctx.log(f"{truncated} of {len(train)} training texts are longer than max_length={p['max_length']} tokens and are truncated", "warn")
    per_epoch = math.ceil(len(train) / p["batch_size"])
    total = per_epoch * p["epochs"]
    decay = [q for n, q in model.named_parameters() if q.requires_grad and q.ndim >= 2]
    no_decay = [q for n, q in model.named_parameters() if q.requires_grad and q.ndim < 2]
    optim = torch.optim.AdamW([{"params": decay, "weight_decay": p["weight_decay"]}, {"params": no_decay, "weight_decay": 0.0}], lr=p["learning_rate"])
    sched = get_scheduler("linear", optim, num_warmup_steps=math.ceil(p["warmup_ratio"] * total), num_training_steps=total)
    state = {"step": 0, "initial_loss": None, "final_loss": None, "best_eval_loss": None, "eval_accuracy": None}
    if resume:
        saved = torch.load(resume / "trainer_state.pt", weights_only=False, map_location="cpu")
        optim.load_state_dict(saved["optimizer"])
        sched.load_state_dict(saved["scheduler"])
        torch.set_rng_state(saved["torch_rng"])
        state = saved["state"]
        ctx.log(f"resumed from {resume.name} (step {state['step']} of {total})")

    save_every = p["save_steps"] or per_epoch
    started = time.time()
    ctx.progress(state["step"], total, unit="steps")
    while state["step"] < total:
        epoch, within = divmod(state["step"], per_epoch)
        batch = [train[i] for i in batch_order(len(train), p["batch_size"], p["seed"], epoch)[within]]
        ctx.check_cancel()
        enc = tok([t for t, _ in batch], padding=True, truncation=True, max_length=p["max_length"], return_tensors="pt").to(device)
        y = torch.tensor([lab for _, lab in batch], device=device)
        loss = torch.nn.functional.cross_entropy(model(**enc).logits.float(), y)
        loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0).item()
        optim.step()
        sched.step()
        optim.zero_grad(set_to_none=True)
        state["step"] += 1
        value = loss.item()
        if state["initial_loss"] is None:
            state["initial_loss"] = value
        state["final_loss"] = value
        ctx.metric(step=state["step"], split="train", loss=value, lr=sched.get_last_lr()[0], grad_norm=grad_norm, tokens_per_second=None)
        ctx.progress(state["step"], total, unit="steps")
        if state["step"] % save_every == 0 or state["step"] == total:
            eval_loss, eval_acc = _evaluate(torch, model, tok, evals, p, device)
            if eval_loss is not None:
                ctx.metric(step=state["step"], split="eval", loss=eval_loss, lr=None, grad_norm=None, tokens_per_second=None)
                state["eval_accuracy"] = eval_acc
                if state["best_eval_loss"] is None or eval_loss < state["best_eval_loss"]:
                    state["best_eval_loss"] = eval_loss
            ckpt = _save_checkpoint(torch, model, tok, optim, sched, state, p["run_dir"])
            ctx.checkpoint(step=state["step"], dir=str(ckpt), train_loss=value, eval_loss=eval_loss)

    out = Path(p["out_dir"])
    tmp = out.with_name(f".{out.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp, safe_serialization=True)
    tok.save_pretrained(tmp)
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return {
        "steps": state["step"],
        "total_steps": total,
        "initial_loss": state["initial_loss"],
        "final_loss": state["final_loss"],
        "best_eval_loss": state["best_eval_loss"],
        "eval_accuracy": state["eval_accuracy"],
        "out_dir": str(out),
        "labels": labels,
        "examples": len(train),
        "truncated": truncated,
        "device": device,
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
        "train_seconds": time.time() - started,
    }
