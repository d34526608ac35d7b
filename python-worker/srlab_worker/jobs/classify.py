"""Run a Hugging Face sequence classifier over texts: per-text label probabilities (softmax)
named by the model's id2label, in batches, with progress events. For the evaluation issue's
toxicity/bias classifiers.

params: model (HF id or folder), texts (list of str), batch_size (default 16),
        max_length (default 512; longer texts are truncated and counted).
"""

from __future__ import annotations

from ._hf_text import batches, common_params, encode, load_classifier, raise_problems


def _params(params: dict) -> dict:
    problems: list = []
    p = common_params(params, problems, default_batch_size=16)
    raise_problems("classify", problems)
    return p


def main(params: dict, ctx) -> dict:
    p = _params(params)
    torch, tok, model, device = load_classifier(p["model"], "sequence classifier")
    n_labels = int(model.config.num_labels)
    id2label = {int(k): v for k, v in (model.config.id2label or {}).items()}
    labels = [id2label.get(i, f"LABEL_{i}") for i in range(n_labels)]
    texts, bs = p["texts"], p["batch_size"]
    results, truncated = [], 0
    ctx.progress(0, len(texts), unit="texts")
    for start, batch in batches(texts, bs, ctx):
        enc, too_long = encode(tok, device, p["max_length"], batch)
        truncated += sum(too_long)
        with torch.no_grad():
            probs = torch.softmax(model(**enc).logits.float(), dim=-1).cpu().tolist()
        for row in probs:
            best = max(range(n_labels), key=row.__getitem__)
            results.append({"label": labels[best], "probs": dict(zip(labels, row))})
        ctx.progress(min(start + bs, len(texts)), len(texts), unit="texts")
    return {"labels": labels, "results": results, "truncated": truncated, "device": device}
