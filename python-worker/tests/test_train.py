"""The tiny pipeline through the worker protocol: train, checkpoint, resume, merge, GGUF."""

import errno
import importlib.util
import json
import subprocess
from pathlib import Path

import pytest
from helpers import call, llama2_chat_jsonl, running_worker

pytestmark = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed")

CFG = dict(use_4bit=False, max_steps=8, save_steps=4, per_device_train_batch_size=8, learning_rate=3e-3, lora_r=8,
           lora_dropout=0.0, max_seq_length=256, early_stopping_patience=0,
           lora_target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "lm_head"])


@pytest.fixture
def worker():
    yield from running_worker()


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
    assert res["steps"] == 8 and res["final_loss"] < res["initial_loss"]
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
    assert res["stopped_early"] is True and res["steps"] < 12
    evals_seen = [e["loss"] for e in events if e["event"] == "metric" and e["split"] == "eval"]
    assert min(evals_seen) == res["best_eval_loss"]


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


def paper_preset_config(**overrides) -> dict:
    from srlab_worker.config import load_preset

    return {**load_preset("srllm-paper")["config"], **overrides}


def test_loss_on_the_whole_sequence_labels_every_token_and_response_only_masks_the_prompt(tiny):
    from transformers import AutoTokenizer

    from srlab_worker.jobs.train import encode_example

    tok = AutoTokenizer.from_pretrained(str(tiny))
    text = "<s>[INST] <<SYS>>\nS\n<</SYS>>\n\nOld people are slow. [/INST] People differ. </s>"
    ids, full, _ = encode_example(tok, text, 1024, response_only=False)
    _, masked, _ = encode_example(tok, text, 1024, response_only=True)
    prompt = 1 + len(tok("[INST] <<SYS>>\nS\n<</SYS>>\n\nOld people are slow. [/INST]", add_special_tokens=False).input_ids)
    assert ids[0] == tok.bos_token_id and ids[-1] == tok.eos_token_id
    # The literal `<s>` the export writes is the BOS token, as llama.cpp parses it at generation.
    literal = "<s>[INST] <<SYS>>\nS\n<</SYS>>\n\nOld people are slow. [/INST]"
    assert tok(literal, add_special_tokens=False).input_ids == ids[:prompt]
    assert ids.count(tok.bos_token_id) == 1
    assert full == ids  # the authors' SFTTrainer: every token is a target
    assert masked[:prompt] == [-100] * prompt and masked[prompt:] == ids[prompt:]


def test_the_paper_preset_on_the_cpu_trains_in_float32_on_the_whole_sequence_and_says_why(tiny, worker, tmp_path):
    data = tmp_path / "train.jsonl"
    llama2_chat_jsonl(data, limit=32)
    cfg = paper_preset_config(use_4bit=False, max_steps=4, save_steps=2, per_device_train_batch_size=8, max_seq_length=256)
    events = []
    r = call(worker, 1, "train", {"base": str(tiny), "train_file": str(data), "config": cfg, "run_dir": str(tmp_path / "run")}, on_event=events.append)
    res = r["result"]
    logs = "\n".join(e["message"] for e in events if e["event"] == "log")
    assert "fp16=true needs a CUDA GPU: training in float32 on cpu instead" in logs
    assert "loss on the whole sequence (prompt and response); batches grouped by length (seeded)" in logs
    assert "warmup_ratio=0.03 has no effect with lr_scheduler_type=constant" in logs
    assert "LoRA on q_proj, v_proj" in logs
    adapter_cfg = json.loads((tmp_path / "run" / "adapter" / "adapter_config.json").read_text())
    assert sorted(adapter_cfg["target_modules"]) == ["q_proj", "v_proj"]
    # logging_steps 25 (the authors'): in a 4-step run only the last step is logged.
    assert [e["step"] for e in events if e["event"] == "metric" and e["split"] == "train"] == [4]
    assert res["adapter_checkpoint"] == {"step": 4, "selected": "last", "eval_loss": None, "reason": "final_checkpoint=last: the last step's weights"}


def adapter_tensors(folder: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(str(folder / "adapter_model.safetensors"))


def same_tensors(a: dict, b: dict) -> bool:
    import torch

    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


@pytest.mark.parametrize("final", ["best", "last"])
def test_final_checkpoint_picks_the_adapter_and_the_merge_says_which_step_it_is_from(tiny, worker, tmp_path, final):
    data, evals = tmp_path / "train.jsonl", tmp_path / "eval.jsonl"
    llama2_chat_jsonl(data, limit=16)
    llama2_chat_jsonl(evals, limit=4)
    # A learning rate far too high: the eval loss is best early and worse at the last step.
    cfg = {**CFG, "learning_rate": 0.5, "max_grad_norm": 0, "save_steps": 1, "max_steps": 6, "per_device_eval_batch_size": 4, "final_checkpoint": final}
    events = []
    run = tmp_path / "run"
    r = call(worker, 1, "train", {"base": str(tiny), "train_file": str(data), "eval_file": str(evals), "config": cfg, "run_dir": str(run)}, on_event=events.append)
    res = r["result"]
    eval_by_step = {e["step"]: e["loss"] for e in events if e["event"] == "metric" and e["split"] == "eval"}
    best = min(eval_by_step, key=eval_by_step.get)
    assert best < 6, eval_by_step  # the scenario tells best from last
    want = best if final == "best" else 6
    chosen = res["adapter_checkpoint"]
    assert (chosen["step"], chosen["selected"], chosen["eval_loss"]) == (want, final, eval_by_step[want])
    kept = adapter_tensors(run / "adapter")
    assert same_tensors(kept, adapter_tensors(run / "checkpoints" / f"step-{want:06d}"))
    other = 6 if final == "best" else best
    assert not same_tensors(kept, adapter_tensors(run / "checkpoints" / f"step-{other:06d}"))
    assert json.loads((run / "adapter" / "srlab_adapter.json").read_text()) == chosen
    merged = call(worker, 2, "merge", {"base": str(tiny), "adapter_dir": str(run / "adapter"), "out_dir": str(tmp_path / "merged")})
    assert merged["result"]["adapter_checkpoint"] == chosen
    assert json.loads((tmp_path / "merged" / "srlab_adapter.json").read_text()) == chosen
