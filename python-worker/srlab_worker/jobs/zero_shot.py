"""Zero-shot classification over a given label list with an NLI model (e.g. a style-trait list):
each text is paired with one hypothesis per label ("This text is {label}."), and the labels'
entailment logits are softmaxed across the list, as transformers' zero-shot pipeline does for
single-label classification. For style-trait scorers whose trait list is not a classifier's
own labels.

params: model (HF id or folder of an NLI sequence classifier), texts, labels (candidates),
        hypothesis_template (with one "{}"), batch_size (pairs per forward pass), max_length.
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
    labels = params.get("labels")
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) and x for x in labels) or len(set(labels)) != len(labels):
        problems.append("labels: a non-empty list of distinct strings")
    template = params.get("hypothesis_template", "This text is {}.")
    if not isinstance(template, str) or template.count("{}") != 1:
        problems.append('hypothesis_template: a string with exactly one "{}"')
    bs = params.get("batch_size", 64)
    if not isinstance(bs, int) or isinstance(bs, bool) or not 1 <= bs <= 4096:
        problems.append("batch_size: an integer in 1..4096")
    ml = params.get("max_length", 512)
    if not isinstance(ml, int) or isinstance(ml, bool) or not 1 <= ml <= 1_000_000:
        problems.append("max_length: a positive integer")
    if problems:
        raise WorkerError("invalid-params", "invalid zero_shot params: " + "; ".join(problems), "fix these values")
    return {"model": model, "texts": texts, "labels": labels, "template": template, "batch_size": bs, "max_length": ml}


def entailment_id(label2id: dict) -> int:
    """The NLI model's entailment class (named "entailment", "ENTAILMENT", "entail…")."""
    for name, i in label2id.items():
        if name.lower().startswith("entail"):
            return int(i)
    raise WorkerError("bad-model", f"the model has no entailment label (labels: {', '.join(label2id)})", "zero-shot scoring needs an NLI classifier, e.g. facebook/bart-large-mnli")


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
        raise WorkerError("bad-model", f"{p['model']} is not a usable NLI classifier: {err}", "give a Hugging Face id or a folder with config.json, weights and a tokenizer") from err
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token or tok.unk_token
    if getattr(model.config, "pad_token_id", None) is None:
        model.config.pad_token_id = tok.pad_token_id
    entail = entailment_id(model.config.label2id or {})
    model.to(device).eval()
    labels, texts = p["labels"], p["texts"]
    hypotheses = [p["template"].format(label) for label in labels]
    pairs = [(ti, li) for ti in range(len(texts)) for li in range(len(labels))]
    logits = [[0.0] * len(labels) for _ in texts]
    truncated = set()
    ctx.progress(0, len(texts), unit="texts")
    done_texts = 0
    for start in range(0, len(pairs), p["batch_size"]):
        ctx.check_cancel()
        chunk = pairs[start:start + p["batch_size"]]
        first = [texts[ti] for ti, _ in chunk]
        second = [hypotheses[li] for _, li in chunk]
        lengths = [len(ids) for ids in tok(first, second, add_special_tokens=True).input_ids]
        truncated.update(ti for (ti, _), n in zip(chunk, lengths) if n > p["max_length"])
        enc = tok(first, second, padding=True, truncation="only_first", max_length=p["max_length"], return_tensors="pt").to(device)
        with torch.no_grad():
            out = model(**enc).logits.float()[:, entail].cpu().tolist()
        for (ti, li), value in zip(chunk, out):
            logits[ti][li] = value
        finished = (chunk[-1][0] + 1) if chunk[-1][1] == len(labels) - 1 else chunk[-1][0]
        if finished > done_texts:
            done_texts = finished
            ctx.progress(done_texts, len(texts), unit="texts")
    results = []
    for row in logits:
        probs = torch.softmax(torch.tensor(row), dim=-1).tolist()
        best = max(range(len(labels)), key=probs.__getitem__)
        results.append({"label": labels[best], "probs": dict(zip(labels, probs))})
    return {"labels": labels, "results": results, "truncated": len(truncated), "device": device}
