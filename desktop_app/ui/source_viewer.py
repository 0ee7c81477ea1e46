"""Opens a source at its place: PDFs in QtPdf at the page with the passage highlighted; text
files scrolled to the chunk, highlighted."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QTextEdit, QVBoxLayout

from desktop_app.ui.i18n import tr


def qt_position(text: str, index: int) -> int:
    """A Python string index as a QTextDocument position (Qt counts UTF-16 code units)."""
    index = max(0, min(index, len(text)))
    return len(text[:index].encode("utf-16-le")) // 2


def passage_for_search(text: str, *, words: int = 6) -> str:
    """A short run of the chunk's first words: QtPdf's search matches within a line of the page."""
    return " ".join(text.split()[:words])


class SourceViewer(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Source"))
        self.resize(820, 900)
        self.header = QLabel()
        self.header.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.pdf_document = QPdfDocument(self)
        self.pdf_view = QPdfView(self)
        self.pdf_view.setDocument(self.pdf_document)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.search = QPdfSearchModel(self)
        self.search.setDocument(self.pdf_document)
        self.pdf_view.setSearchModel(self.search)
        self.search.countChanged.connect(self._select_result_on_page)  # QtPdf searches incrementally
        self.text_view = QPlainTextEdit(self)
        self.text_view.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.pdf_view, 1)
        layout.addWidget(self.text_view, 1)
        self.current_page: int | None = None
        self.highlighted_result: int | None = None
        self.highlighted: tuple[int, int] | None = None

    def show_source(self, source, page_text: str | None) -> None:
        """Open a ``core.rag.Source``: a PDF at its page, a text file scrolled to the chunk; highlighted."""
        hit = source.hit
        if hit.page is not None and hit.doc_path.lower().endswith(".pdf"):
            self.show_pdf(hit.doc_path, hit.page, hit.text)
        elif page_text:
            self.show_text(hit.doc_path, page_text, hit.start_char, hit.end_char, label=" — " + tr("source [{number}]", number=source.number))
        else:  # the document's text is no longer in the library: the chunk as the answer saw it
            self.show_text(hit.doc_path, hit.text, 0, len(hit.text), label=" — " + tr("source [{number}]", number=source.number))
        self.show()
        self.raise_()

    def show_pdf(self, path: str, page: int, passage: str) -> None:
        self.text_view.hide()
        self.pdf_view.show()
        self.pdf_document.load(path)
        if self.pdf_document.status() != QPdfDocument.Status.Ready:
            self.header.setText(tr("Cannot open {path}: {error}", path=path, error=self.pdf_document.error().name))
            return
        self.current_page = page
        self.header.setText(tr("{name} — page {page} of {pages}", name=Path(path).name, page=page,
                                 pages=self.pdf_document.pageCount()))
        self.pdf_view.pageNavigator().jump(page - 1, QPointF(0, 0), 0)
        self.highlighted_result = None
        self.search.setSearchString(passage_for_search(passage))
        self._select_result_on_page()
        self.setWindowTitle(tr("{name}, page {page}", name=Path(path).name, page=page))

    def _select_result_on_page(self) -> None:
        if self.current_page is None or self.highlighted_result is not None:
            return
        for index in range(self.search.count()):
            if self.search.resultAtIndex(index).page() == self.current_page - 1:
                self.pdf_view.setCurrentSearchResultIndex(index)
                self.highlighted_result = index
                return

    def show_text(self, path: str, text: str, start: int, end: int, *, label: str = "") -> None:
        self.pdf_view.hide()
        self.text_view.show()
        self.text_view.setPlainText(text)
        selection = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(255, 210, 0, 110))
        selection.format = fmt
        cursor = QTextCursor(self.text_view.document())
        cursor.setPosition(qt_position(text, start))
        cursor.setPosition(qt_position(text, end), QTextCursor.KeepAnchor)
        selection.cursor = cursor
        self.text_view.setExtraSelections([selection])
        placed = QTextCursor(self.text_view.document())
        placed.setPosition(qt_position(text, start))
        self.text_view.setTextCursor(placed)
        self.text_view.centerCursor()
        self.highlighted = (start, end)
        self.header.setText(f"{Path(path).name}{label}")
        self.setWindowTitle(Path(path).name)
