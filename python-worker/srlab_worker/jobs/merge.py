"""Merge a LoRA adapter into its base and save a plain HF model (with tokenizer.model, which
the GGUF converter needs and `save_pretrained` would not re-save). The adapter's
srlab_adapter.json (which training step its weights are from: train.save_final_adapter) is
copied beside the merged weights and returned, so the merge and its GGUF say where they came from."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ..errors import WorkerError

TOKENIZER_FILES = ["tokenizer.model", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]


def main(params: dict, ctx) -> dict:
    from .train import ADAPTER_PROVENANCE, _torch

    torch = _torch()
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    base, adapter, out = params["base"], Path(params["adapter_dir"]), Path(params["out_dir"])
    if not (adapter / "adapter_config.json").is_file():
        raise WorkerError("not-found", f"no adapter in {adapter}", "train first, or pass a checkpoint folder")
    ctx.log("loading base and adapter")
    model = AutoModelForCausalLM.from_pretrained(base, dtype=torch.float32)
    model = PeftModel.from_pretrained(model, str(adapter)).merge_and_unload()
    ctx.check_cancel()
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(tmp, safe_serialization=True)
    if Path(base).is_dir():
        for name in TOKENIZER_FILES:
            if (Path(base) / name).is_file():
                shutil.copy(Path(base) / name, tmp / name)
    else:
        from huggingface_hub import hf_hub_download
        from transformers import AutoTokenizer

        AutoTokenizer.from_pretrained(base).save_pretrained(tmp)
        try:
            shutil.copy(hf_hub_download(base, "tokenizer.model"), tmp / "tokenizer.model")
        except Exception:  # noqa: BLE001 - BPE tokenizers have no tokenizer.model
            pass
    # Keep the tokenizer's `legacy` setting explicit: transformers 5 rebuilds from it at load.
    cfg_file = tmp / "tokenizer_config.json"
    if cfg_file.is_file():
        cfg = json.loads(cfg_file.read_text())
        cfg.setdefault("legacy", True)
        cfg_file.write_text(json.dumps(cfg, indent=2))
    provenance = None
    if (adapter / ADAPTER_PROVENANCE).is_file():
        provenance = json.loads((adapter / ADAPTER_PROVENANCE).read_text())
        shutil.copy(adapter / ADAPTER_PROVENANCE, tmp / ADAPTER_PROVENANCE)
        ctx.log(f"merged the adapter from step {provenance.get('step')} ({provenance.get('selected')})")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return {"out_dir": str(out), "adapter_checkpoint": provenance}
