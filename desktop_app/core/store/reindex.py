"""A second index of the library, built beside the one in use, for switching embedders.

Chunks and vectors for the new embedder go to ``reindex_*`` tables, one document per transaction,
so a re-index can stop at any point and resume later. Searches keep using the current index until
``finish`` swaps the new one in, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from desktop_app.core.embedding import EmbedderInfo
from desktop_app.core.errors import StoreError
from desktop_app.core.store import connection as sqlite
from desktop_app.core.store.dialect import dialect_of, insert_returning_id
from desktop_app.core.store.documents import NewChunk, read_meta, vectors_changed, write_meta
from desktop_app.core.terms import analyse

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class ReindexTarget:
    identity: str  # "name/dimension" of the embedder being indexed for
    source: str  # a bundled embedder's name or a folder
    documents_done: int
    documents_total: int


class ReindexStore:
    def __init__(self, db):
        self.db = db
        self.dialect = dialect_of(db)

    def _meta(self, key: str) -> str | None:
        return read_meta(self.db, key)

    def target(self) -> ReindexTarget | None:
        """The re-index under way (possibly interrupted), or None."""
        identity, source = self._meta("reindex_embedder"), self._meta("reindex_source")
        if identity is None:
            return None
        done = self.db.execute("SELECT count(*) FROM reindex_done WHERE doc_id IN (SELECT id FROM documents)").fetchone()[0]
        total = self.db.execute("SELECT count(*) FROM documents").fetchone()[0]
        return ReindexTarget(identity, source or "", done, total)

    def begin(self, info: EmbedderInfo, source: str) -> None:
        """Start indexing for ``info``, or go on with the one already started for it."""
        current = self.target()
        if current is not None and current.identity == info.identity:
            if current.source != source:
                with sqlite.transaction(self.db):
                    self._set_meta("reindex_source", source)
            return
        with sqlite.transaction(self.db):
            self._drop_tables()
            self.db.execute(f"CREATE TABLE reindex_chunks (id {self.dialect.id_column}, doc_id INTEGER NOT NULL, "
                            "ordinal INTEGER NOT NULL, page_no INTEGER NOT NULL, start_char INTEGER NOT NULL, "
                            "end_char INTEGER NOT NULL, text TEXT NOT NULL, terms TEXT NOT NULL)")
            self.db.execute("CREATE INDEX reindex_chunks_doc ON reindex_chunks(doc_id)")
            for statement in self.dialect.vector_table("reindex_vectors", info.dimension):
                self.db.execute(statement)
            self.db.execute("CREATE TABLE reindex_done (doc_id INTEGER PRIMARY KEY)")
            self._set_meta("reindex_embedder", info.identity)
            self._set_meta("reindex_source", source)
            self._set_meta("reindex_dimension", str(info.dimension))

    def pending_documents(self) -> list[tuple[int, str]]:
        """(id, path) of the documents not indexed yet for the new embedder, in import order."""
        return self.db.execute("SELECT id, path FROM documents WHERE id NOT IN (SELECT doc_id FROM reindex_done) "
                               "ORDER BY id").fetchall()

    def document_pages(self, doc_id: int) -> list[tuple[int, str]]:
        return self.db.execute("SELECT page_no, text FROM pages WHERE doc_id = ? ORDER BY page_no", (doc_id,)).fetchall()

    def put(self, doc_id: int, chunks: Sequence[NewChunk], vectors: np.ndarray) -> None:
        """The new chunks of one document with their vectors, in one transaction."""
        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk")
        with sqlite.transaction(self.db):
            old = [r[0] for r in self.db.execute("SELECT id FROM reindex_chunks WHERE doc_id = ?", (doc_id,))]
            self.db.executemany("DELETE FROM reindex_vectors WHERE rowid = ?", [(c,) for c in old])
            self.db.execute("DELETE FROM reindex_chunks WHERE doc_id = ?", (doc_id,))
            for ordinal, (chunk, vector) in enumerate(zip(chunks, vectors)):
                chunk_id = insert_returning_id(
                    self.db, "INSERT INTO reindex_chunks(doc_id, ordinal, page_no, start_char, end_char, text, terms) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    (doc_id, ordinal, chunk.page_no, chunk.start_char, chunk.end_char, chunk.text,
                     self.dialect.keyword_text(analyse(chunk.text))))
                self.db.execute("INSERT INTO reindex_vectors(rowid, doc_id, embedding) VALUES (?, ?, ?)",
                                (chunk_id, doc_id, self.dialect.vector_value(vector)))
            self.db.execute("INSERT INTO reindex_done(doc_id) VALUES (?) ON CONFLICT DO NOTHING", (doc_id,))

    def finish(self) -> None:
        """Swap the new index in for the current one, in one transaction; sources saved with old
        answers keep their text and place but no longer point at a chunk.

        Raises:
            StoreError: documents are still missing from the new index, or none was started.
        """
        target = self.target()
        if target is None:
            raise StoreError("No re-index was started")
        if self.pending_documents():
            raise StoreError("The new index is not complete yet")
        dimension = int(self._meta("reindex_dimension"))
        kept = "doc_id IN (SELECT id FROM documents)"
        with sqlite.transaction(self.db):
            self.db.execute("DELETE FROM chunk_terms")
            self.db.execute("DROP TABLE IF EXISTS chunk_vectors")
            self.db.execute("DELETE FROM chunks")
            self.db.execute("INSERT INTO chunks(id, doc_id, ordinal, page_no, start_char, end_char, text) "
                            f"SELECT id, doc_id, ordinal, page_no, start_char, end_char, text FROM reindex_chunks WHERE {kept}")
            self.dialect.ids_inserted(self.db, "chunks")
            self.db.execute(f"INSERT INTO chunk_terms(rowid, terms) SELECT id, terms FROM reindex_chunks WHERE {kept}")
            for statement in self.dialect.vector_table("chunk_vectors", dimension):
                self.db.execute(statement)
            self.db.execute("INSERT INTO chunk_vectors(rowid, doc_id, embedding) "
                            f"SELECT rowid, doc_id, embedding FROM reindex_vectors WHERE {kept}")
            self.db.execute("UPDATE documents SET chunk_count = (SELECT count(*) FROM chunks c WHERE c.doc_id = documents.id)")
            self.db.execute("UPDATE message_sources SET chunk_id = NULL")
            self._set_meta("embedder", target.identity)
            self._set_meta("embedder_source", target.source)
            vectors_changed(self.db)
            self._drop_tables()

    def abandon(self) -> None:
        """Forget the new index (the current one is untouched)."""
        with sqlite.transaction(self.db):
            self._drop_tables()

    def _drop_tables(self) -> None:
        for table in ("reindex_vectors", "reindex_chunks", "reindex_done"):
            self.db.execute(f"DROP TABLE IF EXISTS {table}")
        self.db.execute("DELETE FROM meta WHERE key IN ('reindex_embedder', 'reindex_source', 'reindex_dimension')")

    def _set_meta(self, key: str, value: str) -> None:
        write_meta(self.db, key, value)
