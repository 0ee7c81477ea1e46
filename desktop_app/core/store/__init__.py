"""The store: one SQLite file (or a PostgreSQL database, ``store.postgres``), and the only code that speaks SQL.

``Store`` opens the connection (migrating it at open) and is itself the repository of documents;
``store.search``, ``store.conversations``, ``store.eval_runs``, ``store.reindex`` and ``store.watched`` are the
other repositories, on the same connection. Not shared between threads: open one ``Store`` per thread.
"""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.store import connection, postgres
from desktop_app.core.store.conversations import (Conversation, ConversationStore, SavedMessage,  # noqa: F401
                                                  SavedSource)
from desktop_app.core.store.documents import (ChunkRecord, DocumentRecord, DocumentStore, NewChunk,  # noqa: F401
                                              PartialImport)
from desktop_app.core.store.eval_runs import EvalRun, EvalRunStore  # noqa: F401
from desktop_app.core.store.reindex import ReindexStore, ReindexTarget  # noqa: F401
from desktop_app.core.store.search import SearchIndex
from desktop_app.core.store.watched import WatchedFolder, WatchedFolderStore  # noqa: F401


class Store(DocumentStore):
    """The store at ``location``: a SQLite file's path, or a ``postgresql://`` URL (read_only then ignored)."""

    def __init__(self, location: Path | str, *, read_only: bool = False):
        if postgres.is_postgres_url(location):
            self.path = None
            self.location = str(location)
            super().__init__(postgres.connect(self.location))
            self.search = postgres.PostgresSearchIndex(self.db)
        else:
            self.path = Path(location)
            self.location = str(self.path)
            super().__init__(connection.connect(self.path, read_only=read_only))
            self.search = SearchIndex(self.db, self.path)
        self.conversations = ConversationStore(self.db)
        self.eval_runs = EvalRunStore(self.db)
        self.reindex = ReindexStore(self.db)
        self.watched = WatchedFolderStore(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
