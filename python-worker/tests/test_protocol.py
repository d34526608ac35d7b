"""The worker's JSON-lines protocol, against the real worker process."""

import json
import signal
import time

import pytest
from helpers import call, read_message, send, start_worker

from srlab_worker.config import load_preset, validate_args
from srlab_worker.errors import WorkerError


@pytest.fixture
def worker():
    proc = start_worker()
    yield proc
    proc.kill()
    proc.wait()


def test_says_ready_first_with_its_pid_and_methods(worker):
    msg = read_message(worker)
    assert msg["ready"]["pid"] == worker.pid
    assert {"doctor", "train", "merge", "export_gguf", "export_lora_gguf"} <= set(msg["ready"]["methods"])


def test_sends_heartbeats_while_idle(worker):
    read_message(worker)
    assert "heartbeat" in read_message(worker, timeout=5, skip_heartbeats=False)


@pytest.mark.parametrize(
    "line, expected_id, message",
    [
        ("{not json", None, "not JSON"),
        ("[1, 2]", None, "needs an id and a method"),
        ('{"id": 7}', 7, "needs an id and a method"),
        ('{"id": 8, "method": "nope"}', 8, 'unknown method "nope"'),
        ('{"id": 9, "method": "doctor", "params": [1]}', 9, "params must be an object"),
    ],
)
def test_answers_malformed_requests_with_a_typed_error_and_keeps_serving(worker, line, expected_id, message):
    read_message(worker)
    send(worker, line)
    reply = read_message(worker)
    assert reply["id"] == expected_id
    assert reply["error"]["code"] == "bad-request"
    assert message in reply["error"]["message"]
    assert call(worker, 99, "ping")["result"]["pong"] > 0


def test_an_id_is_free_again_as_soon_as_its_reply_arrives(worker):
    # A client that reuses an id right after reading the reply must never see "already in use".
    for _ in range(400):
        r = call(worker, 7, "debug.sleep", {"steps": 1, "step_s": 0})
        assert r.get("result") == {"steps": 1}, r


def test_cancel_by_message_stops_a_job_between_steps(worker):
    read_message(worker)
    send(worker, {"id": 1, "method": "debug.sleep", "params": {"steps": 100, "step_s": 0.05}})
    while read_message(worker).get("event") != "progress":
        pass
    send(worker, {"id": 2, "method": "cancel", "params": {"id": 1}})
    replies = {}
    while len(replies) < 2:
        msg = read_message(worker)
        if "event" not in msg:
            replies[msg["id"]] = msg
    assert replies[2]["result"] == {"cancelled": True}
    assert replies[1]["error"]["code"] == "cancelled"


def test_a_crash_mid_job_ends_the_process_with_its_reason_on_stderr(worker):
    read_message(worker)
    send(worker, {"id": 1, "method": "debug.crash", "params": {"code": 3}})
    assert read_message(worker)["event"] == "progress"
    assert worker.wait(timeout=10) == 3
    assert "simulated segfault" in worker.stderr.read()


def test_a_worker_told_to_hang_never_says_ready():
    proc = start_worker({"SRLAB_WORKER_NEVER_READY": "1"})
    try:
        time.sleep(1.0)
        assert proc.poll() is None  # alive, silent: the supervisor's ready timeout must catch it
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def test_doctor_reports_python_and_packages(worker):
    read_message(worker)
    r = call(worker, 1, "doctor")["result"]
    assert r["python"] and r["python_version"]
    assert "torch" in r["packages"] and "bitsandbytes" in r["packages"]


def test_validate_args_reports_every_problem_at_once():
    with pytest.raises(WorkerError) as err:
        validate_args({"lora_r": 0, "lora_dropout": 2, "optimizer": "sgd", "bogus": 1, "use_4bit": "yes"})
    msg = err.value.message
    for part in ("lora_r", "lora_dropout", "optimizer", "bogus: unknown key", "use_4bit"):
        assert part in msg


def test_the_paper_preset_is_valid_and_uses_the_authors_names():
    cfg = validate_args(load_preset("srllm-paper")["config"])
    assert (cfg.lora_r, cfg.lora_alpha, cfg.lora_dropout, cfg.learning_rate) == (64, 16, 0.2, 2e-4)
    assert cfg.use_4bit and cfg.bnb_4bit_quant_type == "nf4" and cfg.use_nested_quant
    assert (cfg.per_device_train_batch_size, cfg.per_device_eval_batch_size, cfg.save_steps, cfg.early_stopping_patience) == (16, 8, 25, 3)
