"""The main window: lays out the panels and menus and wires them to the app controller.

Panels show one concern each (``ui/panels``); the controller owns the workers and their threads
(``ui/controller``). The window's own state is the open conversation and the last error shown.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QSplitter, QTabWidget, QVBoxLayout, QWidget

from desktop_app.core.errors import AppError
from desktop_app.core.remote_llm import server_adapter_infos
from desktop_app.core.workspace import Workspace
from desktop_app.ui.api_server import ApiServer
from desktop_app.ui.controller import AppController
from desktop_app.ui.folder_watch import WatchedFolders
from desktop_app.ui.i18n import tr
from desktop_app.ui.panels.chat import Busy, ChatPanel
from desktop_app.ui.panels.conversations import ConversationsPanel
from desktop_app.ui.panels.import_status import ImportStatus
from desktop_app.ui.panels.library import LibraryPanel
from desktop_app.ui.panels.menus import AdapterMenu, ModelMenu, build_menu_bar
from desktop_app.ui.panels.model_status import ModelStatus
from desktop_app.ui.workers import AskRequest, ModelFacts

log = logging.getLogger(__name__)

DOCUMENT_FILTER = "(*.pdf *.docx *.pptx *.xlsx *.odt *.odp *.ods *.epub *.rtf *.eml *.hwp *.hwpx *.txt *.md *.markdown *.html *.htm *.csv *.rst *.json)"
LIBRARY_REFRESH_S = 5  # while a large file streams in, the library shows its progress this often


class MainWindow(QMainWindow):
    # Emitted on the GUI thread once the window has shown a result.
    importShown = Signal(object)  # core.ingest.ImportSummary
    comparisonShown = Signal(object)  # the CompareDialog

    def __init__(self, workspace: Workspace):
        super().__init__()
        self.workspace = workspace
        self.setWindowTitle(tr("Desktop Assistant — local documents & LoRA"))
        self.resize(1280, 820)
        self.setAcceptDrops(True)
        self.store = workspace.open_store()  # the GUI thread's reads; every write goes through a worker
        self.conversation_id: int | None = None
        self.new_session = True  # the next question starts a chat session (after New chat or opening one)
        self.last_error = ""
        self.viewer = None
        self.evaluation_window = None
        self.compare_window = None
        self.chosen_model: str | None = None  # remembered in the settings once it has loaded

        self.controller = AppController(workspace, self)
        self.conversations = ConversationsPanel()
        self.library = LibraryPanel()
        self.imports = ImportStatus()
        self.chat = ChatPanel()
        self.answerShown = self.chat.answerShown
        self.model_menu = ModelMenu(self)
        self.adapter_menu = AdapterMenu(self)
        self.api_server = ApiServer(workspace, self)
        self.api_server.stateChanged.connect(lambda state: self.statusBar().showMessage(state, 30000))
        self._lay_out()
        build_menu_bar(self)
        self._connect()
        self.watched_folders = WatchedFolders(self)
        self.refresh_conversations()
        self.refresh_library()
        self.imports.offer_resume(self.store.pending_imports())
        self.controller.requestModel.emit(workspace.settings.chat_model)
        self.controller.requestWarmUp.emit()
        self.watched_folders.refresh()
        self.controller.requestSync.emit([])  # what changed in the watched folders while the app was closed
        self.reindex_if_needed()
        if workspace.settings_problem:
            self.show_error(tr("Settings file set aside"), workspace.settings_problem)

    # --- layout and wiring -------------------------------------------------------------------

    def _lay_out(self) -> None:
        self.tabs = QTabWidget()
        self.tabs.addTab(self.conversations, tr("C&hats"))
        self.tabs.addTab(self.library, tr("&Library"))
        center = QWidget()
        layout = QVBoxLayout(center)
        layout.addWidget(self.imports)
        layout.addWidget(self.chat, 1)
        splitter = QSplitter()
        splitter.addWidget(self.tabs)
        splitter.addWidget(center)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([470, 810])
        self.setCentralWidget(splitter)
        bar = self.statusBar()
        self.model_status = ModelStatus(bar)
        for widget in (self.imports.label, self.imports.bar, self.imports.cancel_button):
            bar.addPermanentWidget(widget)
        self.setTabOrder(self.chat.question_edit, self.chat.send_button)

    def _connect(self) -> None:
        # Bound methods of GUI-thread objects only: Qt then queues the workers' signals onto this thread.
        model, index = self.controller.model_worker, self.controller.index_worker
        model.modelLoading.connect(self._on_model_loading)
        model.modelLoaded.connect(self._on_model_loaded)
        model.modelFailed.connect(self._on_model_failed)
        model.adaptersChanged.connect(self._on_adapters_changed)
        model.adapterFailed.connect(self._on_adapter_failed)
        model.retrieved.connect(self.chat.show_sources)
        model.token.connect(self.chat.add_token)
        model.summaryProgress.connect(self.chat.show_summary_progress)
        model.answerFinished.connect(self._on_answer_finished)
        model.answerFailed.connect(self._on_answer_failed)
        model.answerNotSaved.connect(self._on_answer_not_saved)
        model.compared.connect(self._on_compared)
        model.comparisonFinished.connect(self._on_comparison_finished)
        index.importStarted.connect(self.imports.started)
        index.progress.connect(self.imports.file_done)
        index.fileProgress.connect(self._on_file_progress)
        index.importFinished.connect(self._on_import_finished)
        index.importFailed.connect(self._on_import_failed)
        index.libraryChanged.connect(self.refresh_library)
        index.conversationsChanged.connect(self.refresh_conversations)
        index.writeFailed.connect(self._on_write_failed)
        self.chat.questionSubmitted.connect(self.ask)
        self.chat.askWithoutDocuments.connect(self.ask_without_documents)
        self.chat.stopRequested.connect(self.controller.stop_answer)
        self.chat.view.sourceClicked.connect(self.open_source)
        self.conversations.newRequested.connect(self.new_chat)
        self.conversations.openRequested.connect(self.open_conversation)
        self.conversations.renameRequested.connect(self.controller.requestRename)
        self.conversations.deleteRequested.connect(self.delete_conversation)
        self.library.removeRequested.connect(self.controller.requestRemoval)
        self.library.reimportRequested.connect(self.import_paths)
        self.library.summarizeRequested.connect(self.summarize)
        self.imports.cancelRequested.connect(self.controller.cancel_import)
        self.imports.resumeRequested.connect(self.resume_pending_import)
        self.imports.discardRequested.connect(self.controller.requestDiscardPending)
        self.model_menu.modelChosen.connect(self.choose_model)
        self.adapter_menu.adaptersChosen.connect(self.apply_adapters)
        self.adapter_menu.addRequested.connect(self.add_adapter)

    # --- errors ------------------------------------------------------------------------------

    def show_error(self, title: str, message: str) -> None:
        """A clear message in the window (and the log); never a console traceback."""
        log.warning("%s: %s", title, message)
        self.last_error = message
        self.statusBar().showMessage(f"{title}: {message}", 15000)
        box = QMessageBox(QMessageBox.Warning, title, message, QMessageBox.Ok, self)
        box.setModal(False)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.show()

    def _save_settings(self, settings) -> None:
        try:
            self.workspace.save_settings(settings)
        except AppError as exc:
            self.show_error(tr("Settings not saved"), str(exc))

    def _on_write_failed(self, message: str) -> None:
        self.show_error(tr("Not saved"), message)

    # --- model and adapters ------------------------------------------------------------------

    @property
    def model_ready(self) -> bool:
        return self.controller.model_ready

    def choose_model(self, path_or_key: str) -> None:
        self.chosen_model = path_or_key
        self.controller.requestModel.emit(path_or_key)

    def _on_model_loading(self, name: str) -> None:
        self.model_status.loading(name)

    def _on_model_loaded(self, facts: ModelFacts) -> None:
        self.model_status.loaded(facts)
        self._on_adapters_changed([])
        if self.chosen_model is not None:
            self._save_settings(self.workspace.settings.with_changes(chat_model=facts.path))
            self.chosen_model = None
        found = (server_adapter_infos(facts.server_adapters), []) if facts.server_adapters else self.workspace.adapters()
        self.adapter_menu.show_adapters(*found)
        fitting = {a.path.resolve() for a in self.workspace.adapters_for(facts.architecture, facts.width)}
        # the user's last choice where it still exists, else the adapter measured best for this model
        initial = [(p, s) for p, s in self.workspace.initial_adapters(facts.path) if Path(p).resolve() in fitting]
        if initial:
            self.controller.requestAdapters.emit(initial)

    def _on_model_failed(self, message: str, still_loaded: ModelFacts | None) -> None:
        self.chosen_model = None
        self.show_error(tr("Model not loaded"), message)
        self.model_status.loaded(still_loaded)
        still = tr("the previous model stays loaded") if still_loaded else tr("no model loaded")
        self.statusBar().showMessage(tr("Model not loaded ({state}): {message}", state=still, message=message), 15000)

    def apply_adapters(self, chosen: list) -> None:
        self._save_settings(self.workspace.settings.with_changes(active_adapters=tuple(chosen), adapters_chosen=True))
        self.controller.requestAdapters.emit(chosen)

    def add_adapter(self, path: str) -> None:
        from desktop_app.core.adapters import describe_adapter

        try:
            describe_adapter(path)
            target = self.workspace.data.adapters / Path(path).name
            if Path(path).resolve() != target.resolve():
                shutil.copy2(path, target)
        except (AppError, OSError) as exc:
            self.show_error(tr("Adapter refused"), str(exc))
            return
        self.adapter_menu.show_adapters(*self.workspace.adapters())

    def _on_adapters_changed(self, active: list) -> None:
        self.adapter_menu.show_active(active)
        self.chat.show_adapters(self.model_status.adapters(active))

    def _on_adapter_failed(self, message: str) -> None:
        self.show_error(tr("Adapter refused"), message)

    # --- asking ------------------------------------------------------------------------------

    def focus_question(self) -> None:
        self.activateWindow()
        self.chat.question_edit.setFocus(Qt.OtherFocusReason)

    def ask_without_documents(self, question: str) -> None:
        self.ask(question, use_retrieval=False)

    def ask(self, question: str, use_retrieval: bool | None = None) -> None:
        if self.chat.busy is not Busy.IDLE:
            return
        self.chat.begin_answer(question)
        new_session, self.new_session = self.new_session, False
        settings = self.workspace.settings
        self.controller.requestAnswer.emit(AskRequest(
            question=question, conversation_id=self.conversation_id, new_session=new_session,
            use_retrieval=self.chat.use_documents.isChecked() if use_retrieval is None else use_retrieval,
            doc_ids=self.library.chosen_doc_ids(),
            top_k=settings.top_k, rerank=settings.rerank, max_tokens=settings.max_answer_tokens,
            temperature=settings.temperature))

    def summarize(self, doc_path: str) -> None:
        """Summarize one document as a whole (read in parts), in the chat, with Stop and progress."""
        if self.chat.busy is not Busy.IDLE:
            return
        self.chat.begin_answer(tr("Summarize {name}", name=Path(doc_path).name))
        new_session, self.new_session = self.new_session, False
        self.controller.requestAnswer.emit(AskRequest(question="", conversation_id=self.conversation_id,
                                                      new_session=new_session, summarize_path=doc_path))

    def _on_answer_finished(self, answer, conversation_id: int | None) -> None:
        self.model_status.speed(answer.stats)
        self.conversation_id = conversation_id
        self.refresh_conversations()
        self.chat.finish_answer(answer)

    def _on_answer_not_saved(self, message: str) -> None:
        self.show_error(tr("Answer not saved"), message)

    def _on_answer_failed(self, message: str) -> None:
        if self.chat.busy is Busy.ANSWERING:
            self.chat.fail_answer(message)
        self.show_error(tr("No answer"), message)

    # --- compare and evaluation --------------------------------------------------------------

    def compare_dialog(self) -> None:
        question = self.chat.question_edit.toPlainText().strip() or self.chat.last_question()
        if not question:
            self.show_error(tr("Nothing to compare"), tr("Type a question first."))
            return
        self.compare(question)

    def compare(self, question: str) -> None:
        from desktop_app.ui.compare_dialog import CompareDialog

        facts = self.controller.model_facts
        if self.chat.busy is not Busy.IDLE or facts is None:
            return
        adapters = self.adapter_menu.checked() or self.workspace.default_adapters(facts.architecture, facts.width)
        self.compare_window = CompareDialog(question, [Path(p).stem for p, _ in adapters], self)
        self.compare_window.show()
        self.chat.begin_comparison()
        self.controller.requestCompare.emit(question, adapters)

    def _on_compared(self, configuration: str, answer) -> None:
        self.compare_window.show_answer(configuration, answer)

    def _on_comparison_finished(self) -> None:
        self.chat.end_comparison()
        self.comparisonShown.emit(self.compare_window)

    def open_evaluation(self):
        from desktop_app.ui.evaluation_page import EvaluationWindow

        if self.evaluation_window is None:
            self.evaluation_window = EvaluationWindow(self.store, self.controller, self.adapter_menu.checked, self)
        self.evaluation_window.show()
        self.evaluation_window.raise_()
        return self.evaluation_window

    # --- sources -----------------------------------------------------------------------------

    def open_source(self, entry_index: int, number: int) -> None:
        from desktop_app.ui.source_viewer import SourceViewer

        source = self.chat.view.source_at_index(entry_index, number)
        if source is None:
            return  # a link that answer text forged, not one of ours
        if not Path(source.hit.doc_path).exists():
            self.show_error(tr("Source missing"), tr("{path} no longer exists.", path=source.hit.doc_path))
            return
        self.viewer = self.viewer or SourceViewer(self)
        self.viewer.show_source(source, self.store.page_text(source.hit.doc_path, source.hit.section))

    # --- conversations -----------------------------------------------------------------------

    def refresh_conversations(self) -> None:
        self.conversations.show_conversations(self.store.conversations.all(), self.conversation_id)

    def new_chat(self) -> None:
        if self.chat.busy is not Busy.IDLE:
            return
        self.conversation_id = None
        self.new_session = True
        self.chat.view.set_entries([])
        self.conversations.list.clearSelection()
        self.focus_question()

    def open_conversation(self, conversation_id: int) -> None:
        if self.chat.busy is not Busy.IDLE:
            return
        from desktop_app.core.conversations import conversation_messages

        self.conversation_id = conversation_id
        self.new_session = True
        self.chat.show_messages(conversation_messages(self.store, conversation_id))

    def delete_conversation(self, conversation_id: int) -> None:
        if self.chat.busy is not Busy.IDLE:
            return
        if conversation_id == self.conversation_id:
            self.new_chat()
        self.controller.requestDeleteConversation.emit(conversation_id)

    # --- library and import ------------------------------------------------------------------

    def refresh_library(self) -> None:
        self.library.show_documents(self.store.documents(), self.store.stats())

    def import_files_dialog(self) -> None:
        filters = f"{tr('Documents')} {DOCUMENT_FILTER};;{tr('All files')} (*)"
        paths, _ = QFileDialog.getOpenFileNames(self, tr("Import documents"), str(Path.home()), filters)
        if paths:
            self.import_paths(paths)
        self.focus_question()

    def import_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Import a folder"), str(Path.home()))
        if folder:
            self.import_paths([folder])
        self.focus_question()

    def import_paths(self, paths: list[str]) -> None:
        self.imports.hide()
        self.controller.requestImport.emit([str(p) for p in paths])

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def _on_file_progress(self, progress) -> None:
        self.imports.file_streaming(progress)
        if time.monotonic() - self.library.refreshed_at > LIBRARY_REFRESH_S:
            self.refresh_library()

    def _on_import_finished(self, summary) -> None:
        self.refresh_library()
        if skipped := self.imports.finished(summary):
            self.show_error(tr("Some files were not imported"), skipped)
        if summary.cancelled:
            self.imports.offer_resume(self.store.pending_imports())
        self.importShown.emit(summary)

    def _on_import_failed(self, message: str) -> None:
        self.imports.failed()
        self.show_error(tr("Import failed"), message)

    def resume_pending_import(self) -> None:
        pending = self.store.pending_imports()
        if pending:
            self.import_paths(pending)

    def focus_tab(self, panel: QWidget) -> None:
        self.tabs.setCurrentWidget(panel)
        panel.setFocus(Qt.ShortcutFocusReason)
        panel.focusNextChild()

    # --- settings and shutdown ---------------------------------------------------------------

    def open_settings(self) -> None:
        from desktop_app.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.workspace.settings, str(self.workspace.data.root), self,
                                embedders=self.workspace.embedder_choices(), embedder=self.workspace.chosen_embedder())
        if dialog.exec():
            before, after = self.workspace.settings, dialog.settings()
            self._save_settings(after)
            if (after.embedder or before.embedder) and after.embedder != before.embedder:
                self.reindex_if_needed()
            facts = self.controller.model_facts
            runtime = ("n_ctx", "n_threads", "n_gpu_layers", "model_server")
            if any(getattr(before, name) != getattr(after, name) for name in runtime):
                same_backend = before.model_server == after.model_server
                self.controller.requestModel.emit(facts.path if facts and same_backend else "")

    def reindex_if_needed(self) -> None:
        """Index the library for the embedder the user chose when it was indexed with another (also
        resumes a re-index an earlier session left unfinished). A library indexed before the default
        changed keeps its embedder until the user picks another in Settings."""
        indexed = self.workspace.indexed_embedder()
        if self.workspace.settings.embedder and indexed not in (None, self.workspace.settings.embedder):
            self.controller.requestReindex.emit(self.workspace.chosen_embedder())

    def closeEvent(self, event) -> None:
        self.hide()  # gone from the screen at once, even while a worker finishes a model load
        self.watched_folders.watcher.stop()
        self.api_server.stop()
        self.controller.shutdown()
        for window in (self.viewer, self.evaluation_window, self.compare_window):
            if window is not None:
                window.close()
                QCoreApplication.removePostedEvents(window)
        QCoreApplication.removePostedEvents(self)  # results the workers sent while we were closing
        self.store.close()
        super().closeEvent(event)
