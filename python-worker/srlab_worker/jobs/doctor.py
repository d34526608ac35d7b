"""What this environment can run: python, packages, CUDA, GPUs with free VRAM."""

from __future__ import annotations

import importlib.metadata as md
import platform
import sys

PACKAGES = ["torch", "transformers", "peft", "accelerate", "bitsandbytes", "safetensors", "sentencepiece", "protobuf", "numpy", "nvidia-ml-py"]


def versions() -> dict:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = None
    return out


def main(params: dict, ctx) -> dict:
    v = versions()
    problems: list[str] = []
    cuda = {"available": False, "version": None}
    gpus = []
    if v["torch"]:
        try:
            import torch

            cuda = {"available": bool(torch.cuda.is_available()), "version": torch.version.cuda}
            for i in range(torch.cuda.device_count() if cuda["available"] else 0):
                free, total = torch.cuda.mem_get_info(i)
                gpus.append({"index": i, "name": torch.cuda.get_device_name(i), "total_mib": total / 2**20, "free_mib": free / 2**20})
        except Exception as err:  # noqa: BLE001 - a broken torch is a finding, not a crash
            problems.append(f"torch does not import: {err}")
    for need in ("torch", "transformers", "peft", "sentencepiece", "safetensors", "protobuf"):
        if not v[need]:
            problems.append(f"{need} is not installed (run srlab worker setup)")
    can_run = []
    if not any(p.startswith(("torch", "transformers", "peft")) for p in problems):
        if cuda["available"] and v["bitsandbytes"]:
            can_run.append("QLoRA 4-bit on GPU")
        if cuda["available"]:
            can_run.append("LoRA 16-bit on GPU")
        can_run.append("LoRA 32-bit on CPU (slow; tiny models and tests)")
        if len(gpus) > 1:
            can_run.append("multi-GPU through accelerate launch")
    if not v["bitsandbytes"]:
        problems.append("bitsandbytes is absent: 4-bit QLoRA unavailable; use --set use_4bit=false")
    return {
        "python": sys.executable,
        "python_version": v["python"],
        "packages": {k: val for k, val in v.items() if k != "python"},
        "cuda": cuda,
        "gpus": gpus,
        "can_run": can_run,
        "problems": problems,
    }
