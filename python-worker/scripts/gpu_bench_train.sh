#!/usr/bin/env bash
# The training-throughput comparison of `npm run bench:train` on a CUDA machine: srlab's worker
# `train` job vs TRL's SFTTrainer with the paper's settings, here as the paper has them (QLoRA:
# 4-bit NF4 with double quantization, fp16 compute, paged AdamW 32-bit), in one run.
# Not run in CI. Needs the worker venv with the GPU stack (`srlab worker setup`, bitsandbytes) and
# the data `npm run bench:train` exports (bench/.data/train/{train,dev}.jsonl), or give them.
#
# usage: python-worker/scripts/gpu_bench_train.sh [BASE_DIR] [TRAIN_JSONL] [EVAL_JSONL]
#   BASE_DIR  a local Hugging Face causal LM (default: the tiny Llama, built if missing; for
#             numbers that mean something on a GPU, give Llama-2-7b-chat or another real model)
# env: BENCH_EPOCHS (1), BENCH_ROUNDS (3), SRLAB_WORKER_VENV, SRLAB_BENCH_TRL_VENV
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
data="$repo/bench/.data/train"
venv="${SRLAB_WORKER_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/srlab/worker-venv}"
overlay="${SRLAB_BENCH_TRL_VENV:-$data/trl-venv}"
base="${1:-$data/tiny-llama}"
train="${2:-$data/train.jsonl}"
eval="${3:-$data/dev.jsonl}"

"$venv/bin/python" -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else "no CUDA GPU: run npm run bench:train for the CPU comparison")'
[ -f "$train" ] && [ -f "$eval" ] || { echo "no $train / $eval: run npm run bench:train once (it exports them)" >&2; exit 2; }
if ! "$overlay/bin/python" -c 'import trl, datasets' 2>/dev/null; then
  # TRL over the worker venv's packages (a .pth file), so the worker venv stays as it is.
  "$venv/bin/python" -m venv "$overlay"
  site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  osite="$("$overlay/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  echo "$site" > "$osite/_srlab_worker_venv.pth"
  "$overlay/bin/python" -m pip install --quiet 'trl>=1.0' datasets
fi
[ -f "$base/config.json" ] || "$venv/bin/python" "$here/make_tiny_llama.py" "$base"
exec "$overlay/bin/python" "$here/bench_train.py" "$base" "$train" "$eval" --epochs "${BENCH_EPOCHS:-1}" --rounds "${BENCH_ROUNDS:-3}"
