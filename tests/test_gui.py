"""The real window, driven offscreen with pytest-qt: drops, questions, sources, stop, adapters."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QObject, QPoint, Qt, QUrl, Slot
from PySide6.QtGui import QDropEvent

from desktop_app.core.workspace import Workspace
from tests.helpers import make_pdf
from tests.test_adapters import make_adapter

LONG = 180_000  # ms: generous signal timeouts for a 2-core machine


@pytest.fixture(autouse=True)
def collect_qt_garbage_on_the_main_thread(qapp):
    """Destroy each test's windows, workers and timers here, on the GUI thread: left to a later
    garbage collection, they could be destroyed from whatever thread happens to trigger it."""
    yield
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent

    for widget in qapp.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    qapp.processEvents()
    gc.collect()


@pytest.fixture
def window(qtbot, data_dir):
    from desktop_app.ui.main_window import MainWindow

    win = MainWindow(Workspace.open(data_dir))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.model_ready, timeout=LONG)
    win.controller.index_worker.embedder.get().load()  # the one-time torch import is not what these tests time
    yield win
    win.close()


@pytest.fixture
def docs(tmp_path):
    folder = tmp_path / "dropped"
    (folder / "sub").mkdir(parents=True)
    (folder / "report.pdf").write_bytes(make_pdf([
        "The orchard report lists apple varieties grown in the valley.",
        "The Kestrel turbine delivered 42 megawatts during the spring trial.",
        "Cherry harvests peaked in early July according to the growers."]))
    (folder / "sub" / "quenford.md").write_text(
        "# Plant history\n\nThe Quenford desalination plant was commissioned in 1987 by the engineer Maris Okonkwo. "
        "It supplies 140,000 households.\n", encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n this is not really a pdf")
    return folder


def drop(window, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPoint(50, 50), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    window.dropEvent(event)


def import_by_drop(qtbot, window, paths):
    with qtbot.waitSignal(window.importShown, timeout=LONG) as finished:
        drop(window, paths)
    return finished.args[0]


def test_a_dropped_folder_is_imported_and_a_broken_file_reported(qtbot, window, docs):
    summary = import_by_drop(qtbot, window, [docs])
    assert summary.counts["added"] == 2 and summary.counts["skipped"] == 1
    assert sorted(p.rsplit("/", 1)[-1] for p in window.library.paths()) == ["quenford.md", "report.pdf"]
    assert "broken.pdf" in window.last_error
    assert "Import finished" in window.imports.label.text()


def test_a_dropped_scan_shows_its_ocr_progress_and_is_marked_ocr_in_the_library(qtbot, window, tmp_path):
    from tests.test_ocr import PAGES, scanned_pdf

    path = tmp_path / "scan.pdf"
    path.write_bytes(scanned_pdf(PAGES))
    shown = []
    show = window.imports.file_streaming
    window.imports.file_streaming = lambda progress: (show(progress), shown.append(window.imports.label.text()))
    summary = import_by_drop(qtbot, window, [path])
    assert summary.counts["added"] == 1 and "pages 1-2 read by OCR" in summary.outcomes[0].reason
    assert shown == ["scan.pdf: reading page 1 of 2 by OCR", "scan.pdf: reading page 2 of 2 by OCR"]
    table = window.library.table
    kinds = [table.item(row, 2).text() for row in range(table.rowCount())]
    assert kinds == ["pdf (OCR)"]


def test_a_question_streams_an_answer_with_sources_that_open_at_the_page(qtbot, window, docs):
    import_by_drop(qtbot, window, [docs])
    tokens = []
    window.controller.model_worker.token.connect(tokens.append)
    window.chat.question_edit.setPlainText("How many megawatts did the Kestrel turbine deliver?")
    with qtbot.waitSignal(window.answerShown, timeout=LONG) as done:
        qtbot.keyClick(window.chat.question_edit, Qt.Key_Return)
    answer = done.args[0]
    conversation_id = window.conversation_id
    assert len(tokens) > 1 and "42" in answer.text
    entry = window.chat.view.entries[-1]
    assert entry.sources and entry.sources[0].hit.page == 2
    assert "report.pdf" in window.chat.view.toPlainText()
    assert window.conversations.count() == 1 and conversation_id is not None
    t = answer.timings.as_json()  # where the time went, on the answer's line (rounded as the line rounds it)
    assert f"reading {t['prompt_s']:.2f} s ({t['prompt_tokens']} tokens" in entry.footer and "search " in entry.footer

    index = len(window.chat.view.entries) - 1
    window.chat.view.anchorClicked.emit(QUrl(f"source:{index}:1"))
    viewer = window.viewer
    assert viewer.isVisible() and viewer.current_page == 2
    assert viewer.pdf_view.pageNavigator().currentPage() == 1  # zero-based
    qtbot.waitUntil(lambda: viewer.highlighted_result is not None, timeout=10_000)
    assert viewer.search.resultAtIndex(viewer.highlighted_result).page() == 1  # the passage, highlighted


def test_a_text_source_opens_scrolled_to_its_chunk(qtbot, window, docs):
    import_by_drop(qtbot, window, [docs])
    window.chat.question_edit.setPlainText("Who commissioned the Quenford desalination plant?")
    with qtbot.waitSignal(window.answerShown, timeout=LONG):
        window.chat.send()
    entry_index = len(window.chat.view.entries) - 1
    source = next(s for s in window.chat.view.entries[-1].sources if s.hit.doc_path.endswith("quenford.md"))
    window.open_source(entry_index, source.number)
    viewer = window.viewer
    assert viewer.text_view.isVisible() and not viewer.pdf_view.isVisible()
    start, end = viewer.highlighted
    assert "Okonkwo" in viewer.text_view.toPlainText()[start:end]


def test_a_question_nothing_matches_is_not_guessed_and_can_be_asked_without_documents(qtbot, window):
    with qtbot.waitSignal(window.answerShown, timeout=LONG) as done:
        window.ask("What is the capital of Peru?")  # the library is empty
    answer = done.args[0]
    assert answer.guard == "no-match" and answer.stats is None and not answer.sources
    assert "Nothing in your documents matches" in window.chat.view.toPlainText()
    index = len(window.chat.view.entries) - 1
    with qtbot.waitSignal(window.answerShown, timeout=LONG) as again:
        window.chat.view.anchorClicked.emit(QUrl(f"ask-without-documents:{index}"))
    assert not again.args[0].used_retrieval and again.args[0].guard is None and again.args[0].text
    assert window.chat.use_documents.isChecked()  # a one-off: the next question uses the documents again


def test_a_citation_its_source_does_not_support_is_marked(qtbot):
    from desktop_app.core.grounding import check_citations
    from desktop_app.core.rag import Answer, Source
    from desktop_app.core.retrieval import Hit
    from desktop_app.ui.panels.chat import ChatPanel

    hits = [Hit(i, f"/docs/{name}", None, 1, 0, len(text), text, 0.03, 1, 1, 0.2) for i, (name, text) in enumerate(
        [("plant.md", "The Quenford plant supplies 140,000 households."),
         ("harbour.md", "The harbour master is Ingrid Solberg.")], start=1)]
    text = "The Quenford plant supplies 140,000 households [1]. It was built by Ingrid Solberg in 1950 [2]."
    answer = Answer("Who built the plant?", text, tuple(Source(i + 1, h) for i, h in enumerate(hits)), None,
                    "model.gguf", checks=check_citations(text, [h.text for h in hits]))
    assert answer.unsupported == (2,)
    panel = ChatPanel()
    qtbot.addWidget(panel)
    panel.begin_answer(answer.question)
    panel.finish_answer(answer)
    shown = panel.view.toPlainText()
    assert "[1] ✓" in shown and "[2] ⚠" in shown and shown.count("does not hold what the answer says") == 1


class StopAfterTokens(QObject):
    """Lives on the GUI thread, so the worker's ``token`` signal reaches ``count`` queued, on this
    thread: a plain function would run on the worker thread and must never touch a widget."""

    def __init__(self, button, after: int):
        super().__init__()
        self.button, self.after, self.tokens = button, after, 0

    @Slot(str)
    def count(self, _piece: str) -> None:
        self.tokens += 1
        if self.tokens == self.after:
            self.button.click()


def test_stop_stops_generation_at_once(qtbot, window):
    window.chat.use_documents.setChecked(False)
    window.workspace.save_settings(window.workspace.settings.with_changes(max_answer_tokens=300))
    stopper = StopAfterTokens(window.chat.stop_button, after=3)
    window.controller.model_worker.token.connect(stopper.count)
    with qtbot.waitSignal(window.answerShown, timeout=LONG) as done:
        window.ask("Count from 1 to 300, one number per line.")
    answer = done.args[0]
    # Stopped: far short of the 300 tokens asked for (a few more arrive while the click is queued).
    assert answer.stats.cancelled and answer.stats.completion_tokens < 60, answer.stats.completion_tokens
    assert window.chat.send_button.isEnabled() and not window.chat.stop_button.isEnabled()


def test_an_answer_that_cannot_be_saved_is_still_shown(qtbot, window):
    window.chat.use_documents.setChecked(False)
    window.controller.model_worker._open_store().db.execute("PRAGMA query_only = ON")  # as in a read-only data folder
    with qtbot.waitSignal(window.answerShown, timeout=LONG) as done:
        window.ask("Say hello in three words.")
    assert done.args[0].text and window.chat.view.entries[-1].text == done.args[0].text
    assert not window.chat.view.entries[-1].error
    qtbot.waitUntil(lambda: "read-only" in window.last_error, timeout=10_000)
    assert window.conversations.count() == 0


def _adapter_for(base_path, out_path):
    return make_adapter(base_path, out_path, seed=0, layers=range(2), spread=0.02)


def _on_qwen_0_5b(data_dir):
    """Choose the small Qwen in the data dir's settings: the adapters these tests make fit it."""
    from desktop_app.core.models import QWEN_CHAT

    workspace = Workspace.open(data_dir)
    workspace.save_settings(workspace.settings.with_changes(chat_model=QWEN_CHAT.key))


