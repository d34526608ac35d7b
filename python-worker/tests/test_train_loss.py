"""The training loss module (jobs/train.py token_loss_module) on the real tiny Llama with LoRA:
the LM head runs on labelled positions only and right-padded batches run without a padding mask,
and the loss and the LoRA gradients equal transformers' own (model(..., attention_mask=...,
labels=...).loss) on a right-padded batch, prompt masked or not. Negative controls: labels one
position off give a different loss; a left-padded batch keeps its mask (without it the loss
differs); the fallback path (the model's own loss, for types outside SELECTIVE_HEAD_TYPES)
projects every position."""

import importlib.util

import pytest
from helpers import llama2_chat_jsonl

pytestmark = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed")


def lora_model(tiny):
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_pretrained(tiny, dtype=torch.float32)
    lora = LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, task_type="CAUSAL_LM", target_modules=["q_proj", "v_proj", "lm_head"])
    model = get_peft_model(model, lora)
    # LoRA B starts at zero; move it so the adapters take part in the loss and its gradients.
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.02)
    return model


def batch(tiny, tmp_path, response_only):
    import torch
    from transformers import AutoTokenizer

    from srlab_worker.config import validate_args
    from srlab_worker.jobs.train import collate, read_examples

    data = tmp_path / "train.jsonl"
    llama2_chat_jsonl(data, limit=5)
    tok = AutoTokenizer.from_pretrained(tiny)
    examples, _ = read_examples(str(data), tok, validate_args({"use_4bit": False, "response_only_loss": response_only}))
    ids, labels, mask = collate(torch, examples, tok.unk_token_id)
    assert (mask == 0).any(), "the batch must be padded for the test to mean anything"
    return ids, labels, mask


def lora_grads(model):
    return {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}


@pytest.mark.parametrize("response_only", [True, False])
def test_the_selective_head_gives_transformers_loss_and_gradients(tiny, tmp_path, response_only):
    import torch

    from srlab_worker.jobs.train import token_loss_module

    ids, labels, mask = batch(tiny, tmp_path, response_only)
    model = lora_model(tiny)
    model.train()
    ref = model(input_ids=ids, attention_mask=mask, labels=labels).loss
    ref.backward()
    ref_grads = lora_grads(model)
    model.zero_grad(set_to_none=True)

    loss = token_loss_module(torch, model)
    assert loss.selective
    rows, masks = [], []
    hook = model.get_base_model().lm_head.register_forward_hook(lambda m, i, o: rows.append(i[0].shape[0]))
    seen = model.get_base_model().model.register_forward_pre_hook(lambda m, a, kw: masks.append(kw.get("attention_mask")), with_kwargs=True)
    total, count = loss(ids, mask, labels)
    hook.remove()
    seen.remove()
    assert masks == [None]  # right padding: causal attention alone, no padding mask
    mean = total / count
    mean.backward()
    assert int(count) == int((labels[:, 1:] != -100).sum())
    assert float(mean.detach()) == pytest.approx(float(ref.detach()), rel=1e-5)
    for name, grad in lora_grads(model).items():
        torch.testing.assert_close(grad, ref_grads[name], rtol=1e-4, atol=1e-6, msg=name)
    # The head saw the labelled positions only: no pad, and no prompt under response_only.
    assert rows == [int(count)] and rows[0] < ids.shape[0] * ids.shape[1]

    # Negative control: labels one position off (no shift) give another loss.
    lm = model.get_base_model()
    with torch.no_grad():
        hidden = lm.model(input_ids=ids, attention_mask=mask, use_cache=False).last_hidden_state
        keep = labels != -100
        unshifted = torch.nn.functional.cross_entropy(lm.lm_head(hidden[keep]).float(), labels[keep])
    assert float(unshifted) != pytest.approx(float(ref.detach()), rel=1e-3)


def test_the_fallback_takes_the_models_own_loss_over_every_position(tiny, tmp_path):
    import torch

    from srlab_worker.jobs.train import token_loss_module

    ids, labels, mask = batch(tiny, tmp_path, True)
    model = lora_model(tiny)
    loss = token_loss_module(torch, model)
    loss.selective = False  # what a model type outside SELECTIVE_HEAD_TYPES gets
    rows = []
    hook = model.get_base_model().lm_head.register_forward_hook(lambda m, i, o: rows.append(i[0].shape[:2]))
    with torch.no_grad():
        total, count = loss(ids, mask, labels)
        ref = model(input_ids=ids, attention_mask=mask, labels=labels).loss
    hook.remove()
    assert float(total / count) == pytest.approx(float(ref), rel=1e-6)
    assert rows[0] == ids.shape  # every position, pads included


