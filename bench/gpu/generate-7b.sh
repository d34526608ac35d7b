#!/usr/bin/env bash
# Batched generation on one GPU (issue 14, target 3): srlab generate one-by-one against
# --parallel 2, 4 and 8 over one context, on a 7B model, with the greedy-equality check
# (bench/generate.js compares every item's output with the one-by-one run's and exits 1 if any
# differ). Prints tokens/s, the ratio to one-by-one, and the command to rerun. About 4–6 minutes
# on an H100 with a 7B Q8_0 (most of it loading the model once per srlab process); meant to fit
# an 8-minute device slot: the benchmark itself is cut off at 420 s.
#
#   bench/gpu/generate-7b.sh                 # no model given: build a random-weight 7B (see below)
#   bench/gpu/generate-7b.sh MODEL.gguf      # a real 7B GGUF (Llama-2/Mistral-7B, Q8_0 or Q4_K_M, …)
#   SRLAB_BENCH_MODEL=MODEL.gguf bench/gpu/generate-7b.sh
#
# No network is needed or used. Without a model it writes, with scripts/make-tiny-gguf.js
# (--shape 7b --type q8_0 --logit-scale 16), a Llama-2-7B-shaped GGUF of random Q8_0 weights:
# 6.74B parameters, 7.2 GB on disk under bench/.data/ (about a minute). One decode step of it reads
# and multiplies exactly what a real Llama-2-7B Q8_0 step does, so tokens/s are a 7B's; its text
# is gibberish, and with random weights near-tied logits are commoner than in a trained model, so
# the greedy-equality check is stricter there than on a real model. Say which model gave a number.
#
# Needs on the machine (checked below): Node ≥ 20.19; this checkout's node_modules from
# `npm install` (node-llama-cpp 3.21.1 with its prebuilt CUDA binaries,
# node_modules/@node-llama-cpp/linux-x64-cuda, 181 MB); srlab built (`npm run build`; done here
# if out/ is missing, offline). An NVIDIA driver (nvidia-smi) for CUDA.
set -euo pipefail
cd "$(dirname "$0")/../.."

MODEL="${1:-${SRLAB_BENCH_MODEL:-}}"
ITEMS="${ITEMS:-16}"
MAX_TOKENS="${MAX_TOKENS:-128}"
PARALLEL="${PARALLEL:-2,4,8}"
REPEAT="${REPEAT:-2}"

fail() {
  echo "generate-7b: $*" >&2
  exit 2
}

command -v node >/dev/null || fail "no node on PATH (Node ≥ 20.19 is needed; this machine cannot fetch it)"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
  fail "node $(node --version) is too old: srlab needs ^20.19.0 || >=22.12.0"
[ -d node_modules/node-llama-cpp ] || fail "node_modules/node-llama-cpp is missing: run npm install on a machine with network and bring node_modules"
[ -d node_modules/@node-llama-cpp/linux-x64-cuda ] ||
  fail "node_modules/@node-llama-cpp/linux-x64-cuda (node-llama-cpp's prebuilt CUDA binaries) is missing"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader ||
  echo "generate-7b: nvidia-smi not found; node-llama-cpp will say whether it found CUDA" >&2
if [ ! -f out/main/cli.js ]; then
  echo "generate-7b: building srlab (out/ missing)"
  npx electron-vite build >/dev/null
fi

# The GPU node-llama-cpp finds, as srlab will use it (SRLAB_GPU=cuda makes a missing CUDA an error).
export SRLAB_GPU=cuda
node --input-type=module -e '
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
const l = await getLlama({ gpu: "cuda", build: "never", logLevel: LlamaLogLevel.error });
const v = await l.getVramState();
console.log(`node-llama-cpp: gpu ${l.gpu}, ${(await l.getGpuDeviceNames()).join(", ")}, VRAM free ${(v.free / 2 ** 30).toFixed(1)} of ${(v.total / 2 ** 30).toFixed(1)} GiB`);
await l.dispose();' || fail "node-llama-cpp could not start CUDA (see above)"

if [ -n "$MODEL" ]; then
  [ -f "$MODEL" ] || fail "no such model file: $MODEL"
  SOURCE=(--model "$MODEL")
  echo "model: $MODEL (given)"
else
  # bench/generate.js writes it under bench/.data/ (kept for a rerun) and says so.
  SOURCE=(--build 7b)
  echo "model: none given; building a Llama-2-7B-shaped random-weight Q8_0 GGUF (6.74B parameters, 7.2 GB)"
fi

# Context per sequence: srlab's prompts are ~330 tokens, plus MAX_TOKENS; 1024 leaves room.
ARGS=("${SOURCE[@]}" --parallel "$PARALLEL" --items "$ITEMS" --max-tokens "$MAX_TOKENS" --repeat "$REPEAT"
  --threads 4 --context-size 1024 --skip-plain)
set +e
timeout 420 node bench/generate.js "${ARGS[@]}"
rc=$?
set -e
case $rc in
  0) echo "generate-7b: done; parallel greedy outputs identical to one-by-one" ;;
  1) echo "generate-7b: done, but FAILED (see above: different greedy outputs, or a run failed)" ;;
  124) echo "generate-7b: cut off at 420 s; rerun with fewer items: ITEMS=8 REPEAT=1 $0 ${MODEL}" ;;
  *) echo "generate-7b: exit $rc" ;;
esac
echo "rerun: $0 ${MODEL}"
exit $rc
