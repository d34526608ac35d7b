"""One module per worker job; each exposes `main(params, ctx)`."""

from __future__ import annotations

import os


def registry() -> dict:
    from . import classify, count_tokens, debug, doctor, export_gguf, fetch_base, merge, train, train_classifier, zero_shot

    methods = {
        "doctor": doctor.main,
        "train": train.main,
        "merge": merge.main,
        "export_gguf": export_gguf.main,
        "export_lora_gguf": export_gguf.main_lora,
        "classify": classify.main,
        "count_tokens": count_tokens.main,
        "fetch_base": fetch_base.main,
        "train_classifier": train_classifier.main,
        "zero_shot": zero_shot.main,
    }
    # Protocol tests only: a job that sleeps in steps and one that dies mid-job.
    if os.environ.get("SRLAB_WORKER_DEBUG") == "1":
        methods.update({"debug.sleep": debug.sleep, "debug.crash": debug.crash})
    return methods
