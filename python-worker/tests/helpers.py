"""Test helpers: run the real worker as a subprocess and speak its protocol."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

WORKER_ROOT = Path(__file__).resolve().parents[1]
REPO = WORKER_ROOT.parent


def start_worker(extra_env: dict | None = None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(WORKER_ROOT), "SRLAB_WORKER_DEBUG": "1", "SRLAB_WORKER_HEARTBEAT_S": "0.2", **(extra_env or {})}
    return subprocess.Popen([sys.executable, "-m", "srlab_worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, bufsize=1)


def read_message(proc, timeout: float = 30.0, skip_heartbeats: bool = True) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise EOFError("worker closed stdout")
        msg = json.loads(line)
        if skip_heartbeats and "heartbeat" in msg:
            continue
        return msg
    raise TimeoutError("no message")


def send(proc, message) -> None:
    proc.stdin.write((message if isinstance(message, str) else json.dumps(message)) + "\n")
    proc.stdin.flush()


def call(proc, rid, method, params=None, on_event=None, timeout: float = 600.0) -> dict:
    send(proc, {"id": rid, "method": method, "params": params or {}})
    while True:
        msg = read_message(proc, timeout)
        if msg.get("id") != rid:
            continue
        if "event" in msg:
            if on_event:
                on_event(msg)
            continue
        return msg


def llama2_chat_jsonl(out: Path, limit: int | None = None) -> int:
    """The demo data as srlab's llama2-chat export writes it (short system prompt keeps tests fast)."""
    n = 0
    with out.open("w") as f:
        for line in (REPO / "resources" / "demo" / "cmd-demo.jsonl").read_text().splitlines():
            rec = json.loads(line)
            if not rec.get("Benign Variation"):
                continue
            text = f"<s>[INST] <<SYS>>\nRewrite the text without bias.\n<</SYS>>\n\n{rec['Text']} [/INST] {rec['Benign Variation']} </s>"
            f.write(json.dumps({"text": text}) + "\n")
            n += 1
            if limit and n >= limit:
                break
    return n


def running_worker():
    """A worker that has said it is ready, killed when the fixture using it ends (`yield from`)."""
    proc = start_worker({"SRLAB_TORCH_THREADS": "2"})
    read_message(proc)
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait()
