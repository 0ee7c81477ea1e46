"""Large text files are read, embedded and written section by section, and resume where they stopped."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.core import extract as extract_module
from desktop_app.core.errors import ExtractionError
from desktop_app.core.extract import decode_text, normalize_text, read_section
from desktop_app.core.ingest import Importer
from desktop_app.core.retrieval import Mode, retrieve
from desktop_app.core.store import Store


def all_sections(path: Path) -> list:
    sections = [read_section(path)]
    while not sections[-1].at_end:
        last = sections[-1]
        sections.append(read_section(path, start_byte=last.end_byte, number=last.number + 1, encoding=last.encoding))
    return sections


@pytest.fixture
def small_sections(monkeypatch):
    """Sections of a few hundred bytes, and streaming from 2 KB up, so small files exercise every cut."""
    monkeypatch.setattr(extract_module, "SECTION_BYTES", 997)
    monkeypatch.setattr(extract_module, "STREAM_MIN_BYTES", 2048)


KOREAN_AND_LATIN = ("창고는 부산에 있다. The Kestrel turbine delivered 42 MW.\r\n"
                    "Café crème, naïve façade; 물류센터 냉장 창고 완공 보고서. " * 3 + "\n") * 40


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp949"])
def test_sections_join_back_into_the_whole_text(tmp_path, small_sections, encoding):
    text = KOREAN_AND_LATIN if encoding != "cp949" else KOREAN_AND_LATIN.replace("é", "e").replace("ç", "c") \
        .replace("ï", "i").replace("è", "e")
    path = tmp_path / "doc.txt"
    path.write_bytes(text.encode(encoding))
    sections = all_sections(path)
    assert len(sections) > 10
    assert "".join(s.text for s in sections) == normalize_text(text)
    assert all(a.end_byte == b.start_byte for a, b in zip(sections, sections[1:]))
    assert sections[-1].end_byte == path.stat().st_size
    assert [s.number for s in sections] == list(range(1, len(sections) + 1))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(text=st.lists(st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffd"),
                             max_size=300) | st.sampled_from(["\n", "\r\n", "\r", " ", "\t"]),
                     min_size=1, max_size=60).map("".join).filter(str.strip),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_sections_of_any_text_join_back(tmp_path_factory, small_sections, text, encoding):
    path = tmp_path_factory.mktemp("any") / "doc.txt"
    path.write_bytes(text.encode(encoding))
    assert "".join(s.text for s in all_sections(path)) == normalize_text(decode_text(text.encode(encoding)))


def test_a_binary_first_section_refuses_the_file_and_a_binary_later_one_is_skipped(tmp_path, small_sections):
    sparse = tmp_path / "sparse.txt"
    with open(sparse, "wb") as handle:  # 300 MB of zeros on paper, nothing on disk
        handle.truncate(300 << 20)
    with pytest.raises(ExtractionError, match="binary"):
        read_section(sparse)
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes(b"Readable words about turbines.\n" * 100 + bytes(range(32)) * 200 + b"\nMore words.\n" * 100)
    sections = all_sections(mixed)
    assert any("binary data and was skipped" in s.warning for s in sections)
    assert "More words" in sections[-1].text


def big_text(path: Path, paragraphs: int, filler_lines: int = 40) -> list[str]:
    """A text file with one marked paragraph between runs of filler lines; returns the markers."""
    markers = [f"zq{i:04d}x" for i in range(paragraphs)]
    with open(path, "w", encoding="utf-8") as handle:
        for marker in markers:
            handle.write(f"Paragraph {marker} reports the kestrel turbine output for its district.\n")
            handle.write("-- \n" * filler_lines)
    return markers


def chunk_texts(store: Store) -> list[str]:
    return [row[0] for row in store.db.execute("SELECT text FROM chunks ORDER BY doc_id, ordinal")]


def test_a_cancelled_streamed_import_resumes_at_its_section_and_ends_identical(tmp_path, small_sections, embedder):
    path = tmp_path / "big.txt"
    markers = big_text(path, 60)
    cancel = threading.Event()
    seen = []

    def stop_halfway(progress):
        seen.append(progress)
        if progress.fraction > 0.5:
            cancel.set()

    with Store(tmp_path / "resumed.sqlite3") as store:  # in process: the worker would not see small_sections
        importer = Importer(store, embedder, extractor=extract_module.extract, chunk_tokens=48, chunk_overlap=8)
        summary = importer.run([path], cancel=cancel, on_file_progress=stop_halfway)
        assert summary.cancelled and store.pending_imports() == [str(path)]
        partial = store.document_by_path(path)
        assert not partial.complete and 0.5 < partial.indexed_fraction < 1
        assert store.consistency_problems() == []
        assert retrieve(store, None, markers[0], k=1, mode=Mode.KEYWORD)  # what is in is searchable
        assert not retrieve(store, None, markers[-1], k=1, mode=Mode.KEYWORD)

        resumed = importer.run([path], on_file_progress=seen.append)
        outcome = resumed.outcomes[0]
        assert outcome.status == "added" and "resumed at section" in outcome.reason
        assert store.document_by_path(path).complete and store.pending_imports() == []
        assert store.consistency_problems() == []
        resumed_chunks = chunk_texts(store)
        assert importer.run([path]).counts["unchanged"] == 1
    assert [p.bytes_done for p in seen] == sorted(p.bytes_done for p in seen)

    with Store(tmp_path / "straight.sqlite3") as store:
        Importer(store, embedder, extractor=extract_module.extract, chunk_tokens=48, chunk_overlap=8).run([path])
        assert chunk_texts(store) == resumed_chunks
    assert all(sum(marker in text for text in resumed_chunks) >= 1 for marker in markers)


def test_a_streamed_file_changed_midway_is_dropped_whole(tmp_path, small_sections, store, embedder):
    path = tmp_path / "growing.txt"
    big_text(path, 20)

    class EditingReader:
        def __call__(self, p, **_):
            return extract_module.extract(p)

        def read_section(self, p, **position):
            section = read_section(p, **position)
            if section.number == 3:
                with open(p, "a", encoding="utf-8") as handle:
                    handle.write("A line appended during the import.\n")
            return section

    summary = Importer(store, embedder, extractor=EditingReader()).run([path])
    assert "changed while it was being imported" in summary.of("skipped")[0].reason
    assert store.stats() == {"documents": 0, "chunks": 0} and store.consistency_problems() == []


def test_a_streamed_file_replaced_by_new_content_starts_over(tmp_path, small_sections, store, embedder):
    path = tmp_path / "log.txt"
    big_text(path, 10)
    importer = Importer(store, embedder, extractor=extract_module.extract)
    assert importer.run([path]).counts["added"] == 1
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("Paragraph zqnewx was appended later.\n")
    assert importer.run([path]).counts["replaced"] == 1
    assert store.stats()["documents"] == 1 and store.document_by_path(path).complete
    assert retrieve(store, None, "zqnewx", k=1, mode=Mode.KEYWORD)
    assert store.consistency_problems() == []
