import threading

import pytest

from desktop_app.core.errors import ModelLoadError
from desktop_app.core.llm import ChatModel, Message

QUESTION = [Message("system", "You answer briefly."), Message("user", "What is the capital of France?")]


def test_the_chat_model_streams_an_answer_from_its_own_template(qwen):
    assert qwen.uses_template_from_file
    pieces = list(qwen.stream(QUESTION, max_tokens=24, temperature=0))
    assert len(pieces) > 1 and "Paris" in "".join(pieces)
    stats = qwen.last_stats
    assert stats.completion_tokens >= len(pieces) and stats.tokens_per_s > 0 and not stats.cancelled


def test_temperature_zero_is_deterministic(qwen):
    first = qwen.complete(QUESTION, max_tokens=16, temperature=0)
    assert qwen.complete(QUESTION, max_tokens=16, temperature=0) == first


def test_cancel_stops_between_tokens(qwen):
    cancel = threading.Event()
    pieces = []
    for piece in qwen.stream([Message("user", "Count from 1 to 200, one number per line.")], max_tokens=300,
                             temperature=0, cancel=cancel):
        pieces.append(piece)
        if len(pieces) == 5:
            cancel.set()
    assert len(pieces) == 5 and qwen.last_stats.cancelled


def test_the_gemma_base_without_template_gets_gemma_turns(gemma):
    assert not gemma.uses_template_from_file
    prompt = gemma.render([Message("system", "Be brief."), Message("user", "Hi"), Message("assistant", "Hello"),
                           Message("user", "Bye")])
    assert prompt == ("<bos><start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\nHello<end_of_turn>\n"
                      "<start_of_turn>user\nBye<end_of_turn>\n<start_of_turn>model\n")
    tokens = gemma.tokenize_prompt(prompt)
    assert tokens.count(gemma._llama.token_bos()) == 1
    text = gemma.complete([Message("user", "Hello")], max_tokens=8, temperature=0)
    assert gemma.last_stats.completion_tokens >= 1 and text == gemma.complete([Message("user", "Hello")], max_tokens=8,
                                                                              temperature=0)  # deterministic


@pytest.mark.parametrize("content,reason", [
    (None, "does not exist"),
    (b"not a gguf file at all" * 10, "not a GGUF file"),
    (b"GGUF\x03\x00\x00\x00" + b"\xff" * 40, "corrupt header"),
])
def test_bad_model_files_are_refused_with_the_reason(tmp_path, content, reason):
    path = tmp_path / "model.gguf"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ModelLoadError, match=reason):
        ChatModel(path)


def test_a_truncated_model_is_refused(tmp_path, gemma_path):
    path = tmp_path / "truncated.gguf"
    with open(gemma_path, "rb") as source:
        path.write_bytes(source.read(40_000_000))
    with pytest.raises(ModelLoadError):
        ChatModel(path, n_ctx=512)


def test_an_answer_begun_with_given_words_goes_on_from_them(qwen):
    begun = "".join(qwen.stream(QUESTION, max_tokens=12, temperature=0, answer_prefix="The capital of France is"))
    assert "Paris" in begun and not begun.lstrip().startswith("The capital")
