"""The presets are what they say they are. srllm-paper is checked value by value against a table
written here from PAPER.md (Tables 3–4) and, where the paper is silent, the authors' released code
(github.com/shainarazavi/Safe-Responsible-LLM: utils/params.py, utils/config.py, training/train.py);
srlab-recommended differs from it only where srlab says so. Then the decisions that need no GPU:
the precision plan (fp16 with loss scaling on CUDA, float32 on the CPU, said in the log) and
length-grouped batching against transformers' own get_length_grouped_indices."""

import dataclasses
import importlib.util
import json
import random

import pytest

from srlab_worker.config import PRESETS_DIR, TrainConfig, validate_args
from srlab_worker.errors import WorkerError

# From PAPER.md "Training (Tables 3–4)" and, where it is silent, the authors' code (noted).
PAPER_TABLE = {
    "use_4bit": True,  # QLoRA
    "bnb_4bit_quant_type": "nf4",
    "bnb_4bit_compute_dtype": "float16",  # fp16 compute
    "use_nested_quant": True,  # double quantization (their code: False; the paper wins)
    "lora_r": 64,
    "lora_alpha": 16,
    "lora_dropout": 0.2,
    "lora_bias": "none",  # authors' code
    "lora_target_modules": ["q_proj", "v_proj"],  # authors' LoraConfig names none: PEFT's Llama default
    "num_train_epochs": 1,
    "max_steps": -1,  # authors' code
    "per_device_train_batch_size": 16,
    "per_device_eval_batch_size": 8,
    "gradient_accumulation_steps": 1,  # authors' code
    "learning_rate": 2e-4,
    "lr_scheduler_type": "constant",
    "warmup_ratio": 0.03,
    "weight_decay": 0.001,
    "max_grad_norm": 0.3,
    "optimizer": "paged_adamw_32bit",
    "max_seq_length": 1024,
    "save_steps": 25,
    "early_stopping_patience": 3,
    "logging_steps": 25,  # authors' code
    "precision": "auto",  # srlab: weights dtype when not 4-bit
    "fp16": True,  # Table 4 fp16; authors' code fp16=True
    "bf16": False,  # authors' code
    "response_only_loss": False,  # authors' SFTTrainer trains on the whole text
    "group_by_length": True,  # authors' code
    "final_checkpoint": "last",  # authors' code saves trainer.model after training
    "seed": 42,  # authors' code sets none: transformers' default
    "num_processes": 0,  # srlab
}

# What srlab-recommended changes, and nothing else.
RECOMMENDED_CHANGES = {
    "bnb_4bit_compute_dtype": "bfloat16",
    "lora_target_modules": [],  # every linear layer
    "lr_scheduler_type": "cosine",
    "logging_steps": 1,
    "fp16": False,
    "bf16": True,
    "response_only_loss": True,
    "group_by_length": False,
    "final_checkpoint": "best",
}


def preset(name: str) -> dict:
    return json.loads((PRESETS_DIR / f"{name}.json").read_text())


def test_the_paper_preset_is_tables_3_4_and_the_authors_code_value_by_value():
    assert preset("srllm-paper")["config"] == PAPER_TABLE


def test_srlab_recommended_changes_only_what_it_names_and_says_it_is_srlabs():
    rec = preset("srlab-recommended")
    assert rec["config"] == {**PAPER_TABLE, **RECOMMENDED_CHANGES}
    assert "srlab" in rec["description"] and "not the paper" in rec["description"]


@pytest.mark.parametrize("name", ["srllm-paper", "srlab-recommended"])
def test_every_preset_validates_and_names_a_source_for_every_key(name):
    p = preset(name)
    cfg = validate_args(p["config"])
    keys = {f.name for f in dataclasses.fields(TrainConfig)}
    assert set(p["config"]) == keys and set(p["sources"]) == keys
    assert dataclasses.asdict(cfg) == p["config"]


def test_nothing_in_the_presets_credits_the_paper_with_what_it_does_not_say():
    paper = preset("srllm-paper")
    # The paper is silent on these: their sources must name the authors' code or srlab, not the paper.
    for key in ("lora_target_modules", "response_only_loss", "group_by_length", "logging_steps", "final_checkpoint", "bf16"):
        assert not paper["sources"][key].startswith("paper"), key
    assert "no effect" in paper["sources"]["warmup_ratio"] and "does nothing" in paper["description"]
    for p in PRESETS_DIR.glob("*.json"):
        assert "as the paper does" not in p.read_text()


def test_fp16_and_bf16_together_are_refused():
    with pytest.raises(WorkerError) as err:
        validate_args({"fp16": True, "bf16": True})
    assert "fp16, bf16" in err.value.message


def test_final_checkpoint_takes_best_or_last_only():
    with pytest.raises(WorkerError) as err:
        validate_args({"final_checkpoint": "first"})
    assert "final_checkpoint" in err.value.message and "best, last" in err.value.message


# ---- precision ------------------------------------------------------------------------------

needs_torch = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed")


