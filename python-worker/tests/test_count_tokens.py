"""count_tokens through the worker protocol on the tiny Llama: it must count exactly as train does."""

import importlib.util
import json

import pytest
from helpers import call, llama2_chat_jsonl, read_message, start_worker

pytestmark = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed")


@pytest.fixture
def worker():
    proc = start_worker({"SRLAB_TORCH_THREADS": "2", "HF_HUB_OFFLINE": "1"})
    read_message(proc)
    yield proc
    proc.kill()
    proc.wait()


def test_counts_like_train_read_examples(tiny, worker, tmp_path):
    from transformers import AutoTokenizer

    from srlab_worker.config import validate_args
    from srlab_worker.jobs.train import encode_example, read_examples

    data = tmp_path / "train.jsonl"
    n = llama2_chat_jsonl(data)
    ev = tmp_path / "eval.jsonl"
    llama2_chat_jsonl(ev, limit=5)
    r = call(worker, 1, "count_tokens", {"base": str(tiny), "files": [str(data), str(ev)], "max_seq_length": 64, "response_only_loss": True})
    assert "result" in r, r
    res = r["result"]
    assert "LlamaTokenizer" in res["tokenizer"]
    train, evals = res["files"]

    tok = AutoTokenizer.from_pretrained(str(tiny))
    cfg = validate_args({"max_seq_length": 64, "response_only_loss": True, "use_4bit": False})
    examples, truncated = read_examples(str(data), tok, cfg)
    assert train["examples"] == len(examples)
    assert train["examples"] + train["dropped"] == n
    assert train["truncated"] == truncated and truncated > 0
    assert train["kept"] == sum(len(ids) for ids, _ in examples)
    assert train["trainable"] == sum(sum(1 for l in labels[1:] if l != -100) for _, labels in examples)
    texts = [json.loads(line)["text"] for line in data.read_text().splitlines()]
    full = [len(encode_example(tok, t, 1 << 30, True)[0]) for t in texts]
    assert train["longest"] == max(full) > 64
    assert train["tokens"] == sum(full) > train["kept"] > train["trainable"] > 0
    assert evals["examples"] + evals["dropped"] == 5

    # A longer limit truncates nothing; the whole sequence is trained on without response-only loss.
    r = call(worker, 2, "count_tokens", {"base": str(tiny), "files": [str(data)], "max_seq_length": 4096, "response_only_loss": False})
    whole = r["result"]["files"][0]
    assert whole["truncated"] == 0 and whole["dropped"] == 0 and whole["examples"] == n
    assert whole["tokens"] == whole["kept"] == sum(full)
    assert whole["trainable"] == whole["kept"] - n


def test_a_base_that_is_not_local_fails_without_touching_the_network(worker, tmp_path):
    data = tmp_path / "train.jsonl"
    llama2_chat_jsonl(data, limit=2)
    r = call(worker, 1, "count_tokens", {"base": "srlab-test/no-such-model-xyz", "files": [str(data)], "max_seq_length": 64, "response_only_loss": True})
    assert r["error"]["code"] == "tokenizer-unavailable"
    assert "never downloads" in r["error"]["hint"]
    r = call(worker, 2, "count_tokens", {"base": "x", "files": [], "max_seq_length": 64})
    assert r["error"]["code"] == "bad-params"
