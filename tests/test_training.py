"""The LoRA training path end to end: a few steps on the real bundled model, exported as a GGUF
adapter that llama.cpp loads on the quantized model like any user adapter."""

import re

import pytest

from desktop_app.core.adapters import describe_adapter
from desktop_app.core.llm import Message
from desktop_app.core.grounding import DECLINE
from desktop_app.core.terms import language_of
from desktop_app.core.grounding_data import ABSTAIN, make_examples
from desktop_app.core.paths import bundled_adapters_dir
from desktop_app.core.reading_data import make_reading_examples
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


def test_reading_examples_look_like_retrieved_chunks_and_keep_the_splits_apart():
    train_set = make_reading_examples(300, seed=1)
    test_set = make_reading_examples(80, seed=2, split="test")
    kinds = {e.kind for e in train_set}
    assert kinds == {"single", "two-source", "follow-up", "near-miss", "memory"}
    for example in train_set:
        assert 3 <= len(example.sources) <= 5
        assert language_of(example.answer) == example.language  # Korean questions are answered in Korean
        if example.kind in ("near-miss", "memory"):
            assert example.answer == DECLINE[example.language]
            continue
        cited = [int(n) for n in re.findall(r"\[(\d)\]", example.answer)]
        flat = [" ".join(s.replace("-\n", "").split()) for s in example.sources]  # PDF line breaks undone
        assert cited and all(any(k in flat[n - 1] for k in example.keys) for n in cited)
    assert any(e.history for e in train_set) and any(e.language == "ko" for e in train_set)
    # near misses ask about an entity that a source does mention
    near = [e for e in train_set if e.kind == "near-miss" and e.language == "en"]
    question_words = {"How", "Who", "When", "What", "Where", "Which", "Whose", "From", "For", "Since", "Does", "And", "In", "On",
                      "Python"}
    assert near and all(all(w in " ".join(e.sources) for w in set(re.findall(r"\b[A-Z][a-z]+", e.question)) - question_words)
                        for e in near)
    train_words = {w for e in train_set for s in e.sources for w in re.findall(r"\b[A-Z][a-z]+", s)}
    test_names = {w for e in test_set for w in re.findall(r"\b[A-Z][a-z]+", e.question)} - question_words
    assert test_names and test_names.isdisjoint(train_words)
    train_questions = {e.question for e in train_set if e.kind != "memory"}  # general-knowledge ones are shared
    assert not train_questions & {e.question for e in test_set if e.kind != "memory"}


@pytest.mark.slow
def test_a_trained_adapter_loads_on_the_quantized_model(tmp_path, qwen_path, qwen):
    out = tmp_path / "tiny.gguf"
    recipe = train(base_gguf=qwen_path, out=out, steps=2, rank=8, alpha=16.0, lr=1e-3, seed=1, threads=2,
                   targets=["q_proj", "k_proj", "v_proj", "o_proj"], log_every=1,
                   init=bundled_adapters_dir() / "grounded-citations.gguf")
    info = describe_adapter(out)
    assert info.architecture == "qwen2" and info.rank == 8 and info.targets == ("attn_k", "attn_output", "attn_q",
                                                                               "attn_v")
    assert info.layers == 24 and recipe["steps"] == 2 and recipe["data"] == "reading"
    assert recipe["initial_tensors"] == 24 * 4 * 2  # every A and B started from the shipped adapter
    prompt = [Message("user", "Name three colours.")]
    qwen.set_adapters([])
    base = qwen.complete(prompt, max_tokens=12, temperature=0)
    qwen.set_adapters([(out, 2.0)])
    try:
        assert qwen.complete(prompt, max_tokens=12, temperature=0)  # loads and runs on the live context
    finally:
        qwen.set_adapters([])
    assert qwen.complete(prompt, max_tokens=12, temperature=0) == base
