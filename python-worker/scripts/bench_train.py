"""Training throughput: srlab's worker `train` job vs the authors' recipe, TRL's SFTTrainer with
the paper's settings (Tables 3–4, as far as they apply on this device), on the same model, the
same data and the same max sequence length, in one run. Prints one JSON line.

usage: python bench_train.py BASE_DIR TRAIN_JSONL EVAL_JSONL [--epochs N] [--rounds N]

Both sides count the same thing: real (non-pad) input tokens processed in training (srlab: its
job's `tokens`, the attention-mask sum of every micro-batch; SFTTrainer: its own `num_tokens`,
the attention-mask sum of every batch), over the wall time of the training loop (srlab: the
job's `train_seconds`, which includes its final checkpoint write; SFTTrainer: `trainer.train()`).
Both end on an eval loss from one function: each side's saved LoRA adapter on the float32 base,
the token-weighted mean cross-entropy over the whole sequences of EVAL_JSONL (the objective both
trained on), tokenized once by srlab's encoder.

Needs TRL (and its `datasets`) importable; bench/train.js provides them in an overlay venv.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))
from helpers import call, read_message, start_worker  # noqa: E402

PRESET = HERE.parent / "srlab_worker" / "presets" / "srllm-paper.json"


def paper_settings(cuda: bool, epochs: float) -> dict:
    """The srllm-paper preset (the paper's Tables 3–4 values), adapted to the device: without
    CUDA there is no bitsandbytes 4-bit, no fp16 compute and no paged optimizer, so the CPU run
    is LoRA in float32 with torch AdamW (the same update, not paged)."""
    cfg = dict(json.loads(PRESET.read_text())["config"])
    cfg["num_train_epochs"] = epochs
    if not cuda:
        cfg.update(use_4bit=False, fp16=False, optimizer="adamw_torch")
    return cfg


def srlab_job(base: str, data: str, cfg: dict, run_dir: str) -> dict:
    """srlab's worker, as the app runs it: a `train` job over the stdio protocol."""
    w = start_worker()
    read_message(w)
    try:
        msg = call(w, 1, "train", {"base": base, "train_file": data, "config": cfg, "run_dir": run_dir})
    finally:
        w.kill()
    if "result" not in msg:
        raise RuntimeError(f"srlab train job failed: {msg}")
    r = msg["result"]
    return {"tokens": r["tokens"], "seconds": r["train_seconds"], "tokensPerSecond": r["tokens"] / r["train_seconds"], "steps": r["steps"]}


def sft_trainer(base: str, data: str, cfg: dict, out_dir: str):
    """The authors' recipe: TRL's SFTTrainer on the `text` field with a PEFT LoraConfig, the
    paper's hyperparameters, and SFTTrainer's defaults wherever PAPER.md is silent (no packing,
    no length grouping, gradient checkpointing on, loss on the whole sequence, chunked NLL)."""
    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    from srlab_worker.jobs.train import model_load_kwargs
    from srlab_worker.config import validate_args

    cuda = torch.cuda.is_available()
    tc = validate_args(cfg)
    tok = AutoTokenizer.from_pretrained(base)
    model = AutoModelForCausalLM.from_pretrained(base, **model_load_kwargs(torch, tc, "cuda" if cuda else "cpu"))
    rows = [json.loads(line) for line in Path(data).read_text().splitlines() if line.strip()]
    args = SFTConfig(
        output_dir=out_dir,
        num_train_epochs=tc.num_train_epochs,
        per_device_train_batch_size=tc.per_device_train_batch_size,
        per_device_eval_batch_size=tc.per_device_eval_batch_size,
        gradient_accumulation_steps=tc.gradient_accumulation_steps,
        learning_rate=tc.learning_rate,
        lr_scheduler_type=tc.lr_scheduler_type,
        warmup_steps=tc.warmup_ratio,  # transformers 5: a float below 1 is a ratio of the steps
        weight_decay=tc.weight_decay,
        max_grad_norm=tc.max_grad_norm,
        optim=tc.optimizer,
        fp16=tc.fp16 and cuda,
        bf16=False,  # SFTConfig would default to bf16; the paper has fp16 compute (CUDA only)
        max_length=tc.max_seq_length,
        logging_steps=tc.logging_steps,
        save_strategy="no",
        report_to=[],
        seed=tc.seed,
        use_cpu=not cuda,
        dataloader_num_workers=0,
        disable_tqdm=True,
    )
    lora = LoraConfig(r=tc.lora_r, lora_alpha=tc.lora_alpha, lora_dropout=tc.lora_dropout, bias=tc.lora_bias, task_type="CAUSAL_LM")
    trainer = SFTTrainer(model=model, args=args, train_dataset=Dataset.from_list(rows), processing_class=tok, peft_config=lora)
    t0 = time.perf_counter()
    trainer.train()
    seconds = time.perf_counter() - t0
    tokens = int(trainer._total_train_tokens)  # SFTTrainer's `num_tokens`: attention-mask sums
    trainer.model.save_pretrained(str(Path(out_dir) / "adapter"))  # evaluated as srlab's is
    return {"tokens": tokens, "seconds": seconds, "tokensPerSecond": tokens / seconds, "steps": trainer.state.global_step}


def eval_set(base: str, eval_file: str, cfg: dict):
    """The held-out examples, tokenized once by srlab's encoder with the loss on the whole
    sequence (the objective both sides train on), and the pad id."""
    from transformers import AutoTokenizer

    from srlab_worker.config import validate_args
    from srlab_worker.jobs.train import read_examples

    tok = AutoTokenizer.from_pretrained(base)
    examples, _ = read_examples(eval_file, tok, validate_args({**cfg, "response_only_loss": False}))
    return examples, tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id


def eval_loss(model, examples, pad: int, batch: int) -> float:
    """Token-weighted mean cross-entropy over the eval examples (one function for both models)."""
    import torch

    from srlab_worker.jobs.train import collate

    device = next(model.parameters()).device
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(examples), batch):
            ids, labels, mask = (t.to(device) for t in collate(torch, examples[i : i + batch], pad))
            n = int((labels[:, 1:] != -100).sum())
            total += float(model(input_ids=ids, attention_mask=mask, labels=labels).loss) * n
            count += n
    return total / count


