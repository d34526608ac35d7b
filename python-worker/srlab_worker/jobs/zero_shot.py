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
from ._hf_text import batches, common_params, encode, load_classifier, raise_problems


def _params(params: dict) -> dict:
    labels = params.get("labels")
    template = params.get("hypothesis_template", "This text is {}.")

    def check_labels(problems: list) -> None:
        if not isinstance(labels, list) or not labels or not all(isinstance(x, str) and x for x in labels) or len(set(labels)) != len(labels):
            problems.append("labels: a non-empty list of distinct strings")
        if not isinstance(template, str) or template.count("{}") != 1:
            problems.append('hypothesis_template: a string with exactly one "{}"')

    problems: list = []
    p = common_params(params, problems, default_batch_size=64, check_more=check_labels)
    raise_problems("zero_shot", problems)
    return {**p, "labels": labels, "template": template}


def entailment_id(label2id: dict) -> int:
    """The NLI model's entailment class (named "entailment", "ENTAILMENT", "entail…")."""
    for name, i in label2id.items():
        if name.lower().startswith("entail"):
            return int(i)
    raise WorkerError("bad-model", f"the model has no entailment label (labels: {', '.join(label2id)})", "zero-shot scoring needs an NLI classifier, e.g. facebook/bart-large-mnli")


def main(params: dict, ctx) -> dict:
    p = _params(params)
    torch, tok, model, device = load_classifier(p["model"], "NLI classifier")
    entail = entailment_id(model.config.label2id or {})
    labels, texts = p["labels"], p["texts"]
    hypotheses = [p["template"].format(label) for label in labels]
    pairs = [(ti, li) for ti in range(len(texts)) for li in range(len(labels))]
    logits = [[0.0] * len(labels) for _ in texts]
    truncated = set()
    ctx.progress(0, len(texts), unit="texts")
    done_texts = 0
    for _, chunk in batches(pairs, p["batch_size"], ctx):
        first = [texts[ti] for ti, _ in chunk]
        second = [hypotheses[li] for _, li in chunk]
        # Only the text is cut, never the hypothesis that names the label.
        enc, too_long = encode(tok, device, p["max_length"], first, second, truncation="only_first")
        truncated.update(ti for (ti, _), long in zip(chunk, too_long) if long)
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
