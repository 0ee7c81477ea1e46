"""The schema, as numbered migrations: append only, a migration once released never changes."""

from __future__ import annotations

import sqlite3
from typing import Callable


def _run_script(db, script: str) -> None:
    """Run statements one by one: ``executescript`` would commit the enclosing transaction."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""


def _m001_initial(db) -> None:
    _run_script(db, 
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime REAL NOT NULL,
            page_count INTEGER NOT NULL,
            chunk_count INTEGER NOT NULL,
            added_at REAL NOT NULL
        );
        CREATE INDEX documents_hash ON documents(content_hash);

        CREATE TABLE pages (
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            page_no INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (doc_id, page_no)
        );

        CREATE TABLE chunks (
            id INTEGER PRIMARY KEY,
            doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            page_no INTEGER NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX chunks_doc ON chunks(doc_id);

        -- Keyword index over analysed terms (Korean split into morphemes), rowid = chunks.id.
        CREATE VIRTUAL TABLE chunk_terms USING fts5(terms, tokenize = 'unicode61 remove_diacritics 2');

        CREATE TABLE import_queue (
            path TEXT PRIMARY KEY,
            queued_at REAL NOT NULL
        );

        CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        );
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
            content TEXT NOT NULL,
            created_at REAL NOT NULL,
            model TEXT,
            adapters TEXT NOT NULL DEFAULT '[]',
            used_retrieval INTEGER NOT NULL DEFAULT 0,
            stats TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX messages_conversation ON messages(conversation_id);
        CREATE TABLE message_sources (
            message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            chunk_id INTEGER,
            doc_path TEXT NOT NULL,
            page_no INTEGER,
            section_no INTEGER NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            score REAL NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (message_id, number)
        );
        """
    )


def _m002_evaluation_runs(db) -> None:
    _run_script(db, """
        CREATE TABLE eval_runs (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,            -- 'retrieval', 'answers' or 'grounding'
            created_at REAL NOT NULL,
            label TEXT NOT NULL,           -- the dataset or questions file
            settings TEXT NOT NULL,        -- JSON: model, adapters, embedder, chunking, k
            summary TEXT NOT NULL,         -- JSON: metric -> value, per mode or configuration
            details TEXT NOT NULL          -- JSON: per query rows
        );
        """)


def _m003_streamed_imports(db) -> None:
    _run_script(db, """
        -- A large text file imported section by section: one row while it is not finished.
        CREATE TABLE partial_imports (
            doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            next_byte INTEGER NOT NULL,     -- where the next section starts in the file
            next_section INTEGER NOT NULL,  -- its number
            encoding TEXT NOT NULL
        );
        """)


def _m004_watched_folders(db) -> None:
    _run_script(db, """
        -- Folders kept in sync with the library: new, changed, moved and deleted files follow.
        CREATE TABLE watched_folders (
            path TEXT PRIMARY KEY,
            paused INTEGER NOT NULL DEFAULT 0,
            added_at REAL NOT NULL,
            synced_at REAL,                 -- the last finished sync
            last_result TEXT NOT NULL DEFAULT ''  -- JSON: what it did, by kind of change
        );
        """)


# Append only: a migration, once released, never changes. The store's user_version is the count applied.
MIGRATIONS: list[Callable] = [_m001_initial, _m002_evaluation_runs, _m003_streamed_imports, _m004_watched_folders]
SCHEMA_VERSION = len(MIGRATIONS)


