"""One grounded answer, end to end: retrieve, build the prompt, stream, record provenance.

The CLI, the GUI's model worker, ``compare`` and the evaluations all answer through here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from desktop_app.core.embedding import Embedder
from desktop_app.core.llm import ChatModel, Message
from desktop_app.core.rag import Answer, Source, prepare_prompt
from desktop_app.core.retrieval import retrieve
from desktop_app.core.store import Store


@dataclass(frozen=True)
class AnswerOptions:
    use_retrieval: bool = True
    top_k: int = 5
    doc_ids: tuple[int, ...] | None = None
    max_tokens: int = 384
    temperature: float = 0.2
    seed: int | None = 0


def answer_question(
    model: ChatModel,
    store: Store | None,
    embedder: Embedder | None,
    question: str,
    *,
    options: AnswerOptions = AnswerOptions(),
    history: Sequence[Message] = (),
    on_sources: Callable[[tuple[Source, ...]], None] | None = None,
    on_token: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
) -> Answer:
    """Answer with the model's current adapters; ``on_token`` sees the answer as it streams."""
    hits = []
    if options.use_retrieval and store is not None:
        hits = retrieve(store, embedder, question, k=options.top_k, doc_ids=options.doc_ids)
    prepared = prepare_prompt(model, question, hits, history=history, use_retrieval=options.use_retrieval,
                              max_answer_tokens=options.max_tokens)
    if on_sources is not None:
        on_sources(prepared.sources)
    pieces = []
    for piece in model.stream(prepared.messages, max_tokens=options.max_tokens, temperature=options.temperature,
                              seed=options.seed, cancel=cancel):
        pieces.append(piece)
        if on_token is not None:
            on_token(piece)
    return Answer(question=question, text="".join(pieces).strip(), sources=prepared.sources,
                  stats=model.last_stats, model=model.name,
                  adapters=tuple((a.path.name, a.scale) for a in model.active_adapters),
                  used_retrieval=options.use_retrieval)


@dataclass(frozen=True)
class Configuration:
    """One of the four ways to answer: with or without retrieval, with or without adapters."""

    name: str
    use_retrieval: bool
    adapters: tuple[tuple[str, float], ...]  # (path, scale)


def four_configurations(adapters: Sequence[tuple[str, float]]) -> list[Configuration]:
    configurations = [Configuration("base", False, ()), Configuration("+RAG", True, ())]
    if adapters:
        configurations += [Configuration("+adapter", False, tuple(adapters)),
                           Configuration("+RAG+adapter", True, tuple(adapters))]
    return configurations


def compare(
    model: ChatModel,
    store: Store,
    embedder: Embedder,
    question: str,
    *,
    adapters: Sequence[tuple[str, float]],
    options: AnswerOptions = AnswerOptions(),
    on_answer: Callable[[Configuration, Answer], None] | None = None,
    cancel: threading.Event | None = None,
) -> list[tuple[Configuration, Answer]]:
    """The same question answered base / +RAG / +adapter / +RAG+adapter. The adapters active
    before the call are restored after it."""
    results = []
    for configuration in four_configurations(adapters):
        if cancel is not None and cancel.is_set():
            break
        with model.adapters_applied(configuration.adapters):
            answer = answer_question(model, store, embedder, question, cancel=cancel,
                                     options=replace(options, use_retrieval=configuration.use_retrieval))
        results.append((configuration, answer))
        if on_answer is not None:
            on_answer(configuration, answer)
    return results
