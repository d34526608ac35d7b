"""The training config is validated against train_config.schema.json, generated from the app's zod
TrainConfig: an out-of-range or unknown value is refused with a message naming the key, both in
validate_args and through the protocol's `train` job (before any model is loaded). The schema's
defaults are the dataclass's. The app side checks that this file is what its schema generates now
(tests/unit/worker/worker-contract.test.ts)."""

import dataclasses
import json

import pytest
from helpers import call, running_worker

from srlab_worker import schema as subset
from srlab_worker.config import SCHEMA, SCHEMA_FILE, TrainConfig, schema_view, validate_args
from srlab_worker.errors import WorkerError


def refused(raw: dict) -> str:
    with pytest.raises(WorkerError) as err:
        validate_args(raw)
    assert err.value.code == "invalid-config"
    return str(err.value)


@pytest.mark.parametrize(
    "raw, named",
    [
        ({"learning_rate": -0.001}, "learning_rate: -0.001 must be greater than 0"),
        ({"learning_rate": 0}, "learning_rate: 0 must be greater than 0"),
        ({"lora_r": 0}, "lora_r: 0 is below the minimum 1"),
        ({"lora_r": 1025}, "lora_r: 1025 is above the maximum 1024"),
        ({"lora_r": 2.5}, "lora_r: expected an integer"),
        ({"seed": 2**32}, "seed: 4294967296 is above the maximum 4294967295"),
        ({"optimizer": "sgd"}, "optimizer: 'sgd' is not one of adamw_torch, paged_adamw_32bit, paged_adamw_8bit"),
        ({"use_4bit": 1}, "use_4bit: expected true or false"),
        ({"lora_target_modules": ["q_proj", ""]}, "lora_target_modules[1]: '' is shorter than 1"),
        ({"lora_rank": 8}, "lora_rank: unknown key"),
    ],
)
def test_an_invalid_value_is_refused_naming_its_key(raw, named):
    assert named in refused(raw)


def test_every_problem_is_reported_at_once():
    message = refused({"learning_rate": -1, "lora_r": 0, "fp16": True, "bf16": True})
    assert "learning_rate:" in message and "lora_r:" in message and "fp16, bf16" in message


def test_valid_values_at_the_edges_pass_and_integral_floats_become_ints():
    cfg = validate_args({"lora_r": 1024, "learning_rate": 1, "seed": 2**32 - 1, "max_steps": 3.0})
    assert (cfg.lora_r, cfg.learning_rate, cfg.seed) == (1024, 1, 2**32 - 1)
    assert cfg.max_steps == 3 and isinstance(cfg.max_steps, int)


def test_the_dataclass_is_the_schema():
    props = SCHEMA["properties"]
    assert [f.name for f in dataclasses.fields(TrainConfig)] == list(props)
    assert dataclasses.asdict(TrainConfig()) == {k: v["default"] for k, v in props.items()}
    assert schema_view()["lora_r"] == {"type": "integer", "default": 64, "minimum": 1, "maximum": 1024}
    # Two configs never share the default list.
    a, b = TrainConfig(), TrainConfig()
    a.lora_target_modules.append("q_proj")
    assert b.lora_target_modules == []


def test_a_schema_keyword_outside_the_subset_is_refused_at_load():
    bad = json.loads(SCHEMA_FILE.read_text())
    bad["properties"]["lora_r"]["multipleOf"] = 2
    with pytest.raises(ValueError, match="multipleOf"):
        subset.check_supported(bad)


def test_the_train_job_refuses_an_out_of_range_config_naming_the_key(tmp_path):
    for proc in running_worker():
        r = call(proc, 1, "train", {"base": str(tmp_path / "no-model"), "train_file": str(tmp_path / "t.jsonl"),
                                    "config": {"learning_rate": -1, "lora_r": 0}, "run_dir": str(tmp_path / "run")}, timeout=120)
        assert r["error"]["code"] == "invalid-config", r
        assert "learning_rate: -1 must be greater than 0" in r["error"]["message"]
        assert "lora_r: 0 is below the minimum 1" in r["error"]["message"]
