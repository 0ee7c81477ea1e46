"""Whole-document questions: the document read in parts (map), the answer from the notes (reduce)."""

import json
import threading

import pytest

from desktop_app.core.extract import extract
from desktop_app.core.ingest import Importer
from desktop_app.core.summarize import split_into_parts, summarize_document
from tests.helpers import make_pdf

PAGES = [
    "Harbour renewal plan. The eastern breakwater must be repaired by 12 May 2026. The contractor is Hollis Marine.",
    "The pilot boat is built at the Kvarner yard in Rijeka. It costs 2.3 million euro and carries eight pilots.",
    "Dredging of the inner basin ends on 30 June 2026. The channel will then be 9.5 metres deep.",
]


def _library(tmp_path, store, embedder):
    path = tmp_path / "plan.pdf"
    path.write_bytes(make_pdf(PAGES))
    Importer(store, embedder, extractor=extract).run([path])
    return str(path)


def test_parts_follow_paragraphs_and_pages_within_the_budget():
    pages = [(1, "one two three\n\nfour five"), (2, "six seven eight nine ten eleven")]
    parts = split_into_parts(pages, budget=5, count_tokens=lambda text: len(text.split()))
    assert [(p.first, p.last, p.text) for p in parts] == [
        (1, 1, "one two three\n\nfour five"), (2, 2, "six seven eight nine ten eleven")]
    assert (parts[0].start_char, parts[0].end_char) == (0, len(pages[0][1]))


def test_a_summary_reads_every_page_and_cites_the_parts_by_page(tmp_path, store, embedder, qwen):
    path = _library(tmp_path, store, embedder)
    stages, streamed = [], []
    answer = summarize_document(qwen, store, path, part_tokens=40, on_progress=stages.append,
                                on_token=streamed.append)
    assert [s.stage for s in stages if s.stage == "reading"] == ["reading"] * 3 and stages[-1].stage == "writing"
    assert [s.hit.page for s in answer.sources] == [1, 2, 3]
    assert answer.text and "".join(streamed).strip().startswith(answer.text[:20].strip())
    assert answer.question == "Summarize plan.pdf" and not answer.used_retrieval
    assert all(1 <= n <= len(answer.sources) for n in answer.cited)


@pytest.fixture(scope="module")
def default_model(default_model_path):
    """The default chat model (Qwen 1.5B): the 0.5B answers NONE for the part with the second deadline."""
    from desktop_app.core.llm import ChatModel

    model = ChatModel(default_model_path, n_ctx=4096, n_threads=2)
    yield model
    model.close()


def test_a_question_about_the_whole_document_keeps_facts_from_every_part(tmp_path, store, embedder, default_model):
    path = _library(tmp_path, store, embedder)
    answer = summarize_document(default_model, store, path, question="What are all the deadlines in the plan?",
                                part_tokens=40)
    notes = " ".join(s.hit.text for s in answer.sources)
    assert "12 May" in notes and "30 June" in notes  # found on page 1 and page 3
    assert answer.question == "What are all the deadlines in the plan?"


def test_notes_that_do_not_fit_are_merged_and_stop_works(tmp_path, store, embedder, qwen):
    path = _library(tmp_path, store, embedder)
    stages = []
    merged = summarize_document(qwen, store, path, part_tokens=40, notes_tokens=60, on_progress=stages.append)
    assert any(s.stage == "merging" for s in stages) and len(merged.sources) < 3
    cancel = threading.Event()
    cancel.set()
    assert summarize_document(qwen, store, path, cancel=cancel).text == ""


def test_summarize_from_the_command_line(tmp_path, data_dir, capsys):
    from desktop_app.cli import main

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "plan.pdf").write_bytes(make_pdf(PAGES))
    run = lambda *args: main(["--data-dir", str(data_dir), *args])  # noqa: E731
    assert run("ingest", str(folder)) == 0
    assert run("summarize", str(folder / "missing.pdf")) == 2
    capsys.readouterr()
    assert run("summarize", str(folder / "plan.pdf"), "--model", "qwen2.5-coder-0.5b-instruct", "--json") == 0
    record = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert record["answer"] and record["sources"][0]["page"] == 1
    assert run("conversations") == 0 and "Summarize plan.pdf" in capsys.readouterr().out
