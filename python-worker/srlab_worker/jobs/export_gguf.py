"""GGUF conversion with llama.cpp's own converters (from the sources node-llama-cpp ships, so
the format matches the runtime) and llama.cpp's own gguf-py first on the import path: the pip
`gguf` release lags the converter."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import deque
from pathlib import Path

from ..errors import WorkerError


def _run(ctx, llama_cpp_dir: str, script: str, args: list[str]) -> None:
    root = Path(llama_cpp_dir)
    if not (root / script).is_file():
        raise WorkerError("not-found", f"{script} not found in {root}", "srlab extracts llama.cpp from node-llama-cpp; reinstall node modules")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root / "gguf-py"), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["NO_LOCAL_GGUF"] = ""
    proc = subprocess.Popen([sys.executable, str(root / script), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    tail: deque[str] = deque(maxlen=30)
    assert proc.stdout
    for line in proc.stdout:
        tail.append(line.rstrip())
        if ctx.cancelled:
            proc.kill()
            proc.wait()
            ctx.check_cancel()
    if proc.wait() != 0:
        raise WorkerError("convert-failed", f"{script} failed (exit {proc.returncode}): " + " | ".join(list(tail)[-5:]), "see the job's log for the converter output")
    ctx.log(f"{script}: " + (tail[-1] if tail else "done"))


def main(params: dict, ctx) -> dict:
    """HF model folder → GGUF (f16 by default)."""
    out = Path(params["out_file"])
    out.parent.mkdir(parents=True, exist_ok=True)
    args = [params["model_dir"], "--outfile", str(out), "--outtype", params.get("outtype", "f16")]
    if params.get("name"):
        args += ["--model-name", params["name"]]
    _run(ctx, params["llama_cpp_dir"], "convert_hf_to_gguf.py", args)
    return {"path": str(out), "size_bytes": out.stat().st_size}


def main_lora(params: dict, ctx) -> dict:
    """PEFT adapter folder (+ its HF base) → LoRA GGUF, for base GGUF + adapter at inference."""
    out = Path(params["out_file"])
    out.parent.mkdir(parents=True, exist_ok=True)
    args = [params["adapter_dir"], "--base", params["base"], "--outfile", str(out), "--outtype", params.get("outtype", "f32")]
    _run(ctx, params["llama_cpp_dir"], "convert_lora_to_gguf.py", args)
    return {"path": str(out), "size_bytes": out.stat().st_size}
