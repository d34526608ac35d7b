"""fetch_base through the worker protocol against a local Hub stub (HF_ENDPOINT): never the network."""

import importlib.util
import os
from pathlib import Path

import pytest
from helpers import call, read_message, send, start_worker
from hf_stub import HubStub

pytestmark = pytest.mark.skipif(importlib.util.find_spec("huggingface_hub") is None, reason="huggingface_hub is not installed")

REPO = "stub-org/tiny-llama"
GATED = "stub-org/tiny-gated"
TOKEN = "hf_stubtoken123"


@pytest.fixture(scope="module")
def repo_dir(tmp_path_factory):
    """A repo folder like a Hub model: the tiny Llama's files plus ones fetch_base must skip."""
    if importlib.util.find_spec("torch") is None:
        pytest.skip("torch is not installed (needed to build the tiny Llama)")
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("hub-repo")
    worker_root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, str(worker_root / "scripts" / "make_tiny_llama.py"), str(out)], check=True, capture_output=True)
    (out / "pytorch_model.bin").write_bytes(b"\0" * 1000)  # safetensors exist: never fetched
    (out / "original").mkdir()
    (out / "original" / "consolidated.00.pth").write_bytes(b"\0" * 1000)
    (out / "README.md").write_text("# tiny\n")
    return out


@pytest.fixture
def hub(repo_dir):
    stub = HubStub()
    stub.add(REPO, repo_dir)
    stub.add(GATED, repo_dir, token=TOKEN)
    yield stub
    stub.close()


def worker_env(tmp_path, hub, **extra):
    env = {
        "HF_ENDPOINT": hub.url,
        "HF_HOME": str(tmp_path / "hf-home"),
        "HF_HUB_CACHE": str(tmp_path / "hub"),
        "HF_HUB_DISABLE_XET": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "SRLAB_FETCH_CHUNK_BYTES": "16384",
        **extra,
    }
    return env


def start(env):
    saved = os.environ.pop("HF_TOKEN", None)
    try:
        proc = start_worker(env)
    finally:
        if saved is not None:
            os.environ["HF_TOKEN"] = saved
    assert "ready" in read_message(proc)
    return proc


def stop(proc):
    proc.kill()
    proc.wait()


def weights_size(repo_dir: Path) -> int:
    return (repo_dir / "model.safetensors").stat().st_size


def test_downloads_the_needed_files_with_byte_progress(tmp_path, hub, repo_dir):
    proc = start(worker_env(tmp_path, hub))
    try:
        events = []
        r = call(proc, 1, "fetch_base", {"repo": REPO}, on_event=events.append, timeout=120)
        assert "result" in r, r
        res = r["result"]
        files = set(res["files"])
        assert "model.safetensors" in files and "config.json" in files and "tokenizer.model" in files
        assert not any(f.endswith((".bin", ".pth")) or f.startswith("original/") or f == "README.md" for f in files)
        assert res["revision"] == hub.repos[REPO].sha
        assert res["bytes"] == sum((repo_dir / f).stat().st_size for f in files)
        assert res["downloaded"] == res["bytes"] and res["cached"] is False
        snap = Path(res["path"])
        assert snap == tmp_path / "hub" / "models--stub-org--tiny-llama" / "snapshots" / res["revision"]
        for f in files:
            assert (snap / f).read_bytes() == (repo_dir / f).read_bytes()
        assert (snap.parents[1] / "refs" / "main").read_text() == res["revision"]
        progress = [e for e in events if e["event"] == "progress"]
        assert progress and all(e["unit"] == "bytes" and e["total"] == res["bytes"] for e in progress)
        assert progress[-1]["done"] == res["bytes"]
        assert [e["done"] for e in progress] == sorted(e["done"] for e in progress)
        gets = [q for q in hub.requests if q["method"] == "GET" and "/resolve/" in q["path"]]
        assert not any(q["path"].endswith((".bin", ".pth", "README.md")) for q in gets)

        # A second call finds everything in the cache: model info only, nothing downloaded.
        hub.requests.clear()
        r = call(proc, 2, "fetch_base", {"repo": REPO}, timeout=60)
        assert r["result"]["cached"] is True and r["result"]["downloaded"] == 0
        assert [q["method"] for q in hub.requests] == ["GET"] and hub.requests[0]["path"].startswith("/api/models/")

        from transformers import AutoConfig

        assert AutoConfig.from_pretrained(res["path"]).model_type == "llama"
    finally:
        stop(proc)


def test_a_cancel_mid_download_is_prompt_and_the_next_call_resumes_with_a_range(tmp_path, hub, repo_dir):
    hub.delay_s = 0.01  # ~1.6 MB/s: the weights take long enough to cancel in the middle
    proc = start(worker_env(tmp_path, hub))
    try:
        send(proc, {"id": 1, "method": "fetch_base", "params": {"repo": REPO}})
        cancelled_at = None
        while True:
            msg = read_message(proc, timeout=60)
            if msg.get("id") == 1 and msg.get("event") == "progress" and cancelled_at is None and 0 < msg["done"] < msg["total"] * 0.7 and msg["done"] > 100_000:
                send(proc, {"id": "c", "method": "cancel", "params": {"id": 1}})
                cancelled_at = msg["done"]
            elif msg.get("id") == 1 and "error" in msg:
                assert msg["error"]["code"] == "cancelled", msg
                break
            elif msg.get("id") == 1 and "result" in msg:
                pytest.fail(f"finished before the cancel took effect: {msg}")
        parts = list((tmp_path / "hub").rglob("*.srlab-part"))
        assert len(parts) == 1 and 0 < parts[0].stat().st_size < weights_size(repo_dir)
        kept = parts[0].stat().st_size

        hub.delay_s = 0
        hub.requests.clear()
        events = []
        r = call(proc, 2, "fetch_base", {"repo": REPO}, on_event=events.append, timeout=120)
        assert "result" in r, r
        ranged = [q for q in hub.requests if q["method"] == "GET" and q["range"]]
        assert [q["range"] for q in ranged] == [f"bytes={kept}-"]
        assert r["result"]["downloaded"] < r["result"]["bytes"]
        assert (Path(r["result"]["path"]) / "model.safetensors").read_bytes() == (repo_dir / "model.safetensors").read_bytes()
        assert not list((tmp_path / "hub").rglob("*.srlab-part"))
        progress = [e for e in events if e["event"] == "progress"]
        assert progress[-1]["done"] == progress[-1]["total"] == r["result"]["bytes"]
    finally:
        stop(proc)


