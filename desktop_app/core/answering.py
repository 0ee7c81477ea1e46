"""One grounded answer, end to end: retrieve, build the prompt, stream, record provenance.

The CLI, the GUI's model worker, ``compare`` and the evaluations all answer through here.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from desktop_app.core.embedding import Embedder
from desktop_app.core.degeneration import DegenerationGuard, answered_in_another_language
from desktop_app.core.draft_review import Review, review_draft
from desktop_app.core.grounding import NO_MATCH, STOPPED, abstains, check_citations, claim_supported
from desktop_app.core.terms import language_of
from desktop_app.core.llm import ChatModel, Message
from desktop_app.core.rag import QUOTE_REQUEST, Answer, AnswerTimings, Source, prepare_prompt
from desktop_app.core.rerank import RERANK_DEPTH, Judge, rerank
from desktop_app.core.retrieval import Hit, retrieve_across_languages
from desktop_app.core.store import Store
from desktop_app.core.translation import translate_question


# A chunk that only vector search found is a source for an answer from this cosine similarity on
# (search results show more): under it the model gets nothing and the answer says so.
ANSWER_MIN_SIMILARITY = 0.15
# How a second try at a Korean question the model began answering in English (about English
# sources) begins: "According to the documents, ".
KOREAN_LEAD_IN = "문서에 따르면, "


@dataclass(frozen=True)
class AnswerOptions:
    use_retrieval: bool = True
    top_k: int = 5
    doc_ids: tuple[int, ...] | None = None
    max_tokens: int = 384
    temperature: float = 0.2
    seed: int | None = 0
    rerank: bool = False  # the chat model judges the search's first candidates before the best are kept


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
    """Answer with the model's current adapters; ``on_token`` sees the answer as it streams.

    The sources come from ``retrieve_across_languages``: a question whose words no passage in its
    language holds is also searched in the model's translation of it (``searched_as``).
    With retrieval on and nothing in the library that passes the relevance threshold, the model
    is not asked: the answer says so (``guard == "no-match"``). A repetition loop or text in the
    wrong script stops generation and ends in a plain abstention (``guard`` says which). The final
    text keeps only citations of sources that exist, and each is checked against its source; an
    answer that no source supports at all is withheld (``guard == "unsupported"``, the draft in
    ``withheld``), unless the user stopped it; a sentence cited wrongly or not at all cites the
    source that holds it (``citations_placed``). An answer whose facts the sources hold only where
    they speak of something else than the question is withheld too (``guard == "off-question"``:
    "300 g" of lentils for the calories of the soup). A draft that is nothing but citations ("[2]", as
    small models often write) becomes the sentence of the cited source that answers the question
    by its words, quoted and cited (``guard == "quoted"``), if there is one; so does a draft that
    declines, or that no source supports, when a source has such a sentence (``guard == "found"``).
    A draft that declines otherwise is asked once more for the answering sentence of the first
    source alone, and that answer is kept only if it passes every check (``guard ==
    "second-look"``, the declining draft in ``withheld``).
    """
    language = language_of(question)
    hits: list[Hit] = []
    searched_as = None
    started = time.perf_counter()
    if options.use_retrieval and store is not None:
        depth = max(options.top_k, RERANK_DEPTH) if options.rerank else options.top_k
        hits, searched_as = retrieve_across_languages(
            store, embedder, question, lambda text, into: translate_question(model, text, into, cancel=cancel),
            k=depth, doc_ids=options.doc_ids, min_similarity=ANSWER_MIN_SIMILARITY)
        if not hits:
            if on_sources is not None:
                on_sources(())
            text = NO_MATCH[language]
            if on_token is not None:
                on_token(text)
            return Answer(question=question, text=text, sources=(), stats=None, model=model.name,
                          adapters=_adapter_names(model), used_retrieval=True, guard="no-match",
                          timings=AnswerTimings(retrieval_s=time.perf_counter() - started), searched_as=searched_as)
    retrieved = reranked = time.perf_counter()
    if hits and options.rerank and isinstance(model, Judge):
        hits = rerank(model, question, hits, cancel=cancel).hits[:options.top_k]
        reranked = time.perf_counter()
    prepared = prepare_prompt(model, question, hits, history=history, use_retrieval=options.use_retrieval,
                              max_answer_tokens=options.max_tokens)
    if on_sources is not None:
        on_sources(prepared.sources)
    source_texts = [s.hit.text for s in prepared.sources]
    text, stopped, first_token_at = _draft(model, prepared.messages, question, source_texts, options,
                                           on_token=on_token, cancel=cancel)
    cancelled = _cancelled(model)
    stats = model.last_stats
    if stopped is not None:
        review = Review(STOPPED[stopped][language], stopped, text)
    else:
        review = review_draft(question, text, source_texts, documents=[s.hit.doc_path for s in prepared.sources],
                              cancelled=cancelled, closest=embedder.closest if embedder is not None else None)
        if review.guard is None and abstains(review.text) and len(prepared.sources) > 1 and not cancelled:
            review = _second_look(model, question, text, prepared.sources[0], history, options, cancel,
                                  embedder) or review
    generated = time.perf_counter()
    text = review.text
    checks = check_citations(text, source_texts, question, [s.hit.doc_path for s in prepared.sources])
    first_token_at = first_token_at or generated
    timings = AnswerTimings(
        retrieval_s=retrieved - started, rerank_s=reranked - retrieved, prompt_s=first_token_at - reranked, generation_s=generated - first_token_at,
        checks_s=time.perf_counter() - generated, prompt_tokens=stats.prompt_tokens if stats else 0,
        cached_tokens=stats.cached_tokens if stats else 0)
    return Answer(question=question, text=text, sources=prepared.sources, stats=stats, model=model.name,
                  adapters=_adapter_names(model), used_retrieval=options.use_retrieval,
                  checks=checks, withheld=review.withheld, citations_placed=review.citations_placed,
                  guard=review.guard, timings=timings, searched_as=searched_as)


def _second_look(model: ChatModel, question: str, declined: str, top: Source, history: Sequence[Message],
                 options: AnswerOptions, cancel: threading.Event | None, embedder: Embedder | None) -> Review | None:
    """The model declined with every source before it: asked again, with the first source alone, for
    the sentence that answers, which a small model finds where the near misses beside it made it
    give up. The answer passes the same checks; None where it declines again or is withheld."""
    narrow = prepare_prompt(model, question, [top.hit], history=history, max_answer_tokens=options.max_tokens,
                            requests=QUOTE_REQUEST)
    if not narrow.sources:
        return None
    draft, stopped, _ = _draft(model, narrow.messages, question, [top.hit.text], options, cancel=cancel)
    if stopped is not None or _cancelled(model):
        return None
    second = review_draft(question, draft, [top.hit.text], documents=[top.hit.doc_path],
                          closest=embedder.closest if embedder is not None else None)
    if second.guard not in (None, "quoted") or abstains(second.text):
        return None
    return Review(second.text, "second-look", declined, second.citations_placed)


def _draft(model: ChatModel, messages, question: str, source_texts: Sequence[str], options: AnswerOptions, *,
           on_token: Callable[[str], None] | None = None,
           cancel: threading.Event | None = None) -> tuple[str, str | None, float | None]:
    """``_generate``; a Korean question the model begins answering in English (small models do, about
    sources in either language) is answered once more, begun in Korean. A short English answer
    the guard let finish stays where the Korean one does not finish, or the sources hold the
    English answer and not the Korean one (a small model may misread "12 pounds" as "12만 원")."""
    text, stopped, first_token_at = _generate(model, messages, question, source_texts, options,
                                              on_token=on_token, cancel=cancel)
    finished_in_english = stopped is None and not abstains(text) and answered_in_another_language(question, text)
    if ((stopped == "wrong-script" or finished_in_english) and language_of(question) == "ko"
            and model.can_prefill and not _cancelled(model)):
        retry, stopped_again, _ = _generate(model, messages, question, source_texts, options, cancel=cancel,
                                            answer_prefix=KOREAN_LEAD_IN)
        retry = KOREAN_LEAD_IN + retry
        if stopped_again is None and not _cancelled(model) and not (
                finished_in_english and claim_supported(text, source_texts, question)
                and not claim_supported(retry, source_texts, question)):
            text, stopped = retry, None
    return text, stopped, first_token_at


def _cancelled(model: ChatModel) -> bool:
    return model.last_stats is not None and model.last_stats.cancelled


def _generate(model: ChatModel, messages, question: str, source_texts: Sequence[str], options: AnswerOptions, *,
              on_token: Callable[[str], None] | None = None, cancel: threading.Event | None = None,
              answer_prefix: str = "") -> tuple[str, str | None, float | None]:
    """(the draft, what stopped it or None, when its first token came), the degeneration guard watching."""
    guard = DegenerationGuard(question, source_texts)
    guard.feed(answer_prefix)  # judged as the whole answer, the words it was begun with included
    stopped: str | None = None
    pieces = []
    first_token_at = None
    for piece in model.stream(messages, max_tokens=options.max_tokens, temperature=options.temperature,
                              seed=options.seed, cancel=cancel, answer_prefix=answer_prefix):
        first_token_at = first_token_at or time.perf_counter()
        pieces.append(piece)
        if on_token is not None:
            on_token(piece)
        if (stopped := guard.feed(piece)) is not None:
            break
    return "".join(pieces).strip(), stopped, first_token_at


def _adapter_names(model: ChatModel) -> tuple[tuple[str, float], ...]:
    return tuple((a.path.name, a.scale) for a in model.active_adapters)


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
