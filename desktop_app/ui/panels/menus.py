"""The menu bar: File, Chat, Tools, the Model menu (bundled models, other GGUFs, Open model
file…) and the Adapters menu (a checkbox and a scale per adapter, applied live)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QFileDialog, QHBoxLayout, QMenu, QWidget, QWidgetAction

from desktop_app.core.models import BUNDLED_CHAT_MODELS
from desktop_app.ui.export_dialog import export_dialog
from desktop_app.ui.i18n import tr


class ModelMenu(QMenu):
    modelChosen = Signal(str)  # a bundled model's key or a GGUF path

    def __init__(self, parent=None):
        super().__init__(tr("&Model"), parent)

    def show_models(self, models_folder: Path) -> None:
        self.clear()
        for bundled in BUNDLED_CHAT_MODELS:
            self.addAction(tr(bundled.description)).triggered.connect(
                lambda _=False, key=bundled.key: self.modelChosen.emit(key))
        bundled_files = {m.file_name for m in BUNDLED_CHAT_MODELS}
        others = [p for p in sorted(models_folder.glob("*.gguf")) if p.name not in bundled_files]
        if others:
            self.addSeparator()
            for path in others:
                self.addAction(path.name).triggered.connect(lambda _=False, p=str(path): self.modelChosen.emit(p))
        self.addSeparator()
        self.addAction(tr("&Open model file…")).triggered.connect(self._open_file)

    def _open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Open a GGUF model"), str(Path.home()), tr("GGUF models (*.gguf)"))
        if path:
            self.modelChosen.emit(path)


class AdapterMenu(QMenu):
    adaptersChosen = Signal(list)  # [(path, scale)] to apply, in menu order
    addRequested = Signal(str)  # an adapter file to copy into the data folder

    def __init__(self, parent=None):
        super().__init__(tr("&Adapters"), parent)
        self.controls: dict[str, tuple[QCheckBox, QDoubleSpinBox]] = {}

    def show_adapters(self, found, problems) -> None:
        """``found``: ``core.adapters.AdapterInfo``s; ``problems``: (path, reason) of unusable files."""
        self.clear()
        self.controls.clear()
        if not found:
            self.addAction(tr("No adapters found")).setEnabled(False)
        for adapter in found:
            row = QWidget()
            layout = QHBoxLayout(row)
            layout.setContentsMargins(8, 2, 8, 2)
            check = QCheckBox(adapter.path.stem)
            check.setToolTip(adapter.summary() + (f"\n{adapter.description}" if adapter.description else ""))
            check.setAccessibleName(tr("Adapter {name}", name=adapter.path.stem))
            scale = QDoubleSpinBox(minimum=0.0, maximum=2.0, singleStep=0.1, decimals=2, value=1.0)
            scale.setPrefix(tr("scale "))
            scale.setAccessibleName(tr("Scale of adapter {name}", name=adapter.path.stem))
            layout.addWidget(check, 1)
            layout.addWidget(scale)
            action = QWidgetAction(self)
            action.setDefaultWidget(row)
            self.addAction(action)
            self.controls[str(adapter.path)] = (check, scale)
            check.toggled.connect(self._chosen)
            scale.valueChanged.connect(lambda _v, c=check: self._chosen() if c.isChecked() else None)
        for path, reason in problems:
            bad = self.addAction(tr("{name}: unusable", name=path.name))
            bad.setToolTip(reason)
            bad.setEnabled(False)
        self.addSeparator()
        self.addAction(tr("Add adapter…")).triggered.connect(self._add_file)

    def checked(self) -> list[tuple[str, float]]:
        return [(path, scale.value()) for path, (check, scale) in self.controls.items() if check.isChecked()]

    def _chosen(self) -> None:
        self.adaptersChosen.emit(self.checked())

    def show_active(self, active: list) -> None:
        """Tick exactly the adapters the model has (a refused one is unticked), without re-applying."""
        active_paths = {p for p, _ in active}
        for path, (check, _scale) in self.controls.items():
            if check.isChecked() != (path in active_paths):
                check.blockSignals(True)
                check.setChecked(path in active_paths)
                check.blockSignals(False)

    def _add_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Add a GGUF LoRA adapter"), str(Path.home()), "GGUF (*.gguf)")
        if path:
            self.addRequested.emit(path)


def build_menu_bar(window) -> None:
    """File, Chat, Tools, Model and Adapters, every action with a shortcut or a mnemonic."""
    menus = window.menuBar()
    file_menu = menus.addMenu(tr("&File"))
    file_menu.addAction(tr("&Import files…"), QKeySequence("Ctrl+O"), window.import_files_dialog)
    file_menu.addAction(tr("Import &folder…"), QKeySequence("Ctrl+Shift+O"), window.import_folder_dialog)
    file_menu.addAction(tr("&Export conversation…"), QKeySequence("Ctrl+Shift+E"), lambda: export_dialog(window))
    file_menu.addSeparator()
    file_menu.addAction(tr("&Settings…"), QKeySequence("Ctrl+,"), window.open_settings)
    file_menu.addSeparator()
    file_menu.addAction(tr("&Quit"), QKeySequence.Quit, window.close)
    chat_menu = menus.addMenu(tr("&Chat"))
    chat_menu.addAction(tr("&New chat"), QKeySequence("Ctrl+N"), window.new_chat)
    chat_menu.addAction(tr("&Ask"), QKeySequence("Ctrl+L"), window.focus_question)
    chat_menu.addAction(tr("&Stop"), QKeySequence(Qt.Key_Escape), window.controller.stop_answer)
    chat_menu.addAction(tr("&Regenerate"), QKeySequence("Ctrl+R"), window.chat.regenerate)
    chat_menu.addAction(tr("&Copy answer"), QKeySequence("Ctrl+Shift+C"), window.chat.copy_answer)
    chat_menu.addSeparator()
    chat_menu.addAction(tr("Co&mpare RAG and LoRA…"), QKeySequence("Ctrl+M"), window.compare_dialog)
    chat_menu.addAction(tr("C&onversations"), QKeySequence("Ctrl+1"), lambda: window.focus_tab(window.conversations))
    chat_menu.addAction(tr("&Library"), QKeySequence("Ctrl+2"), lambda: window.focus_tab(window.library))
    tools_menu = menus.addMenu(tr("&Tools"))
    tools_menu.addAction(tr("&Evaluation…"), QKeySequence("Ctrl+E"), window.open_evaluation)
    tools_menu.addAction(window.api_server.action)
    menus.addMenu(window.model_menu)
    menus.addMenu(window.adapter_menu)
    window.model_menu.show_models(window.workspace.data.models)
    window.adapter_menu.show_adapters(*window.workspace.adapters())
