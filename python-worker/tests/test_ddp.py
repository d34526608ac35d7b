"""Multi-process (DDP) training: the real `accelerate launch` starting srlab_worker.train_entry on
two CPU processes (gloo), rank 0 speaking the worker protocol on stdout."""

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
from helpers import WORKER_ROOT, llama2_chat_jsonl

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None or importlib.util.find_spec("accelerate") is None, reason="torch and accelerate are needed"
)

CFG = dict(use_4bit=False, max_steps=8, save_steps=4, per_device_train_batch_size=4, learning_rate=3e-3, lora_r=8,
           lora_dropout=0.0, max_seq_length=256, early_stopping_patience=0, per_device_eval_batch_size=2, optimizer="adamw_torch",
           lora_target_modules=["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj", "lm_head"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Launch:
    """`accelerate launch --multi_gpu --num_processes N -m srlab_worker.train_entry`, killed
    (whole process group) if it outlives `timeout`."""

    def __init__(self, params: dict, tmp_path, n: int = 2, timeout: float = 120):
        pfile = tmp_path / f"params-{time.monotonic_ns()}.json"
        pfile.write_text(json.dumps(params))
        env = {**os.environ, "PYTHONPATH": str(WORKER_ROOT), "OMP_NUM_THREADS": "1", "SRLAB_TORCH_THREADS": "1", "SRLAB_WORKER_HEARTBEAT_S": "0.5"}
        cmd = [sys.executable, "-m", "accelerate.commands.launch", "--multi_gpu", "--num_processes", str(n),
               "--main_process_port", str(free_port()), "-m", "srlab_worker.train_entry", "--params", str(pfile)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
        self.stderr: list[str] = []
        threading.Thread(target=lambda: self.stderr.extend(self.proc.stderr), daemon=True).start()
        self.timer = threading.Timer(timeout, self.kill)
        self.timer.start()

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def messages(self):
        """Every stdout line, each one JSON (heartbeats left out)."""
        for line in self.proc.stdout:
            msg = json.loads(line)
            if "heartbeat" not in msg:
                yield msg

    def finish(self) -> int:
        rc = self.proc.wait(timeout=60)
        self.timer.cancel()
        return rc


def run_to_end(params: dict, tmp_path):
    launch = Launch(params, tmp_path)
    msgs = list(launch.messages())
    rc = launch.finish()
    return msgs, rc, "".join(launch.stderr)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("data")
    llama2_chat_jsonl(d / "train.jsonl")
    llama2_chat_jsonl(d / "eval.jsonl", limit=6)
    return d


@pytest.fixture(scope="module")
def first_run(tiny, data, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ddp")
    params = {"base": str(tiny), "train_file": str(data / "train.jsonl"), "eval_file": str(data / "eval.jsonl"), "config": CFG,
              "run_dir": str(tmp / "run"), "cancel_file": str(tmp / "cancel")}
    msgs, rc, err = run_to_end(params, tmp)
    return dict(params=params, msgs=msgs, rc=rc, stderr=err, tmp=tmp)


def test_each_rank_takes_a_disjoint_share_that_covers_the_step():
    from srlab_worker.config import TrainConfig
    from srlab_worker.jobs.train import micro_batches, rank_micro_batches, step_plan

    for world, bs, accum in [(1, 8, 1), (2, 4, 1), (2, 3, 2), (4, 2, 3), (3, 5, 1)]:
        cfg = TrainConfig(per_device_train_batch_size=bs, gradient_accumulation_steps=accum, seed=7)
        plan = step_plan(37, cfg, 9, world)
        assert plan == step_plan(37, cfg, 9, world)  # the same on every rank
        for step in plan:
            assert len(step) == bs * accum * world
            shares = [rank_micro_batches(step, r, world, bs) for r in range(world)]
            assert all(len(share) == accum and all(len(mb) == bs for mb in share) for share in shares)
            flat = [i for share in shares for mb in share for i in mb]
            assert flat == step  # exactly the step's examples, each taken by one rank once
    # One process: the whole step, in micro-batches, as before DDP existed.
    cfg = TrainConfig(per_device_train_batch_size=4, gradient_accumulation_steps=2)
    assert micro_batches(10, cfg, 3) == [[s[:4], s[4:]] for s in step_plan(10, cfg, 3)]


def test_two_processes_train_checkpoint_and_report_once_per_step(first_run):
    msgs, rc = first_run["msgs"], first_run["rc"]
    assert rc == 0, first_run["stderr"][-3000:]
    ready = msgs[0]["ready"]
    assert ready["worldSize"] == 2 and ready["backend"] == "gloo" and ready["methods"] == ["train"]
    assert all(m.get("id") == "train" for m in msgs[1:])
    events = [m for m in msgs[1:] if "event" in m]
    # rank 0 alone reports: each step's progress, train metric and checkpoint exactly once
    assert [e["done"] for e in events if e["event"] == "progress"] == list(range(0, 9))
    assert [e["step"] for e in events if e["event"] == "metric" and e["split"] == "train"] == list(range(1, 9))
    assert [e["step"] for e in events if e["event"] == "checkpoint"] == [4, 8]
    assert [e["step"] for e in events if e["event"] == "metric" and e["split"] == "eval"] == [4, 8]
    assert "result" in msgs[-1] and sum("result" in m or "error" in m for m in msgs) == 1
    res = msgs[-1]["result"]
    assert res["world_size"] == 2 and res["device"] == "cpu x2 (gloo)"
    assert res["steps"] == res["total_steps"] == 8
    assert res["final_loss"] < res["initial_loss"]
    run = first_run["tmp"] / "run"
    for step in ("step-000004", "step-000008"):
        assert {p.name for p in (run / "checkpoints" / step).iterdir()} >= {"adapter_model.safetensors", "train_config.json", "trainer_state.pt"}
    assert (run / "adapter" / "adapter_model.safetensors").is_file()
    assert res["best_eval_loss"] is not None


def test_epochs_count_examples_over_all_processes(tiny, data, tmp_path):
    # 136 examples, 4 per process × 2 processes: 17 steps per epoch (one process would take 34).
    cfg = {**CFG, "max_steps": -1, "num_train_epochs": 1, "save_steps": 1000, "lora_target_modules": ["q_proj"]}
    params = {"base": str(tiny), "train_file": str(data / "train.jsonl"), "config": cfg, "run_dir": str(tmp_path / "run")}
    msgs, rc, err = run_to_end(params, tmp_path)
    assert rc == 0, err[-3000:]
    assert msgs[-1]["result"]["total_steps"] == 17 and msgs[-1]["result"]["examples"] == 136


def test_resuming_from_a_checkpoint_reaches_the_same_step_and_loss(first_run, tmp_path):
    assert first_run["rc"] == 0
    ckpt = first_run["tmp"] / "run" / "checkpoints" / "step-000004"
    params = {**first_run["params"], "run_dir": str(tmp_path / "run"), "resume_from": str(ckpt)}
    msgs, rc, err = run_to_end(params, tmp_path)
    assert rc == 0, err[-3000:]
    res, original = msgs[-1]["result"], first_run["msgs"][-1]["result"]
    assert res["steps"] == 8 and res["world_size"] == 2
    assert [m["done"] for m in msgs if m.get("event") == "progress"] == [4, 5, 6, 7, 8]
    assert res["final_loss"] == pytest.approx(original["final_loss"], rel=1e-4)


def test_a_cancel_file_stops_every_rank_with_a_cancelled_error(tiny, data, tmp_path):
    cancel = tmp_path / "cancel"
    params = {"base": str(tiny), "train_file": str(data / "train.jsonl"), "config": {**CFG, "max_steps": 10_000, "save_steps": 10_000},
              "run_dir": str(tmp_path / "run"), "cancel_file": str(cancel)}
    launch = Launch(params, tmp_path, timeout=90)
    msgs = []
    for msg in launch.messages():
        msgs.append(msg)
        if msg.get("event") == "progress" and msg["done"] >= 1:
            cancel.touch()
    rc = launch.finish()
    assert rc != 0
    assert msgs[-1]["error"]["code"] == "cancelled", "".join(launch.stderr)[-3000:]
    done = [m["done"] for m in msgs if m.get("event") == "progress"]
    assert max(done) < 10_000
    pid = msgs[0]["ready"]["pid"]  # rank 0 is gone, not left hanging in a collective
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