def load_adapter(base: str, adapter: str):
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
    return PeftModel.from_pretrained(model.to("cuda" if torch.cuda.is_available() else "cpu"), adapter)


def best(runs: list[dict], losses: list[float]) -> dict:
    """The fastest round, with every round's tokens/s and the first round's eval loss (the runs
    are seeded: each round trains the same weights)."""
    top = max(runs, key=lambda r: r["tokensPerSecond"])
    return {**top, "rounds": [r["tokensPerSecond"] for r in runs], "evalLoss": losses[0], "evalLosses": losses}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("data")
    ap.add_argument("eval")
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()

    from srlab_worker.jobs.train import _torch

    torch = _torch()  # the same thread settings as the worker (SRLAB_TORCH_THREADS)
    cuda = torch.cuda.is_available()
    cfg = paper_settings(cuda, a.epochs)
    from transformers import AutoModelForCausalLM

    examples, pad = eval_set(a.base, a.eval, cfg)
    batch = cfg["per_device_eval_batch_size"]
    untrained = eval_loss(AutoModelForCausalLM.from_pretrained(a.base, dtype=torch.float32), examples, pad, batch)
    ours, theirs, our_loss, their_loss = [], [], [], []
    # Alternating rounds: a burst of load from other processes hits both sides alike.
    for _ in range(max(1, a.rounds)):
        with tempfile.TemporaryDirectory() as tmp:
            ours.append(srlab_job(a.base, a.data, cfg, str(Path(tmp) / "srlab")))
            our_loss.append(eval_loss(load_adapter(a.base, str(Path(tmp) / "srlab" / "adapter")), examples, pad, batch))
            theirs.append(sft_trainer(a.base, a.data, cfg, str(Path(tmp) / "sft")))
            their_loss.append(eval_loss(load_adapter(a.base, str(Path(tmp) / "sft" / "adapter")), examples, pad, batch))
    srlab, sft = best(ours, our_loss), best(theirs, their_loss)
    print(json.dumps({"epochs": a.epochs, "config": cfg, "device": "cuda" if cuda else "cpu",
                      "precision": ("fp16 autocast" if cfg["fp16"] else "float32") if cuda else "float32 (no fp16 compute on the CPU)",
                      "evalTokens": sum(sum(1 for l in labels[1:] if l != -100) for _, labels in examples),
                      "untrainedEvalLoss": untrained, "srlab": srlab, "sft": sft, "ratio": srlab["tokensPerSecond"] / sft["tokensPerSecond"]}))


if __name__ == "__main__":
    main()
