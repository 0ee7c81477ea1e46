"""A question put into the app's other language by the chat model, so that retrieval can find
passages written in that language (a Korean question about an English letter)."""

from __future__ import annotations

import re
import threading

from desktop_app.core.llm import ChatCalls, Message
from desktop_app.core.terms import language_of, script_of

LANGUAGE_NAMES = {"en": "English", "ko": "Korean"}

_INSTRUCTION = "You translate a question into {language}. Reply with the translated question only; never answer it."

# One worked example keeps a small model translating instead of answering.
_EXAMPLE = {
    "en": ("도서관 어린이실은 토요일에 몇 시에 문을 닫나요?", "What time does the library's children's room close on Saturday?"),
    "ko": ("How much is the late fee for a returned library book?", "도서관 책 반납이 늦으면 연체료는 얼마인가요?"),
}

MAX_TRANSLATION_TOKENS = 64


def translate_question(model: ChatCalls, question: str, language: str, *,
                       cancel: threading.Event | None = None) -> str | None:
    """``question`` in ``language`` ("en" or "ko"), or None when the model's reply is not a question
    in that language (it answered, repeated the question, or wrote nothing)."""
    example_question, example_translation = _EXAMPLE[language]
    messages = [
        Message("system", _INSTRUCTION.format(language=LANGUAGE_NAMES[language])),
        Message("user", example_question),
        Message("assistant", example_translation),
        Message("user", question.strip()),
    ]
    reply = model.complete(messages, max_tokens=MAX_TRANSLATION_TOKENS, temperature=0.0, cancel=cancel)
    return usable_translation(reply, question, language)


def usable_translation(reply: str, question: str, language: str) -> str | None:
    """The translation in the model's reply; None when it is not a question in ``language``: an
    answer, the question repeated, or one with letters of neither language ("소년合唱가는 ...?")."""
    lines = [line.strip() for line in reply.strip().splitlines() if line.strip()]
    translation = re.sub(r"^(translation|번역)\s*:\s*", "", lines[0], flags=re.IGNORECASE) if lines else ""
    asked = question.strip()
    if (not translation or language_of(translation) != language or translation == asked
            or (asked.endswith("?") and not translation.endswith("?"))
            or any(c.isalpha() and script_of(c) not in ("latin", "hangul") for c in translation)):
        return None
    return translation
