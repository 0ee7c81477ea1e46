"""Reranking with the chat model: each of the first candidates is judged relevant or not by the
model's next-token probabilities of "yes" and "no" (one pass over a short prompt, nothing generated),
and the candidates are ordered again by that judgement blended with their fused search score.

No cross-encoder with its weights inside could be had from the package registry; the chat model
is the judge the app already has."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, replace
from typing import Protocol, Sequence, runtime_checkable

from desktop_app.core.llm import Message
from desktop_app.core.retrieval import Hit

RERANK_DEPTH = 10  # candidates judged; the rest keep their order after them
JUDGEMENT_SHARE = 0.5  # weight of the model's judgement against the fused search score (both 0..1)
PASSAGE_CHARACTERS = 1200

_SYSTEM = "You judge search results. Reply with yes or no only."
_PROMPT = "Question: {question}\n\nPassage:\n{passage}\n\nDoes the passage answer the question?"


@runtime_checkable
class Judge(Protocol):
    """A model that can say how much likelier its reply begins with "yes" than "no" (the local chat
    model; a model on a server cannot)."""

    def yes_margin(self, messages: Sequence[Message]) -> float: ...


@dataclass(frozen=True)
class Reranked:
    hits: list[Hit]
    judged: int
    seconds: float


def relevance_messages(question: str, passage: str) -> list[Message]:
    return [Message("system", _SYSTEM),
            Message("user", _PROMPT.format(question=question.strip(), passage=passage.strip()[:PASSAGE_CHARACTERS]))]


def judgement(judge: Judge, question: str, passage: str) -> float:
    """The model's probability (0..1) that ``passage`` answers ``question``."""
    margin = judge.yes_margin(relevance_messages(question, passage))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, margin))))


def blended(search_score: float, judged: float, share: float = JUDGEMENT_SHARE) -> float:
    return share * judged + (1.0 - share) * search_score


def rerank(judge: Judge, question: str, hits: Sequence[Hit], *, depth: int = RERANK_DEPTH,
           share: float = JUDGEMENT_SHARE, cancel: threading.Event | None = None) -> Reranked:
    """``hits`` (best first, fused scores 0..1) with the first ``depth`` ordered again; a cancel
    leaves the order as it was."""
    started = time.perf_counter()
    head, tail = list(hits[:depth]), list(hits[depth:])
    scores = []
    for hit in head:
        if cancel is not None and cancel.is_set():
            return Reranked(list(hits), 0, time.perf_counter() - started)
        scores.append(blended(hit.score, judgement(judge, question, hit.text), share))
    order = sorted(range(len(head)), key=lambda i: -scores[i])
    ranked = [replace(head[i], score=round(scores[i], 6)) for i in order]
    return Reranked(ranked + tail, len(head), time.perf_counter() - started)