def test_packed_sequences_stay_apart_only_without_a_kv_cache(tiny):
    """Why the loss module passes use_cache=False, and what padding-free packing would need: in
    transformers 5, sequences packed into one row with restarting position_ids attend only
    within themselves (a block-diagonal mask built from position_ids) when no KV cache is made;
    with the default use_cache=True the model builds a cache, skips that detection, and the
    later sequences attend across the boundary (the negative control)."""
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny, dtype=torch.float32)
    model.train()  # as in training; dropout is 0 in the tiny config
    torch.manual_seed(0)
    seqs = [torch.randint(3, 900, (n,)).tolist() for n in (20, 31, 12)]
    flat = torch.tensor([sum(seqs, [])])
    pos = torch.cat([torch.arange(len(s)) for s in seqs])[None]
    with torch.no_grad():
        alone = torch.cat([model(input_ids=torch.tensor([s]), use_cache=False).logits[0] for s in seqs])
        packed = model(input_ids=flat, position_ids=pos, use_cache=False).logits[0]
        cached = model(input_ids=flat, position_ids=pos, use_cache=True).logits[0]
    torch.testing.assert_close(packed, alone, rtol=1e-4, atol=1e-5)
    assert (cached[20:] - alone[20:]).abs().max() > 1e-2


def test_a_left_padded_batch_keeps_its_padding_mask(tiny, tmp_path):
    import torch

    from srlab_worker.jobs.train import token_loss_module

    ids, labels, mask = batch(tiny, tmp_path, False)
    # The same rows padded on the left: here the mask matters (pads come before real tokens).
    shift = (mask == 0).sum(1)
    ids, labels, mask = (torch.stack([row.roll(int(k)) for row, k in zip(t, shift)]) for t in (ids, labels, mask))
    assert (mask[:, 0] == 0).any()
    model = lora_model(tiny)
    loss = token_loss_module(torch, model)
    masks = []
    seen = model.get_base_model().model.register_forward_pre_hook(lambda m, a, kw: masks.append(kw.get("attention_mask")), with_kwargs=True)
    with torch.no_grad():
        total, count = loss(ids, mask, labels)
        seen.remove()
        ref = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        unmasked = model(input_ids=ids, labels=labels).loss
    assert masks[0] is mask
    assert float(total / count) == pytest.approx(float(ref), rel=1e-5)
    assert float(unmasked) != pytest.approx(float(ref), rel=1e-3)  # negative control


def test_sub_batches_of_similar_length_give_the_whole_micro_batchs_loss_and_gradients(tiny, tmp_path):
    """train_step cuts each micro-batch into sub-batches of similar length (less padding): the
    step's loss and gradients must be the whole padded micro-batch's. Negative control: each
    sub-batch averaged over its own tokens (a naive split) gives other gradients."""
    import torch

    from srlab_worker.jobs import train
    from srlab_worker.protocol import JobContext

    class Sink:
        def send(self, message):
            pass

    data = tmp_path / "train.jsonl"
    llama2_chat_jsonl(data, limit=8)
    cfg = dict(use_4bit=False, max_steps=1, per_device_train_batch_size=4, gradient_accumulation_steps=2, lora_r=8, lora_dropout=0.0,
               max_seq_length=128, lora_target_modules=["q_proj", "v_proj"])
    s = train.setup({"base": str(tiny), "train_file": str(data), "config": cfg, "run_dir": str(tmp_path / "run")}, JobContext(Sink(), "t"))
    with torch.no_grad():  # non-zero LoRA B, so every adapter weight gets a gradient
        for name, p in s["module"].named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.02)
    micro = [list(range(4)), list(range(4, 8))]
    # Lengths spread so that 0.1 really cuts: else the test compares a batch with itself.
    assert any(len(train.length_sub_batches(idx, s["lengths"])) > 1 for idx in micro)

    def grads(share):
        s["sub_batch_pad_share"] = share
        loss, tokens = train.train_step(s, micro, JobContext(Sink(), "t"), None)
        g = {n: p.grad.clone() for n, p in s["module"].named_parameters() if p.requires_grad}
        s["module"].zero_grad(set_to_none=True)
        return loss, tokens, g

    whole_loss, whole_tokens, whole = grads(1.0)
    split_loss, split_tokens, split = grads(train.SUB_BATCH_PAD_SHARE)
    assert split_loss == pytest.approx(whole_loss, rel=1e-5) and split_tokens == whole_tokens
    for name in whole:
        torch.testing.assert_close(split[name], whole[name], rtol=1e-4, atol=1e-7, msg=name)

    for idx in micro:  # the naive split
        for sub in train.length_sub_batches(idx, s["lengths"]):
            ids, labels, mask = train.collate(torch, [s["train"][i] for i in sub], s["pad"])
            total, count = s["model"](ids, mask, labels)
            (total / count / len(micro)).backward()
    naive = {n: p.grad.clone() for n, p in s["module"].named_parameters() if p.requires_grad}
    assert any(not torch.allclose(naive[n], whole[n], rtol=1e-3, atol=1e-7) for n in whole)


def test_length_sub_batches_cut_where_an_example_is_a_tenth_shorter():
    from srlab_worker.jobs.train import length_sub_batches

    lengths = [100, 95, 91, 89, 50, 50, 46, 44]
    assert length_sub_batches([7, 0, 4, 1, 2, 3, 5, 6], lengths) == [[0, 1, 2], [3], [4, 5, 6], [7]]
    assert length_sub_batches(list(range(8)), lengths, 1.0) == [[0, 1, 2, 3, 4, 5, 6, 7]]
