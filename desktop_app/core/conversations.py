"""Conversations as the app sees them: answers with their sources, and a chat session that keeps
its history and saves each exchange. The rows live in ``store.conversations``; no SQL here."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable

from desktop_app.core.answering import AnswerOptions, answer_question
from desktop_app.core.embedding import Embedder
from desktop_app.core.errors import StoreError
from desktop_app.core.grounding import check_citations, unsupported_numbers
from desktop_app.core.llm import ChatModel, Message
from desktop_app.core.rag import Answer, Source, cited_numbers
from desktop_app.core.retrieval import Hit
from desktop_app.core.store import Conversation, SavedMessage, SavedSource, Store

HISTORY_TURNS = 8  # earlier messages sent with a question (the prompt drops more if they do not fit)


@dataclass(frozen=True)
class StoredMessage:
    """A saved message, its sources as the ``Source``s the answer cited."""

    role: str
    content: str
    model: str | None
    adapters: tuple[tuple[str, float], ...]
    stats: dict
    sources: tuple[Source, ...]
    question: str = ""  # for an answer: the question it answered

    @property
    def cited(self) -> tuple[int, ...]:
        return cited_numbers(self.content, len(self.sources))

    @property
    def searched_as(self) -> str | None:
        """For an answer: the question's translation its search also used."""
        return self.stats.get("searched_as")

    @property
    def unsupported(self) -> tuple[int, ...]:
        """Cited sources that do not hold their sentence (checked again on each load)."""
        return unsupported_numbers(check_citations(self.content, [s.hit.text for s in self.sources], self.question,
                                                   [s.hit.doc_path for s in self.sources]))


def add_exchange(store: Store, conversation_id: int, answer: Answer) -> int:
    """Save a question and its answer (with sources and provenance); returns the answer's message id."""
    stats = {}
    if answer.stats is not None:
        stats = {"prompt_tokens": answer.stats.prompt_tokens, "completion_tokens": answer.stats.completion_tokens,
                 "ttft_s": round(answer.stats.time_to_first_token_s, 3),
                 "tokens_per_s": round(answer.stats.tokens_per_s, 2), "cancelled": answer.stats.cancelled,
                 "timings": answer.timings.as_json()}
    if answer.searched_as:
        stats["searched_as"] = answer.searched_as
    sources = [SavedSource(s.number, s.hit.chunk_id, s.hit.doc_path, s.hit.page, s.hit.section, s.hit.start_char,
                           s.hit.end_char, s.hit.score, s.hit.text) for s in answer.sources]
    return store.conversations.add_exchange(conversation_id, question=answer.question, answer=answer.text,
                                            model=answer.model, adapters=answer.adapters,
                                            used_retrieval=answer.used_retrieval, stats=stats, sources=sources)


def conversation_messages(store: Store, conversation_id: int) -> list[StoredMessage]:
    messages, question = [], ""
    for saved in store.conversations.messages(conversation_id):
        messages.append(_stored_message(saved, question if saved.role == "assistant" else ""))
        question = saved.content if saved.role == "user" else ""
    return messages


def _stored_message(message: SavedMessage, question: str = "") -> StoredMessage:
    sources = tuple(
        Source(s.number, Hit(chunk_id=s.chunk_id or 0, doc_path=s.doc_path, page=s.page, section=s.section,
                             start_char=s.start_char, end_char=s.end_char, text=s.text, score=s.score,
                             vector_rank=None, keyword_rank=None, vector_distance=None))
        for s in message.sources)
    return StoredMessage(message.role, message.content, message.model, message.adapters, message.stats, sources,
                         question)


@dataclass(frozen=True)
class Exchange:
    """What ``ChatSession.ask`` produced: the answer, where it was saved, or why it was not."""

    answer: Answer
    conversation_id: int | None
    not_saved: str | None = None  # the reason, when the store could not take it (read-only or full)


class ChatSession:
    """One conversation: its history (sent with each question) and the saving of each exchange.

    The CLI's ``ask`` and the window's model worker both answer through a session. An answer that
    cannot be saved is still returned, with the reason, and stays in the history.
    """

    def __init__(self, store: Store, conversation_id: int | None = None, *, save: bool = True):
        self.store = store
        self.save = save
        self.conversation_id: int | None = None
        self.history: list[Message] = []
        self.open(conversation_id)

    def open(self, conversation_id: int | None) -> None:
        """Continue a saved conversation (None: a new one, created with its first answer)."""
        self.conversation_id = conversation_id
        self.history = [] if conversation_id is None else [
            Message(m.role, m.content) for m in conversation_messages(self.store, conversation_id) if m.content]

    def ask(self, model: ChatModel, embedder: Embedder | None, question: str, *, options: AnswerOptions,
            on_sources: Callable[[tuple[Source, ...]], None] | None = None,
            on_token: Callable[[str], None] | None = None, cancel: threading.Event | None = None) -> Exchange:
        answer = answer_question(model, self.store, embedder, question,
                                 options=options,
                                 history=self.history[-HISTORY_TURNS:], on_sources=on_sources, on_token=on_token,
                                 cancel=cancel)
        return self.keep(question, answer)

    def summarize(self, model: ChatModel, doc_path: str, *, question: str | None = None,
                  on_progress: Callable | None = None, on_token: Callable[[str], None] | None = None,
                  cancel: threading.Event | None = None) -> Exchange:
        """A whole-document answer (``core.summarize``), kept in the conversation like any other."""
        from desktop_app.core.summarize import summarize_document

        answer = summarize_document(model, self.store, doc_path, question=question, on_progress=on_progress,
                                    on_token=on_token, cancel=cancel)
        return self.keep(answer.question, answer)

    def keep(self, question: str, answer: Answer) -> Exchange:
        """Add the exchange to the history and, unless this session does not save, to the store."""
        if answer.text:
            self.history += [Message("user", question), Message("assistant", answer.text)]
        if not self.save:
            return Exchange(answer, self.conversation_id)
        try:
            if self.conversation_id is None:
                self.conversation_id = self.store.conversations.create().id
            add_exchange(self.store, self.conversation_id, answer)
        except StoreError as exc:
            return Exchange(answer, self.conversation_id, not_saved=str(exc))
        return Exchange(answer, self.conversation_id)


__all__ = ["ChatSession", "Conversation", "Exchange", "StoredMessage", "add_exchange", "conversation_messages"]
