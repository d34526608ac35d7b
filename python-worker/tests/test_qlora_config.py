"""The QLoRA settings of the paper preset reach transformers as they should. bitsandbytes and CUDA
are absent here, so the 4-bit load itself cannot run; what can be checked without them is that the
preset becomes the right BitsAndBytesConfig and placement, and which optimizer is chosen."""

import importlib.util
import json

import pytest

pytestmark = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed")


def paper_config():
    from srlab_worker.config import PRESETS_DIR, validate_args

    return validate_args(json.loads((PRESETS_DIR / "srllm-paper.json").read_text())["config"])


def test_the_paper_preset_loads_the_base_in_nf4_with_double_quantisation_and_fp16_compute():
    import torch
    from srlab_worker.jobs.train import model_load_kwargs

    load = model_load_kwargs(torch, paper_config(), "cuda", local_rank=3)
    q = load["quantization_config"]
    assert q.load_in_4bit and not q.load_in_8bit
    assert q.bnb_4bit_quant_type == "nf4"
    assert q.bnb_4bit_use_double_quant is True
    assert q.bnb_4bit_compute_dtype == torch.float16
    # The whole quantised model on this rank's GPU (DDP: one full copy per rank).
    assert load["device_map"] == {"": 3}


def test_without_4bit_the_weights_dtype_follows_precision_and_no_quantisation_is_asked():
    import dataclasses

    import torch
    from srlab_worker.jobs.train import model_load_kwargs

    cfg = dataclasses.replace(paper_config(), use_4bit=False)
    assert model_load_kwargs(torch, cfg, "cpu") == {"dtype": torch.float32}
    assert model_load_kwargs(torch, dataclasses.replace(cfg, precision="bfloat16"), "cpu") == {"dtype": torch.bfloat16}


def test_paged_adamw_falls_back_to_torch_adamw_with_the_same_hyperparameters_and_says_so():
    import torch
    from srlab_worker.jobs.train import make_optimizer

    cfg = paper_config()
    said = []
    w = torch.nn.Parameter(torch.zeros(2))
    opt = make_optimizer(torch, cfg, [w], "cpu", lambda message, level: said.append((level, message)))
    assert type(opt) is torch.optim.AdamW
    group = opt.param_groups[0]
    assert group["lr"] == cfg.learning_rate == 2e-4
    assert group["weight_decay"] == cfg.weight_decay == 0.001
    assert said and said[0][0] == "warn" and "paged_adamw_32bit needs bitsandbytes" in said[0][1]
