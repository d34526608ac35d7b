"""Merge and GGUF export through the worker protocol, on the tiny Llama: what merge.py and
export_gguf.py promise. The merged weights are base + (alpha / r)·B·A, the merged model computes
what base + adapter computes, a zero adapter merges to the base, and the GGUF files hold the
tensors llama.cpp expects (with the merged values, not the base's).

Tolerances (fp32 on the CPU): weights within 1e-6 absolute (one matmul and one add per element),
logits within 1e-4 (the same arithmetic as PEFT's forward, in a different order: x·W + s·(x·A)·B
there, x·(W + s·B·A) here). The negative controls differ by orders of magnitude more."""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO, call, running_worker

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None or importlib.util.find_spec("peft") is None, reason="torch and peft are needed"
)

R, ALPHA = 8, 16
SCALE = ALPHA / R
TARGETS = ["q_proj", "v_proj", "down_proj"]
LAYERS = 2  # make_tiny_llama.py
PROMPT = "<s>[INST] <<SYS>>\nBe fair.\n<</SYS>>\n\nOK boomer, nobody cares. [/INST]"


@pytest.fixture(scope="module")
def worker():
    yield from running_worker()


def make_adapter(tiny, out: Path, zero: bool) -> Path:
    """A PEFT LoRA adapter for the tiny Llama. zero=True: PEFT's own init (B = 0, what training
    starts from); else A and B random and large enough that the delta shows in every output."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(1)
    model = AutoModelForCausalLM.from_pretrained(tiny, dtype=torch.float32)
    model = get_peft_model(model, LoraConfig(r=R, lora_alpha=ALPHA, lora_dropout=0.0, target_modules=TARGETS, task_type="CAUSAL_LM"))
    if not zero:
        with torch.no_grad():
            for name, p in model.named_parameters():
                if "lora_A" in name or "lora_B" in name:
                    p.copy_(torch.randn_like(p) * 0.2)
    model.save_pretrained(out)
    from srlab_worker.jobs.train import scrub_adapter_dir

    scrub_adapter_dir(out, str(tiny))  # as training saves it: no local base path inside
    return out


@pytest.fixture(scope="module")
def adapters(tiny, tmp_path_factory):
    root = tmp_path_factory.mktemp("adapters")
    return {"lora": make_adapter(tiny, root / "lora", zero=False), "zero": make_adapter(tiny, root / "zero", zero=True)}


@pytest.fixture(scope="module")
def merged(tiny, adapters, worker, tmp_path_factory):
    """{adapter kind: merged model folder}, each written by the worker's merge job."""
    root = tmp_path_factory.mktemp("merged")
    out = {}
    for n, (kind, adapter) in enumerate(adapters.items(), 1):
        r = call(worker, n, "merge", {"base": str(tiny), "adapter_dir": str(adapter), "out_dir": str(root / kind)})
        assert "result" in r, r
        out[kind] = Path(r["result"]["out_dir"])
    return out


def weights(folder: Path) -> dict:
    from safetensors.torch import load_file

    tensors = {}
    for f in sorted(folder.glob("*.safetensors")):
        tensors.update(load_file(str(f)))
    return tensors


def lora_pairs(adapter: Path) -> dict:
    """{base weight name: (A, B)} from a saved adapter (PEFT names: base_model.model.<module>.lora_A.weight)."""
    saved = weights(adapter)
    pairs = {}
    for key, a in saved.items():
        if ".lora_A." in key:
            module = key.split("base_model.model.", 1)[1].split(".lora_A.")[0]
            pairs[module + ".weight"] = (a, saved[key.replace(".lora_A.", ".lora_B.")])
    return pairs


def test_merged_weights_are_base_plus_scaled_b_times_a(tiny, adapters, merged):
    base, out, pairs = weights(tiny), weights(merged["lora"]), lora_pairs(adapters["lora"])
    assert len(pairs) == len(TARGETS) * LAYERS
    assert set(out) == set(base)  # a plain model: no lora_A/lora_B or base_layer names left
    for name, w in base.items():
        if name in pairs:
            a, b = pairs[name]
            expected = w + SCALE * (b @ a)
            assert (out[name] - expected).abs().max() <= 1e-6, name
            assert (out[name] - w).abs().max() > 1e-2, f"{name}: the LoRA delta is missing"
        else:
            assert out[name].equal(w), f"{name} is not a LoRA target and must not change"


def test_a_zero_adapter_merges_to_the_base_exactly(tiny, merged):
    base, out = weights(tiny), weights(merged["zero"])
    assert set(out) == set(base)
    assert all(out[k].equal(v) for k, v in base.items())


def test_merged_model_logits_equal_the_peft_models_and_differ_from_the_bases(tiny, adapters, merged):
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    ids = AutoTokenizer.from_pretrained(merged["lora"])(PROMPT, add_special_tokens=False, return_tensors="pt").input_ids
    with torch.no_grad():
        base = AutoModelForCausalLM.from_pretrained(tiny, dtype=torch.float32).eval()
        base_logits = base(ids).logits
        peft_logits = PeftModel.from_pretrained(base, str(adapters["lora"])).eval()(ids).logits
        merged_logits = AutoModelForCausalLM.from_pretrained(merged["lora"], dtype=torch.float32).eval()(ids).logits
    assert (merged_logits - peft_logits).abs().max() <= 1e-4
    # Negative control: the base alone computes something else, so dropping the deltas fails above.
    assert (base_logits - peft_logits).abs().max() > 1e-1
    assert not torch.equal(base_logits.argmax(-1), peft_logits.argmax(-1))


