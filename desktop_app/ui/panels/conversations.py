"""The Chats tab: saved conversations, newest first, with New, Rename and Delete."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from desktop_app.ui.i18n import tr


class ConversationsPanel(QWidget):
    newRequested = Signal()
    openRequested = Signal(int)
    renameRequested = Signal(int, str)
    deleteRequested = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.current_id: int | None = None
        self.list = QListWidget()
        self.list.setAccessibleName(tr("Conversations"))
        self.list.itemActivated.connect(self._open_item)  # Enter on the keyboard, double-click
        self.list.itemClicked.connect(self._open_item)
        row = QHBoxLayout()
        for label, slot in ((tr("&New"), self.newRequested.emit), (tr("Rena&me"), self._rename), (tr("&Delete"), self._delete)):
            button = QPushButton(label)
            button.clicked.connect(slot)
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(row)

    def show_conversations(self, conversations, current_id: int | None) -> None:
        """``conversations``: the store's ``Conversation``s, newest first."""
        self.current_id = current_id
        self.list.clear()
        for chat in conversations:
            item = QListWidgetItem(chat.title)
            item.setData(Qt.UserRole, chat.id)
            self.list.addItem(item)
            if chat.id == current_id:
                item.setSelected(True)

    def count(self) -> int:
        return self.list.count()

    def _open_item(self, item: QListWidgetItem) -> None:
        self.openRequested.emit(item.data(Qt.UserRole))

    def _selected(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.UserRole) if item else self.current_id

    def _rename(self) -> None:
        chat_id = self._selected()
        if chat_id is None:
            return
        title, ok = QInputDialog.getText(self, tr("Rename chat"), tr("Title:"))
        if ok and title.strip():
            self.renameRequested.emit(chat_id, title)

    def _delete(self) -> None:
        chat_id = self._selected()
        if chat_id is not None:
            self.deleteRequested.emit(chat_id)
