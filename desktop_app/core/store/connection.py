"""The one SQLite file: connection (with sqlite-vec loaded), migrations applied at open, transactions.

Python builds whose ``sqlite3`` cannot load extensions (no ``enable_load_extension``) use
``sqlean`` instead, a drop-in ``sqlite3`` module that can; where the stdlib can, it is used.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3 as _stdlib_sqlite3
from pathlib import Path
from typing import Iterator

from desktop_app.core.errors import StoreBusy, StoreError, StoreUnusable
from desktop_app.core.store.schema import MIGRATIONS, SCHEMA_VERSION

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


def _file_uri(path: Path) -> str:
    """A ``file:`` URI for SQLite: ``?``, ``#`` and ``%`` in a folder name would otherwise cut or corrupt it."""
    from urllib.parse import quote

    return "file:" + quote(str(path.absolute()), safe="/")


def _connect(path: Path, mode: str):
    try:
        if mode == "rw":
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False, isolation_level=None)
        else:
            flags = "mode=ro" + ("&immutable=1" if mode == "immutable" else "")
            db = sqlite3.connect(f"{_file_uri(path)}?{flags}", uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False,
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
    """One all-or-nothing write: ``BEGIN IMMEDIATE`` takes the write lock up front (PostgreSQL: its own)."""
    if hasattr(db, "transaction"):
        with db.transaction():
            yield
        return
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