def test_merge_keeps_the_tokenizer_the_gguf_converter_needs(tiny, merged):
    out = merged["lora"]
    assert (out / "tokenizer.model").read_bytes() == (tiny / "tokenizer.model").read_bytes()
    assert json.loads((out / "tokenizer_config.json").read_text())["legacy"] is True


def test_merge_without_an_adapter_is_a_clear_error(tiny, worker, tmp_path):
    r = call(worker, 10, "merge", {"base": str(tiny), "adapter_dir": str(tmp_path), "out_dir": str(tmp_path / "out")})
    assert r["error"]["code"] == "not-found" and str(tmp_path) in r["error"]["message"]
    assert not (tmp_path / "out").exists()


def llama_cpp_dir() -> Path:
    """llama.cpp's converters from the git bundle node-llama-cpp ships, unpacked where the app
    unpacks them (src/main/core/training/llamacpp.ts: <cache>/srlab/llama.cpp-<head[:12]>)."""
    pkg = REPO / "node_modules" / "node-llama-cpp" / "llama" / "gitRelease.bundle"
    if not pkg.is_file():
        if os.environ.get("CI"):
            raise AssertionError(f"CI needs node-llama-cpp's llama.cpp sources at {pkg} (npm ci)")
        pytest.skip(f"no llama.cpp sources at {pkg} (run npm install)")
    head = subprocess.run(["git", "bundle", "list-heads", str(pkg)], check=True, capture_output=True, text=True).stdout.split()[0]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "srlab"
    out = cache / f"llama.cpp-{head[:12]}"
    if not (out / "convert_hf_to_gguf.py").is_file():
        tmp = cache / f"{out.name}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "-c", "advice.detachedHead=false", "clone", "--quiet", str(pkg), str(tmp)], check=True)
        try:
            tmp.rename(out)
        except OSError:  # another process unpacked it first
            shutil.rmtree(tmp, ignore_errors=True)
    return out


def gguf_reader(llama_cpp: Path, path: Path):
    """llama.cpp's own gguf-py (the one the converter used), not a possibly older pip release."""
    sys.path.insert(0, str(llama_cpp / "gguf-py"))
    try:
        from gguf import GGUFReader
    finally:
        sys.path.remove(str(llama_cpp / "gguf-py"))
    return GGUFReader(str(path))


LLAMA_TENSORS = {"token_embd.weight", "output_norm.weight", "output.weight"} | {
    f"blk.{i}.{t}.weight"
    for i in range(LAYERS)
    for t in ("attn_norm", "attn_q", "attn_k", "attn_v", "attn_output", "ffn_norm", "ffn_gate", "ffn_up", "ffn_down")
}


@pytest.fixture(scope="module")
def llama_cpp():
    return llama_cpp_dir()


def test_gguf_export_of_the_merged_model_has_every_tensor_with_the_merged_values(tiny, merged, worker, llama_cpp, tmp_path):
    import numpy as np

    out = tmp_path / "tiny-merged.gguf"
    r = call(worker, 20, "export_gguf", {"model_dir": str(merged["lora"]), "out_file": str(out), "outtype": "f32", "name": "tiny-merged",
                                          "llama_cpp_dir": str(llama_cpp)})
    assert "result" in r, r
    assert r["result"]["size_bytes"] == out.stat().st_size > 0
    reader = gguf_reader(llama_cpp, out)
    tensors = {t.name: t for t in reader.tensors}
    assert set(tensors) == LLAMA_TENSORS  # 21 for two layers
    name = reader.fields["general.name"]
    assert bytes(name.parts[name.data[0]]).decode() == "tiny-merged"
    # down_proj is stored as is (q/k are permuted for llama.cpp's rope): compare values directly.
    down = np.asarray(tensors["blk.0.ffn_down.weight"].data).reshape(weights(merged["lora"])["model.layers.0.mlp.down_proj.weight"].shape)
    assert np.abs(down - weights(merged["lora"])["model.layers.0.mlp.down_proj.weight"].numpy()).max() <= 1e-6
    # Negative control: the base's values are not what was exported.
    assert np.abs(down - weights(tiny)["model.layers.0.mlp.down_proj.weight"].numpy()).max() > 1e-2


def test_lora_gguf_export_has_an_a_and_b_per_adapted_module_and_the_alpha(tiny, adapters, worker, llama_cpp, tmp_path):
    out = tmp_path / "tiny-lora.gguf"
    r = call(worker, 21, "export_lora_gguf", {"adapter_dir": str(adapters["lora"]), "base": str(tiny), "out_file": str(out),
                                               "outtype": "f32", "llama_cpp_dir": str(llama_cpp)})
    assert "result" in r, r
    reader = gguf_reader(llama_cpp, out)
    names = {t.name for t in reader.tensors}
    module = {"q_proj": "attn_q", "v_proj": "attn_v", "down_proj": "ffn_down"}
    assert names == {f"blk.{i}.{module[m]}.weight.lora_{ab}" for i in range(LAYERS) for m in TARGETS for ab in "ab"}
    alpha = reader.fields["adapter.lora.alpha"]
    assert float(alpha.parts[alpha.data[0]][0]) == ALPHA
    assert str(tiny) not in out.read_bytes().decode("latin-1")  # no local paths inside
