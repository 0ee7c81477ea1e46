"""The conversation view: messages rendered from Markdown, numbered sources as clickable links."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QGuiApplication, QTextDocument
from PySide6.QtWidgets import QTextBrowser

from desktop_app.core.extract import HEADING_SEPARATOR, location_unit
from desktop_app.core.grounding import GUARD_NOTES
from desktop_app.core.terms import QUERY_STOPWORDS
from desktop_app.ui.i18n import tr, translatable

_WORD = re.compile(r"\w{2,}", re.UNICODE)


_RELEVANCE_BARS = {"High": "▮▮▮", "Medium": "▮▮▯", "Low": "▮▯▯"}
_RELEVANCE_WORDS = {"High": translatable("High relevance"), "Medium": translatable("Medium relevance"),
                    "Low": translatable("Low relevance")}
_RELEVANCE_COLOURS = {"High": "#2e8b57", "Medium": "#b8860b", "Low": "gray"}
_LOCATIONS = {"page": translatable(", p. {page}"), "slide": translatable(", slide {page}"),
              "sheet": translatable(", sheet {page}"), "chapter": translatable(", chapter {page}")}
_SOURCE_LINK = re.compile(r"source:(\d+):(\d+)")
_ASK_WITHOUT_DOCUMENTS = re.compile(r"ask-without-documents:(\d+)")


@dataclass
class ChatEntry:
    role: str  # "user" or "assistant"
    text: str
    sources: tuple = ()  # core.rag.Source
    question: str = ""
    footer: str = ""
    streaming: bool = False
    error: bool = False
    cited: tuple[int, ...] = field(default=())
    unsupported: tuple[int, ...] = ()  # cited sources that do not hold their sentence
    guard: str | None = None  # core.rag.Answer.guard
    withheld: str | None = None  # the model's draft, when the app replaced it
    citations_placed: int = 0
    searched_as: str | None = None  # the question in the library's other language, searched too


def highlight_snippet(text: str, query: str, *, limit: int = 220) -> str:
    """HTML of the chunk's start, the words it shares with the query in bold."""
    snippet = " ".join(text.split())
    if len(snippet) > limit:
        snippet = snippet[:limit].rsplit(" ", 1)[0] + " …"
    words = {w.lower() for w in _WORD.findall(query) if w.lower() not in QUERY_STOPWORDS}
    escaped = html.escape(snippet)
    if not words:
        return escaped
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")",
                         re.IGNORECASE)
    return pattern.sub(r"<b style='background-color: rgba(255, 210, 0, 0.35)'>\1</b>", escaped)


def location_text(hit) -> str:
    """", p. 3" (or ", slide 3", ", sheet 2") for a hit in a paged document, then " › Heading › Subheading"
    where the text has headings; "" when neither."""
    page = tr(_LOCATIONS[location_unit(hit.doc_path)], page=hit.page) if hit.page is not None else ""
    return page + (HEADING_SEPARATOR + hit.heading if hit.heading else "")


def markdown_to_html(text: str) -> str:
    document = QTextDocument()
    document.setMarkdown(text)
    body = document.toHtml()
    match = re.search(r"<body[^>]*>(.*)</body>", body, re.S)
    return match.group(1) if match else html.escape(text)


