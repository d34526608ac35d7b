"""The tiny pipeline through the worker protocol: train, checkpoint, resume, merge, GGUF."""

import errno
import importlib.util
import json
import subprocess
from pathlib import Path

import pytest
from helpers import call, llama2_chat_jsonl, read_message, start_worker

pytestmark = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed")

CFG = dict(use_4bit=False, max_steps=8, save_steps=4, per_device_train_batch_size=8, learning_rate=3e-3, lora_r=8,
           lora_dropout=0.0, max_seq_length=256, early_stopping_patience=0,
           lora_target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "lm_head"])


@pytest.fixture
def worker():
    proc = start_worker({"SRLAB_TORCH_THREADS": "2"})
    read_message(proc)
    yield proc
    proc.kill()
    proc.wait()


def test_the_tiny_tokenizer_keeps_legacy_bos_and_its_sentencepiece_model(tiny):
    cfg = json.loads((tiny / "tokenizer_config.json").read_text())
    assert cfg["legacy"] is True and cfg["add_bos_token"] is True
    assert (tiny / "tokenizer.model").is_file()


def test_trains_checkpoints_and_resumes_to_the_same_step_count(tiny, worker, tmp_path):
    data = tmp_path / "train.jsonl"
    llama2_chat_jsonl(data)
    events = []
    r = call(worker, 1, "train", {"base": str(tiny), "train_file": str(data), "config": CFG, "run_dir": str(tmp_path / "run")}, on_event=events.append)
    assert "result" in r, r
    res = r["result"]
    assert res["steps"] == 8 and res["finalLoss"] < res["initialLoss"]
    assert res["truncated"] > 0  # counted, never silent
    assert [e["step"] for e in events if e["event"] == "checkpoint"] == [4, 8]
    ckpt = tmp_path / "run" / "checkpoints" / "step-000004"
    assert {p.name for p in ckpt.iterdir()} >= {"adapter_model.safetensors", "adapter_config.json", "train_config.json", "trainer_state.pt"}
    assert not (tmp_path / "run" / "adapter" / "README.md").exists()  # peft's README carries local paths
    again = call(worker, 2, "train", {"base": str(tiny), "train_file": str(data), "config": CFG, "run_dir": str(tmp_path / "run2"), "resume_from": str(ckpt)})
    assert again["result"]["steps"] == 8


def test_asking_for_4bit_without_bitsandbytes_or_cuda_offers_the_lora_path(tiny, worker, tmp_path):
    data = tmp_path / "train.jsonl"
    llama2_chat_jsonl(data, limit=4)
    r = call(worker, 1, "train", {"base": str(tiny), "train_file": str(data), "config": {**CFG, "use_4bit": True}, "run_dir": str(tmp_path / "r")})
    if importlib.util.find_spec("bitsandbytes") is None:
        assert r["error"]["code"] == "4bit-unavailable"
        assert "use_4bit=false" in r["error"]["hint"]


@pytest.mark.parametrize(
    "params, code",
    [
        ({"base": "/nonexistent/model"}, "bad-base"),
        ({"config": {"lora_r": 0}}, "invalid-config"),
    ],
)
def test_bad_input_gives_a_typed_error(tiny, worker, tmp_path, params, code):
    data = tmp_path / "train.jsonl"
    llama2_chat_jsonl(data, limit=4)
    base = {"base": str(tiny), "train_file": str(data), "config": CFG, "run_dir": str(tmp_path / "r")}
    r = call(worker, 1, "train", {**base, **params})
    assert r["error"]["code"] == code


def test_stops_early_when_eval_loss_stops_improving(tiny, worker, tmp_path):
    data, evals = tmp_path / "train.jsonl", tmp_path / "eval.jsonl"
    llama2_chat_jsonl(data, limit=16)
    llama2_chat_jsonl(evals, limit=4)
    # A learning rate far too high makes the eval loss worsen after the first evaluations.
    cfg = {**CFG, "learning_rate": 0.5, "max_grad_norm": 0, "save_steps": 1, "max_steps": 12, "early_stopping_patience": 2, "per_device_eval_batch_size": 4}
    events = []
    r = call(worker, 1, "train", {"base": str(tiny), "train_file": str(data), "eval_file": str(evals), "config": cfg, "run_dir": str(tmp_path / "r")}, on_event=events.append)
    res = r["result"]
    assert res["stoppedEarly"] is True and res["steps"] < 12
    evals_seen = [e["loss"] for e in events if e["event"] == "metric" and e["split"] == "eval"]
    assert min(evals_seen) == res["bestEvalLoss"]


@pytest.fixture
def small_fs(tmp_path):
    """A real 64 MB filesystem (tmpfs) to fill up; needs root (CI and this machine run as root)."""
    mnt = tmp_path / "fs"
    mnt.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mnt)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill(directory: Path) -> None:
    """Write zeros until the filesystem is full."""
    block = b"\0" * (1 << 20)
    with open(directory / "filler", "wb") as f:
        try:
            while True:
                f.write(block)
                f.flush()
        except OSError as err:
            assert err.errno == errno.ENOSPC, err


def test_a_full_disk_at_checkpoint_time_fails_clearly_and_keeps_earlier_checkpoints(tiny, worker, small_fs):
    data = small_fs / "train.jsonl"
    llama2_chat_jsonl(data, limit=16)
    run = small_fs / "run"
    filled = []

    def on_event(e):
        # The disk fills up right after the first checkpoint lands; the next one cannot be written.
        if e["event"] == "checkpoint" and not filled:
            fill(small_fs)
            filled.append(e["step"])

    r = call(worker, 1, "train", {"base": str(tiny), "train_file": str(data), "config": CFG, "run_dir": str(run)}, on_event=on_event)
    assert filled == [4]
    assert r["error"]["code"] == "disk-full", r
    assert "step-000008" in r["error"]["message"] and "resume" in r["error"]["hint"]
    ckpts = run / "checkpoints"
    assert sorted(p.name for p in ckpts.iterdir()) == ["step-000004"]  # no half-written step-000008 or .tmp
    kept = ckpts / "step-000004"
    assert {p.name for p in kept.iterdir()} >= {"adapter_model.safetensors", "trainer_state.pt", "train_config.json"}
    # After freeing space, the run resumes from the kept checkpoint to the end.
    (small_fs / "filler").unlink()
    again = call(worker, 2, "train", {"base": str(tiny), "train_file": str(data), "config": CFG, "run_dir": str(run), "resume_from": str(kept)})
    assert again["result"]["steps"] == 8
