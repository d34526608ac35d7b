"""Token counts of llama2-chat JSON lines with the base's own tokenizer, exactly as `train` makes
its examples (train.encode_example), for the training preflight. Loads only the tokenizer, and only
from local files (a model folder or the Hugging Face cache): it never touches the network.

params: {base, files: [train, eval?], max_seq_length, response_only_loss}
result: {tokenizer, files: [{path, examples, dropped, tokens, kept, trainable, truncated, longest}]}
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import WorkerError
from .train import encode_example


def load_tokenizer(base: str):
    from transformers import AutoTokenizer

    try:
        return AutoTokenizer.from_pretrained(base, local_files_only=True)
    except Exception as err:  # noqa: BLE001
        raise WorkerError(
            "tokenizer-unavailable",
            f"no local tokenizer for {base}: {err}",
            "give a local model folder, or download the model once (the preflight never downloads)",
        ) from err


def count_file(path: str, tok, max_len: int, response_only: bool, ctx=None) -> dict:
    """One file's counts. `examples` are the ones train.read_examples keeps (some response token
    left after truncation), `dropped` the others; `truncated` counts every example cut, as train
    does. `tokens` and `longest` are over every record before truncation; `kept` (tokens fed to the
    model) and `trainable` (loss targets: labels after the shift, response only when masked) over
    the examples trained on."""
    examples = dropped = tokens = kept = trainable = truncated = longest = 0
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            if ctx is not None and n % 64 == 0:
                ctx.check_cancel()
            try:
                text = json.loads(line)["text"]
            except (json.JSONDecodeError, KeyError, TypeError) as err:
                raise WorkerError("bad-data", f"{Path(path).name} line {n}: not a {{\"text\": ...}} record ({err})", "export the split as llama2-chat") from err
            # The full length first (encode_example returns the ids cut to max_len).
            full, _, _ = encode_example(tok, text, 1 << 30, response_only)
            ids, labels, cut = encode_example(tok, text, max_len, response_only)
            truncated += cut
            tokens += len(full)
            longest = max(longest, len(full))
            if all(l == -100 for l in labels):
                dropped += 1
                continue
            examples += 1
            kept += len(ids)
            # The loss is on shifted labels: the first position is never a target.
            trainable += sum(1 for l in labels[1:] if l != -100)
    return {"path": path, "examples": examples, "dropped": dropped, "tokens": tokens, "kept": kept,
            "trainable": trainable, "truncated": truncated, "longest": longest}


def main(params: dict, ctx) -> dict:
    base = str(params.get("base") or "")
    files = [f for f in (params.get("files") or []) if f]
    if not base or not files:
        raise WorkerError("bad-params", "count_tokens needs a base and at least one file")
    max_len = int(params.get("max_seq_length") or 0)
    if max_len < 1:
        raise WorkerError("bad-params", "max_seq_length must be a positive integer")
    response_only = bool(params.get("response_only_loss", True))
    tok = load_tokenizer(base)
    out = []
    for i, path in enumerate(files):
        out.append(count_file(path, tok, max_len, response_only, ctx))
        ctx.progress(i + 1, len(files))
    name = getattr(tok, "name_or_path", "") or base
    return {"tokenizer": f"{type(tok).__name__} ({Path(name).name if Path(name).is_absolute() else name})", "files": out}
