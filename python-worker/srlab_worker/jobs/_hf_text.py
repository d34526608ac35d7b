"""What the text-classifier jobs (classify, zero_shot) share: checking the common params, loading
a Hugging Face sequence classifier ready for padded batches, and walking inputs in batches with
cancel checks and a count of inputs longer than max_length (they are truncated, not dropped).
Not a job itself (the registry lists the jobs)."""

from __future__ import annotations

from ..errors import WorkerError


def common_params(params: dict, problems: list, default_batch_size: int, check_more=None) -> dict:
    """model, texts, batch_size and max_length, checked; what is wrong goes to `problems`.
    `check_more(problems)` checks a job's own params, listed after texts as they always were."""
    model = params.get("model")
    if not isinstance(model, str) or not model:
        problems.append("model: a Hugging Face model id or a folder")
    texts = params.get("texts")
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        problems.append("texts: a list of strings")
    if check_more is not None:
        check_more(problems)
    bs = params.get("batch_size", default_batch_size)
    if not isinstance(bs, int) or isinstance(bs, bool) or not 1 <= bs <= 4096:
        problems.append("batch_size: an integer in 1..4096")
    ml = params.get("max_length", 512)
    if not isinstance(ml, int) or isinstance(ml, bool) or not 1 <= ml <= 1_000_000:
        problems.append("max_length: a positive integer")
    return {"model": model, "texts": texts, "batch_size": bs, "max_length": ml}


def raise_problems(job: str, problems: list) -> None:
    if problems:
        raise WorkerError("invalid-params", f"invalid {job} params: " + "; ".join(problems), "fix these values")


def load_classifier(name: str, what: str):
    """(torch, tokenizer, model, device) for the sequence classifier `name`, in eval mode on the
    device; `what` names the kind of model in the error when it does not load."""
    from .train import _torch

    torch = _torch()
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    device = "cuda" if torch.cuda.is_available() else "cpu"
    try:
        tok = AutoTokenizer.from_pretrained(name)
        model = AutoModelForSequenceClassification.from_pretrained(name)
    except Exception as err:  # noqa: BLE001
        raise WorkerError("bad-model", f"{name} is not a usable {what}: {err}", "give a Hugging Face id or a folder with config.json, weights and a tokenizer") from err
    # Decoder classifiers (Llama, GPT-2) pool the last non-pad token: they need a pad id.
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token or tok.unk_token
    if getattr(model.config, "pad_token_id", None) is None:
        model.config.pad_token_id = tok.pad_token_id
    model.to(device).eval()
    return torch, tok, model, device


def batches(items: list, batch_size: int, ctx):
    """(start, batch) over `items`, checking for cancel before each batch."""
    for start in range(0, len(items), batch_size):
        ctx.check_cancel()
        yield start, items[start:start + batch_size]


def encode(tok, device, max_length: int, first: list, second: list | None = None, truncation=True):
    """(encoded batch on the device, per-input flags: longer than max_length before truncation)."""
    args = (first,) if second is None else (first, second)
    lengths = [len(ids) for ids in tok(*args, add_special_tokens=True).input_ids]
    enc = tok(*args, padding=True, truncation=truncation, max_length=max_length, return_tensors="pt").to(device)
    return enc, [n > max_length for n in lengths]