def test_the_adapter_menu_lists_adapters_applies_one_and_refuses_a_mismatch(qtbot, data_dir, qwen_path, gemma_path):
    from desktop_app.ui.main_window import MainWindow

    (data_dir / "adapters").mkdir(exist_ok=True)
    _adapter_for(qwen_path, data_dir / "adapters" / "qwen-style.gguf")
    _adapter_for(gemma_path, data_dir / "adapters" / "gemma-style.gguf")
    _on_qwen_0_5b(data_dir)
    window = MainWindow(Workspace.open(data_dir))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.model_ready, timeout=LONG)
    names = {path.rsplit("/", 1)[-1] for path in window.adapter_menu.controls}
    assert {"qwen-style.gguf", "gemma-style.gguf"} <= names

    qwen_check = next(c for p, (c, _) in window.adapter_menu.controls.items() if p.endswith("qwen-style.gguf"))
    # Wait on what the GUI thread shows, never on a worker's signal: qtbot.waitSignal's callback would run on
    # the worker thread and stop a GUI-thread timer there.
    qwen_check.setChecked(True)
    qtbot.waitUntil(lambda: window.model_status.adapter_label.text() == "Adapters: qwen-style ×1", timeout=LONG)

    gemma_check = next(c for p, (c, _) in window.adapter_menu.controls.items() if p.endswith("gemma-style.gguf"))
    gemma_check.setChecked(True)
    qtbot.waitUntil(lambda: "gemma3" in window.last_error, timeout=LONG)
    assert "qwen2" in window.last_error
    qtbot.waitUntil(lambda: not gemma_check.isChecked(), timeout=LONG)
    assert window.model_status.adapter_label.text() == "Adapters: qwen-style ×1"
    assert window.model_ready  # the app keeps working
    window.close()


