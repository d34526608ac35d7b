"""Generate with a Hugging Face causal LM (optionally + a peft LoRA adapter), for parity checks
against node-llama-cpp: greedy by default, one prompt at a time (no padding effects), token ids
and counts returned with the text.

params: base (HF id or folder), adapter_dir (optional), prompts (list of str),
        max_new_tokens (default 64), do_sample (default false), temperature, top_p, seed,
        add_special_tokens (default true: BOS as llama.cpp adds it).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import WorkerError


def _params(params: dict) -> dict:
    problems = []
    base = params.get("base")
    if not isinstance(base, str) or not base:
        problems.append("base: a Hugging Face model id or a folder")
    prompts = params.get("prompts")
    if not isinstance(prompts, list) or not prompts or not all(isinstance(p, str) for p in prompts):
        problems.append("prompts: a non-empty list of strings")
    mnt = params.get("max_new_tokens", 64)
    if not isinstance(mnt, int) or isinstance(mnt, bool) or not 1 <= mnt <= 8192:
        problems.append("max_new_tokens: an integer in 1..8192")
    temperature = params.get("temperature", 1.0)
    if not isinstance(temperature, (int, float)) or temperature <= 0:
        problems.append("temperature: a number > 0")
    top_p = params.get("top_p", 1.0)
    if not isinstance(top_p, (int, float)) or not 0 < top_p <= 1:
        problems.append("top_p: a number in (0, 1]")
    adapter = params.get("adapter_dir")
    if adapter is not None and not (Path(str(adapter)) / "adapter_config.json").is_file():
        raise WorkerError("not-found", f"no adapter in {adapter}", "pass a run's adapter folder or a checkpoint folder")
    if problems:
        raise WorkerError("invalid-params", "invalid generate params: " + "; ".join(problems), "fix these values")
    return {
        "base": base,
        "adapter": adapter,
        "prompts": prompts,
        "max_new_tokens": mnt,
        "do_sample": bool(params.get("do_sample", False)),
        "temperature": float(temperature),
        "top_p": float(top_p),
        "seed": int(params.get("seed", 0)),
        "add_special_tokens": bool(params.get("add_special_tokens", True)),
    }


def main(params: dict, ctx) -> dict:
    p = _params(params)
    from .train import _torch

    torch = _torch()
    from transformers import AutoModelForCausalLM, AutoTokenizer

    device = "cuda" if torch.cuda.is_available() else "cpu"
    try:
        tok = AutoTokenizer.from_pretrained(p["base"])
        model = AutoModelForCausalLM.from_pretrained(p["base"], dtype=torch.float32 if device == "cpu" else "auto")
    except Exception as err:  # noqa: BLE001
        raise WorkerError("bad-base", f"{p['base']} is not a usable causal LM: {err}", "give a Hugging Face model id or a folder with config.json, weights and a tokenizer") from err
    if p["adapter"]:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(p["adapter"]))
    model.to(device).eval()
    ctx.log(f"generating for {len(p['prompts'])} prompts on {device}")
    gen = {"max_new_tokens": p["max_new_tokens"], "do_sample": p["do_sample"], "pad_token_id": tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id}
    if p["do_sample"]:
        gen.update(temperature=p["temperature"], top_p=p["top_p"])
    else:  # greedy: no sampling knobs, so generation_config does not warn about unused ones
        gen.update(temperature=None, top_p=None, top_k=None)
    outputs = []
    total = len(p["prompts"])
    for i, prompt in enumerate(p["prompts"]):
        ctx.check_cancel()
        torch.manual_seed(p["seed"])
        ids = tok(prompt, add_special_tokens=p["add_special_tokens"], return_tensors="pt").input_ids.to(device)
        with torch.no_grad():
            out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), **gen)
        new = out[0, ids.shape[1]:].tolist()
        finished = bool(new) and tok.eos_token_id is not None and new[-1] == tok.eos_token_id
        outputs.append(
            {
                "prompt": prompt,
                "text": tok.decode(new, skip_special_tokens=True),
                "tokens": new,
                "promptTokens": int(ids.shape[1]),
                "completionTokens": len(new),
                "finishReason": "eos" if finished else "length",
            }
        )
        ctx.progress(i + 1, total, unit="prompts")
    return {"outputs": outputs, "greedy": not p["do_sample"], "device": device}