def test_a_gated_repo_needs_the_token(tmp_path, hub):
    proc = start(worker_env(tmp_path, hub))
    try:
        r = call(proc, 1, "fetch_base", {"repo": GATED}, timeout=60)
        assert r["error"]["code"] == "gated", r
        assert f"huggingface.co/{GATED}" in r["error"]["hint"] and "hf-token set" in r["error"]["hint"]
        assert TOKEN not in str(r)
    finally:
        stop(proc)
    proc = start(worker_env(tmp_path, hub, HF_TOKEN=TOKEN))
    try:
        r = call(proc, 2, "fetch_base", {"repo": GATED}, timeout=120)
        assert "result" in r, r
        assert (Path(r["result"]["path"]) / "model.safetensors").exists()
    finally:
        stop(proc)


def test_not_found_and_network_errors_are_typed(tmp_path, hub):
    proc = start(worker_env(tmp_path, hub))
    try:
        r = call(proc, 1, "fetch_base", {"repo": "stub-org/no-such-model"}, timeout=60)
        assert r["error"]["code"] == "not-found", r
        r = call(proc, 2, "fetch_base", {"repo": REPO, "revision": "no-such-branch"}, timeout=60)
        assert r["error"]["code"] == "not-found", r
    finally:
        stop(proc)
    # Nothing listens on this port: a refused connection is a network error.
    proc = start({**worker_env(tmp_path, hub), "HF_ENDPOINT": "http://127.0.0.1:9"})
    try:
        r = call(proc, 3, "fetch_base", {"repo": REPO}, timeout=60)
        assert r["error"]["code"] == "network", r
    finally:
        stop(proc)


def test_offline_with_a_complete_cache_makes_no_request(tmp_path, hub):
    proc = start(worker_env(tmp_path, hub))
    try:
        first = call(proc, 1, "fetch_base", {"repo": REPO}, timeout=120)["result"]
    finally:
        stop(proc)
    hub.requests.clear()
    proc = start(worker_env(tmp_path, hub, HF_HUB_OFFLINE="1"))
    try:
        r = call(proc, 2, "fetch_base", {"repo": REPO}, timeout=60)
        assert r["result"]["path"] == first["path"] and r["result"]["cached"] is True
        assert r["result"]["revision"] == first["revision"]
        r = call(proc, 3, "fetch_base", {"repo": GATED}, timeout=60)
        assert r["error"]["code"] == "network", r
        assert hub.requests == []
    finally:
        stop(proc)
    # A snapshot fetched by another tool (no srlab manifest) counts when config, tokenizer and weights are there.
    import shutil

    shutil.rmtree(Path(first["path"]).parents[1] / "srlab-fetch")
    proc = start(worker_env(tmp_path, hub, HF_HUB_OFFLINE="1"))
    try:
        r = call(proc, 5, "fetch_base", {"repo": REPO}, timeout=60)
        assert r["result"]["path"] == first["path"] and set(r["result"]["files"]) == set(first["files"]), r
        assert hub.requests == []
    finally:
        stop(proc)
    # A snapshot missing a file is not complete.
    os.remove(Path(first["path"]) / "model.safetensors")
    proc = start(worker_env(tmp_path, hub, HF_HUB_OFFLINE="1"))
    try:
        r = call(proc, 4, "fetch_base", {"repo": REPO}, timeout=60)
        assert r["error"]["code"] == "network", r
    finally:
        stop(proc)


def test_two_fetches_of_the_same_base_at_once_do_not_interleave(tmp_path, hub, repo_dir):
    hub.delay_s = 0.002
    env = worker_env(tmp_path, hub)
    a, b = start(env), start(env)
    try:
        send(a, {"id": 1, "method": "fetch_base", "params": {"repo": REPO}})
        send(b, {"id": 2, "method": "fetch_base", "params": {"repo": REPO}})
        results = {}
        for proc, rid in ((a, 1), (b, 2)):
            while rid not in results:
                msg = read_message(proc, timeout=120)
                if msg.get("id") == rid and ("result" in msg or "error" in msg):
                    results[rid] = msg
        assert "result" in results[1] and "result" in results[2], results
        weights = Path(results[1]["result"]["path"]) / "model.safetensors"
        assert weights.read_bytes() == (repo_dir / "model.safetensors").read_bytes()
        gets = [q for q in hub.requests if q["method"] == "GET" and q["path"].endswith("model.safetensors")]
        assert len(gets) == 1  # the second waited for the first, then found the blob
    finally:
        stop(a)
        stop(b)