def test_a_recommended_adapter_is_on_by_default_and_unchecking_it_sticks(qtbot, data_dir, monkeypatch):
    import dataclasses

    from desktop_app.core import workspace as workspace_module
    from desktop_app.core.models import BUNDLED_CHAT_MODELS, QWEN_CHAT
    from desktop_app.ui.main_window import MainWindow

    recommended = dataclasses.replace(QWEN_CHAT, recommended_adapter="grounded-citations.gguf")
    monkeypatch.setattr(workspace_module, "BUNDLED_CHAT_MODELS",
                        tuple(recommended if m is QWEN_CHAT else m for m in BUNDLED_CHAT_MODELS))
    _on_qwen_0_5b(data_dir)
    window = MainWindow(Workspace.open(data_dir))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(window.adapter_menu.checked()), timeout=LONG)
    assert [Path(p).name for p, _ in window.adapter_menu.checked()] == ["grounded-citations.gguf"]
    assert "grounded-citations" in window.model_status.adapter_label.text()
    check, _scale = window.adapter_menu.controls[window.adapter_menu.checked()[0][0]]
    check.setChecked(False)
    qtbot.waitUntil(lambda: window.model_status.adapter_label.text() == "Adapters: none", timeout=LONG)
    settings = window.workspace.settings
    assert settings.adapters_chosen and settings.active_adapters == ()
    assert Workspace.open(data_dir).initial_adapters(window.workspace.chat_model_path()) == []
    window.close()


