"""train_classifier and zero_shot through the worker protocol, on the tiny Llama (SentencePiece
tokenizer trained on our demo data, random weights) with the demo CMD's gold annotations: the
loss falls, checkpoints land, a run resumed from a checkpoint ends with the same weights as one
that never stopped, and the saved folder is a classifier the `classify` job reads."""

import importlib.util
import json
from pathlib import Path

import pytest
from helpers import REPO, call, running_worker

pytestmark = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed")

LABELS = ["Benign", "Unsafe"]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """The demo CMD as the app writes it: {"text", "label"} lines, 160 to train and the rest to eval."""
    out = tmp_path_factory.mktemp("data")
    rows = [json.loads(x) for x in (REPO / "resources" / "demo" / "cmd-demo.jsonl").read_text().splitlines()]
    rows = [{"text": r["Text"], "label": LABELS.index(r["Labels"]["Annotation"])} for r in rows]
    (out / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[:160]))
    (out / "eval.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[160:]))
    return out


@pytest.fixture(scope="module")
def worker():
    yield from running_worker()


def params(tiny, data, run_dir: Path, **extra):
    return {"base": str(tiny), "train_file": str(data / "train.jsonl"), "eval_file": str(data / "eval.jsonl"), "labels": LABELS,
            "out_dir": str(run_dir / "classifier"), "run_dir": str(run_dir), "epochs": 3, "batch_size": 32, "learning_rate": 3e-3,
            "max_length": 64, "seed": 7, "save_steps": 5, "resume_from": None, **extra}


def weights(folder: Path):
    from safetensors.torch import load_file

    return load_file(str(folder / "model.safetensors"))


def test_trains_checkpoints_and_resumes_to_the_same_weights(tiny, data, worker, tmp_path):
    events = []
    full = call(worker, 1, "train_classifier", params(tiny, data, tmp_path / "full"), on_event=events.append)
    assert "result" in full, full
    res = full["result"]
    assert res["steps"] == res["total_steps"] == 15 and res["examples"] == 160 and res["labels"] == LABELS
    train_losses = [e["loss"] for e in events if e["event"] == "metric" and e["split"] == "train"]
    assert len(train_losses) == 15 and res["final_loss"] < res["initial_loss"] == train_losses[0]
    assert [e["step"] for e in events if e["event"] == "checkpoint"] == [5, 10, 15]
    assert [e["done"] for e in events if e["event"] == "progress"][-1] == 15
    assert res["best_eval_loss"] is not None and 0 <= res["eval_accuracy"] <= 1
    # Only the last two checkpoints are kept on disk (full fine-tuning checkpoints are large).
    assert sorted(p.name for p in (tmp_path / "full" / "checkpoints").iterdir()) == ["step-000010", "step-000015"]

    # The saved folder is a classifier with the run's class names.
    cfg = json.loads((Path(res["out_dir"]) / "config.json").read_text())
    assert cfg["id2label"] == {"0": "Benign", "1": "Unsafe"}
    scored = call(worker, 2, "classify", {"model": res["out_dir"], "texts": ["a text", "another"]})["result"]
    assert scored["labels"] == LABELS

    # Resume from the kept step-10 checkpoint into another folder: the same weights at step 15.
    resumed_events = []
    again = call(worker, 4, "train_classifier", params(tiny, data, tmp_path / "resumed", resume_from=str(tmp_path / "full" / "checkpoints" / "step-000010")), on_event=resumed_events.append)
    assert "result" in again, again
    assert [e["step"] for e in resumed_events if e["event"] == "metric" and e["split"] == "train"] == [11, 12, 13, 14, 15]
    a, b = weights(Path(res["out_dir"])), weights(Path(again["result"]["out_dir"]))
    assert a.keys() == b.keys()
    for k in a:
        assert (a[k] - b[k]).abs().max().item() < 1e-5, k
    # Negative control: another seed ends with other weights (the comparison above can fail).
    other = call(worker, 5, "train_classifier", params(tiny, data, tmp_path / "other", seed=8, epochs=1))["result"]
    c = weights(Path(other["out_dir"]))
    assert any((a[k] - c[k]).abs().max().item() > 1e-4 for k in a)


def test_rejects_bad_params_and_one_class_data(tiny, data, worker, tmp_path):
    bad = call(worker, 10, "train_classifier", params(tiny, data, tmp_path, labels=["only"], epochs=0))
    assert bad["error"]["code"] == "invalid-params" and "labels" in bad["error"]["message"] and "epochs" in bad["error"]["message"]
    one = tmp_path / "one.jsonl"
    one.write_text('{"text": "a", "label": 0}\n{"text": "b", "label": 0}\n')
    assert call(worker, 11, "train_classifier", params(tiny, data, tmp_path, train_file=str(one)))["error"]["code"] == "one-class"
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "a", "label": 0}\n{"text": "b", "label": 5}\n')
    err = call(worker, 12, "train_classifier", params(tiny, data, tmp_path, train_file=str(broken)))["error"]
    assert err["code"] == "bad-data" and "line 2" in err["message"]


