"""Conversations: messages, the sources each answer used, and what produced it (model, adapters, speed)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Sequence

from desktop_app.core.store import connection as sqlite
from desktop_app.core.store.dialect import insert_returning_id

NEW_TITLE = "New chat"


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    created_at: float
    updated_at: float


@dataclass(frozen=True)
class SavedSource:
    """A numbered source as the answer saw it (kept even if its document is later removed)."""

    number: int
    chunk_id: int | None
    doc_path: str
    page: int | None
    section: int
    start_char: int
    end_char: int
    score: float
    text: str


@dataclass(frozen=True)
class SavedMessage:
    id: int
    role: str
    content: str
    created_at: float
    model: str | None
    adapters: tuple[tuple[str, float], ...]
    used_retrieval: bool
    stats: dict
    sources: tuple[SavedSource, ...]


class ConversationStore:
    def __init__(self, db):
        self.db = db

    def create(self, title: str = NEW_TITLE, *, at: float | None = None) -> Conversation:
        now = time.time() if at is None else at
        with sqlite.transaction(self.db):
            cid = insert_returning_id(self.db, "INSERT INTO conversations(title, created_at, updated_at) "
                                      "VALUES (?, ?, ?) RETURNING id", (title, now, now))
        return Conversation(cid, title, now, now)

    def all(self) -> list[Conversation]:
        rows = self.db.execute("SELECT id, title, created_at, updated_at FROM conversations "
                               "ORDER BY updated_at DESC, id DESC")
        return [Conversation(*row) for row in rows]

    def rename(self, conversation_id: int, title: str) -> None:
        with sqlite.transaction(self.db):
            self.db.execute("UPDATE conversations SET title = ? WHERE id = ?",
                            (title.strip() or "Untitled", conversation_id))

    def delete(self, conversation_id: int) -> None:
        with sqlite.transaction(self.db):
            self.db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def add_exchange(self, conversation_id: int, *, question: str, answer: str, model: str | None,
                     adapters: Sequence[tuple[str, float]], used_retrieval: bool, stats: dict,
                     sources: Sequence[SavedSource], at: float | None = None) -> int:
        """Save a question and its answer in one transaction; returns the answer's message id.

        A conversation still called "New chat" takes the question's first line as its title.
        ``at`` keeps the time of an exchange copied from another store (default: now).
        """
        now = time.time() if at is None else at
        with sqlite.transaction(self.db):
            self.db.execute("INSERT INTO messages(conversation_id, role, content, created_at) VALUES (?, 'user', ?, ?)",
                            (conversation_id, question, now))
            message_id = insert_returning_id(
                self.db, "INSERT INTO messages(conversation_id, role, content, created_at, model, adapters, "
                "used_retrieval, stats) VALUES (?, 'assistant', ?, ?, ?, ?, ?, ?) RETURNING id",
                (conversation_id, answer, now, model, json.dumps([list(a) for a in adapters]), int(used_retrieval),
                 json.dumps(stats)))
            self.db.executemany(
                "INSERT INTO message_sources(message_id, number, chunk_id, doc_path, page_no, section_no, start_char, "
                "end_char, score, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(message_id, s.number, s.chunk_id, s.doc_path, s.page, s.section, s.start_char, s.end_char, s.score,
                  s.text) for s in sources])
            self.db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (now, conversation_id))
            self.db.execute("UPDATE conversations SET title = ? WHERE id = ? AND title = ?",
                            ((question.strip().splitlines() or [""])[0][:60] or "Untitled", conversation_id,
                             NEW_TITLE))
        return message_id

    def messages(self, conversation_id: int) -> list[SavedMessage]:
        rows = self.db.execute(
            "SELECT id, role, content, created_at, model, adapters, used_retrieval, stats FROM messages "
            "WHERE conversation_id = ? ORDER BY id", (conversation_id,)).fetchall()
        messages = []
        for row in rows:
            sources = tuple(SavedSource(*s) for s in self.db.execute(
                "SELECT number, chunk_id, doc_path, page_no, section_no, start_char, end_char, score, text "
                "FROM message_sources WHERE message_id = ? ORDER BY number", (row[0],)))
            messages.append(SavedMessage(
                id=row[0], role=row[1], content=row[2], created_at=row[3], model=row[4],
                adapters=tuple((str(n), float(s)) for n, s in json.loads(row[5] or "[]")),
                used_retrieval=bool(row[6]), stats=json.loads(row[7] or "{}"), sources=sources))
        return messages
