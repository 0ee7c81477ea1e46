"""Degenerate output, caught while it streams: repetition loops and text in the wrong script."""

from __future__ import annotations

import re
from typing import Sequence

from desktop_app.core.grounding import CITATION, split_sentences
from desktop_app.core.terms import language_of, script_of as _script

_LOOP = re.compile(r"(.{1,16}?)\1{5,}$", re.S)  # a unit of 1-16 characters six times in a row at the end


class DegenerationGuard:
    """Watches an answer as it streams; ``feed`` returns a reason once it has gone wrong.

    "repetition": a short unit repeated six times in a row, or one sentence written three times.
    "wrong-script": a Korean question answered without Hangul, or any answer drifting into a
    script that neither the question nor the sources use (a small model slides into Chinese).
    """

    def __init__(self, question: str, source_texts: Sequence[str] = ()):
        self.language = language_of(question)
        self.allowed_scripts = _allowed_scripts(question, source_texts)
        self.text = ""

    def feed(self, piece: str) -> str | None:
        self.text += piece
        return self.reason()

    def reason(self) -> str | None:
        tail = self.text[-200:]
        if _LOOP.search(tail.rstrip()) and len(tail.strip()) >= 12:
            return "repetition"
        sentences = [s for s in split_sentences(self.text) if len(s) >= 12]
        if sentences and max(sentences.count(s) for s in sentences) >= 3:
            return "repetition"
        letters = [c for c in CITATION.sub("", self.text) if c.isalpha()]
        if self.language == "ko" and len(letters) >= 40:
            hangul = sum(1 for c in letters if _script(c) == "hangul")
            if hangul / len(letters) < 0.15:
                return "wrong-script"
        foreign = [c for c in letters if _script(c) not in self.allowed_scripts]
        if len(foreign) >= 6 and len(foreign) >= 0.2 * len(letters):
            return "wrong-script"
        return None


def _allowed_scripts(question: str, source_texts: Sequence[str]) -> set[str]:
    return {"latin", "hangul", "digit", "other"} | {
        _script(c) for text in (question, *source_texts) for c in text if c.isalpha()}


def answered_in_another_language(question: str, answer: str) -> bool:
    """A finished answer to a Korean question without a Hangul letter ("The program lasts for 8 weeks
    [1]."): too short for ``DegenerationGuard`` to have stopped it while it streamed."""
    letters = [c for c in CITATION.sub("", answer) if c.isalpha()]
    return language_of(question) == "ko" and len(letters) >= 6 and not any(_script(c) == "hangul" for c in letters)


def without_stray_script(text: str, question: str, source_texts: Sequence[str] = ()) -> str:
    """The finished answer without the letters of a script that neither the question nor the
    sources use: a few Chinese characters slipped into a Korean answer ("Irish导演 Niamh Costigan"),
    too few for the guard to stop it, go; the rest of the answer stays."""
    allowed = _allowed_scripts(question, source_texts)
    kept = "".join(c for c in text if not (c.isalpha() and _script(c) not in allowed))
    return kept if kept == text else re.sub(r"[ \t]{2,}", " ", kept).strip()
