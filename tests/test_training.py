"""The LoRA training path end to end: a few steps on the real bundled model, exported as a GGUF
adapter that llama.cpp loads on the quantized model like any user adapter."""

import re

import pytest

from desktop_app.core.adapters import describe_adapter
from desktop_app.core.llm import Message
from desktop_app.core.grounding_data import ABSTAIN, make_examples
from desktop_app.train.lora import train


def test_training_examples_are_grounded_and_test_names_are_unseen():
    train_set = make_examples(200, seed=1)
    test_set = make_examples(50, seed=2, split="test")
    answerable = [e for e in train_set if e.answer_source]
    assert answerable and all(f"[{e.answer_source}]" in e.answer for e in answerable)
    assert all(e.key_fact in e.sources[e.answer_source - 1] for e in answerable)
    assert any(e.answer == ABSTAIN for e in train_set)
    train_words = {w.strip(".") for e in train_set for s in e.sources for w in s.split()}
    question_words = {"How", "Who", "When", "What", "Where", "Which", "In", "The"}
    test_names = {w for e in test_set for w in re.findall(r"\b[A-Z][a-z]+", e.question)} - question_words
    assert test_names and test_names.isdisjoint(train_words)  # held-out questions name unseen entities


@pytest.mark.slow
def test_a_trained_adapter_loads_on_the_quantized_model(tmp_path, qwen_path, qwen):
    out = tmp_path / "tiny.gguf"
    recipe = train(base_gguf=qwen_path, out=out, steps=3, rank=4, alpha=8.0, lr=1e-3, seed=1, threads=2,
                   targets=["q_proj", "v_proj"], log_every=1)
    info = describe_adapter(out)
    assert info.architecture == "qwen2" and info.rank == 4 and info.targets == ("attn_q", "attn_v")
    assert info.layers == 24 and recipe["steps"] == 3
    prompt = [Message("user", "Name three colours.")]
    qwen.set_adapters([])
    base = qwen.complete(prompt, max_tokens=12, temperature=0)
    qwen.set_adapters([(out, 2.0)])
    try:
        assert qwen.complete(prompt, max_tokens=12, temperature=0)  # loads and runs on the live context
    finally:
        qwen.set_adapters([])
    assert qwen.complete(prompt, max_tokens=12, temperature=0) == base
