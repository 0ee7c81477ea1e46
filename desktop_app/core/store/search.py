"""The two candidate lists of hybrid search: vector KNN (sqlite-vec) and BM25 over analysed terms (FTS5)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from desktop_app.core.store.dialect import SQLITE
from desktop_app.core.store.vector_matrix import shared_matrix

if TYPE_CHECKING:
    import numpy as np


class SearchIndex:
    """Read-only queries over the chunk vectors and keyword terms."""

    def __init__(self, db, path: Path):
        self.db = db
        self.path = path
        self.vectors = shared_matrix(path)

    def warm(self) -> bool:
        """Read the vectors into memory if they changed (seconds for a large library, the first
        time); False when nothing was ever indexed."""
        if not SQLITE.has_table(self.db, "chunk_vectors"):
            return False
        self.vectors.sync(self.db, self.path)
        return True

    def knn(self, vector: np.ndarray, *, depth: int, doc_ids: Sequence[int] | None = None) -> list[tuple[int, float]]:
        """The ``depth`` nearest chunks to ``vector`` as (chunk id, cosine distance), nearest first: exact,
        over the vectors held in memory (read again when the store's vectors changed)."""
        if not self.warm():
            return []
        return self.vectors.nearest(vector, depth=depth, doc_ids=doc_ids)

    def bm25(self, terms: Sequence[str], *, depth: int, doc_ids: Sequence[int] | None = None) -> list[tuple[int, float]]:
        """The ``depth`` best (chunk id, BM25 score) for chunks holding any of ``terms``, best first;
        the score is FTS5's ``bm25()`` negated, so that higher is better."""
        if not terms:
            return []
        sql = "SELECT t.rowid, -bm25(chunk_terms) FROM chunk_terms t"
        where = " WHERE chunk_terms MATCH ?"
        params: list = [" OR ".join('"' + term.replace('"', '""') + '"' for term in terms)]
        if doc_ids is not None:
            sql += " JOIN chunks c ON c.id = t.rowid"
            where += f" AND c.doc_id IN ({','.join('?' * len(doc_ids))})"
            params.extend(doc_ids)
        params.append(depth)
        return [(row[0], row[1]) for row in self.db.execute(sql + where + " ORDER BY bm25(chunk_terms) LIMIT ?", params)]

    def terms(self, chunk_ids: Sequence[int]) -> dict[int, str]:
        """The analysed terms of each chunk, as the keyword index holds them."""
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        return dict(self.db.execute(f"SELECT rowid, terms FROM chunk_terms WHERE rowid IN ({marks})", list(chunk_ids)))