class ChatView(QTextBrowser):
    """Shows ``entries``; a click on a source emits ``sourceClicked(entry_index, source_number)``."""

    sourceClicked = Signal(int, int)
    askWithoutDocuments = Signal(str)  # the question of an answer that found nothing in the documents

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        self.highlighted.connect(self._on_hover)
        self.entries: list[ChatEntry] = []
        self._markdown_cache: dict[str, str] = {}  # finished answers are converted once
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(40)  # streaming: at most 25 redraws a second
        self._render_timer.timeout.connect(self.render)
        self.setPlaceholderText(tr("Drop documents on the window, then ask a question about them."))
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_color_scheme_changed)

    def set_entries(self, entries: list[ChatEntry]) -> None:
        self.entries = entries
        self.render()

    def add(self, entry: ChatEntry) -> int:
        self.entries.append(entry)
        self.render()
        return len(self.entries) - 1

    def schedule_render(self) -> None:
        if not self._render_timer.isActive():
            self._render_timer.start()

    def render(self) -> None:
        parts = []
        for index, entry in enumerate(self.entries):
            parts.append(self._entry_html(index, entry))
        at_bottom = self.verticalScrollBar().value() >= self.verticalScrollBar().maximum() - 4
        self.setHtml("".join(parts))
        if at_bottom:
            self.verticalScrollBar().setValue(self.verticalScrollBar().maximum())

    def _entry_html(self, index: int, entry: ChatEntry) -> str:
        if entry.role == "user":
            return (f"<div style='margin: 10px 0 4px 0;'><b>{tr('You')}</b><br>"
                    f"{html.escape(entry.text).replace(chr(10), '<br>')}</div>")
        if not entry.text:
            body = "<i>…</i>"
        elif entry.streaming:
            body = markdown_to_html(entry.text)
        else:
            body = self._markdown_cache.get(entry.text)
            if body is None:
                body = self._markdown_cache[entry.text] = markdown_to_html(entry.text)
        if entry.error:
            body = f"<span style='color:#c0392b'>{html.escape(entry.text)}</span>"
        writing = f" <i>{tr('(writing…)')}</i>" if entry.streaming else ""
        out = [f"<div style='margin: 4px 0 4px 0;'><b>{tr('Assistant')}</b>{writing}{body}</div>"]
        if entry.searched_as and not entry.streaming:
            out.append("<div style='color:gray; font-size:small; margin-left: 8px;'>" + html.escape(tr(
                "Also searched as: {question}", question=entry.searched_as)) + "</div>")
        if entry.citations_placed and not entry.streaming:
            out.append("<div style='color:gray; font-size:small; margin-left: 8px;'>" + tr(
                "{count} citation(s) placed by the app where the sources hold the sentence",
                count=entry.citations_placed) + "</div>")
        if entry.guard and not entry.streaming:
            out.append(f"<div style='color:gray; margin-left: 8px;'>{html.escape(tr(GUARD_NOTES[entry.guard]))}")
            if entry.guard == "no-match":
                out.append(f" <a href='ask-without-documents:{index}'>{tr('Ask without documents')}</a>")
            if entry.withheld:
                replaced = entry.guard in ("quoted", "found", "second-look")
                label = tr("The model's draft:") if replaced else tr("Withheld draft:")
                out.append(f"<br><i>{label}</i> {html.escape(entry.withheld[:400])}")
            out.append("</div>")
        if entry.sources:
            out.append("<table cellspacing='2' style='margin-left: 8px;'>")
            for source in entry.sources:
                hit = source.hit
                page = location_text(hit)
                relevance = (f"<span style='color:{_RELEVANCE_COLOURS[hit.relevance]}'>"
                             f"{_RELEVANCE_BARS[hit.relevance]} {tr(_RELEVANCE_WORDS[hit.relevance])}</span>"
                             if hit.relevance else "")
                cited = " ✓" if source.number in entry.cited else ""
                warning = ""
                if source.number in entry.unsupported:
                    cited = " ⚠"
                    warning = ("<br><span style='color:#c0392b'>⚠ "
                               + tr("Cited, but this source does not hold what the answer says here.") + "</span>")
                out.append(
                    f"<tr><td valign='top'><a href='source:{index}:{source.number}'>[{source.number}]{cited}</a></td>"
                    f"<td><a href='source:{index}:{source.number}'>{html.escape(hit.doc_name)}{page}</a> "
                    f"{relevance}{warning}<br>"
                    f"<span style='color:gray'>{highlight_snippet(hit.text, entry.question)}</span></td></tr>")
            out.append("</table>")
        if entry.footer:
            out.append(f"<div style='color:gray; font-size:small; margin-left: 8px;'>{html.escape(entry.footer)}</div>")
        return "".join(out)

    def _on_anchor(self, url: QUrl) -> None:
        # Only the app's own source links act; any other link (from an answer or a document) is inert.
        match = _SOURCE_LINK.fullmatch(url.toString())
        if match:
            self.sourceClicked.emit(int(match[1]), int(match[2]))
        elif (match := _ASK_WITHOUT_DOCUMENTS.fullmatch(url.toString())) and int(match[1]) < len(self.entries):
            self.askWithoutDocuments.emit(self.entries[int(match[1])].question)

    def source_at_index(self, entry_index: int, number: int):
        """Source ``number`` of entry ``entry_index``; None if there is no such source."""
        if not 0 <= entry_index < len(self.entries):
            return None
        return next((s for s in self.entries[entry_index].sources if s.number == number), None)

    def source_at(self, url: QUrl):
        """The source a ``source:entry:number`` link points at; None for any other link."""
        match = _SOURCE_LINK.fullmatch(url.toString())
        return self.source_at_index(int(match[1]), int(match[2])) if match else None

    def _on_hover(self, url: QUrl) -> None:
        source = self.source_at(url)
        hit = source.hit if source is not None else None
        self.setToolTip("" if hit is None else
                        hit.doc_path + "\n" + tr("fused score {score}; vector search rank {vector}, keyword search rank {keyword}",
                                                  score=f"{hit.score:.4f}", vector=hit.vector_rank or "–",
                                                  keyword=hit.keyword_rank or "–"))

    def _on_color_scheme_changed(self, _scheme) -> None:
        self.render()  # the system switched between light and dark: redraw with the new palette
