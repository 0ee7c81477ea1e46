"""The main window: chat, conversations, library, import progress, model and adapter menus."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDoubleSpinBox, QFileDialog, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QMainWindow, QMessageBox,
                               QPlainTextEdit, QProgressBar, QPushButton, QSplitter, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget, QWidgetAction, QInputDialog,
                               QApplication, QFrame)

from desktop_app.core import conversations
from desktop_app.core.errors import AppError
from desktop_app.core.llm import Message
from desktop_app.core.models import BUNDLED_CHAT_MODELS
from desktop_app.core.workspace import Workspace
from desktop_app.ui.chat_view import ChatEntry, ChatView
from desktop_app.ui.settings_dialog import SettingsDialog
from desktop_app.ui.source_viewer import SourceViewer
from desktop_app.ui.workers import AskRequest, IndexWorker, ModelWorker, SharedEmbedder, start_in_thread

log = logging.getLogger(__name__)


class QuestionEdit(QPlainTextEdit):
    """Enter sends, Shift+Enter starts a new line."""

    submitted = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and not event.modifiers() & Qt.ShiftModifier:
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class MainWindow(QMainWindow):
    # Requests to the workers (queued: they run in the workers' threads).
    requestModel = Signal(str)
    requestAnswer = Signal(object)
    requestAdapters = Signal(list)
    requestImport = Signal(list)
    requestRemoval = Signal(list)
    requestDiscardPending = Signal()
    requestWarmUp = Signal()
    requestCompare = Signal(str, list)
    # Emitted on the UI thread once the window has shown a result.
    importShown = Signal(object)  # core.ingest.ImportSummary
    answerShown = Signal(object)  # core.rag.Answer
    comparisonShown = Signal(object)  # the CompareDialog

    def __init__(self, workspace: Workspace):
        super().__init__()
        self.workspace = workspace
        self.setWindowTitle("Desktop Assistant — local documents & LoRA")
        self.resize(1280, 820)
        self.setAcceptDrops(True)
        self.store = workspace.open_store()
        self.conversation_id: int | None = None
        self.answer_entry: int | None = None
        self.pending_question: str | None = None
        self.import_started_at = 0.0
        self.last_error = ""
        self.model_ready = False
        self.viewer: SourceViewer | None = None
        self.evaluation_window = None
        self.compare_window = None
        self.chosen_model: str | None = None

        embedder = SharedEmbedder(workspace)
        self.model_worker = ModelWorker(workspace, embedder)
        self.index_worker = IndexWorker(workspace, embedder)
        self.model_thread = start_in_thread(self.model_worker, "model-worker")
        self.index_thread = start_in_thread(self.index_worker, "index-worker")
        self._build_ui()
        self._build_menus()
        self._connect_workers()
        self.refresh_conversations()
        self.refresh_library()
        self._offer_pending_import()
        self.requestModel.emit(workspace.settings.chat_model)
        self.requestWarmUp.emit()

    # --- layout ------------------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.tabs = QTabWidget()
        chats = QWidget()
        chats_layout = QVBoxLayout(chats)
        self.conversation_list = QListWidget()
        self.conversation_list.itemClicked.connect(self._open_conversation_item)
        row = QHBoxLayout()
        for label, slot in (("New", self.new_chat), ("Rename", self.rename_chat), ("Delete", self.delete_chat)):
            button = QPushButton(label)
            button.clicked.connect(slot)
            row.addWidget(button)
        chats_layout.addWidget(self.conversation_list)
        chats_layout.addLayout(row)

        library = QWidget()
        library_layout = QVBoxLayout(library)
        self.library_filter = QLineEdit(placeholderText="Filter documents…")
        self.library_filter.textChanged.connect(self._filter_library)
        self.library_table = QTableWidget(0, 6)
        self.library_table.setHorizontalHeaderLabels(["Use", "Name", "Type", "Pages", "Chunks", "Added"])
        self.library_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.library_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.library_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.library_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.library_table.verticalHeader().hide()
        buttons = QHBoxLayout()
        for label, slot in (("Remove", self.remove_selected), ("Re-import", self.reimport_selected),
                            ("Open file", self.open_selected)):
            button = QPushButton(label)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.library_summary = QLabel()
        library_layout.addWidget(self.library_filter)
        library_layout.addWidget(self.library_table)
        library_layout.addLayout(buttons)
        library_layout.addWidget(self.library_summary)
        self.tabs.addTab(chats, "Chats")
        self.tabs.addTab(library, "Library")

        center = QWidget()
        center_layout = QVBoxLayout(center)
        self.pending_banner = QFrame()
        self.pending_banner.setFrameShape(QFrame.StyledPanel)
        banner_layout = QHBoxLayout(self.pending_banner)
        self.pending_label = QLabel()
        self.resume_button = QPushButton("Resume import")
        self.resume_button.clicked.connect(self.resume_pending_import)
        discard = QPushButton("Discard")
        discard.clicked.connect(self.discard_pending_import)
        banner_layout.addWidget(self.pending_label, 1)
        banner_layout.addWidget(self.resume_button)
        banner_layout.addWidget(discard)
        self.pending_banner.hide()
        self.chat_view = ChatView()
        self.chat_view.sourceClicked.connect(self.open_source)
        self.question_edit = QuestionEdit()
        self.question_edit.setPlaceholderText("Ask about your documents… (Enter sends, Shift+Enter for a new line)")
        self.question_edit.setFixedHeight(80)
        self.question_edit.submitted.connect(self.send)
        self.use_documents = QCheckBox("Use documents")
        self.use_documents.setChecked(True)
        self.send_button = QPushButton("Send")
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        self.regenerate_button = QPushButton("Regenerate")
        self.regenerate_button.clicked.connect(self.regenerate)
        self.copy_button = QPushButton("Copy")
        self.copy_button.clicked.connect(self.copy_answer)
        controls = QHBoxLayout()
        controls.addWidget(self.use_documents)
        controls.addStretch(1)
        for button in (self.copy_button, self.regenerate_button, self.stop_button, self.send_button):
            controls.addWidget(button)
        self.adapter_banner = QLabel()
        center_layout.addWidget(self.pending_banner)
        center_layout.addWidget(self.adapter_banner)
        center_layout.addWidget(self.chat_view, 1)
        center_layout.addWidget(self.question_edit)
        center_layout.addLayout(controls)

        splitter = QSplitter()
        splitter.addWidget(self.tabs)
        splitter.addWidget(center)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([470, 810])
        self.setCentralWidget(splitter)

        self.model_label = QLabel("Model: loading…")
        self.adapter_label = QLabel("Adapters: none")
        self.speed_label = QLabel("")
        self.device_label = QLabel("")
        self.import_bar = QProgressBar()
        self.import_bar.setMaximumWidth(220)
        self.import_label = QLabel()
        self.import_cancel = QPushButton("Cancel import")
        self.import_cancel.clicked.connect(self.cancel_import)
        bar = self.statusBar()
        for widget in (self.model_label, self.adapter_label, self.speed_label, self.device_label):
            bar.addWidget(widget)
        for widget in (self.import_label, self.import_bar, self.import_cancel):
            bar.addPermanentWidget(widget)
            widget.hide()
        self.import_failures: list[tuple[str, str]] = []

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&Import files…", self.import_files_dialog, QKeySequence("Ctrl+O"))
        self._action(file_menu, "Import &folder…", self.import_folder_dialog)
        file_menu.addSeparator()
        self._action(file_menu, "&Settings…", self.open_settings)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.Quit)
        chat_menu = self.menuBar().addMenu("&Chat")
        self._action(chat_menu, "&New chat", self.new_chat, QKeySequence("Ctrl+N"))
        self._action(chat_menu, "&Stop", self.stop, QKeySequence(Qt.Key_Escape))
        self._action(chat_menu, "&Regenerate", self.regenerate)
        self._action(chat_menu, "&Copy answer", self.copy_answer)
        chat_menu.addSeparator()
        self._action(chat_menu, "Co&mpare RAG and LoRA…", self.compare_dialog, QKeySequence("Ctrl+M"))
        tools = self.menuBar().addMenu("&Tools")
        self._action(tools, "&Evaluation…", self.open_evaluation)
        self.model_menu = self.menuBar().addMenu("&Model")
        self.adapter_menu = self.menuBar().addMenu("&Adapters")
        self.adapter_controls: dict[str, tuple[QCheckBox, QDoubleSpinBox]] = {}
        self.refresh_model_menu()
        self.refresh_adapter_menu()

    def _action(self, menu, text, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _connect_workers(self) -> None:
        worker = self.model_worker
        self.requestModel.connect(worker.load_model)
        self.requestAnswer.connect(worker.ask)
        self.requestAdapters.connect(worker.set_adapters)
        # Bound methods only: a lambda has no receiver thread and would run in the worker's thread.
        worker.modelLoading.connect(self._on_model_loading)
        worker.modelLoaded.connect(self._on_model_loaded)
        worker.modelFailed.connect(self._on_model_failed)
        worker.adaptersChanged.connect(self._on_adapters_changed)
        worker.adapterFailed.connect(self._on_adapter_failed)
        worker.retrieved.connect(self._on_retrieved)
        worker.token.connect(self._on_token)
        worker.answerFinished.connect(self._on_answer_finished)
        worker.answerFailed.connect(self._on_answer_failed)
        worker.answerNotSaved.connect(self._on_answer_not_saved)
        self.requestCompare.connect(worker.compare)
        worker.compared.connect(self._on_compared)
        worker.comparisonFinished.connect(self._on_comparison_finished)
        index = self.index_worker
        self.requestImport.connect(index.import_paths)
        self.requestRemoval.connect(index.remove_documents)
        self.requestDiscardPending.connect(index.discard_pending)
        self.requestWarmUp.connect(index.warm_up)
        index.importStarted.connect(self._on_import_started)
        index.progress.connect(self._on_import_progress)
        index.fileProgress.connect(self._on_file_progress)
        index.importFinished.connect(self._on_import_finished)
        index.importFailed.connect(self._on_import_failed)
        index.libraryChanged.connect(self.refresh_library)

    # --- errors ------------------------------------------------------------------------------

    def _save_settings(self, settings) -> None:
        try:
            self.workspace.save_settings(settings)
        except AppError as exc:
            self.show_error("Settings not saved", str(exc))

    def show_error(self, title: str, message: str) -> None:
        """A clear message in the window (and the log); never a console traceback."""
        log.warning("%s: %s", title, message)
        self.last_error = message
        self.statusBar().showMessage(f"{title}: {message}", 15000)
        box = QMessageBox(QMessageBox.Warning, title, message, QMessageBox.Ok, self)
        box.setModal(False)
        box.setAttribute(Qt.WA_DeleteOnClose)
        box.show()

    # --- model and adapters ------------------------------------------------------------------

    def refresh_model_menu(self) -> None:
        self.model_menu.clear()
        for bundled in BUNDLED_CHAT_MODELS:
            self._action(self.model_menu, f"{bundled.description}", lambda _=False, k=bundled.key: self.choose_model(k))
        bundled_files = {m.file_name for m in BUNDLED_CHAT_MODELS}
        others = [p for p in sorted(self.workspace.data.models.glob("*.gguf")) if p.name not in bundled_files]
        if others:
            self.model_menu.addSeparator()
            for path in others:
                self._action(self.model_menu, path.name, lambda _=False, p=str(path): self.choose_model(p))
        self.model_menu.addSeparator()
        self._action(self.model_menu, "Open model file…", self.open_model_dialog)

    def open_model_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a GGUF model", str(Path.home()), "GGUF models (*.gguf)")
        if path:
            self.choose_model(path)

    def choose_model(self, path_or_key: str) -> None:
        self.chosen_model = path_or_key  # remembered in the settings once it has loaded
        self.requestModel.emit(path_or_key)

    def _on_model_loading(self, name: str) -> None:
        self._set_model_state(f"Model: loading {name}…", ready=False)

    def _on_adapter_failed(self, message: str) -> None:
        self.show_error("Adapter refused", message)

    def _on_import_failed(self, message: str) -> None:
        for widget in (self.import_bar, self.import_cancel):
            widget.hide()
        self.show_error("Import failed", message)

    def _set_model_state(self, text: str, *, ready: bool) -> None:
        self.model_label.setText(text)
        self.model_ready = ready

    def _on_model_loaded(self, name: str, facts: dict) -> None:
        self._set_model_state(f"Model: {name}", ready=True)
        device = f"GPU ({facts['gpu_layers']} layers)" if facts["gpu_layers"] else "CPU"
        self.device_label.setText(f"{device}, {facts['threads']} threads, ctx {facts['n_ctx']}")
        if self.chosen_model is not None:
            self._save_settings(self.workspace.settings.with_changes(chat_model=facts["path"]))
            self.chosen_model = None
        self.refresh_adapter_menu()
        fitting = {str(a.path) for a in self.workspace.adapters_for(facts["architecture"])}
        remembered = [(p, s) for p, s in self.workspace.settings.active_adapters if p in fitting]
        if remembered:  # the adapters of the last session, where they still exist
            self.requestAdapters.emit(remembered)

    def _on_model_failed(self, message: str) -> None:
        self.chosen_model = None
        self.show_error("Model not loaded", message)
        still = "the previous model stays loaded" if self.model_worker.model is not None else "no model loaded"
        self._set_model_state(f"Model: {self.model_worker.model.name if self.model_worker.model else 'none'}",
                              ready=self.model_worker.model is not None)
        self.statusBar().showMessage(f"Model not loaded ({still}): {message}", 15000)

    def refresh_adapter_menu(self) -> None:
        self.adapter_menu.clear()
        self.adapter_controls.clear()
        found, problems = self.workspace.adapters()
        if not found:
            placeholder = QAction("No adapters found", self)
            placeholder.setEnabled(False)
            self.adapter_menu.addAction(placeholder)
        for adapter in found:
            row = QWidget()
            layout = QHBoxLayout(row)
            layout.setContentsMargins(8, 2, 8, 2)
            check = QCheckBox(adapter.path.stem)
            check.setToolTip(adapter.summary() + (f"\n{adapter.description}" if adapter.description else ""))
            scale = QDoubleSpinBox(minimum=0.0, maximum=2.0, singleStep=0.1, decimals=2, value=1.0)
            scale.setPrefix("scale ")
            layout.addWidget(check, 1)
            layout.addWidget(scale)
            action = QWidgetAction(self.adapter_menu)
            action.setDefaultWidget(row)
            self.adapter_menu.addAction(action)
            self.adapter_controls[str(adapter.path)] = (check, scale)
            check.toggled.connect(self.apply_adapters)
            scale.valueChanged.connect(lambda _v, c=check: self.apply_adapters() if c.isChecked() else None)
        for path, reason in problems:
            bad = QAction(f"{path.name}: unusable", self)
            bad.setToolTip(reason)
            bad.setEnabled(False)
            self.adapter_menu.addAction(bad)
        self.adapter_menu.addSeparator()
        self._action(self.adapter_menu, "Add adapter…", self.add_adapter_dialog)

    def checked_adapters(self) -> list[tuple[str, float]]:
        return [(path, scale.value()) for path, (check, scale) in self.adapter_controls.items() if check.isChecked()]

    def apply_adapters(self) -> None:
        chosen = self.checked_adapters()
        self._save_settings(self.workspace.settings.with_changes(active_adapters=tuple(chosen)))
        self.requestAdapters.emit(chosen)

    def add_adapter_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Add a GGUF LoRA adapter", str(Path.home()), "GGUF (*.gguf)")
        if path:
            self.add_adapter(path)

    def add_adapter(self, path: str) -> None:
        import shutil

        from desktop_app.core.adapters import describe_adapter

        try:
            describe_adapter(path)
        except AppError as exc:
            self.show_error("Adapter refused", str(exc))
            return
        target = self.workspace.data.adapters / Path(path).name
        if Path(path).resolve() != target.resolve():
            shutil.copy2(path, target)
        self.refresh_adapter_menu()

    def _on_adapters_changed(self, active: list) -> None:
        active_paths = {p for p, _ in active}
        for path, (check, _scale) in self.adapter_controls.items():
            if check.isChecked() != (path in active_paths):
                check.blockSignals(True)
                check.setChecked(path in active_paths)
                check.blockSignals(False)
        text = ", ".join(f"{Path(p).stem} ×{s:g}" for p, s in active) or "none"
        self.adapter_label.setText(f"Adapters: {text}")
        self.adapter_banner.setText(f"<b>Active adapters:</b> {text}" if active else "")
        self.adapter_banner.setVisible(bool(active))

    # --- asking ------------------------------------------------------------------------------

    def send(self) -> None:
        question = self.question_edit.toPlainText().strip()
        if not question or self.answer_entry is not None:
            return
        self.question_edit.clear()
        self.ask(question)

    def ask(self, question: str) -> None:
        history = []
        for entry in self.chat_view.entries:
            if not entry.error and not entry.streaming and entry.text:
                history.append(Message(entry.role, entry.text))
        self.chat_view.add(ChatEntry("user", question))
        self.answer_entry = self.chat_view.add(ChatEntry("assistant", "", question=question, streaming=True))
        self.pending_question = question
        self.stop_button.setEnabled(True)
        self.send_button.setEnabled(False)
        settings = self.workspace.settings
        self.requestAnswer.emit(AskRequest(
            question=question, conversation_id=self.conversation_id, use_retrieval=self.use_documents.isChecked(),
            doc_ids=self.selected_doc_ids(), history=tuple(history[-8:]), top_k=settings.top_k,
            max_tokens=settings.max_answer_tokens, temperature=settings.temperature))

    def stop(self) -> None:
        self.model_worker.cancel.set()  # checked between tokens in the worker thread

    def regenerate(self) -> None:
        if self.answer_entry is not None:
            return
        questions = [e.text for e in self.chat_view.entries if e.role == "user"]
        if questions:
            self.ask(questions[-1])

    def copy_answer(self) -> None:
        answers = [e.text for e in self.chat_view.entries if e.role == "assistant" and e.text]
        if answers:
            QApplication.clipboard().setText(answers[-1])

    def _current_answer(self) -> ChatEntry | None:
        if self.answer_entry is None or self.answer_entry < 0:
            return None
        return self.chat_view.entries[self.answer_entry]

    def _on_retrieved(self, sources: list) -> None:
        entry = self._current_answer()
        if entry is not None:
            entry.sources = tuple(sources)
            self.chat_view.schedule_render()

    def _on_token(self, piece: str) -> None:
        entry = self._current_answer()
        if entry is not None:
            entry.text += piece
            self.chat_view.schedule_render()

    def _finish_answer(self) -> None:
        self.answer_entry = None
        self.pending_question = None
        self.stop_button.setEnabled(False)
        self.send_button.setEnabled(True)

    def _on_answer_finished(self, answer, conversation_id: int | None) -> None:
        entry = self._current_answer()
        if entry is not None:
            entry.text = answer.text or ("(stopped)" if answer.stats and answer.stats.cancelled else "(no answer)")
            entry.sources = answer.sources
            entry.cited = answer.cited
            entry.streaming = False
            stats = answer.stats
            if stats:
                entry.footer = (f"{answer.model}" + (f" + {', '.join(n for n, _ in answer.adapters)}" if answer.adapters else "")
                                + f" · {stats.completion_tokens} tokens · {stats.tokens_per_s:.1f} tok/s · "
                                f"first token {stats.time_to_first_token_s:.2f} s" + (" · stopped" if stats.cancelled else ""))
                self.speed_label.setText(f"{stats.tokens_per_s:.1f} tok/s, TTFT {stats.time_to_first_token_s:.2f} s")
        self.chat_view.render()
        self._finish_answer()
        self.conversation_id = conversation_id
        self.refresh_conversations()
        self.answerShown.emit(answer)

    def _on_answer_not_saved(self, message: str) -> None:
        self.show_error("Answer not saved", message)

    def _on_answer_failed(self, message: str) -> None:
        entry = self._current_answer()
        if entry is not None:
            entry.text = message
            entry.error = True
            entry.streaming = False
            self.chat_view.render()
        self._finish_answer()
        self.show_error("No answer", message)

    # --- evaluation --------------------------------------------------------------------------

    def open_evaluation(self):
        from desktop_app.ui.evaluation_page import EvaluationWindow

        if self.evaluation_window is None:
            window = EvaluationWindow(self.store, self)
            window.requestRun.connect(self.model_worker.evaluate)
            window.cancel_button.clicked.connect(self.model_worker.cancel.set)
            self.model_worker.evalProgress.connect(window.on_progress)
            self.model_worker.evalFinished.connect(window.on_finished)
            self.model_worker.evalFailed.connect(window.on_failed)
            self.evaluation_window = window
        self.evaluation_window.show()
        self.evaluation_window.raise_()
        return self.evaluation_window

    # --- compare -----------------------------------------------------------------------------

    def compare_dialog(self) -> None:
        question = self.question_edit.toPlainText().strip() or next(
            (e.text for e in reversed(self.chat_view.entries) if e.role == "user"), "")
        if not question:
            self.show_error("Nothing to compare", "Type a question first.")
            return
        self.compare(question)

    def compare(self, question: str) -> None:
        from desktop_app.ui.compare_dialog import CompareDialog

        if self.answer_entry is not None or not self.model_ready:
            return
        adapters = self.checked_adapters()
        if not adapters and self.model_worker.model is not None:
            adapters = self.workspace.default_adapters(self.model_worker.model.info.architecture)
        self.compare_window = CompareDialog(question, [Path(p).stem for p, _ in adapters], self)
        self.compare_window.show()
        self.answer_entry = -1  # busy: no other question until the comparison ends
        self.stop_button.setEnabled(True)
        self.send_button.setEnabled(False)
        self.requestCompare.emit(question, adapters)

    def _on_compared(self, configuration: str, answer) -> None:
        self.compare_window.show_answer(configuration, answer)

    def _on_comparison_finished(self) -> None:
        self._finish_answer()
        self.comparisonShown.emit(self.compare_window)

    # --- sources -----------------------------------------------------------------------------

    def open_source(self, entry_index: int, number: int) -> None:
        if not 0 <= entry_index < len(self.chat_view.entries):
            return  # a link that answer text forged, not one of ours
        entry = self.chat_view.entries[entry_index]
        source = next((s for s in entry.sources if s.number == number), None)
        if source is None:
            return
        hit = source.hit
        if self.viewer is None:
            self.viewer = SourceViewer(self)
        if not Path(hit.doc_path).exists():
            self.show_error("Source missing", f"{hit.doc_path} no longer exists.")
            return
        if hit.page is not None and hit.doc_path.lower().endswith(".pdf"):
            self.viewer.show_pdf(hit.doc_path, hit.page, hit.text)
        else:
            text = self.store.page_text(hit.doc_path, hit.section) or hit.text
            start, end = (hit.start_char, hit.end_char) if text is not hit.text else (0, len(hit.text))
            self.viewer.show_text(hit.doc_path, text, start, end, label=f" — source [{number}]")
        self.viewer.show()
        self.viewer.raise_()

    # --- conversations -----------------------------------------------------------------------

    def refresh_conversations(self) -> None:
        self.conversation_list.clear()
        for chat in conversations.list_conversations(self.store):
            item = QListWidgetItem(chat.title)
            item.setData(Qt.UserRole, chat.id)
            self.conversation_list.addItem(item)
            if chat.id == self.conversation_id:
                item.setSelected(True)

    def new_chat(self) -> None:
        if self.answer_entry is not None:
            return
        self.conversation_id = None
        self.chat_view.set_entries([])
        self.conversation_list.clearSelection()
        self.question_edit.setFocus()

    def _open_conversation_item(self, item: QListWidgetItem) -> None:
        self.open_conversation(item.data(Qt.UserRole))

    def open_conversation(self, conversation_id: int) -> None:
        if self.answer_entry is not None:
            return
        self.conversation_id = conversation_id
        entries = []
        question = ""
        for message in conversations.conversation_messages(self.store, conversation_id):
            if message.role == "user":
                question = message.content
                entries.append(ChatEntry("user", message.content))
            else:
                stats = message.stats
                footer = f"{message.model or ''}"
                if message.adapters:
                    footer += " + " + ", ".join(n for n, _ in message.adapters)
                if stats.get("tokens_per_s"):
                    footer += f" · {stats['tokens_per_s']} tok/s"
                from desktop_app.core.rag import cited_numbers

                entries.append(ChatEntry("assistant", message.content, sources=message.sources, question=question,
                                         footer=footer, cited=cited_numbers(message.content, len(message.sources))))
        self.chat_view.set_entries(entries)

    def _selected_conversation(self) -> int | None:
        item = self.conversation_list.currentItem()
        return item.data(Qt.UserRole) if item else self.conversation_id

    def rename_chat(self) -> None:
        chat_id = self._selected_conversation()
        if chat_id is None:
            return
        title, ok = QInputDialog.getText(self, "Rename chat", "Title:")
        if ok and title.strip():
            conversations.rename_conversation(self.store, chat_id, title)
            self.refresh_conversations()

    def delete_chat(self) -> None:
        chat_id = self._selected_conversation()
        if chat_id is None or self.answer_entry is not None:
            return
        conversations.delete_conversation(self.store, chat_id)
        if chat_id == self.conversation_id:
            self.new_chat()
        self.refresh_conversations()

    # --- library -----------------------------------------------------------------------------

    def refresh_library(self) -> None:
        self.library_refreshed_at = time.monotonic()
        unchecked = {self.library_table.item(r, 1).data(Qt.UserRole) for r in range(self.library_table.rowCount())
                     if self.library_table.item(r, 0).checkState() != Qt.Checked}
        documents = self.store.documents()
        self.library_table.setRowCount(len(documents))
        for row, doc in enumerate(documents):
            use = QTableWidgetItem()
            use.setFlags(Qt.ItemIsUserCheckable | Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            use.setCheckState(Qt.Unchecked if doc.path in unchecked else Qt.Checked)
            use.setData(Qt.UserRole, doc.id)
            name = QTableWidgetItem(doc.name if doc.complete else f"{doc.name} ({doc.indexed_fraction:.0%} imported)")
            name.setData(Qt.UserRole, doc.path)
            name.setToolTip(doc.path if doc.complete else f"{doc.path}\nPartly imported: what is in is searchable; "
                                                          "import it again to finish.")
            added = time.strftime("%Y-%m-%d", time.localtime(doc.added_at))
            use.setToolTip("Use this document in answers")
            cells = [use, name, QTableWidgetItem(doc.kind), QTableWidgetItem(str(doc.page_count) if doc.paged else "–"),
                     QTableWidgetItem(str(doc.chunk_count)), QTableWidgetItem(added)]
            for column, cell in enumerate(cells):
                self.library_table.setItem(row, column, cell)
        stats = self.store.stats()
        self.library_summary.setText(f"{stats['documents']} documents, {stats['chunks']} chunks")
        self._filter_library(self.library_filter.text())

    def _filter_library(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.library_table.rowCount()):
            name = self.library_table.item(row, 1)
            self.library_table.setRowHidden(row, bool(needle) and needle not in name.data(Qt.UserRole).lower())

    def library_paths(self) -> list[str]:
        return [self.library_table.item(r, 1).data(Qt.UserRole) for r in range(self.library_table.rowCount())]

    def selected_doc_ids(self) -> tuple[int, ...] | None:
        rows = range(self.library_table.rowCount())
        checked = [self.library_table.item(r, 0).data(Qt.UserRole) for r in rows
                   if self.library_table.item(r, 0).checkState() == Qt.Checked]
        return None if len(checked) == self.library_table.rowCount() else tuple(checked)

    def _selected_paths(self) -> list[str]:
        rows = sorted({index.row() for index in self.library_table.selectedIndexes()})
        return [self.library_table.item(r, 1).data(Qt.UserRole) for r in rows]

    def remove_selected(self) -> None:
        paths = self._selected_paths()
        if paths:
            self.requestRemoval.emit(paths)

    def reimport_selected(self) -> None:
        paths = self._selected_paths()
        if paths:
            self.import_paths(paths)

    def open_selected(self) -> None:
        for path in self._selected_paths():
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))

    # --- import ------------------------------------------------------------------------------

    def import_files_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Import documents", str(Path.home()),
                                                "Documents (*.pdf *.txt *.md *.markdown *.html *.htm *.csv *.rst *.json);;All files (*)")
        if paths:
            self.import_paths(paths)

    def import_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder", str(Path.home()))
        if folder:
            self.import_paths([folder])

    def import_paths(self, paths: list[str]) -> None:
        self.pending_banner.hide()
        self.requestImport.emit([str(p) for p in paths])

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def cancel_import(self) -> None:
        self.index_worker.cancel.set()
        self.import_label.setText("Cancelling after the current file (or section of a large file)…")

    def _on_import_started(self, total: int) -> None:
        self.import_started_at = time.monotonic()
        self.import_failures = []
        self.import_bar.setRange(0, max(total, 1))
        self.import_bar.setValue(0)
        self.import_label.setText(f"Importing {total} files…")
        for widget in (self.import_label, self.import_bar, self.import_cancel):
            widget.show()

    def _on_import_progress(self, progress) -> None:
        self.import_bar.setValue(progress.done)
        outcome = progress.outcome
        eta = f", about {progress.eta_s:.0f} s left" if progress.eta_s else ""
        self.import_label.setText(f"{progress.done}/{progress.total}: {Path(outcome.path).name} {outcome.status}{eta}")
        if outcome.status == "skipped":
            self.import_failures.append((outcome.path, outcome.reason))

    def _on_file_progress(self, progress) -> None:
        eta = f", about {progress.eta_s / 60:.0f} min left" if progress.eta_s and progress.eta_s > 60 else ""
        self.import_label.setText(f"{Path(progress.path).name}: {progress.fraction:.0%} read, "
                                  f"{progress.chunks} chunks{eta}")
        if time.monotonic() - self.library_refreshed_at > 5:
            self.refresh_library()

    def _on_import_finished(self, summary) -> None:
        self.refresh_library()
        for widget in (self.import_bar, self.import_cancel):
            widget.hide()
        counts = summary.counts
        state = "Import cancelled" if summary.cancelled else "Import finished"
        self.import_label.setText(f"{state}: {counts['added']} added, {counts['replaced']} replaced, "
                                  f"{counts['unchanged']} unchanged, {counts['skipped']} skipped")
        skipped = summary.of("skipped")
        if skipped:
            lines = "\n".join(f"• {Path(o.path).name}: {o.reason}" for o in skipped[:30])
            more = f"\n… and {len(skipped) - 30} more" if len(skipped) > 30 else ""
            self.show_error("Some files were not imported", lines + more)
        if summary.cancelled:
            self._offer_pending_import()
        self.importShown.emit(summary)

    def _offer_pending_import(self) -> None:
        pending = self.store.pending_imports()
        if pending:
            self.pending_label.setText(f"{len(pending)} files are left from an interrupted import.")
            self.pending_banner.show()

    def resume_pending_import(self) -> None:
        pending = self.store.pending_imports()
        if pending:
            self.import_paths(pending)

    def discard_pending_import(self) -> None:
        self.requestDiscardPending.emit()
        self.pending_banner.hide()

    # --- settings and shutdown ---------------------------------------------------------------

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.workspace.settings, str(self.workspace.data.root), self)
        if dialog.exec():
            before = self.workspace.settings
            after = dialog.settings()
            self._save_settings(after)
            if (before.n_ctx, before.n_threads, before.n_gpu_layers) != (after.n_ctx, after.n_threads, after.n_gpu_layers):
                self.requestModel.emit(str(self.model_worker.model.path) if self.model_worker.model else "")

    def closeEvent(self, event) -> None:
        self.model_worker.cancel.set()
        self.index_worker.cancel.set()
        for thread in (self.model_thread, self.index_thread):
            thread.quit()
            thread.wait()
        self.model_worker.shutdown()
        self.index_worker.shutdown()
        for window in (self.viewer, self.evaluation_window, self.compare_window):
            if window is not None:
                window.close()
                QCoreApplication.removePostedEvents(window)
        QCoreApplication.removePostedEvents(self)  # results the workers sent while we were closing
        self.store.close()
        super().closeEvent(event)
