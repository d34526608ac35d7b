"""The loss-scaling path of the training loop (the paper preset's fp16 on CUDA) run for real on
the CPU: no CUDA here, so precision_plan is told loss_scaling=True and the loop uses a
torch.amp.GradScaler on the CPU device, exactly the code fp16 takes on CUDA (scale the loss,
unscale before clipping, scaler.step, scaler.update, scaler state in checkpoints and resume).

In float32 a power-of-two loss scale is exact: scaling the loss by 2**16 and unscaling the
gradients before clipping gives the same gradients, so the losses must equal an unscaled run's.
A loop that clipped the still-scaled gradients (no unscale_ first) or skipped steps would not."""

import dataclasses
import importlib.util

import pytest
from helpers import llama2_chat_jsonl

pytestmark = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed")

CFG = dict(use_4bit=False, precision="float32", max_steps=6, save_steps=3, per_device_train_batch_size=4, learning_rate=3e-3,
           lora_r=8, lora_dropout=0.0, max_seq_length=128, early_stopping_patience=0, max_grad_norm=0.3, logging_steps=1,
           optimizer="adamw_torch", lora_target_modules=["q_proj", "v_proj"])


class Sink:
    """A protocol channel that keeps the messages."""

    def __init__(self):
        self.messages = []

    def send(self, message):
        self.messages.append(message)


def run(tiny, data, run_dir, monkeypatch, scaling, resume_from=None):
    from srlab_worker.jobs import train
    from srlab_worker.protocol import JobContext

    monkeypatch.setenv("SRLAB_TORCH_THREADS", "2")
    real = train.precision_plan
    monkeypatch.setattr(train, "precision_plan", lambda cfg, device, bf16: dataclasses.replace(real(cfg, device, bf16), loss_scaling=scaling))
    sink = Sink()
    params = {"base": str(tiny), "train_file": str(data), "config": CFG, "run_dir": str(run_dir), "resume_from": resume_from}
    result = train.run(params, JobContext(sink, "t"), train.Dist())
    losses = {m["step"]: m["loss"] for m in sink.messages if m.get("event") == "metric" and m["split"] == "train"}
    return result, losses


def trainer_state(run_dir, step):
    import torch

    return torch.load(run_dir / "checkpoints" / f"step-{step:06d}" / "trainer_state.pt", weights_only=False)


def test_loss_scaling_gives_the_unscaled_losses_and_its_state_survives_a_resume(tiny, tmp_path, monkeypatch):
    data = tmp_path / "train.jsonl"
    llama2_chat_jsonl(data, limit=24)
    plain, plain_losses = run(tiny, data, tmp_path / "plain", monkeypatch, scaling=False)
    scaled, scaled_losses = run(tiny, data, tmp_path / "scaled", monkeypatch, scaling=True)
    assert sorted(scaled_losses) == [1, 2, 3, 4, 5, 6]
    assert scaled_losses == pytest.approx(plain_losses, rel=0, abs=1e-6)
    assert trainer_state(tmp_path / "plain", 3)["scaler"] is None
    # No overflow in float32: the scale stays at its initial 2**16 and every step counted.
    state = trainer_state(tmp_path / "scaled", 3)["scaler"]
    assert state["scale"] == 2.0**16 and state["_growth_tracker"] == 3
    # Resumed from step 3, the scaler continues where it was (a fresh one would count from 0).
    _, resumed_losses = run(tiny, data, tmp_path / "resumed", monkeypatch, scaling=True, resume_from=str(tmp_path / "scaled" / "checkpoints" / "step-000003"))
    assert resumed_losses == pytest.approx({s: scaled_losses[s] for s in (4, 5, 6)}, rel=0, abs=1e-6)
    assert trainer_state(tmp_path / "resumed", 6)["scaler"]["_growth_tracker"] == 6
    assert plain["steps"] == scaled["steps"] == 6
