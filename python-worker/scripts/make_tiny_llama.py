"""Build the tiny Hugging Face Llama fixture: a SentencePiece tokenizer trained on our own demo
data (resources/demo/cmd-demo.jsonl plus the paper's prompt text) and a randomly initialised
2-layer Llama. Used by tests and the training benchmark; nothing is downloaded.

usage: python make_tiny_llama.py OUT_DIR [--demo resources/demo/cmd-demo.jsonl]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The paper's prompt text, so the tokenizer has pieces for it (kept short: words are what matter).
PROMPT_TEXT = [
    "As an advanced text transformation AI, your role is to process input text and generate outputs that are conscientious and inclusive.",
    "Identify and neutralize any biases related to age, gender, political affiliation, social background, or socio-economic status.",
    "Detect and mitigate any elements of toxicity or harm, promoting positive and constructive discourse.",
    "Recognize and counteract stereotypes, fostering a more accurate and respectful representation of all groups.",
    "Please rewrite the following text to create a benign variation that eliminates all forms of bias, toxicity, stereotyping, and harm.",
    "[INST] <<SYS>> <</SYS>> [/INST]",
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--demo", default=str(REPO / "resources" / "demo" / "cmd-demo.jsonl"))
    ap.add_argument("--vocab", type=int, default=1000)
    args = ap.parse_args()

    import sentencepiece as spm
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    lines = list(PROMPT_TEXT)
    for raw in Path(args.demo).read_text().splitlines():
        rec = json.loads(raw)
        lines.append(rec["Text"])
        if rec.get("Benign Variation"):
            lines.append(rec["Benign Variation"])

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.txt"
        corpus.write_text("\n".join(lines))
        # Llama-style: BPE with byte fallback, <unk>=0 <s>=1 </s>=2, no normalisation.
        spm.SentencePieceTrainer.train(
            input=str(corpus),
            model_prefix=str(Path(tmp) / "tokenizer"),
            vocab_size=args.vocab,
            model_type="bpe",
            byte_fallback=True,
            character_coverage=1.0,
            unk_id=0,
            bos_id=1,
            eos_id=2,
            pad_id=-1,
            split_digits=True,
            add_dummy_prefix=True,
            remove_extra_whitespaces=False,
            normalization_rule_name="identity",
            allow_whitespace_only_pieces=True,
            minloglevel=2,
        )
        shutil.copy(Path(tmp) / "tokenizer.model", out / "tokenizer.model")

    # transformers 5 drops `legacy`/`add_bos_token` on save and rebuilds the pre-tokenizer from
    # `legacy` at load: without them `<s>[INST]` tokenizes differently from llama.cpp.
    tok_cfg = {"tokenizer_class": "LlamaTokenizer", "legacy": True, "add_bos_token": True, "add_eos_token": False,
               "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}
    (out / "tokenizer_config.json").write_text(json.dumps(tok_cfg, indent=2))
    tok = AutoTokenizer.from_pretrained(out)
    tok.save_pretrained(out)
    cfg_path = out / "tokenizer_config.json"
    cfg = json.loads(cfg_path.read_text())
    cfg.update({k: tok_cfg[k] for k in ("legacy", "add_bos_token", "add_eos_token")})
    cfg_path.write_text(json.dumps(cfg, indent=2))
    assert (out / "tokenizer.model").is_file()

    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tok),
        hidden_size=64,
        intermediate_size=176,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=2048,
        rms_norm_eps=1e-5,
        bos_token_id=1,
        eos_token_id=2,
        tie_word_embeddings=False,
    )
    model = LlamaForCausalLM(config)
    model.save_pretrained(out, safe_serialization=True)
    print(json.dumps({"dir": str(out), "vocab": len(tok), "params": sum(p.numel() for p in model.parameters())}))


if __name__ == "__main__":
    main()
