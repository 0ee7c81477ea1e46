"""Documents, their pages and chunks, keyword terms and vectors.

A document's rows go in and out in one transaction, so an interrupted import never leaves a
half-written document behind. A large text file is the exception by design: it is written section
by section, each section with all its rows in one transaction, and ``partial_imports`` records
where the next section starts until the last one is in, so an interrupted import resumes there.
Vectors live in a table created for the embedder the store is bound to (``dialect.vector_table``).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

from desktop_app.core.store import connection as sqlite
from desktop_app.core.store.dialect import dialect_of, insert_returning_id
from desktop_app.core.embedding import EmbedderInfo
from desktop_app.core.errors import EmbedderMismatch, StoreError
from desktop_app.core.terms import analyse


@dataclass(frozen=True)
class DocumentRecord:
    id: int
    path: str
    name: str
    kind: str
    content_hash: str
    size: int
    page_count: int  # 0 for non-paged files
    chunk_count: int
    added_at: float
    indexed_bytes: int | None = None  # how far a streamed import got; None once the document is complete
    mtime: float = 0.0  # the file's modification time when it was imported

    @property
    def paged(self) -> bool:
        return self.page_count > 0

    @property
    def complete(self) -> bool:
        return self.indexed_bytes is None

    @property
    def indexed_fraction(self) -> float:
        return 1.0 if self.indexed_bytes is None else min(1.0, self.indexed_bytes / max(1, self.size))


@dataclass(frozen=True)
class PartialImport:
    """Where a streamed import stopped: the next section to read."""

    doc_id: int
    content_hash: str
    next_byte: int
    next_section: int
    encoding: str


@dataclass(frozen=True)
class NewChunk:
    page_no: int
    start_char: int
    end_char: int
    text: str


@dataclass(frozen=True)
class ChunkRecord:
    id: int
    doc_id: int
    doc_path: str
    page_no: int | None  # None for non-paged files
    section_no: int
    start_char: int
    end_char: int
    text: str


class DocumentStore:
    """The library's documents on one connection (``Store`` opens it and adds the other repositories)."""

    def __init__(self, db):
        self.db = db
        self.dialect = dialect_of(db)

    # --- meta and the embedder binding -------------------------------------------------------

    def meta(self, key: str) -> str | None:
        return read_meta(self.db, key)

    def _set_meta(self, key: str, value: str) -> None:
        write_meta(self.db, key, value)

    @property
    def embedder_identity(self) -> str | None:
        return self.meta("embedder")

    @property
    def embedder_source(self) -> str | None:
        """Where the embedder came from: a bundled embedder's name or a folder (None if not recorded)."""
        return self.meta("embedder_source")

    def check_embedder(self, info: EmbedderInfo) -> None:
        """Refuse ``info`` if the library was indexed with another embedder; writes nothing.

        Raises:
            EmbedderMismatch: the store was built with a different embedder.
        """
        bound = self.embedder_identity
        if bound is not None and bound != info.identity:
            raise EmbedderMismatch(
                f"This library was indexed with the embedder {bound}, not {info.identity}. "
                "Choose that embedder again, or re-index the library with the new one "
                "(remove the documents and import them again)."
            )

    def bind_embedder(self, info: EmbedderInfo, source: str | None = None) -> None:
        """Record the embedder on first use; refuse any other later.

        Raises:
            EmbedderMismatch: the store was built with a different embedder.
        """
        self.check_embedder(info)
        if self.embedder_identity == info.identity:
            if source and self.embedder_source is None:
                self._set_meta("embedder_source", source)
            return
        with sqlite.transaction(self.db):
            self.dialect.lock(self.db, "embedder")
            self.check_embedder(info)  # another instance of a shared library may have bound one meanwhile
            for statement in self.dialect.vector_table("chunk_vectors", info.dimension):
                self.db.execute(statement)
            self._set_meta("embedder", info.identity)
            if source:
                self._set_meta("embedder_source", source)

    def reset_embedder(self) -> None:
        """Forget the embedder and all vectors (documents must then be re-imported)."""
        with sqlite.transaction(self.db):
            for doc_id, in self.db.execute("SELECT id FROM documents").fetchall():
                self._delete_document_rows(doc_id)
            self.db.execute("DROP TABLE IF EXISTS chunk_vectors")
            self.db.execute("DELETE FROM meta WHERE key IN ('embedder', 'embedder_source')")
            vectors_changed(self.db)

    # --- documents ---------------------------------------------------------------------------

    _DOCUMENT_COLUMNS = ("SELECT d.id, d.path, d.name, d.kind, d.content_hash, d.size, d.page_count, d.chunk_count, "
                         "d.added_at, p.next_byte, d.mtime FROM documents d LEFT JOIN partial_imports p ON p.doc_id = d.id ")

    def documents(self) -> list[DocumentRecord]:
        rows = self.db.execute(self._DOCUMENT_COLUMNS + "ORDER BY lower(d.name), d.path").fetchall()
        return [DocumentRecord(*row) for row in rows]

    def document_by_path(self, path: str | Path) -> DocumentRecord | None:
        row = self.db.execute(self._DOCUMENT_COLUMNS + "WHERE d.path = ?", (str(path),)).fetchone()
        return DocumentRecord(*row) if row else None

    def document_with_hash(self, content_hash: str) -> DocumentRecord | None:
        row = self.db.execute(self._DOCUMENT_COLUMNS + "WHERE d.content_hash = ? LIMIT 1", (content_hash,)).fetchone()
        return DocumentRecord(*row) if row else None

    def put_document(
        self,
        *,
        path: str,
        kind: str,
        paged: bool,
        content_hash: str,
        size: int,
        mtime: float,
        pages: Sequence[tuple[int, str]],
        chunks: Sequence[NewChunk],
        vectors: np.ndarray,
        added_at: float | None = None,
    ) -> int:
        """Insert or replace a document with all its rows, in one transaction (``added_at``: now by default)."""
        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk")
        if self.embedder_identity is None:
            raise StoreError("Bind an embedder before writing documents")
        with sqlite.transaction(self.db):
            doc_id = self._replace_document_row(path, kind, content_hash, size, mtime,
                                                page_count=len(pages) if paged else 0, chunk_count=len(chunks),
                                                added_at=added_at)
            self.db.executemany("INSERT INTO pages(doc_id, page_no, text) VALUES (?, ?, ?)",
                                [(doc_id, number, text) for number, text in pages])
            self._insert_chunks(doc_id, 0, chunks, vectors)
        return doc_id

    def _replace_document_row(self, path: str, kind: str, content_hash: str, size: int, mtime: float, *,
                              page_count: int, chunk_count: int, added_at: float | None = None) -> int:
        self.dialect.lock(self.db, path)
        old = self.db.execute("SELECT id FROM documents WHERE path = ?", (path,)).fetchone()
        if old:
            self._delete_document_rows(old[0])
        return insert_returning_id(
            self.db, "INSERT INTO documents(path, name, kind, content_hash, size, mtime, page_count, chunk_count, "
            "added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (path, Path(path).name, kind, content_hash, size, mtime, page_count, chunk_count,
             time.time() if added_at is None else added_at))

    def _insert_chunks(self, doc_id: int, first_ordinal: int, chunks: Sequence[NewChunk], vectors: np.ndarray) -> None:
        for ordinal, (chunk, vector) in enumerate(zip(chunks, vectors), start=first_ordinal):
            chunk_id = insert_returning_id(
                self.db, "INSERT INTO chunks(doc_id, ordinal, page_no, start_char, end_char, text) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (doc_id, ordinal, chunk.page_no, chunk.start_char, chunk.end_char, chunk.text))
            self.db.execute("INSERT INTO chunk_terms(rowid, terms) VALUES (?, ?)",
                            (chunk_id, self.dialect.keyword_text(analyse(chunk.text))))
            self.db.execute("INSERT INTO chunk_vectors(rowid, doc_id, embedding) VALUES (?, ?, ?)",
                            (chunk_id, doc_id, self.dialect.vector_value(vector)))
        vectors_changed(self.db)

    # --- streamed documents: written section by section, each section one transaction ----------

    def begin_streamed_document(self, *, path: str, kind: str, content_hash: str, size: int, mtime: float,
                                encoding: str, first_byte: int) -> int:
        """Start a document whose sections come later (``add_section``); replaces any document at ``path``."""
        if self.embedder_identity is None:
            raise StoreError("Bind an embedder before writing documents")
        with sqlite.transaction(self.db):
            doc_id = self._replace_document_row(path, kind, content_hash, size, mtime, page_count=0, chunk_count=0)
            self.db.execute("INSERT INTO partial_imports(doc_id, next_byte, next_section, encoding) VALUES (?, ?, 1, ?)",
                            (doc_id, first_byte, encoding))
        return doc_id

    def partial_import(self, path: str | Path) -> PartialImport | None:
        row = self.db.execute(
            "SELECT d.id, d.content_hash, p.next_byte, p.next_section, p.encoding "
            "FROM documents d JOIN partial_imports p ON p.doc_id = d.id WHERE d.path = ?", (str(path),)
        ).fetchone()
        return PartialImport(*row) if row else None

    def add_section(self, doc_id: int, *, number: int, text: str, chunks: Sequence[NewChunk], vectors: np.ndarray,
                    next_byte: int, last: bool) -> None:
        """Write one section of a streamed document with its chunks, and where the next one starts, atomically."""
        if len(chunks) != len(vectors):
            raise ValueError("one vector per chunk")
        with sqlite.transaction(self.db):
            done = self.db.execute("SELECT next_section FROM partial_imports WHERE doc_id = ?", (doc_id,)).fetchone()
            if done is None or done[0] != number:
                raise StoreError(f"Section {number} does not continue this import; import the file again.")
            if text.strip():
                self.db.execute("INSERT INTO pages(doc_id, page_no, text) VALUES (?, ?, ?)", (doc_id, number, text))
            first_ordinal = self.db.execute("SELECT chunk_count FROM documents WHERE id = ?", (doc_id,)).fetchone()[0]
            self._insert_chunks(doc_id, first_ordinal, chunks, vectors)
            self.db.execute("UPDATE documents SET chunk_count = chunk_count + ? WHERE id = ?", (len(chunks), doc_id))
            if last:
                self.db.execute("DELETE FROM partial_imports WHERE doc_id = ?", (doc_id,))
                self.db.execute("UPDATE documents SET added_at = ? WHERE id = ?", (time.time(), doc_id))
            else:
                self.db.execute("UPDATE partial_imports SET next_byte = ?, next_section = ? WHERE doc_id = ?",
                                (next_byte, number + 1, doc_id))

    def move_document(self, old_path: str | Path, new_path: str | Path, *, mtime: float) -> bool:
        """The document at ``old_path`` now lives at ``new_path`` (a renamed or moved file, same content)."""
        with sqlite.transaction(self.db):
            if self.db.execute("SELECT 1 FROM documents WHERE path = ?", (str(new_path),)).fetchone():
                return False
            moved = self.db.execute("UPDATE documents SET path = ?, name = ?, mtime = ? WHERE path = ?",
                                    (str(new_path), Path(new_path).name, mtime, str(old_path))).rowcount
        return moved > 0

    def remove_document(self, path: str | Path) -> bool:
        with sqlite.transaction(self.db):
            row = self.db.execute("SELECT id FROM documents WHERE path = ?", (str(path),)).fetchone()
            if not row:
                return False
            self._delete_document_rows(row[0])
        return True

    def _delete_document_rows(self, doc_id: int) -> None:
        chunk_ids = [r[0] for r in self.db.execute("SELECT id FROM chunks WHERE doc_id = ?", (doc_id,))]
        if chunk_ids:
            self.db.executemany("DELETE FROM chunk_terms WHERE rowid = ?", [(c,) for c in chunk_ids])
            if self._has_vectors():
                self.db.executemany("DELETE FROM chunk_vectors WHERE rowid = ?", [(c,) for c in chunk_ids])
                vectors_changed(self.db)
        self.db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))  # pages and chunks cascade

    def _has_vectors(self) -> bool:
        return self.dialect.has_table(self.db, "chunk_vectors")

    # --- chunks and pages --------------------------------------------------------------------

    def holds_language(self, language: str) -> bool:
        """Whether some passage may be written in ``language``: "ko" when one holds Hangul, "en"
        when one holds none."""
        hangul = self.dialect.holds_hangul("text")
        condition = hangul if language == "ko" else f"NOT ({hangul})"
        return bool(self.db.execute(f"SELECT EXISTS (SELECT 1 FROM chunks WHERE {condition})").fetchone()[0])

    def chunks_by_id(self, chunk_ids: Iterable[int]) -> dict[int, ChunkRecord]:
        ids = list(chunk_ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            f"SELECT c.id, c.doc_id, d.path, c.page_no, d.page_count, c.start_char, c.end_char, c.text "
            f"FROM chunks c JOIN documents d ON d.id = c.doc_id WHERE c.id IN ({marks})", ids
        ).fetchall()
        return {
            r[0]: ChunkRecord(id=r[0], doc_id=r[1], doc_path=r[2], page_no=r[3] if r[4] > 0 else None,
                              section_no=r[3], start_char=r[5], end_char=r[6], text=r[7])
            for r in rows
        }

    def document_chunks(self, doc_id: int) -> tuple[list[int], list[NewChunk], np.ndarray]:
        """A document's chunk ids, chunks and their vectors, in reading order (a store copy reads them)."""
        import numpy as np

        rows = self.db.execute(
            "SELECT c.id, c.page_no, c.start_char, c.end_char, c.text, v.embedding FROM chunks c "
            "JOIN chunk_vectors v ON v.rowid = c.id WHERE c.doc_id = ? ORDER BY c.ordinal", (doc_id,)).fetchall()
        vectors = np.stack([self.dialect.vector_array(row[5]) for row in rows]) if rows else np.zeros((0, 0))
        return [row[0] for row in rows], [NewChunk(*row[1:5]) for row in rows], vectors

    def chunk_texts(self) -> list[str]:
        """Every chunk's text, in document and reading order."""
        return [row[0] for row in self.db.execute("SELECT text FROM chunks ORDER BY doc_id, ordinal")]

    def pages(self, doc_path: str | Path) -> list[tuple[int, str]]:
        """(page or section number, text) of a document, in order."""
        return self.db.execute("SELECT p.page_no, p.text FROM pages p JOIN documents d ON d.id = p.doc_id "
                               "WHERE d.path = ? ORDER BY p.page_no", (str(doc_path),)).fetchall()

    def page_text(self, doc_path: str | Path, page_no: int) -> str | None:
        row = self.db.execute(
            "SELECT p.text FROM pages p JOIN documents d ON d.id = p.doc_id WHERE d.path = ? AND p.page_no = ?",
            (str(doc_path), page_no),
        ).fetchone()
        return row[0] if row else None

    def doc_ids_for_paths(self, paths: Iterable[str | Path]) -> list[int]:
        ids = []
        for path in paths:
            row = self.db.execute("SELECT id FROM documents WHERE path = ?", (str(Path(path).resolve()),)).fetchone()
            if row:
                ids.append(row[0])
        return ids

    # --- the import queue (what is left of an interrupted import) ----------------------------

    def queue_imports(self, paths: Iterable[str]) -> None:
        now = time.time()
        with sqlite.transaction(self.db):
            self.db.executemany("INSERT INTO import_queue(path, queued_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                                [(p, now) for p in paths])

    def dequeue_import(self, path: str) -> None:
        self.db.execute("DELETE FROM import_queue WHERE path = ?", (path,))

    def pending_imports(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT path FROM import_queue ORDER BY queued_at, path")]

    def clear_import_queue(self) -> None:
        self.db.execute("DELETE FROM import_queue")

    # --- health ------------------------------------------------------------------------------

    def consistency_problems(self) -> list[str]:
        """Rows that break the one-document-one-transaction promise (empty list when sound)."""
        problems = []
        checks = {
            "chunks without keyword terms": "SELECT count(*) FROM chunks WHERE id NOT IN (SELECT rowid FROM chunk_terms)",
            "keyword terms without chunk": "SELECT count(*) FROM chunk_terms WHERE rowid NOT IN (SELECT id FROM chunks)",
            "documents with a wrong chunk count": "SELECT count(*) FROM documents d WHERE chunk_count != "
                                                  "(SELECT count(*) FROM chunks c WHERE c.doc_id = d.id)",
        }
        if self._has_vectors():
            checks["chunks without vector"] = ("SELECT count(*) FROM chunks WHERE id NOT IN "
                                               "(SELECT rowid FROM chunk_vectors)")
            checks["vectors without chunk"] = ("SELECT count(*) FROM chunk_vectors WHERE rowid NOT IN "
                                               "(SELECT id FROM chunks)")
        for label, sql in checks.items():
            count = self.db.execute(sql).fetchone()[0]
            if count:
                problems.append(f"{count} {label}")
        return problems + self.dialect.integrity_problems(self.db)

    def stats(self) -> dict[str, int]:
        return {
            "documents": self.db.execute("SELECT count(*) FROM documents").fetchone()[0],
            "chunks": self.db.execute("SELECT count(*) FROM chunks").fetchone()[0],
        }


def read_meta(db, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def write_meta(db, key: str, value: str) -> None:
    db.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
               (key, value))


def vectors_changed(db) -> None:
    """A new ``vectors_version``, inside the transaction that writes or removes vectors: searches on
    any connection then read the vectors again (``VectorMatrix``). Random, not a counter: a store
    file replaced by another one never repeats the version of the one before."""
    write_meta(db, "vectors_version", uuid.uuid4().hex)
