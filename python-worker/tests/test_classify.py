"""The classify job through the worker protocol, on a tiny local classifier (the app's
classifyTexts drives it: tests/unit/worker/classify.test.ts)."""

import importlib.util
import json
import shutil

import pytest
from helpers import call, running_worker

pytestmark = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed")

TEXTS = ["a short text", "a somewhat longer text about age and gender bias in the workplace", "x", "the last one"]


@pytest.fixture(scope="module")
def classifier(tiny, tmp_path_factory):
    """A tiny random LlamaForSequenceClassification with the tiny tokenizer and named labels."""
    import torch
    from transformers import LlamaConfig, LlamaForSequenceClassification

    out = tmp_path_factory.mktemp("clf")
    cfg = LlamaConfig.from_pretrained(tiny)
    cfg.num_labels = 3
    cfg.id2label = {0: "benign", 1: "toxic", 2: "biased"}
    cfg.label2id = {v: k for k, v in cfg.id2label.items()}
    torch.manual_seed(0)
    LlamaForSequenceClassification(cfg).save_pretrained(out, safe_serialization=True)
    for name in ("tokenizer.model", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        if (tiny / name).is_file():
            shutil.copy(tiny / name, out / name)
    return out


@pytest.fixture(scope="module")
def worker():
    yield from running_worker()


def test_classify_gives_named_probabilities_batched_with_progress(classifier, worker):
    events = []
    r = call(worker, 5, "classify", {"model": str(classifier), "texts": TEXTS, "batch_size": 3}, on_event=events.append)
    assert "result" in r, r
    res = r["result"]
    assert res["labels"] == ["benign", "toxic", "biased"] and len(res["results"]) == len(TEXTS)
    for row in res["results"]:
        assert set(row["probs"]) == set(res["labels"])
        assert sum(row["probs"].values()) == pytest.approx(1.0, abs=1e-5)
        assert row["label"] == max(row["probs"], key=row["probs"].get)
    assert [e["done"] for e in events if e["event"] == "progress"] == [0, 3, 4]
    # Padding in a batch must not change a text's scores.
    single = call(worker, 6, "classify", {"model": str(classifier), "texts": TEXTS, "batch_size": 1})["result"]
    for a, b in zip(res["results"], single["results"]):
        for label in res["labels"]:
            assert a["probs"][label] == pytest.approx(b["probs"][label], abs=1e-4)


def test_classify_counts_truncation_and_rejects_bad_input(classifier, worker):
    r = call(worker, 7, "classify", {"model": str(classifier), "texts": TEXTS, "max_length": 4})
    assert r["result"]["truncated"] >= 1
    assert call(worker, 8, "classify", {"model": str(classifier), "texts": "not a list"})["error"]["code"] == "invalid-params"
    assert call(worker, 9, "classify", {"model": "/nonexistent", "texts": ["a"]})["error"]["code"] == "bad-model"
    assert json.dumps(call(worker, 10, "classify", {"model": str(classifier), "texts": []})["result"]["results"]) == "[]"
