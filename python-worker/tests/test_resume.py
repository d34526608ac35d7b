"""Resume is exact: a one-process run killed after a checkpoint, then resumed from it in a fresh
worker, continues at the next step with the same losses and learning rates as a run that was
never interrupted. Negative controls show the comparison catches a restart from step 0, a
resume that re-creates the optimizer, and one that re-creates the scheduler.

Tolerance: absolute 1e-5 on the loss. Both runs are fp32 on the CPU with the same thread count,
the same seed and the same batches (step_plan is a pure function of the seed), and the
checkpoint restores the adapter weights bit for bit (safetensors), the AdamW moments and step
counts, the scheduler position and torch's RNG (dropout masks). The remaining slack only covers
summation order in multithreaded CPU kernels; the negative controls differ by orders of
magnitude more (their measured gaps are asserted to exceed 100× the tolerance)."""

import importlib.util
import os
import signal

import pytest
from helpers import call, llama2_chat_jsonl, read_message, start_worker

pytestmark = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed")

TOL = 1e-5
CKPT = 4
STEPS = 8
LR = 1e-2
WARMUP = 0.375  # 3 warmup steps: a fresh scheduler's rates differ from the resumed ones at every step
# Pinned in full, so preset or default changes elsewhere cannot change what this test proves.
# A warmup + linear decay makes the scheduler's position visible in every step's learning rate;
# dropout > 0 makes the restored RNG state matter.
CFG = dict(use_4bit=False, precision="float32", response_only_loss=True, max_steps=STEPS, save_steps=CKPT,
           logging_steps=1, per_device_train_batch_size=4, gradient_accumulation_steps=1, learning_rate=LR,
           lr_scheduler_type="linear", warmup_ratio=WARMUP, weight_decay=0.001, max_grad_norm=0.3,
           optimizer="adamw_torch", lora_r=8, lora_alpha=16, lora_dropout=0.1, max_seq_length=128,
           early_stopping_patience=0, seed=42, lora_target_modules=["q_proj", "v_proj", "down_proj"],
           fp16=False, bf16=False, group_by_length=False, final_checkpoint="last")
ENV = {"SRLAB_TORCH_THREADS": "2"}


class Worker:
    """One worker process; train() sends it one `train` request and returns (events, result).
    With stop_after_checkpoint=N the worker is SIGKILLed as soon as checkpoint N is reported (a
    crash, not a cancel) and the result is None."""

    def __init__(self):
        self.proc = start_worker(ENV)
        read_message(self.proc)  # ready
        self.rid = 0

    def train(self, tiny, data, run_dir, resume_from=None, stop_after_checkpoint=None):
        events = []

        def on_event(e):
            events.append(e)
            if stop_after_checkpoint is not None and e["event"] == "checkpoint" and e["step"] == stop_after_checkpoint:
                os.kill(self.proc.pid, signal.SIGKILL)

        params = {"base": str(tiny), "train_file": str(data), "config": CFG, "run_dir": str(run_dir)}
        if resume_from:
            params["resume_from"] = str(resume_from)
        self.rid += 1
        try:
            reply = call(self.proc, self.rid, "train", params, on_event=on_event, timeout=300)
        except EOFError:
            assert stop_after_checkpoint is not None, "the worker died unasked"
            return events, None
        assert "result" in reply, reply
        return events, reply["result"]

    def close(self):
        self.proc.kill()
        self.proc.wait()


def train(tiny, data, run_dir, **kw):
    """One run in a fresh worker process."""
    w = Worker()
    try:
        return w.train(tiny, data, run_dir, **kw)
    finally:
        w.close()


def train_metrics(events):
    """{step: (loss, lr)} of the train metrics, in the order they were logged."""
    return {e["step"]: (e["loss"], e["lr"]) for e in events if e["event"] == "metric" and e["split"] == "train"}


def assert_continues(reference, resumed_events, ckpt=CKPT, tol=TOL):
    """The resumed run's first logged step is ckpt + 1, and every step from there matches the
    uninterrupted run: loss within tol, learning rate equal."""
    logged = [e["step"] for e in resumed_events if e["event"] == "metric" and e["split"] == "train"]
    assert logged and logged[0] == ckpt + 1, f"first step logged after resume is {logged[:1]}, expected {ckpt + 1}"
    got = train_metrics(resumed_events)
    assert sorted(got) == list(range(ckpt + 1, STEPS + 1))
    for step, (loss, lr) in got.items():
        ref_loss, ref_lr = reference[step]
        assert lr == pytest.approx(ref_lr, rel=1e-9, abs=1e-15), f"step {step}: lr {lr} != {ref_lr}"
        assert abs(loss - ref_loss) <= tol, f"step {step}: loss {loss} vs uninterrupted {ref_loss} (|Δ| {abs(loss - ref_loss):.3g} > {tol})"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    path = tmp_path_factory.mktemp("resume-data") / "train.jsonl"
    llama2_chat_jsonl(path, limit=48)
    return path


@pytest.fixture(scope="module")
def shared():
    """One worker for the uninterrupted run and the controls (a torch import takes seconds)."""
    w = Worker()
    yield w
    w.close()


