"""Conversations persisted in the store: messages, the sources each answer used, and what produced it."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from desktop_app.core import db as sqlite
from desktop_app.core.rag import Answer, Source
from desktop_app.core.retrieval import Hit
from desktop_app.core.store import Store


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    created_at: float
    updated_at: float


@dataclass(frozen=True)
class StoredMessage:
    id: int
    role: str
    content: str
    created_at: float
    model: str | None
    adapters: tuple[tuple[str, float], ...]
    used_retrieval: bool
    stats: dict
    sources: tuple[Source, ...]


def create_conversation(store: Store, title: str = "New chat") -> Conversation:
    now = time.time()
    with sqlite.transaction(store.db):
        cid = store.db.execute("INSERT INTO conversations(title, created_at, updated_at) VALUES (?, ?, ?)",
                               (title, now, now)).lastrowid
    return Conversation(cid, title, now, now)


def list_conversations(store: Store) -> list[Conversation]:
    rows = store.db.execute("SELECT id, title, created_at, updated_at FROM conversations ORDER BY updated_at DESC, id DESC")
    return [Conversation(*row) for row in rows]


def rename_conversation(store: Store, conversation_id: int, title: str) -> None:
    with sqlite.transaction(store.db):
        store.db.execute("UPDATE conversations SET title = ? WHERE id = ?", (title.strip() or "Untitled", conversation_id))


def delete_conversation(store: Store, conversation_id: int) -> None:
    with sqlite.transaction(store.db):
        store.db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))


def add_exchange(store: Store, conversation_id: int, answer: Answer) -> int:
    """Save a question and its answer (with sources and provenance); returns the answer's message id."""
    now = time.time()
    stats = {}
    if answer.stats is not None:
        stats = {"prompt_tokens": answer.stats.prompt_tokens, "completion_tokens": answer.stats.completion_tokens,
                 "ttft_s": round(answer.stats.time_to_first_token_s, 3),
                 "tokens_per_s": round(answer.stats.tokens_per_s, 2), "cancelled": answer.stats.cancelled}
    with sqlite.transaction(store.db):
        store.db.execute(
            "INSERT INTO messages(conversation_id, role, content, created_at) VALUES (?, 'user', ?, ?)",
            (conversation_id, answer.question, now))
        message_id = store.db.execute(
            "INSERT INTO messages(conversation_id, role, content, created_at, model, adapters, used_retrieval, stats) "
            "VALUES (?, 'assistant', ?, ?, ?, ?, ?, ?)",
            (conversation_id, answer.text, now, answer.model, json.dumps([list(a) for a in answer.adapters]),
             int(answer.used_retrieval), json.dumps(stats)),
        ).lastrowid
        store.db.executemany(
            "INSERT INTO message_sources(message_id, number, chunk_id, doc_path, page_no, section_no, start_char, end_char, "
            "score, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(message_id, s.number, s.hit.chunk_id, s.hit.doc_path, s.hit.page, s.hit.section, s.hit.start_char, s.hit.end_char,
              s.hit.score, s.hit.text) for s in answer.sources])
        store.db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))
        title = store.db.execute("SELECT title FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
        if title and title[0] == "New chat":
            store.db.execute("UPDATE conversations SET title = ? WHERE id = ?",
                             (answer.question.strip().splitlines()[0][:60] or "Untitled", conversation_id))
    return message_id


def conversation_messages(store: Store, conversation_id: int) -> list[StoredMessage]:
    rows = store.db.execute(
        "SELECT id, role, content, created_at, model, adapters, used_retrieval, stats FROM messages "
        "WHERE conversation_id = ? ORDER BY id", (conversation_id,)).fetchall()
    messages = []
    for row in rows:
        source_rows = store.db.execute(
            "SELECT number, chunk_id, doc_path, page_no, section_no, start_char, end_char, score, text FROM message_sources "
            "WHERE message_id = ? ORDER BY number", (row[0],)).fetchall()
        sources = tuple(
            Source(s[0], Hit(chunk_id=s[1] or 0, doc_path=s[2], page=s[3], section=s[4], start_char=s[5],
                             end_char=s[6], text=s[8], score=s[7], vector_rank=None, keyword_rank=None,
                             vector_distance=None))
            for s in source_rows)
        messages.append(StoredMessage(
            id=row[0], role=row[1], content=row[2], created_at=row[3], model=row[4],
            adapters=tuple((str(n), float(s)) for n, s in json.loads(row[5] or "[]")),
            used_retrieval=bool(row[6]), stats=json.loads(row[7] or "{}"), sources=sources))
    return messages