def test_zero_shot_softmaxes_entailment_over_the_labels(tiny, worker, tmp_path):
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForSequenceClassification

    nli = tmp_path / "nli"
    cfg = LlamaConfig.from_pretrained(tiny)
    cfg.num_labels = 3
    cfg.id2label = {0: "contradiction", 1: "neutral", 2: "entailment"}
    cfg.label2id = {v: k for k, v in cfg.id2label.items()}
    torch.manual_seed(0)
    LlamaForSequenceClassification(cfg).save_pretrained(nli, safe_serialization=True)
    AutoTokenizer.from_pretrained(tiny).save_pretrained(nli)
    traits = ["Neurotic", "Meticulous", "Scholarly"]
    texts = ["old people cannot learn new tools", "the meeting starts at noon"]
    events = []
    r = call(worker, 20, "zero_shot", {"model": str(nli), "texts": texts, "labels": traits, "batch_size": 4}, on_event=events.append)["result"]
    assert r["labels"] == traits and len(r["results"]) == 2
    assert [e["done"] for e in events if e["event"] == "progress"][-1] == 2
    # Reference: the entailment logit of each (text, hypothesis) pair, softmaxed across the traits.
    tok = AutoTokenizer.from_pretrained(nli)
    tok.pad_token = tok.pad_token or tok.eos_token
    model = LlamaForSequenceClassification.from_pretrained(nli).eval()
    for text, row in zip(texts, r["results"]):
        with torch.no_grad():
            ent = [model(**tok([text], [f"This text is {t}."], return_tensors="pt")).logits[0, 2].item() for t in traits]
        want = torch.softmax(torch.tensor(ent), -1).tolist()
        for t, w in zip(traits, want):
            assert row["probs"][t] == pytest.approx(w, abs=1e-4)
        assert row["label"] == traits[max(range(3), key=want.__getitem__)]
    # A classifier without an entailment class cannot do zero-shot.
    cfg.id2label = {0: "a", 1: "b", 2: "c"}
    cfg.label2id = {v: k for k, v in cfg.id2label.items()}
    plain = tmp_path / "plain"
    LlamaForSequenceClassification(cfg).save_pretrained(plain, safe_serialization=True)
    AutoTokenizer.from_pretrained(tiny).save_pretrained(plain)
    assert call(worker, 21, "zero_shot", {"model": str(plain), "texts": texts, "labels": traits})["error"]["code"] == "bad-model"


def test_trains_a_roberta_base_as_the_paper_does(data, worker, tmp_path):
    """The paper's base is RoBERTa-large: a tiny RoBERTa (2 layers, byte-level BPE tokenizer
    trained on the demo texts) gets a fresh classification head and trains like the Llama."""
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import RobertaConfig, RobertaForMaskedLM, RobertaTokenizerFast

    base = tmp_path / "tiny-roberta"
    base.mkdir()
    texts = [json.loads(x)["text"] for x in (data / "train.jsonl").read_text().splitlines()]
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(texts, vocab_size=600, min_frequency=1, special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
    bpe.save_model(str(base))
    tok = RobertaTokenizerFast(vocab_file=str(base / "vocab.json"), merges_file=str(base / "merges.txt"))
    tok.save_pretrained(base)
    cfg = RobertaConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                        max_position_embeddings=130, pad_token_id=tok.pad_token_id, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id)
    torch.manual_seed(0)
    RobertaForMaskedLM(cfg).save_pretrained(base, safe_serialization=True)

    r = call(worker, 30, "train_classifier", params(base, data, tmp_path / "run", epochs=2, save_steps=0, learning_rate=1e-3, max_length=64))
    assert "result" in r, r
    res = r["result"]
    assert res["steps"] == 10 and res["final_loss"] < res["initial_loss"]
    cfg_out = json.loads((Path(res["out_dir"]) / "config.json").read_text())
    assert cfg_out["architectures"] == ["RobertaForSequenceClassification"] and cfg_out["id2label"] == {"0": "Benign", "1": "Unsafe"}
    scored = call(worker, 31, "classify", {"model": res["out_dir"], "texts": texts[:3], "max_length": 64})["result"]
    assert scored["labels"] == LABELS and len(scored["results"]) == 3