@pytest.fixture(scope="module")
def reference(tiny, data, shared, tmp_path_factory):
    """The uninterrupted run: every step's (loss, lr)."""
    events, result = shared.train(tiny, data, tmp_path_factory.mktemp("uninterrupted") / "run")
    assert result["steps"] == STEPS
    metrics = train_metrics(events)
    assert sorted(metrics) == list(range(1, STEPS + 1))
    return metrics


@pytest.fixture(scope="module")
def crashed(tiny, data, tmp_path_factory):
    """A run whose worker is killed right after checkpoint CKPT lands: its checkpoint folder."""
    run = tmp_path_factory.mktemp("crashed") / "run"
    events, result = train(tiny, data, run, stop_after_checkpoint=CKPT)
    assert result is None and [e["step"] for e in events if e["event"] == "checkpoint"] == [CKPT]
    ckpt = run / "checkpoints" / f"step-{CKPT:06d}"
    assert (ckpt / "trainer_state.pt").is_file()
    return run, ckpt


def test_a_killed_run_resumes_at_the_next_step_with_the_uninterrupted_losses(tiny, data, reference, crashed):
    run, ckpt = crashed
    events, result = train(tiny, data, run, resume_from=ckpt)  # a fresh worker, as after a crash
    assert result["steps"] == STEPS
    # Progress restarts at the checkpoint's step, not at 0.
    assert [e["done"] for e in events if e["event"] == "progress"][0] == CKPT
    assert [e["step"] for e in events if e["event"] == "checkpoint"] == [STEPS]
    assert_continues(reference, events)
    assert result["final_loss"] == pytest.approx(reference[STEPS][0], abs=TOL)


def test_the_checkpoint_holds_optimizer_scheduler_and_rng_state(crashed):
    import torch

    saved = torch.load(crashed[1] / "trainer_state.pt", weights_only=False, map_location="cpu")
    assert saved["state"]["step"] == CKPT
    moments = saved["optimizer"]["state"]
    assert moments and all(int(s["step"]) == CKPT and float(s["exp_avg_sq"].abs().sum()) > 0 for s in moments.values())
    assert saved["scheduler"]["last_epoch"] == CKPT
    assert saved["torch_rng"].numel() > 0


def test_negative_control_a_restart_from_step_0_fails_the_comparison(tiny, data, reference, shared, tmp_path):
    # What a broken resume looks like: the checkpoint is ignored and training starts over.
    events, result = shared.train(tiny, data, tmp_path / "run")
    assert result["steps"] == STEPS
    with pytest.raises(AssertionError, match=r"first step logged after resume is \[1\]"):
        assert_continues(reference, events)


def tampered(ckpt, tmp_path, name, edit):
    """A copy of the checkpoint with trainer_state.pt changed by edit(saved)."""
    import shutil

    import torch

    out = tmp_path / name
    shutil.copytree(ckpt, out)
    saved = torch.load(out / "trainer_state.pt", weights_only=False, map_location="cpu")
    edit(saved)
    torch.save(saved, out / "trainer_state.pt")
    return out


def loss_gap(reference, events, step):
    return abs(train_metrics(events)[step][0] - reference[step][0])


def test_negative_control_a_resume_with_a_fresh_optimizer_differs_at_checkpoint_plus_2(tiny, data, reference, shared, crashed, tmp_path):
    # AdamW with no moments and step 0, as if the optimizer were re-created at resume.
    ckpt = tampered(crashed[1], tmp_path, "fresh-optim", lambda s: s["optimizer"].update(state={}))
    events, _ = shared.train(tiny, data, tmp_path / "run", resume_from=ckpt)
    # Step ckpt+1's loss is computed before the first update, so it still matches ...
    assert loss_gap(reference, events, CKPT + 1) <= TOL
    # ... and the first update with fresh moments (bias correction at step 1) shows at ckpt+2.
    assert loss_gap(reference, events, CKPT + 2) > 100 * TOL
    with pytest.raises(AssertionError, match=f"step {CKPT + 2}: loss"):
        assert_continues(reference, events)


def test_negative_control_a_resume_with_a_fresh_scheduler_differs(tiny, data, reference, shared, crashed, tmp_path):
    import torch
    from transformers import get_scheduler

    def fresh_scheduler(saved):
        opt = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=LR)
        saved["scheduler"] = get_scheduler("linear", opt, num_warmup_steps=int(WARMUP * STEPS), num_training_steps=STEPS).state_dict()

    ckpt = tampered(crashed[1], tmp_path, "fresh-sched", fresh_scheduler)
    events, _ = shared.train(tiny, data, tmp_path / "run", resume_from=ckpt)
    with pytest.raises(AssertionError, match=f"step {CKPT + 1}: lr"):
        assert_continues(reference, events)
    # The learning rate of step ckpt+1 is the optimizer's own (restored); the scheduler's wrong
    # position changes the next one, which shows in the loss at ckpt+3.
    assert loss_gap(reference, events, CKPT + 3) > 100 * TOL
