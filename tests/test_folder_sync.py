"""Watched folders, without the window: what a sync finds and does."""

import os
import shutil

import pytest

from desktop_app.core.extract import extract
from desktop_app.core.folder_sync import scan_folder, sync_folder
from desktop_app.core.ingest import Importer
from desktop_app.core.retrieval import Mode, retrieve


@pytest.fixture
def importer(store, embedder):
    return Importer(store, embedder, extractor=extract, chunk_tokens=120, chunk_overlap=20)


def _names(store):
    return sorted(os.path.relpath(d.path, store.path.parent / "watched") for d in store.documents())


def _top(store, embedder, query):
    hits = retrieve(store, embedder, query, k=1, mode=Mode.KEYWORD)
    return hits[0].doc_name if hits else None


def test_a_sync_follows_new_changed_moved_and_deleted_files(tmp_path, store, embedder, importer):
    folder = tmp_path / "watched"
    (folder / "sub").mkdir(parents=True)
    (folder / "plant.md").write_text("The Quenford plant opened in 1987.\n", encoding="utf-8")
    (folder / "sub" / "ferry.txt").write_text("The night ferry leaves at 23:40.\n", encoding="utf-8")
    (folder / "~$plant.docx").write_bytes(b"an Office lock file")
    store.watched.add(folder)
    first = sync_folder(importer, str(folder))
    assert first.imported.counts["added"] == 2 and _names(store) == ["plant.md", "sub/ferry.txt"]
    assert store.watched.get(folder).last_result["added"] == 2

    again = scan_folder(store, str(folder))  # nothing changed: nothing is read again
    assert (again.to_import, again.moved, again.vanished, again.unchanged) == ([], [], [], 2)

    (folder / "plant.md").write_text("The Quenford plant opened in 1991 after a delay.\n", encoding="utf-8")
    (folder / "sub" / "ferry.txt").rename(folder / "timetable.txt")
    (folder / "budget.md").write_text("The dredging budget is 1.2 million euro.\n", encoding="utf-8")
    moved_id = store.document_by_path(folder / "sub" / "ferry.txt").id
    result = sync_folder(importer, str(folder))
    assert result.changes.moved == [(str(folder / "sub" / "ferry.txt"), folder / "timetable.txt")]
    assert store.document_by_path(folder / "timetable.txt").id == moved_id  # moved, not embedded again
    assert result.imported.counts["added"] == 1 and result.imported.counts["replaced"] == 1
    assert _top(store, embedder, "ferry") == "timetable.txt" and _top(store, embedder, "1991") == "plant.md"
    assert _top(store, embedder, "1987") is None

    (folder / "budget.md").unlink()
    assert sync_folder(importer, str(folder)).changes.vanished == [str(folder / "budget.md")]
    assert _names(store) == ["plant.md", "timetable.txt"]


def test_a_missing_folder_removes_nothing_and_a_broken_file_is_not_retried_until_it_changes(
        tmp_path, store, importer):
    folder = tmp_path / "watched"
    folder.mkdir()
    (folder / "notes.md").write_text("Notes about the harbour.\n", encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"not a pdf at all")
    failures = {}
    first = sync_folder(importer, str(folder), failures=failures)
    assert first.imported.counts == {"added": 1, "replaced": 0, "unchanged": 0, "skipped": 1}
    assert list(failures) == [str(folder / "broken.pdf")]
    assert scan_folder(store, str(folder), failures).to_import == []
    (folder / "broken.pdf").write_bytes(b"still not a pdf, but changed")
    assert scan_folder(store, str(folder), failures).to_import == [folder / "broken.pdf"]

    shutil.move(folder, tmp_path / "elsewhere")
    result = sync_folder(importer, str(folder))
    assert result.missing and "kept" in result.describe()
    assert [d.name for d in store.documents()] == ["notes.md"]


def test_a_scan_dropped_into_a_watched_folder_is_read_by_ocr_with_its_progress(tmp_path, store, importer):
    from tests.test_ocr import PAGES, scanned_pdf

    folder = tmp_path / "watched"
    folder.mkdir()
    (folder / "scan.pdf").write_bytes(scanned_pdf(PAGES))
    store.watched.add(folder)
    progress = []
    result = sync_folder(importer, str(folder), on_file_progress=progress.append)
    assert result.imported.counts["added"] == 1 and [p.ocr_pages for p in progress] == [(1, 2), (2, 2)]
    assert store.document_by_path(folder / "scan.pdf").kind == "pdf+ocr"


def test_watch_and_sync_from_the_command_line(tmp_path, data_dir, capsys):
    from desktop_app.cli import main

    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "plant.md").write_text("The Quenford plant opened in 1987.\n", encoding="utf-8")
    run = lambda *args: main(["--data-dir", str(data_dir), *args])  # noqa: E731
    assert run("watch", "add", str(tmp_path / "nowhere")) == 2
    assert run("watch", "add", str(folder)) == 0
    assert "1 added" in capsys.readouterr().out
    (folder / "ferry.md").write_text("The night ferry leaves at 23:40.\n", encoding="utf-8")
    (folder / "plant.md").unlink()
    assert run("watch", "pause", str(folder)) == 0 and run("sync") == 0
    assert "No watched folders to sync." in capsys.readouterr().out
    assert run("watch", "resume", str(folder)) == 0
    out = capsys.readouterr().out
    assert "removed   " in out and "1 added" in out and "1 removed" in out
    assert run("watch") == 0 and "[watched]  synced" in capsys.readouterr().out
    assert run("watch", "remove", str(folder)) == 0 and run("watch") == 0
    assert "No watched folders" in capsys.readouterr().out
    assert run("search", "ferry", "--mode", "keyword") == 0 and "ferry.md" in capsys.readouterr().out