def test_the_api_is_served_from_the_tools_menu_and_stopped(qtbot, window):
    from openai import APIConnectionError, OpenAI

    server = window.api_server
    tools = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Tools")
    assert server.action in tools.actions()
    states = []
    server.stateChanged.connect(states.append)
    server.action.trigger()
    qtbot.waitUntil(lambda: any("answers at" in s or "stopped" in s for s in states), timeout=180_000)
    assert "answers at http://127.0.0.1:" in states[-1], states
    client = OpenAI(base_url=server.address, api_key="not-needed-on-127.0.0.1", max_retries=0, timeout=30)
    assert client.models.list().data[0].id
    server.action.trigger()
    assert not server.running and "stopped" in states[-1] and not server.action.isChecked()
    with pytest.raises(APIConnectionError):
        client.models.list()


def test_a_bad_model_file_is_refused_and_the_previous_model_stays(qtbot, window, tmp_path):
    bogus = tmp_path / "bogus.gguf"
    bogus.write_bytes(b"definitely not a model" * 10)
    previous = window.controller.model_facts
    window.choose_model(str(bogus))
    qtbot.waitUntil(lambda: "not a GGUF file" in window.last_error, timeout=LONG)
    assert window.controller.model_facts == previous and window.model_ready


def test_an_interrupted_import_is_offered_for_resume(qtbot, data_dir, docs):
    from desktop_app.ui.main_window import MainWindow

    workspace = Workspace.open(data_dir)
    with workspace.open_store() as store:
        store.queue_imports([str(docs / "report.pdf")])
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    assert window.imports.isVisibleTo(window) and "1 files" in window.imports.pending_label.text()
    with qtbot.waitSignal(window.importShown, timeout=LONG):
        window.imports.resume_button.click()
    assert [p.rsplit("/", 1)[-1] for p in window.library.paths()] == ["report.pdf"]
    window.close()


def test_a_large_file_shows_its_progress_and_a_cancelled_one_resumes(qtbot, window, tmp_path):
    big = tmp_path / "big.log"
    with open(big, "w", encoding="utf-8") as handle:  # 9 MB: streamed section by section
        for block in range(40):
            handle.write(f"Entry zq{block:04d}x about the kestrel turbine in district {block}.\n")
            handle.write((" " * 63 + "\n") * 3700)
    with qtbot.waitSignal(window.importShown, timeout=LONG) as cancelled:
        drop(window, [big])
        qtbot.waitUntil(lambda: "% read" in window.imports.label.text(), timeout=LONG)
        label = window.imports.label.text()
        window.imports.cancel_button.click()
    assert label.startswith("big.log: ") and "chunks" in label, label
    assert cancelled.args[0].cancelled and window.imports.isVisibleTo(window)
    name = window.library.display_name(str(big))
    assert name.startswith("big.log (") and name.endswith("% imported)"), name

    with qtbot.waitSignal(window.importShown, timeout=LONG) as finished:
        window.imports.resume_button.click()
    assert finished.args[0].counts["added"] == 1 and "resumed at section" in finished.args[0].outcomes[0].reason
    assert window.library.display_name(str(big)) == "big.log"


