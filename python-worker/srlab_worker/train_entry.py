"""One rank of a multi-process (DDP) training run.

    python -m accelerate.commands.launch --multi_gpu --num_processes N \\
        -m srlab_worker.train_entry --params PARAMS.json

PARAMS.json holds the `train` job's params (base, train_file, eval_file, config, run_dir,
resume_from) plus `cancel_file`: once that path exists, the run cancels at the next micro-step
on every rank together (rank 0 looks; the flag is all-reduced, so no rank is left waiting in a
collective).

Rank 0 speaks the worker protocol on stdout, request id "train": one
{"ready": {pid, protocol, version, python, worldSize, backend, methods: ["train"]}}, heartbeats,
the train job's events, then exactly one {"id": "train", "result"} or {"id": "train", "error"}
(mapped by protocol.Server as for the stdio worker). Other ranks write nothing on stdout; library
prints go to stderr on every rank. Exit status 0 with a result, 1 with an error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading

from . import PROTOCOL_VERSION, __version__
from .errors import WorkerError
from .protocol import Channel, JobContext, Server

REQUEST_ID = "train"


class RankChannel:
    """Rank 0's protocol channel (other ranks: none), remembering how the job ended."""

    def __init__(self, channel: Channel | None):
        self._channel = channel
        self.outcome: str | None = None  # "result" or "error"

    def send(self, message: dict) -> None:
        if message.get("id") == REQUEST_ID and ("result" in message or "error" in message):
            self.outcome = "result" if "result" in message else "error"
        if self._channel:
            self._channel.send(message)


class CancelFileContext(JobContext):
    """A job context cancelled by the existence of a file (checked on rank 0 only)."""

    cancel_file: str | None = None

    @property
    def cancelled(self) -> bool:
        return super().cancelled or bool(self.cancel_file and os.path.exists(self.cancel_file))


def read_params(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            params = json.load(f)
    except (OSError, json.JSONDecodeError) as err:
        raise WorkerError("bad-request", f"cannot read the params file {path}: {err}", "pass --params with a JSON object of the train job's params") from err
    if not isinstance(params, dict):
        raise WorkerError("bad-request", f"{path} is not a JSON object", "pass --params with a JSON object of the train job's params")
    return params


def main(argv: list[str] | None = None) -> None:
    real_stdout = sys.stdout
    sys.stdout = sys.stderr  # library prints must never corrupt the protocol stream
    ap = argparse.ArgumentParser(prog="python -m srlab_worker.train_entry", description="one rank of a DDP training run")
    ap.add_argument("--params", required=True, help="JSON file with the train job's params and cancel_file")
    args = ap.parse_args(argv)

    from .jobs import train

    dist = train.Dist.from_env()
    channel = RankChannel(Channel(real_stdout) if dist.is_main else None)
    server = Server(None, real_stdout, float(os.environ.get("SRLAB_WORKER_HEARTBEAT_S", "2")))
    server.channel = channel
    ctx = CancelFileContext(channel, REQUEST_ID)

    def job(_params: dict, ctx: CancelFileContext) -> dict:
        params = read_params(args.params)
        if dist.is_main:
            ctx.cancel_file = params.get("cancel_file")
        return train.run(params, ctx, dist)

    server.methods = {"train": job}
    channel.send({"ready": {"pid": os.getpid(), "protocol": PROTOCOL_VERSION, "version": __version__, "python": sys.executable,
                            "worldSize": dist.world, "backend": dist.backend or "none", "methods": ["train"]}})
    if dist.is_main and server.heartbeat_s > 0:
        threading.Thread(target=server.heartbeat_loop, daemon=True, name="heartbeat").start()
    # protocol.Server runs the job and maps its failures to typed errors, as in the stdio worker.
    server.jobs.put(({"id": REQUEST_ID, "method": "train", "params": {}}, ctx))
    server.jobs.put(None)
    server.job_loop()
    dist.close()
    sys.stderr.flush()
    real_stdout.flush()
    os._exit(0 if channel.outcome == "result" else 1)


if __name__ == "__main__":
    main()
