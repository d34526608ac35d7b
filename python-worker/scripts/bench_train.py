"""Training throughput: srlab's worker `train` job vs a plain transformers Trainer script with
the same model, data, LoRA and optimizer settings, in one process run. Prints JSON.

usage: python bench_train.py BASE_DIR TRAIN_JSONL [--steps N]
"""

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

LORA = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "lm_head"]


def settings(steps):
    return dict(use_4bit=False, max_steps=steps, save_steps=10**6, per_device_train_batch_size=8, learning_rate=3e-3, lora_r=8,
                lora_alpha=16, lora_dropout=0.0, max_seq_length=1024, early_stopping_patience=0, optimizer="adamw_torch",
                lr_scheduler_type="constant", warmup_ratio=0.0, lora_target_modules=LORA, logging_steps=10**6)


def srlab_job(base, data, steps):
    w = start_worker()
    read_message(w)
    with tempfile.TemporaryDirectory() as run_dir:
        r = call(w, 1, "train", {"base": base, "train_file": data, "config": settings(steps), "run_dir": run_dir})["result"]
    w.kill()
    return {"tokens": r["tokens"], "seconds": r["train_seconds"], "tokensPerSecond": r["tokens"] / r["train_seconds"], "finalLoss": r["final_loss"]}


def hf_trainer(base, data, steps):
    from srlab_worker.config import validate_args
    from srlab_worker.jobs.train import _torch, read_examples

    torch = _torch()
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer, DataCollatorForSeq2Seq, Trainer, TrainingArguments

    cfg = validate_args(settings(steps))
    tok = AutoTokenizer.from_pretrained(base)
    tok.pad_token = tok.unk_token
    examples, _ = read_examples(data, tok, cfg)
    rows = [{"input_ids": ids, "attention_mask": [1] * len(ids), "labels": labels} for ids, labels in examples]
    model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
    model = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, task_type="CAUSAL_LM", target_modules=LORA))
    with tempfile.TemporaryDirectory() as out:
        args = TrainingArguments(output_dir=out, per_device_train_batch_size=8, max_steps=steps, learning_rate=3e-3,
                                 lr_scheduler_type="constant", weight_decay=cfg.weight_decay, max_grad_norm=cfg.max_grad_norm,
                                 optim="adamw_torch", logging_steps=10**6, save_strategy="no", report_to=[], use_cpu=not torch.cuda.is_available(),
                                 dataloader_num_workers=0, seed=42, disable_tqdm=True)
        trainer = Trainer(model=model, args=args, train_dataset=rows, data_collator=DataCollatorForSeq2Seq(tok, padding=True))
        t0 = time.perf_counter()
        result = trainer.train()
        seconds = time.perf_counter() - t0
    # Trainer does not report real (non-pad) tokens: the mean example length × examples seen.
    mean_len = sum(len(r["input_ids"]) for r in rows) / len(rows)
    tokens = mean_len * 8 * steps
    return {"tokens": tokens, "seconds": seconds, "tokensPerSecond": tokens / seconds, "finalLoss": result.training_loss}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("data")
    ap.add_argument("--steps", type=int, default=20)
    a = ap.parse_args()
    ours = srlab_job(a.base, a.data, a.steps)
    theirs = hf_trainer(a.base, a.data, a.steps)
    print(json.dumps({"steps": a.steps, "srlab": ours, "trainer": theirs, "ratio": ours["tokensPerSecond"] / theirs["tokensPerSecond"]}))


if __name__ == "__main__":
    main()
