"""Settings: model runtime, retrieval and chunking. Persisted in the data folder's settings.json."""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog, QFormLayout,
                               QLabel, QLineEdit, QSpinBox)

from desktop_app.core.settings import Settings
from desktop_app.ui.i18n import LANGUAGES, tr


OTHER_FOLDER = "other"


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, data_dir: str, parent=None, *,
                 embedders: list[tuple[str, str]] = (), embedder: str = ""):
        """``embedders``: (bundled name or folder, description); ``embedder``: the one chosen now."""
        super().__init__(parent)
        self.setWindowTitle(tr("Settings"))
        self._original = settings
        form = QFormLayout(self)
        self.embedder = QComboBox()
        for name, description in embedders:
            self.embedder.addItem(tr(description) if "/" not in name else f"{name} ({tr(description)})", name)
        self.embedder.addItem(tr("Another sentence-transformers folder…"), OTHER_FOLDER)
        self.embedder.setCurrentIndex(max(0, self.embedder.findData(embedder)))
        self._chosen_embedder = embedder
        self.embedder.activated.connect(self._embedder_activated)
        form.addRow(tr("Embedder"), self.embedder)
        form.addRow(QLabel("<small>" + tr("Choosing another embedder re-indexes the library in the background; "
                                          "answers use the current index until the new one is complete.") + "</small>",
                           wordWrap=True))
        self.language = QComboBox()
        self.language.addItem(tr("As the system"), "")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        form.addRow(tr("Window language (from the next start)"), self.language)
        self.model_server = QLineEdit(settings.model_server, placeholderText="http://127.0.0.1:8080/v1")
        form.addRow(tr("Model server (OpenAI-compatible; empty: the local model)"), self.model_server)
        self.store = QLineEdit(settings.store, placeholderText="postgresql://user@host/library")
        form.addRow(tr("Shared library on PostgreSQL (from the next start; empty: this computer's file)"), self.store)
        self.n_ctx = QSpinBox(minimum=512, maximum=131072, singleStep=512, value=settings.n_ctx)
        self.threads = QSpinBox(minimum=1, maximum=256, value=settings.n_threads)
        self.gpu_layers = QSpinBox(minimum=0, maximum=999, value=settings.n_gpu_layers)
        self.temperature = QDoubleSpinBox(minimum=0.0, maximum=2.0, singleStep=0.1, decimals=2,
                                          value=settings.temperature)
        self.max_tokens = QSpinBox(minimum=16, maximum=8192, singleStep=64, value=settings.max_answer_tokens)
        self.top_k = QSpinBox(minimum=1, maximum=50, value=settings.top_k)
        self.rerank = QCheckBox(tr("Let the chat model judge the first 10 search results before the sources are kept "
                                   "(slower: the model reads each of them first)"), checked=settings.rerank)
        self.chunk_tokens = QSpinBox(minimum=32, maximum=2048, singleStep=16, value=settings.chunk_tokens)
        self.chunk_overlap = QSpinBox(minimum=0, maximum=512, singleStep=8, value=settings.chunk_overlap)
        self.ocr = QCheckBox(tr("Read scans and images by OCR (about 3 s a page; English, Chinese, Japanese; not Korean)"),
                             checked=settings.ocr)
        self.data_dir = QLineEdit(data_dir, readOnly=True)
        form.addRow(tr("Context size (tokens)"), self.n_ctx)
        form.addRow(tr("CPU threads"), self.threads)
        form.addRow(tr("GPU layers (0 = CPU only)"), self.gpu_layers)
        form.addRow(tr("Temperature"), self.temperature)
        form.addRow(tr("Longest answer (tokens)"), self.max_tokens)
        form.addRow(tr("Sources per answer (top-k)"), self.top_k)
        form.addRow(tr("Reranking"), self.rerank)
        form.addRow(tr("Chunk size (tokens)"), self.chunk_tokens)
        form.addRow(tr("Chunk overlap (tokens)"), self.chunk_overlap)
        form.addRow(QLabel("<small>" + tr("Chunk settings apply to documents imported from now on: re-import the "
                                          "library to re-index existing documents. The chunk size is capped at the "
                                          "embedder's limit.") + "</small>", wordWrap=True))
        form.addRow(tr("Import"), self.ocr)
        form.addRow(tr("Data folder"), self.data_dir)
        form.addRow(QLabel("<small>" + tr("To use another data folder, start the app with <code>--data-dir</code> "
                                          "or set <code>DESKTOP_APP_DATA_DIR</code>.") + "</small>", wordWrap=True))
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _embedder_activated(self, _index: int) -> None:
        if self.embedder.currentData() != OTHER_FOLDER:
            self._chosen_embedder = self.embedder.currentData()
            return
        folder = QFileDialog.getExistingDirectory(self, tr("A sentence-transformers model folder"))
        if folder:
            self.embedder.insertItem(self.embedder.count() - 1, folder, folder)
            self.embedder.setCurrentIndex(self.embedder.count() - 2)
            self._chosen_embedder = folder
        else:
            self.embedder.setCurrentIndex(max(0, self.embedder.findData(self._chosen_embedder)))

    def settings(self) -> Settings:
        return self._original.with_changes(
            embedder=self._chosen_embedder or self._original.embedder, language=self.language.currentData(),
            n_ctx=self.n_ctx.value(), n_threads=self.threads.value(), n_gpu_layers=self.gpu_layers.value(),
            temperature=self.temperature.value(), max_answer_tokens=self.max_tokens.value(),
            top_k=self.top_k.value(), rerank=self.rerank.isChecked(), chunk_tokens=self.chunk_tokens.value(),
            chunk_overlap=self.chunk_overlap.value(), ocr=self.ocr.isChecked(),
            model_server=self.model_server.text().strip(), store=self.store.text().strip())