@needs_torch
def test_paper_precision_on_cuda_is_fp16_autocast_with_loss_scaling():
    from srlab_worker.jobs.train import precision_plan

    plan = precision_plan(validate_args(PAPER_TABLE), "cuda", bf16_supported=True)
    assert (plan.autocast, plan.loss_scaling, plan.bnb_compute, plan.weights) == ("float16", True, "float16", "float16")
    assert [lvl for lvl, _ in plan.notes] == ["info"] and "GradScaler" in plan.notes[0][1]


@needs_torch
def test_paper_precision_on_the_cpu_falls_back_to_float32_and_says_so():
    from srlab_worker.jobs.train import precision_plan

    plan = precision_plan(validate_args({**PAPER_TABLE, "use_4bit": False}), "cpu", bf16_supported=False)
    assert (plan.autocast, plan.loss_scaling, plan.weights) == (None, False, "float32")
    assert plan.notes == (("warn", "fp16=true needs a CUDA GPU: training in float32 on cpu instead (no mixed precision, no loss scaling)"),)


@needs_torch
@pytest.mark.parametrize("bf16_supported, autocast, scaling, bnb", [(True, "bfloat16", False, "bfloat16"), (False, "float16", True, "float16")])
def test_recommended_precision_is_bf16_where_supported_else_fp16_with_scaling(bf16_supported, autocast, scaling, bnb):
    from srlab_worker.jobs.train import precision_plan

    plan = precision_plan(validate_args({**PAPER_TABLE, **RECOMMENDED_CHANGES}), "cuda", bf16_supported)
    assert (plan.autocast, plan.loss_scaling, plan.bnb_compute) == (autocast, scaling, bnb)
    assert any(lvl == "warn" for lvl, _ in plan.notes) == (not bf16_supported)


@needs_torch
def test_without_mixed_precision_flags_the_old_weights_rule_holds_and_fp16_weights_still_get_a_scaler():
    from srlab_worker.jobs.train import precision_plan

    cfg = validate_args({"use_4bit": False})
    assert precision_plan(cfg, "cpu", False).autocast is None
    assert (precision_plan(cfg, "cuda", True).autocast, precision_plan(cfg, "cuda", True).loss_scaling) == ("bfloat16", False)
    assert (precision_plan(cfg, "cuda", False).autocast, precision_plan(cfg, "cuda", False).loss_scaling) == ("float16", True)


@needs_torch
def test_the_paper_preset_on_cuda_loads_4bit_with_fp16_compute_through_the_plan():
    import torch
    from srlab_worker.jobs.train import model_load_kwargs, precision_plan

    cfg = validate_args(PAPER_TABLE)
    load = model_load_kwargs(torch, cfg, "cuda", 0, precision_plan(cfg, "cuda", True))
    assert load["dtype"] == torch.float16 and load["quantization_config"].bnb_4bit_compute_dtype == torch.float16


# ---- group_by_length --------------------------------------------------------------------------


@needs_torch
def test_length_grouping_equals_transformers_get_length_grouped_indices_for_the_same_permutation(monkeypatch):
    import torch
    import transformers.trainer_pt_utils as tpu
    from srlab_worker.jobs.train import length_grouped_order

    rng = random.Random(7)
    lengths = [rng.randint(5, 400) for _ in range(203)]
    for batch in (4, 16, 64):
        ours = length_grouped_order(lengths, batch, random.Random(3))
        perm = list(range(len(lengths)))
        random.Random(3).shuffle(perm)  # the permutation ours drew, handed to transformers
        monkeypatch.setattr(tpu.torch, "randperm", lambda n, generator=None, _p=perm: torch.tensor(_p))
        assert ours == tpu.get_length_grouped_indices(lengths, batch)


@needs_torch
def test_group_by_length_cuts_padding_and_stays_seeded():
    from srlab_worker.jobs.train import step_plan

    rng = random.Random(1)
    lengths = [rng.randint(10, 500) for _ in range(256)]
    cfg = validate_args({"group_by_length": True, "per_device_train_batch_size": 8, "seed": 5})
    plain = dataclasses.replace(cfg, group_by_length=False)

    def padding(plan):
        return sum(max(lengths[i] for i in step) * len(step) - sum(lengths[i] for i in step) for step in plan)

    grouped = step_plan(256, cfg, 32, lengths=lengths)
    assert sorted(i for s in grouped for i in s) == list(range(256))  # one epoch: each example once
    assert grouped == step_plan(256, cfg, 32, lengths=lengths)  # seeded
    assert grouped != step_plan(256, dataclasses.replace(cfg, seed=6), 32, lengths=lengths)
    assert padding(grouped) < padding(step_plan(256, plain, 32, lengths=lengths)) / 3
    assert max(lengths[i] for i in grouped[0]) == max(lengths)  # the longest batch first, as transformers
    # Without lengths (or with the flag off) the order is the plain seeded shuffle.
    assert step_plan(256, cfg, 32) == step_plan(256, plain, 32, lengths=lengths)
