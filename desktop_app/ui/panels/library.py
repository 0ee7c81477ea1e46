"""The Library tab: the imported documents, a filter, which of them the chat may use, and the
watched folders kept in sync with the library."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from desktop_app.ui.i18n import tr

_USE, _NAME = 0, 1


class LibraryPanel(QWidget):
    removeRequested = Signal(list)  # paths
    reimportRequested = Signal(list)  # paths
    summarizeRequested = Signal(str)  # a document to summarize as a whole
    watchRequested = Signal(str)  # a folder to keep in sync
    unwatchRequested = Signal(str)
    pauseRequested = Signal(str, bool)  # folder, paused

    def __init__(self, parent=None):
        super().__init__(parent)
        self.refreshed_at = 0.0
        self.filter = QLineEdit(placeholderText=tr("Filter documents…"))
        self.filter.setAccessibleName(tr("Filter documents"))
        self.filter.textChanged.connect(self._apply_filter)
        self.table = QTableWidget(0, 6)
        self.table.setAccessibleName(tr("Imported documents"))
        self.table.setHorizontalHeaderLabels([tr("Use"), tr("Name"), tr("Type"), tr("Pages"), tr("Chunks"), tr("Added")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(_NAME, QHeaderView.Stretch)
        self.table.verticalHeader().hide()
        self.table.setContextMenuPolicy(Qt.ActionsContextMenu)
        summarize = QAction(tr("&Summarize"), self.table)
        summarize.triggered.connect(self._summarize_selected)
        self.table.addAction(summarize)
        buttons = QHBoxLayout()
        for label, slot in ((tr("&Remove"), self._remove_selected), (tr("Re-&import"), self._reimport_selected),
                            (tr("&Open file"), self._open_selected)):
            button = QPushButton(label)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.summary = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self._watched_box())

    def _watched_box(self) -> QGroupBox:
        box = QGroupBox(tr("Watched folders"))
        box.setToolTip(tr("New, changed, moved and deleted files in these folders reach the library on their own, "
                          "also those changed while the app was closed."))
        self.watched = QListWidget()
        self.watched.setAccessibleName(tr("Watched folders"))
        self.watched.setMaximumHeight(110)
        self.watched.currentItemChanged.connect(self._update_pause_label)
        row = QHBoxLayout()
        self.watch_button = QPushButton(tr("&Watch a folder…"))
        self.watch_button.clicked.connect(self._choose_folder)
        self.pause_button = QPushButton(tr("&Pause"))
        self.pause_button.clicked.connect(self._toggle_pause)
        self.unwatch_button = QPushButton(tr("S&top watching"))
        self.unwatch_button.clicked.connect(self._unwatch)
        for button in (self.watch_button, self.pause_button, self.unwatch_button):
            row.addWidget(button)
        inner = QVBoxLayout(box)
        inner.addWidget(self.watched)
        inner.addLayout(row)
        return box

    def show_watched(self, folders, problems: dict[str, str]) -> None:
        """``folders``: the store's ``WatchedFolder``s; ``problems``: folder -> why it is not watched."""
        current = self.watched.currentItem().data(Qt.UserRole) if self.watched.currentItem() else None
        self.watched.clear()
        for folder in folders:
            if folder.paused:
                state = tr("paused")
            elif folder.path in problems:
                state = tr("not watched: {reason}", reason=problems[folder.path])
            else:
                state = tr("watched")
            synced = (tr("synced {time}: {result}", time=time.strftime("%H:%M", time.localtime(folder.synced_at)),
                         result=sync_text(folder.last_result)) if folder.synced_at else tr("not synced yet"))
            item = QListWidgetItem(f"{folder.path}  —  {state} · {synced}")
            item.setData(Qt.UserRole, folder.path)
            item.setData(Qt.UserRole + 1, folder.paused)
            self.watched.addItem(item)
            if folder.path == current:
                self.watched.setCurrentItem(item)
        if self.watched.currentItem() is None and self.watched.count():
            self.watched.setCurrentRow(0)
        self._update_pause_label()

    def _update_pause_label(self, *_args) -> None:
        item = self.watched.currentItem()
        self.pause_button.setText(tr("Res&ume") if item is not None and item.data(Qt.UserRole + 1) else tr("&Pause"))
        self.pause_button.setEnabled(item is not None)
        self.unwatch_button.setEnabled(item is not None)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Watch a folder"))
        if folder:
            self.watchRequested.emit(folder)

    def _toggle_pause(self) -> None:
        if item := self.watched.currentItem():
            self.pauseRequested.emit(item.data(Qt.UserRole), not item.data(Qt.UserRole + 1))

    def _unwatch(self) -> None:
        if item := self.watched.currentItem():
            self.unwatchRequested.emit(item.data(Qt.UserRole))

    def show_documents(self, documents, stats: dict[str, int]) -> None:
        """``documents``: the store's ``DocumentRecord``s; a document unchecked before stays unchecked."""
        self.refreshed_at = time.monotonic()
        unchecked = {self.table.item(r, _NAME).data(Qt.UserRole) for r in range(self.table.rowCount())
                     if self.table.item(r, _USE).checkState() != Qt.Checked}
        self.table.setRowCount(len(documents))
        for row, doc in enumerate(documents):
            use = QTableWidgetItem()
            use.setFlags(Qt.ItemIsUserCheckable | Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            use.setCheckState(Qt.Unchecked if doc.path in unchecked else Qt.Checked)
            use.setData(Qt.UserRole, doc.id)
            use.setToolTip(tr("Use this document in answers"))
            name = QTableWidgetItem(doc.name if doc.complete else tr("{name} ({percent} imported)", name=doc.name, percent=f"{doc.indexed_fraction:.0%}"))
            name.setData(Qt.UserRole, doc.path)
            name.setToolTip(doc.path if doc.complete else doc.path + "\n" + tr(
                "Partly imported: what is in is searchable; import it again to finish."))
            added = time.strftime("%Y-%m-%d", time.localtime(doc.added_at))
            cells = [use, name, QTableWidgetItem(doc.kind.replace("+ocr", " (OCR)")), QTableWidgetItem(str(doc.page_count) if doc.paged else "–"),
                     QTableWidgetItem(str(doc.chunk_count)), QTableWidgetItem(added)]
            for column, cell in enumerate(cells):
                self.table.setItem(row, column, cell)
        self.summary.setText(tr("{documents} documents, {chunks} chunks", **stats))
        self._apply_filter(self.filter.text())

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.table.rowCount()):
            path = self.table.item(row, _NAME).data(Qt.UserRole)
            self.table.setRowHidden(row, bool(needle) and needle not in path.lower())

    def paths(self) -> list[str]:
        return [self.table.item(r, _NAME).data(Qt.UserRole) for r in range(self.table.rowCount())]

    def display_name(self, path: str) -> str:
        return self.table.item(self.paths().index(path), _NAME).text()

    def chosen_doc_ids(self) -> tuple[int, ...] | None:
        """The documents checked for use; None when all are (the whole library)."""
        rows = range(self.table.rowCount())
        checked = [self.table.item(r, _USE).data(Qt.UserRole) for r in rows
                   if self.table.item(r, _USE).checkState() == Qt.Checked]
        return None if len(checked) == self.table.rowCount() else tuple(checked)

    def _selected_paths(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        return [self.table.item(r, _NAME).data(Qt.UserRole) for r in rows]

    def _remove_selected(self) -> None:
        if paths := self._selected_paths():
            self.removeRequested.emit(paths)

    def _reimport_selected(self) -> None:
        if paths := self._selected_paths():
            self.reimportRequested.emit(paths)

    def _summarize_selected(self) -> None:
        if paths := self._selected_paths():
            self.summarizeRequested.emit(paths[0])

    def _open_selected(self) -> None:
        for path in self._selected_paths():
            QDesktopServices.openUrl(QUrl.fromLocalFile(path))


def sync_text(counts: dict[str, int]) -> str:
    """What a folder sync did (``core.folder_sync.SyncResult.counts``), in the window's language."""
    if counts.get("missing"):
        return tr("folder not found (unplugged or moved?): its documents are kept")
    text = tr("{added} added, {updated} updated, {moved} moved, {removed} removed, {unchanged} unchanged",
              **{kind: counts.get(kind, 0) for kind in ("added", "updated", "moved", "removed", "unchanged")})
    if counts.get("failed"):
        text += tr(", {count} could not be read", count=counts["failed"])
    return text
