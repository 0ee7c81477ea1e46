"""The one SQLite file: connection (with sqlite-vec loaded), numbered migrations, transactions.

Python builds whose ``sqlite3`` cannot load extensions (no ``enable_load_extension``) use
``sqlean`` instead, a drop-in ``sqlite3`` module that can; where the stdlib can, it is used.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3 as _stdlib_sqlite3
from pathlib import Path
from typing import Callable, Iterator

from desktop_app.core.errors import StoreBusy, StoreError, StoreUnusable

log = logging.getLogger(__name__)


def _driver():
    probe = _stdlib_sqlite3.connect(":memory:")
    try:
        if hasattr(probe, "enable_load_extension"):
            return _stdlib_sqlite3
    finally:
        probe.close()
    import sqlean

    return sqlean


sqlite3 = _driver()
DatabaseError = sqlite3.DatabaseError
OperationalError = sqlite3.OperationalError
IntegrityError = sqlite3.IntegrityError

# How long a writer waits for another process's write (the GUI and the CLI on one data dir).
BUSY_TIMEOUT_S = float(os.environ.get("DESKTOP_APP_BUSY_TIMEOUT", "15"))


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


# Append only: a migration, once released, never changes. The store's user_version is the count applied.
MIGRATIONS: list[Callable] = [_m001_initial, _m002_evaluation_runs, _m003_streamed_imports]
SCHEMA_VERSION = len(MIGRATIONS)


def _load_vec(db) -> None:
    import sqlite_vec

    db.enable_load_extension(True)
    try:
        sqlite_vec.load(db)
    finally:
        db.enable_load_extension(False)


def connect(path: Path | str, *, read_only: bool = False):
    """Open (creating and migrating if needed) the store at ``path``; read-only where it cannot be written.

    Raises:
        StoreError: the file is not a store, is from a newer version, or cannot be opened.
    """
    return _connect(Path(path), "ro" if read_only else "rw")


# How a store is opened: "rw" normally; "ro" when asked or when the file cannot be written; "immutable"
# when not even a reader's shared-memory file can be made (a WAL store in a read-only folder).
_FALLBACK = {"rw": "ro", "ro": "immutable"}


def _connect(path: Path, mode: str):
    try:
        if mode == "rw":
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False, isolation_level=None)
        else:
            flags = "mode=ro" + ("&immutable=1" if mode == "immutable" else "")
            db = sqlite3.connect(f"file:{path}?{flags}", uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False,
                                 isolation_level=None)
    except (DatabaseError, OSError) as exc:
        raise StoreError(f"Cannot open the store {path}: {exc}") from exc
    try:
        db.row_factory = sqlite3.Row
        _load_vec(db)
        db.execute("PRAGMA foreign_keys = ON")
        if mode == "rw":
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
        migrate(db, path)
    except OperationalError as exc:
        db.close()
        if "readonly" in str(exc) and mode in _FALLBACK:
            # A read-only data folder or file: reading still works; every write says why it cannot.
            log.warning("the store %s cannot be written (%s); opening it read-only", path, exc)
            return _connect(path, _FALLBACK[mode])
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreBusy(f"The store {path} is busy in another process; try again when it is done.") from exc
        if "readonly" in str(exc):
            raise StoreError(f"The store {path} is read-only and needs an upgrade this app cannot write; "
                             "make its data folder writable.") from exc
        raise StoreError(f"Cannot open the store {path}: {exc}") from exc
    except DatabaseError as exc:
        db.close()
        raise StoreUnusable(f"{path} is not a usable store ({exc}). Move it away to start a new one.") from exc
    except StoreError:
        db.close()
        raise
    return db


def migrate(db, path: Path | str = "store") -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"The store {path} was written by a newer version of the app (schema {version}, this app "
            f"knows {SCHEMA_VERSION}). It was left untouched; update the app to open it."
        )
    for number in range(version, SCHEMA_VERSION):
        with transaction(db):
            MIGRATIONS[number](db)
            db.execute(f"PRAGMA user_version = {number + 1}")


@contextlib.contextmanager
def transaction(db) -> Iterator[None]:
    """One all-or-nothing write: ``BEGIN IMMEDIATE`` takes the write lock up front."""
    try:
        db.execute("BEGIN IMMEDIATE")
    except OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreBusy("The store is busy in another process (an import?); try again when it is done.") from exc
        raise StoreError(_write_failure(exc)) from exc
    try:
        yield
        db.execute("COMMIT")
    except BaseException as exc:
        if db.in_transaction:
            db.execute("ROLLBACK")
        if isinstance(exc, DatabaseError) and not isinstance(exc, IntegrityError):
            raise StoreError(_write_failure(exc)) from exc
        raise


def _write_failure(exc: Exception) -> str:
    message = str(exc)
    if "full" in message:
        return "The disk is full: nothing was written, and the store is unchanged. Free some space and try again."
    if "readonly" in message or "read-only" in message:
        return "The data folder is read-only: nothing was written. Choose a writable data folder."
    if "locked" in message or "busy" in message:
        return "The store is busy in another process (an import?); try again when it is done."
    return f"Cannot write to the store ({message}); nothing was written."
