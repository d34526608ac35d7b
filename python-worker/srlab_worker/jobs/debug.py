"""Jobs for the protocol tests (enabled by SRLAB_WORKER_DEBUG=1): real behaviour, no torch."""

import os
import sys
import time


def sleep(params: dict, ctx) -> dict:
    steps = int(params.get("steps", 10))
    for step in range(1, steps + 1):
        ctx.check_cancel()
        time.sleep(float(params.get("step_s", 0.1)))
        ctx.progress(step, steps)
    return {"steps": steps}


def crash(params: dict, ctx) -> dict:
    ctx.progress(1, 2)
    print("about to die: simulated segfault", file=sys.stderr, flush=True)
    os._exit(int(params.get("code", 139)))
