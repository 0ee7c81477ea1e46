"""The chunk vectors in memory, as one float32 matrix: exact cosine search by one matrix product.

sqlite-vec's KNN reads and compares every stored vector on each query (a linear scan through its
blobs); numpy's matrix-vector product over the same vectors held in memory gives the same ranking
several times faster (scripts/benchmark_rag.py measures both). The vectors stay stored in
``chunk_vectors``; this is a cache of them, kept in step by the ``vectors_version`` meta value that
every write of vectors sets to a new random value in its own transaction, so that a write made
through another connection (the window's index worker, a CLI import) is seen by the next search.
One matrix per store file is shared by all the connections of the process (``shared_matrix``).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from desktop_app.core.store.documents import read_meta

if TYPE_CHECKING:
    import numpy as np

# Rows read from sqlite-vec per batch while loading (bounds the memory of the copy being made).
_LOAD_BATCH = 50_000


_shared: dict[str, "VectorMatrix"] = {}
_shared_lock = threading.Lock()


def shared_matrix(path: Path) -> "VectorMatrix":
    """The one matrix of the store file at ``path`` in this process."""
    key = str(Path(path).resolve())
    with _shared_lock:
        return _shared.setdefault(key, VectorMatrix())


class VectorMatrix:
    """Chunk ids, their documents and unit vectors; read again when the store's vectors changed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: tuple | None = None
        # (chunk ids, their document ids, one unit float32 row per chunk), replaced whole on a reload
        self._rows: tuple | None = None

    def sync(self, db, path: Path) -> None:
        """Read the vectors again if they changed since the last read (or the file was replaced)."""
        version = (read_meta(db, "vectors_version"), os.stat(path).st_ino)
        with self._lock:
            if version != self._version or self._rows is None:
                self._rows = self._load(db)
                self._version = version

    @staticmethod
    def _load(db) -> tuple:
        import numpy as np

        ids, doc_ids, blocks = [], [], []
        cursor = db.execute("SELECT rowid, doc_id, embedding FROM chunk_vectors")
        while rows := cursor.fetchmany(_LOAD_BATCH):  # in batches: no single fetch holds the store twice
            ids.append(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))
            doc_ids.append(np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows)))
            blocks.append(np.frombuffer(b"".join(r[2] for r in rows), dtype=np.float32).reshape(len(rows), -1))
        if not blocks:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        matrix = np.concatenate(blocks)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix /= np.where(norms > 0, norms, 1.0)
        return np.concatenate(ids), np.concatenate(doc_ids), matrix

    def nearest(self, vector: np.ndarray, *, depth: int,
                doc_ids: Sequence[int] | None = None) -> list[tuple[int, float]]:
        """The ``depth`` nearest chunks as (chunk id, cosine distance), nearest first."""
        import numpy as np

        if self._rows is None or not len(self._rows[0]):
            return []
        ids, documents, matrix = self._rows
        query = np.asarray(vector, dtype=np.float32).ravel()
        norm = float(np.linalg.norm(query))
        if norm == 0.0 or query.shape[0] != matrix.shape[1]:
            return []
        rows = None
        if doc_ids is not None:
            rows = np.flatnonzero(np.isin(documents, np.asarray(list(doc_ids), dtype=np.int64)))
            if not len(rows):
                return []
            matrix = matrix[rows]
        similarity = matrix @ (query / norm)
        depth = min(depth, len(similarity))
        best = np.argpartition(-similarity, depth - 1)[:depth]
        best = best[np.argsort(-similarity[best], kind="stable")]
        chosen = best if rows is None else rows[best]
        return [(int(ids[i]), float(1.0 - s)) for i, s in zip(chosen, similarity[best])]
