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


def _sqlite_vec_knn(store, vector, depth):
    rows = store.db.execute("SELECT rowid, distance FROM chunk_vectors WHERE embedding MATCH ? AND k = ? "
                            "ORDER BY distance", (np.asarray(vector, dtype=np.float32).tobytes(), depth))
    return [(r[0], r[1]) for r in rows]


def test_vector_search_in_memory_ranks_exactly_as_sqlite_vec_and_sees_every_write(tmp_path):
    info = EmbedderInfo("test-embedder", 16, 256)
    rng = np.random.default_rng(1)
    path = tmp_path / "s.sqlite3"
    with Store(path) as writer, Store(path) as reader:
        writer.bind_embedder(info)
        for doc in range(5):
            texts = [f"doc {doc} chunk {i}" for i in range(40)]
            writer.put_document(path=f"/d/{doc}.txt", kind="text", paged=False, content_hash=f"h{doc}", size=1,
                                mtime=0.0, pages=[(1, "x")], chunks=[NewChunk(1, 0, 1, t) for t in texts],
                                vectors=rng.normal(size=(40, 16)).astype(np.float32))
        for _ in range(20):
            query = rng.normal(size=16).astype(np.float32)
            ours, raw = reader.search.knn(query, depth=10), _sqlite_vec_knn(reader, query, 10)
            assert [c for c, _ in ours] == [c for c, _ in raw]
            assert np.allclose([d for _, d in ours], [d for _, d in raw], atol=1e-5)
        first_doc = writer.doc_ids_for_paths(["/d/0.txt"])
        assert {c for c, _ in reader.search.knn(query, depth=200, doc_ids=first_doc)} == {
            r[0] for r in writer.db.execute("SELECT id FROM chunks WHERE doc_id = ?", first_doc)}
        # a write through the other connection is seen by the next search here
        writer.remove_document("/d/0.txt")
        assert len(reader.search.knn(query, depth=500)) == 160
        writer.put_document(path="/d/new.txt", kind="text", paged=False, content_hash="new", size=1, mtime=0.0,
                            pages=[(1, "x")], chunks=[NewChunk(1, 0, 1, "new")], vectors=query[None, :] * 3)
        nearest, distance = reader.search.knn(query, depth=1)[0]
        assert reader.chunks_by_id([nearest])[nearest].doc_path == "/d/new.txt" and distance < 1e-5
    # a store file replaced by another one at the same path is not answered from the old one's vectors
    path.unlink()
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"s.sqlite3{suffix}").unlink(missing_ok=True)
    with Store(path) as replaced:
        replaced.bind_embedder(info)
        assert replaced.search.knn(query, depth=5) == []
