import numpy as np
import pytest

from desktop_app.core.store import connection as db
from desktop_app.core.embedding import EmbedderInfo
from desktop_app.core.errors import EmbedderMismatch, StoreError
from desktop_app.core.store import NewChunk, Store

INFO = EmbedderInfo("test-embedder", 4, 256)


def _put(store, path="/docs/a.txt", texts=("alpha beta", "gamma delta"), content_hash="h1"):
    chunks = [NewChunk(1, 0, len(t), t) for t in texts]
    vectors = np.eye(4, dtype=np.float32)[: len(texts)]
    return store.put_document(path=path, kind="text", paged=False, content_hash=content_hash, size=10, mtime=0.0,
                              pages=[(1, " ".join(texts))], chunks=chunks, vectors=vectors)


def test_new_store_is_migrated_and_in_wal_mode(tmp_path):
    with Store(tmp_path / "s.sqlite3") as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_store_from_a_newer_version_is_refused_untouched(tmp_path):
    path = tmp_path / "s.sqlite3"
    Store(path).close()
    raw = db.sqlite3.connect(str(path))
    raw.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 5}")
    raw.commit()
    raw.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version"):
        Store(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_store_is_refused(tmp_path):
    path = tmp_path / "s.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable store"):
        Store(path)


def test_document_rows_go_in_and_out_together(store):
    store.bind_embedder(INFO)
    _put(store)
    assert store.stats() == {"documents": 1, "chunks": 2}
    assert store.db.execute("SELECT count(*) FROM chunk_vectors").fetchone()[0] == 2
    assert store.db.execute("SELECT count(*) FROM chunk_terms").fetchone()[0] == 2
    assert store.consistency_problems() == []
    assert store.remove_document("/docs/a.txt")
    for table in ("documents", "chunks", "pages", "chunk_terms", "chunk_vectors"):
        assert store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


def test_replacing_a_document_leaves_no_old_rows(store):
    store.bind_embedder(INFO)
    _put(store)
    _put(store, texts=("only one chunk now",), content_hash="h2")
    assert store.stats() == {"documents": 1, "chunks": 1}
    assert store.consistency_problems() == []


def test_a_failed_write_leaves_nothing_behind(store):
    store.bind_embedder(INFO)
    with pytest.raises(StoreError, match="nothing was written"):
        store.put_document(path="/docs/bad.txt", kind="text", paged=False, content_hash="x", size=1, mtime=0,
                           pages=[(1, "t")], chunks=[NewChunk(1, 0, 1, "t")],
                           vectors=np.zeros((1, 7), dtype=np.float32))  # wrong dimension: vec0 refuses
    assert store.stats() == {"documents": 0, "chunks": 0}
    assert store.consistency_problems() == []


def test_a_store_is_never_queried_with_another_embedder(store):
    store.bind_embedder(INFO)
    with pytest.raises(EmbedderMismatch, match="test-embedder/4"):
        store.bind_embedder(EmbedderInfo("other", 8, 512))
