import os
import threading

import pytest

from desktop_app.core.extract import extract
from desktop_app.core.ingest import Importer, collect_files
from desktop_app.core.store import SavedSource
from tests.helpers import make_pdf


@pytest.fixture
def importer(store, embedder):
    return Importer(store, embedder, extractor=extract, chunk_tokens=120, chunk_overlap=20)


def _library(root):
    (root / "sub").mkdir(parents=True)
    (root / "report.pdf").write_bytes(make_pdf(["Apples grow in the valley.", "The Kestrel turbine made 42 MW."]))
    (root / "notes.md").write_text("# Notes\n\nThe Quenford plant opened in 1987.\n", encoding="utf-8")
    (root / "sub" / "memo.txt").write_bytes("부산 물류센터의 냉장 창고는 완공되었다.".encode("cp949"))
    (root / "sub" / "clip.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    (root / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    return root


def test_folder_import_reports_every_file(tmp_path, importer, store):
    summary = importer.run([_library(tmp_path / "lib")])
    assert summary.counts == {"added": 3, "replaced": 0, "unchanged": 0, "skipped": 2}
    reasons = {os.path.basename(o.path): o.reason for o in summary.of("skipped")}
    assert "unsupported" in reasons["clip.mp4"] and "PDF" in reasons["broken.pdf"]
    pdf = store.document_by_path(tmp_path / "lib" / "report.pdf")
    assert pdf.page_count == 2 and pdf.chunk_count == 2
    assert store.consistency_problems() == []
    assert store.pending_imports() == []


def test_reimport_is_idempotent_and_changed_files_replace_their_chunks(tmp_path, importer, store):
    lib = _library(tmp_path / "lib")
    importer.run([lib])
    chunks_before = store.stats()["chunks"]
    again = importer.run([lib])
    assert again.counts["unchanged"] == 3 and store.stats()["chunks"] == chunks_before
    (lib / "notes.md").write_text("Completely new text about windmills.\n", encoding="utf-8")
    changed = importer.run([lib / "notes.md"])
    assert changed.counts["replaced"] == 1
    texts = [r[0] for r in store.db.execute("SELECT text FROM chunks")]
    assert any("windmills" in t for t in texts) and not any("Quenford" in t for t in texts)
    assert store.consistency_problems() == []


def test_duplicate_content_under_another_name_is_reported(tmp_path, importer):
    (tmp_path / "a.txt").write_text("Same words in two files.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Same words in two files.", encoding="utf-8")
    summary = importer.run([tmp_path / "a.txt", tmp_path / "b.txt"])
    assert summary.counts["added"] == 1
    assert "same content as" in summary.of("skipped")[0].reason


def test_small_files_embedded_together_keep_their_own_vectors(tmp_path, store, embedder, monkeypatch):
    import numpy as np

    from desktop_app.core import ingest

    monkeypatch.setattr(ingest, "EMBED_BATCH", 24)

    folder = tmp_path / "notes"
    folder.mkdir()
    words = "river harbour turbine orchard ledger violin glacier lantern".split()
    for index in range(12):  # several batches, each ending inside the folder
        sentences = [f"Fact {n} of file {index}: the {words[(index + n) % 8]} count was {index * 100 + n}."
                     for n in range(5 + index % 5)]
        (folder / f"note{index:02d}.txt").write_text(" ".join(sentences), encoding="utf-8")
    summary = Importer(store, embedder, extractor=extract, chunk_tokens=16, chunk_overlap=0).run([folder])
    assert summary.counts["added"] == 12 and store.stats()["chunks"] > 2 * ingest.EMBED_BATCH
    for document in store.documents():
        _, chunks, vectors = store.document_chunks(document.id)
        alone = embedder.embed([chunk.text for chunk in chunks])
        assert np.min(np.sum(vectors * alone, axis=1)) > 0.999, document.path
    assert [o.path for o in summary.outcomes] == sorted(str(p) for p in folder.glob("*.txt"))


def test_symlink_loops_do_not_hang_the_walk(tmp_path):
    (tmp_path / "lib" / "deep").mkdir(parents=True)
    (tmp_path / "lib" / "deep" / "note.txt").write_text("hello", encoding="utf-8")
    os.symlink(tmp_path / "lib", tmp_path / "lib" / "deep" / "loop")
    os.symlink(tmp_path / "lib" / "deep" / "note.txt", tmp_path / "lib" / "alias.txt")
    files, skipped = collect_files([tmp_path / "lib"])
    assert [f.name for f in files] == ["note.txt"]


def test_cancel_stops_between_files_and_leaves_the_rest_queued(tmp_path, importer, store):
    for i in range(5):
        (tmp_path / f"doc{i}.txt").write_text(f"Document {i} about topic {i}.", encoding="utf-8")
    cancel = threading.Event()
    summary = importer.run([tmp_path], cancel=cancel, on_progress=lambda p: cancel.set() if p.done == 2 else None)
    assert summary.cancelled and summary.counts["added"] == 2
    assert len(store.pending_imports()) == 3
    resumed = importer.run(store.pending_imports())
    assert resumed.counts["added"] == 3 and store.pending_imports() == []


def test_hwp_documents_import_in_the_isolated_parser(tmp_path, store, embedder):
    from pathlib import Path

    from desktop_app.core.isolation import IsolatedExtractor

    folder = tmp_path / "hangul"
    folder.mkdir()
    data = Path(__file__).parent / "data" / "hwp"
    for name in ("table.hwp", "table.hwpx"):
        (folder / name).write_bytes((data / name).read_bytes())
    with IsolatedExtractor() as extractor:
        summary = Importer(store, embedder, extractor=extractor).run([folder])
    assert summary.counts["added"] == 2, summary.outcomes
    document = store.document_by_path(folder / "table.hwpx")
    assert document.kind == "hwp" and store.page_text(str(folder / "table.hwpx"), 1).count("|") > 10


def _importer_for(store, embedder):
    return Importer(store, embedder, extractor=extract, chunk_tokens=120, chunk_overlap=20)


def test_switching_embedder_reindexes_beside_the_index_in_use(tmp_path, store, embedder, e5_embedder):
    from desktop_app.core.retrieval import Mode, retrieve

    lib = _library(tmp_path / "lib")
    _importer_for(store, embedder).run([lib])
    before = {d.path: d.chunk_count for d in store.documents()}
    conversation = store.conversations.create()  # a saved answer's source must survive the swap
    chunk_id = retrieve(store, embedder, "Quenford plant", k=1)[0].chunk_id
    store.conversations.add_exchange(
        conversation.id, question="When did it open?", answer="In 1987 [1].", model=None, adapters=(),
        used_retrieval=True, stats={},
        sources=[SavedSource(1, chunk_id, str(lib / "notes.md"), None, 1, 0, 10, 0.1, "The Quenford plant opened in 1987.")])

    # stopped after the first document: the library still answers with the old embedder
    cancel = threading.Event()
    summary = _importer_for(store, e5_embedder).reindex(on_progress=lambda p: cancel.set(), cancel=cancel)
    assert summary.cancelled and len(summary.outcomes) == 1
    assert store.embedder_identity == embedder.info.identity
    assert store.reindex.target().documents_done == 1
    assert retrieve(store, embedder, "Quenford plant", k=1)[0].doc_name == "notes.md"

    # resumed: only the rest is done, then the new index takes over
    summary = _importer_for(store, e5_embedder).reindex()
    assert not summary.cancelled and len(summary.outcomes) == 2
    assert store.embedder_identity == e5_embedder.info.identity and store.embedder_source == e5_embedder.source
    assert store.reindex.target() is None
    assert {d.path: d.chunk_count for d in store.documents()} == before
    assert store.consistency_problems() == []
    hits = retrieve(store, e5_embedder, "부산 냉장 창고", k=1, mode=Mode.VECTOR)
    assert hits[0].doc_name == "memo.txt"
    source = store.conversations.messages(conversation.id)[1].sources[0]
    assert source.chunk_id is None and source.text == "The Quenford plant opened in 1987."