def test_a_damaged_library_file_is_set_aside_not_a_start_that_fails_forever(qtbot, data_dir, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.ui.launch import open_main_window

    (data_dir / "store.sqlite3").write_bytes(b"garbage, not a database " * 400)
    asked, told = [], []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: told.append(a[2]))
    window = open_main_window(Workspace.open(data_dir))
    qtbot.addWidget(window)
    assert "not a usable store" in asked[0] and "nothing is deleted" in asked[0]
    kept = list(data_dir.glob("store.sqlite3.unusable-*"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"garbage") and str(kept[0]) in told[0]
    assert window.library.paths() == []
    window.close()


def test_links_in_answers_and_documents_are_never_followed(qtbot, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    from desktop_app.ui.chat_view import ChatEntry, ChatView

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    view = ChatView()
    qtbot.addWidget(view)
    clicked = []
    view.sourceClicked.connect(lambda *args: clicked.append(args))
    view.set_entries([ChatEntry("assistant", "See [the tool](file:///bin/sh) or [this](https://example.com) "
                                             "or <a href='javascript:alert(1)'>that</a>.")])
    for url in ("file:///bin/sh", "https://example.com", "javascript:alert(1)", "source:0:notanumber"):
        view.anchorClicked.emit(QUrl(url))
    assert opened == [] and clicked == [] and view.source().isEmpty()


def test_an_answer_the_app_found_for_a_decline_says_so_and_shows_the_models_words(qtbot):
    from desktop_app.core.grounding import GUARD_NOTES
    from desktop_app.ui.chat_view import ChatEntry, ChatView

    view = ChatView()
    qtbot.addWidget(view)
    for guard in ("found", "second-look"):
        view.set_entries([ChatEntry("assistant", "관리자는 최영호이다. [1]", guard=guard,
                                    withheld="문서에 나와 있지 않습니다.")])
        shown = view.toPlainText()
        assert GUARD_NOTES[guard] in shown and "The model's draft: 문서에 나와 있지 않습니다." in shown


def test_an_answer_searched_in_the_other_language_too_shows_the_translation(qtbot):
    from desktop_app.ui.chat_view import ChatEntry, ChatView

    view = ChatView()
    qtbot.addWidget(view)
    view.set_entries([ChatEntry("assistant", "The rent rises by 25 pounds a month. [1]",
                                searched_as="What is the monthly rent after renewing the lease?")])
    assert "Also searched as: What is the monthly rent after renewing the lease?" in view.toPlainText()
    view.set_entries([ChatEntry("assistant", "The rent rises by 25 pounds a month. [1]")])
    assert "Also searched as" not in view.toPlainText()


def test_a_reopened_conversation_still_shows_what_its_answer_was_searched_as(qtbot, window):
    from desktop_app.core.conversations import add_exchange
    from desktop_app.core.rag import Answer

    conversation = window.store.conversations.create("Tenancy")
    add_exchange(window.store, conversation.id, Answer(
        question="임대차 계약을 갱신하면 월세는 얼마가 되나요?", text="월세는 25파운드 오릅니다.", sources=(), stats=None,
        model="qwen", searched_as="What is the monthly rent after renewing the lease?"))
    window.open_conversation(conversation.id)
    assert window.chat.view.entries[-1].searched_as == "What is the monthly rent after renewing the lease?"
    assert "Also searched as: What is the monthly rent after renewing the lease?" in window.chat.view.toPlainText()


def test_new_chat_shortcut_and_conversations_reopen_with_sources_and_export(qtbot, window, docs, tmp_path):
    import_by_drop(qtbot, window, [docs])
    with qtbot.waitSignal(window.answerShown, timeout=LONG):
        window.ask("Who commissioned the Quenford desalination plant?")
    first = window.conversation_id
    window.new_chat()
    assert window.chat.view.entries == [] and window.conversation_id is None
    window.open_conversation(first)
    assert window.chat.view.entries[-1].sources
    assert "reading " in window.chat.view.entries[-1].footer  # the timings are kept with the conversation
    from desktop_app.ui.export_dialog import write_export

    file_menu = window.menuBar().actions()[0].menu()
    assert any(a.text() == "&Export conversation…" for a in file_menu.actions())
    conversation = next(c for c in window.store.conversations.all() if c.id == first)
    write_export(window, conversation, tmp_path / "chat.md")
    assert "## 1. Who commissioned the Quenford desalination plant?" in (tmp_path / "chat.md").read_text(encoding="utf-8")
    write_export(window, conversation, tmp_path / "missing-folder" / "chat.json")
    assert "Export failed" in window.statusBar().currentMessage()


def test_compare_shows_the_four_configurations_side_by_side(qtbot, data_dir, qwen_path, docs):
    from desktop_app.ui.main_window import MainWindow

    (data_dir / "adapters").mkdir(exist_ok=True)
    _adapter_for(qwen_path, data_dir / "adapters" / "qwen-style.gguf")
    _on_qwen_0_5b(data_dir)
    window = MainWindow(Workspace.open(data_dir))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.model_ready, timeout=LONG)
    import_by_drop(qtbot, window, [docs])
    window.workspace.save_settings(window.workspace.settings.with_changes(max_answer_tokens=48))
    with qtbot.waitSignal(window.comparisonShown, timeout=LONG) as shown:
        window.compare("Who commissioned the Quenford desalination plant?")
    dialog = shown.args[0]
    assert list(dialog.answers) == ["base", "+RAG", "+adapter", "+RAG+adapter"]
    assert dialog.answers["+RAG"].sources and not dialog.answers["base"].sources
    assert dialog.answers["+adapter"].adapters and not dialog.answers["+RAG"].adapters
    assert "Okonkwo" in dialog.panels["+RAG"].toPlainText()
    assert window.chat.send_button.isEnabled()
    window.close()


def test_the_evaluation_window_runs_an_evaluation_and_charts_it(qtbot, window, docs, tmp_path):
    import json

    import_by_drop(qtbot, window, [docs])
    questions = tmp_path / "questions.jsonl"
    questions.write_text("\n".join(json.dumps(q) for q in [
        {"question": "How many megawatts did the Kestrel turbine deliver?", "doc": "report.pdf", "page": 2},
        {"question": "Who commissioned the Quenford plant?", "doc": "quenford.md"}]), encoding="utf-8")
    evaluation = window.open_evaluation()
    evaluation.run_started("retrieval-questions")
    evaluation.requestRun.emit("retrieval-questions", str(questions))  # what the file dialog would do
    qtbot.waitUntil(lambda: bool(evaluation.runs) and evaluation.runs[0].kind == "retrieval", timeout=LONG)
    run = evaluation.runs[0]
    assert set(run.summary) == {"vector", "keyword", "hybrid"} and run.summary["hybrid"]["queries"] == 2
    assert evaluation.table.rowCount() == 1 and evaluation.metric_box.currentText() == "MRR@10"
    chart = evaluation.run_chart.chart()
    assert chart.series() and chart.series()[0].barSets()[0].count() == 3
    assert evaluation.trend_chart.chart().series()


def test_closing_the_window_during_a_hung_parse_returns_at_once(qtbot, window, docs, tmp_path):
    import os
    import signal
    import time

    import_by_drop(qtbot, window, [docs / "sub"])  # the parser process is up
    parser = window.controller.index_worker._extractor._process
    os.kill(parser.pid, signal.SIGSTOP)  # the next file hangs its parser (the time limit is 120 s)
    (tmp_path / "next.txt").write_text("A file the stuck parser never reads.", encoding="utf-8")
    drop(window, [tmp_path / "next.txt"])
    qtbot.waitUntil(lambda: window.imports.label.text().startswith("Importing"), timeout=LONG)
    qtbot.wait(500)  # the index worker now waits on the stuck parser
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 2.0
    assert parser.poll() is not None and not window.controller.index_thread.isRunning()


def test_choosing_another_embedder_in_settings_reindexes_the_library_in_the_background(qtbot, window, docs):
    from desktop_app.core.embedders import E5_SMALL, E5_SMALL_BF16, E5_SMALL_OV_BF16, MINILM, default_embedder
    from desktop_app.core.settings import Settings
    from desktop_app.ui.settings_dialog import SettingsDialog

    import_by_drop(qtbot, window, [docs])
    workspace = window.workspace
    assert workspace.indexed_embedder() == default_embedder()
    dialog = SettingsDialog(workspace.settings, str(workspace.data.root), window,
                            embedders=workspace.embedder_choices(), embedder=workspace.chosen_embedder())
    qtbot.addWidget(dialog)
    choices = [dialog.embedder.itemData(i) for i in range(dialog.embedder.count())]
    assert choices[:4] == [E5_SMALL, E5_SMALL_OV_BF16, E5_SMALL_BF16, MINILM]
    assert dialog.embedder.currentData() == default_embedder()
    dialog.embedder.setCurrentIndex(choices.index(MINILM))
    dialog.embedder.activated.emit(choices.index(MINILM))
    assert not dialog.rerank.isChecked()
    dialog.rerank.setChecked(True)
    window._save_settings(dialog.settings())
    assert workspace.settings.rerank and Settings.load(workspace.data.settings).rerank
    with qtbot.waitSignal(window.importShown, timeout=LONG):
        window.reindex_if_needed()
    assert workspace.indexed_embedder() == MINILM
    assert window.controller.index_worker.embedder.get().source == MINILM
    assert sorted(p.rsplit("/", 1)[-1] for p in window.library.paths()) == ["quenford.md", "report.pdf"]
    with window.workspace.open_store() as store:
        assert store.consistency_problems() == [] and store.stats()["chunks"] > 0


def test_the_window_runs_in_korean(qtbot, data_dir):
    """Every string of the window has a Korean translation, and the window shows it when asked to."""
    import subprocess
    import sys

    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.i18n import install_translation, window_language
    from desktop_app.ui.main_window import MainWindow

    root = Path(__file__).resolve().parents[1]
    check = subprocess.run([sys.executable, "scripts/update_translations.py", "--check"], cwd=root,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    assert window_language("ko") == "ko" and window_language("xx") in ("en", "ko")
    workspace = Workspace.open(data_dir)
    workspace.save_settings(workspace.settings.with_changes(language="ko"))
    app = QApplication.instance()
    try:
        assert install_translation(app, workspace.settings.language) == "ko"
        window = MainWindow(workspace)
        qtbot.addWidget(window)
        menus = [action.text() for action in window.menuBar().actions()]
        assert menus[:3] == ["파일(&F)", "대화(&C)", "도구(&T)"]
        assert window.chat.send_button.text() == "보내기"
        assert window.tabs.tabText(1) == "라이브러리(&L)"
        assert "문서" in window.chat.question_edit.placeholderText()
        window.close()
    finally:
        install_translation(app, "en")
    assert QApplication.translate("desktop_app", "Send") == "Send"


def test_translations_keep_their_placeholders():
    import re
    import xml.etree.ElementTree as ET

    from desktop_app.core.paths import translations_dir

    for message in ET.parse(translations_dir() / "desktop_app_ko.ts").getroot().iter("message"):
        source, translation = message.findtext("source"), message.findtext("translation")
        assert sorted(re.findall(r"\{\w+\}", source)) == sorted(re.findall(r"\{\w+\}", translation)), source


def test_a_watched_folder_follows_its_files_while_open_and_catches_up_at_the_next_start(qtbot, data_dir, tmp_path):
    from desktop_app.ui.main_window import MainWindow

    folder = tmp_path / "watched"
    folder.mkdir()
    (folder / "plant.md").write_text("The Quenford plant opened in 1987.\n", encoding="utf-8")

    def open_window():
        win = MainWindow(Workspace.open(data_dir))
        qtbot.addWidget(win)
        return win

    def names(win):
        return sorted(d.name for d in win.store.documents())

    win = open_window()
    with qtbot.waitSignal(win.watched_folders.synced, timeout=LONG):
        win.watched_folders.watch(str(folder))
    qtbot.waitUntil(lambda: win.watched_folders.watcher.watched() == [str(folder.resolve())], timeout=LONG)
    assert names(win) == ["plant.md"] and win.library.watched.count() == 1
    assert "1 added" in win.library.watched.item(0).text()

    with qtbot.waitSignal(win.watched_folders.synced, timeout=LONG):  # a new file, written while the app runs
        (folder / "ferry.md").write_text("The night ferry leaves at 23:40.\n", encoding="utf-8")
    qtbot.waitUntil(lambda: names(win) == ["ferry.md", "plant.md"], timeout=LONG)
    with qtbot.waitSignal(win.watched_folders.synced, timeout=LONG):  # edited in place
        with open(folder / "plant.md", "a", encoding="utf-8") as handle:
            handle.write("It was refitted in 2009.\n")
    qtbot.waitUntil(lambda: "2009" in (win.store.page_text(str(folder.resolve() / "plant.md"), 1) or ""), timeout=LONG)
    with qtbot.waitSignal(win.watched_folders.synced, timeout=LONG):
        (folder / "ferry.md").unlink()
    qtbot.waitUntil(lambda: names(win) == ["plant.md"], timeout=LONG)
    win.close()

    (folder / "budget.md").write_text("The dredging budget is 1.2 million euro.\n", encoding="utf-8")  # while closed
    (folder / "plant.md").rename(folder / "quenford.md")
    win = open_window()
    with qtbot.waitSignal(win.watched_folders.synced, timeout=LONG):
        pass
    assert names(win) == ["budget.md", "quenford.md"]
    assert "1 moved" in win.library.watched.item(0).text()
    win.close()


def test_summarize_from_the_library_reads_the_document_in_parts_with_progress(qtbot, data_dir, tmp_path):
    from desktop_app.ui.main_window import MainWindow

    _on_qwen_0_5b(data_dir)
    window = MainWindow(Workspace.open(data_dir))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.model_ready, timeout=LONG)
    (tmp_path / "plan").mkdir()
    pdf = tmp_path / "plan" / "plan.pdf"
    pdf.write_bytes(make_pdf(["The eastern breakwater must be repaired by 12 May 2026.",
                              "Dredging of the inner basin ends on 30 June 2026."]))
    import_by_drop(qtbot, window, [pdf])
    progress = []
    window.controller.model_worker.summaryProgress.connect(lambda stage, done, total: progress.append(stage))
    window.library.table.selectRow(0)
    summarize = next(a for a in window.library.table.actions() if a.text() == "&Summarize")
    with qtbot.waitSignal(window.answerShown, timeout=LONG) as shown:
        summarize.trigger()
    answer = shown.args[0]
    assert answer.question == "Summarize plan.pdf" and answer.text and answer.sources
    assert progress[0] == "reading" and progress[-1] == "writing"
    assert window.chat.view.entries[-2].text == "Summarize plan.pdf" and window.chat.send_button.isEnabled()
    assert window.conversation_id is not None
    window.close()


def test_a_window_on_a_shared_postgres_library_imports_into_it_beside_another_instance(qtbot, data_dir, docs,
                                                                                         pg_url, tmp_path):
    from desktop_app.core.store import Store
    from desktop_app.ui.main_window import MainWindow
    from tests.test_cli import run_cli

    workspace = Workspace.open(data_dir)
    workspace.save_settings(workspace.settings.with_changes(store=pg_url))
    window = MainWindow(Workspace.open(data_dir))
    qtbot.addWidget(window)
    window.show()
    summary = import_by_drop(qtbot, window, [docs / "sub"])
    assert summary.counts["added"] == 1
    other = tmp_path / "other.md"
    other.write_text("The ferry to Holm island leaves at 7:40 every weekday.\n", encoding="utf-8")
    run_cli(data_dir, "ingest", str(other))  # another instance: the settings point it at the same library
    window.refresh_library()
    assert sorted(p.rsplit("/", 1)[-1] for p in window.library.paths()) == ["other.md", "quenford.md"]
    with Store(pg_url) as shared:
        assert shared.stats()["documents"] == 2 and shared.consistency_problems() == []
    assert not (data_dir / "store.sqlite3").exists()
    window.close()
