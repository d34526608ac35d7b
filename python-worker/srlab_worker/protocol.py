"""JSON lines over stdio.

Requests  {"id", "method", "params"}; cancel is a request {"method": "cancel", "params": {"id": X}}.
Events    {"id", "event": "progress"|"log"|"metric"|"checkpoint", ...}.
Results   {"id", "result"} or {"id", "error": {"code", "message", "hint"}}.
Also      {"ready": {...}} once at start and {"heartbeat": t} every few seconds.

stdout carries only protocol lines: libraries that print are redirected to stderr, which the
supervisor keeps as a tail for failed jobs. Jobs run one at a time on a job thread, so the
reader stays free to take a cancel while a step runs.
"""

from __future__ import annotations

import json
import os
import queue
import sys
import threading
import time
import traceback
from typing import Any, Callable

from . import PROTOCOL_VERSION, __version__
from .errors import Cancelled, WorkerError


class Channel:
    """Serialised writes of protocol lines to the real stdout."""

    def __init__(self, stream):
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, message: dict) -> None:
        line = json.dumps(message, separators=(",", ":"), default=str)
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()


class JobContext:
    """What a job sees: event emitters and the cancel flag."""

    def __init__(self, channel: Channel, request_id: Any):
        self.id = request_id
        self._channel = channel
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def check_cancel(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def emit(self, event: str, **fields) -> None:
        self._channel.send({"id": self.id, "event": event, **fields})

    def progress(self, done: float, total: float | None = None, unit: str = "steps") -> None:
        self.emit("progress", done=done, total=total, unit=unit)

    def log(self, message: str, level: str = "info") -> None:
        self.emit("log", level=level, message=message)

    def metric(self, **fields) -> None:
        self.emit("metric", **fields)

    def checkpoint(self, **fields) -> None:
        self.emit("checkpoint", **fields)


def _methods() -> dict[str, Callable[[dict, JobContext], Any]]:
    # Imported lazily: doctor must answer even when torch is broken.
    from .jobs import registry

    return registry()


class Server:
    def __init__(self, stdin, stdout, heartbeat_s: float):
        self.channel = Channel(stdout)
        self.stdin = stdin
        self.heartbeat_s = heartbeat_s
        self.jobs: "queue.Queue[tuple[dict, JobContext] | None]" = queue.Queue()
        self.contexts: dict[Any, JobContext] = {}
        self.methods = _methods()

    def ready(self) -> None:
        self.channel.send(
            {
                "ready": {
                    "pid": os.getpid(),
                    "protocol": PROTOCOL_VERSION,
                    "version": __version__,
                    "python": sys.executable,
                    "methods": sorted(self.methods),
                }
            }
        )

    def heartbeat_loop(self) -> None:
        while True:
            time.sleep(self.heartbeat_s)
            self.channel.send({"heartbeat": time.time()})

    def run_one(self, request: dict, ctx: JobContext) -> dict:
        """The reply to one request: its result, or a typed error."""
        try:
            ctx.check_cancel()
            return {"id": ctx.id, "result": self.methods[request["method"]](request.get("params") or {}, ctx)}
        except WorkerError as err:
            return {"id": ctx.id, "error": err.to_json()}
        except MemoryError:
            return {"id": ctx.id, "error": {"code": "out-of-memory", "message": "out of memory", "hint": "lower per_device_train_batch_size or max_seq_length"}}
        except Exception as err:  # noqa: BLE001 - every failure goes back as a typed error
            traceback.print_exc(file=sys.stderr)
            code = "out-of-memory" if "out of memory" in str(err).lower() else "internal"
            return {"id": ctx.id, "error": {"code": code, "message": f"{type(err).__name__}: {err}", "hint": "the worker's stderr tail is kept with the job"}}

    def job_loop(self) -> None:
        while True:
            item = self.jobs.get()
            if item is None:
                return
            request, ctx = item
            reply = self.run_one(request, ctx)
            # Free the id before replying: a client may reuse it as soon as it reads the reply.
            self.contexts.pop(ctx.id, None)
            self.channel.send(reply)

    def bad(self, request_id: Any, message: str, hint: str) -> None:
        self.channel.send({"id": request_id, "error": {"code": "bad-request", "message": message, "hint": hint}})

    def handle(self, line: str) -> bool:
        """One request line; False to stop."""
        line = line.strip()
        if not line:
            return True
        try:
            request = json.loads(line)
        except json.JSONDecodeError as err:
            self.bad(None, f"not JSON: {err}", "send one JSON object per line")
            return True
        if not isinstance(request, dict) or "id" not in request or not isinstance(request.get("method"), str):
            rid = request.get("id") if isinstance(request, dict) else None
            self.bad(rid, "a request needs an id and a method", 'send {"id", "method", "params"}')
            return True
        rid, method = request["id"], request["method"]
        params = request.get("params") or {}
        if not isinstance(params, dict):
            self.bad(rid, "params must be an object", "")
            return True
        if method == "cancel":
            target = self.contexts.get(params.get("id"))
            if target:
                target.cancel()
            self.channel.send({"id": rid, "result": {"cancelled": target is not None}})
            return True
        if method == "shutdown":
            for ctx in self.contexts.values():
                ctx.cancel()
            self.channel.send({"id": rid, "result": {"bye": True}})
            return False
        if method == "ping":
            self.channel.send({"id": rid, "result": {"pong": time.time()}})
            return True
        if method not in self.methods:
            self.bad(rid, f'unknown method "{method}"', "known: " + ", ".join(sorted(self.methods)))
            return True
        if rid in self.contexts:
            self.bad(rid, f"request id {rid} is already in use", "use a fresh id per request")
            return True
        ctx = JobContext(self.channel, rid)
        self.contexts[rid] = ctx
        self.jobs.put((request, ctx))
        return True

    def serve(self) -> None:
        threading.Thread(target=self.heartbeat_loop, daemon=True, name="heartbeat").start()
        job_thread = threading.Thread(target=self.job_loop, daemon=True, name="jobs")
        job_thread.start()
        self.ready()
        for line in self.stdin:
            if not self.handle(line):
                break
        # stdin closed (the app went away) or shutdown: stop the running job at its next step.
        for ctx in list(self.contexts.values()):
            ctx.cancel()
        self.jobs.put(None)
        job_thread.join(timeout=30)


def main() -> None:
    real_stdout = sys.stdout
    sys.stdout = sys.stderr  # library prints must never corrupt the protocol stream
    if os.environ.get("SRLAB_WORKER_NEVER_READY") == "1":  # protocol tests: a worker that hangs at start
        time.sleep(3600)
    heartbeat_s = float(os.environ.get("SRLAB_WORKER_HEARTBEAT_S", "2"))
    Server(sys.stdin, real_stdout, heartbeat_s).serve()
    sys.stdout.flush()
    os._exit(0)
