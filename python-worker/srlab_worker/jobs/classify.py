"""Run a Hugging Face sequence classifier over texts: per-text label probabilities (softmax)
named by the model's id2label, in batches, with progress events. For the evaluation issue's
toxicity/bias classifiers.

params: model (HF id or folder), texts (list of str), batch_size (default 16),
        max_length (default 512; longer texts are truncated and counted).
"""

from __future__ import annotations

from ..errors import WorkerError


def _params(params: dict) -> dict:
    problems = []
    model = params.get("model")
    if not isinstance(model, str) or not model:
        problems.append("model: a Hugging Face model id or a folder")
    texts = params.get("texts")
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        problems.append("texts: a list of strings")
    bs = params.get("batch_size", 16)
    if not isinstance(bs, int) or isinstance(bs, bool) or not 1 <= bs <= 4096:
        problems.append("batch_size: an integer in 1..4096")
    ml = params.get("max_length", 512)
    if not isinstance(ml, int) or isinstance(ml, bool) or not 1 <= ml <= 1_000_000:
        problems.append("max_length: a positive integer")
    if problems:
        raise WorkerError("invalid-params", "invalid classify params: " + "; ".join(problems), "fix these values")
    return {"model": model, "texts": texts, "batch_size": bs, "max_length": ml}


def main(params: dict, ctx) -> dict:
    p = _params(params)
    from .train import _torch

    torch = _torch()
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    device = "cuda" if torch.cuda.is_available() else "cpu"
    try:
        tok = AutoTokenizer.from_pretrained(p["model"])
        model = AutoModelForSequenceClassification.from_pretrained(p["model"])
    except Exception as err:  # noqa: BLE001
        raise WorkerError("bad-model", f"{p['model']} is not a usable sequence classifier: {err}", "give a Hugging Face id or a folder with config.json, weights and a tokenizer") from err
    # Decoder classifiers (Llama, GPT-2) pool the last non-pad token: they need a pad id.
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token or tok.unk_token
    if getattr(model.config, "pad_token_id", None) is None:
        model.config.pad_token_id = tok.pad_token_id
    model.to(device).eval()
    n_labels = int(model.config.num_labels)
    id2label = {int(k): v for k, v in (model.config.id2label or {}).items()}
    labels = [id2label.get(i, f"LABEL_{i}") for i in range(n_labels)]
    texts, bs = p["texts"], p["batch_size"]
    results, truncated = [], 0
    ctx.progress(0, len(texts), unit="texts")
    for start in range(0, len(texts), bs):
        ctx.check_cancel()
        batch = texts[start:start + bs]
        lengths = [len(ids) for ids in tok(batch, add_special_tokens=True).input_ids]
        truncated += sum(n > p["max_length"] for n in lengths)
        enc = tok(batch, padding=True, truncation=True, max_length=p["max_length"], return_tensors="pt").to(device)
        with torch.no_grad():
            probs = torch.softmax(model(**enc).logits.float(), dim=-1).cpu().tolist()
        for row in probs:
            best = max(range(n_labels), key=row.__getitem__)
            results.append({"label": labels[best], "probs": dict(zip(labels, row))})
        ctx.progress(min(start + bs, len(texts)), len(texts), unit="texts")
    return {"labels": labels, "results": results, "truncated": truncated, "device": device}
