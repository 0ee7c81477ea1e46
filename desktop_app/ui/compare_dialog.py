"""RAG vs LoRA side by side: the same question answered base / +RAG / +adapter / +RAG+adapter."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QTextBrowser

from desktop_app.ui.chat_view import location_text, markdown_to_html
from desktop_app.ui.i18n import tr

CONFIGURATIONS = ("base", "+RAG", "+adapter", "+RAG+adapter")


class CompareDialog(QDialog):
    def __init__(self, question: str, adapter_names: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Compare: RAG and LoRA"))
        self.resize(1300, 700)
        layout = QGridLayout(self)
        adapters = ", ".join(adapter_names) or tr("no adapter fits the loaded model")
        layout.addWidget(QLabel(f"<b>{tr('Question:')}</b> {html.escape(question)}<br><b>{tr('Adapter:')}</b> {html.escape(adapters)}"),
                         0, 0, 1, 4)
        self.panels: dict[str, QTextBrowser] = {}
        for column, name in enumerate(CONFIGURATIONS):
            layout.addWidget(QLabel(f"<b>{name}</b>"), 1, column)
            panel = QTextBrowser()
            panel.setHtml(f"<i>{tr('waiting…')}</i>" if name in ("base", "+RAG") or adapter_names
                          else f"<i>{tr('no adapter')}</i>")
            layout.addWidget(panel, 2, column)
            self.panels[name] = panel
        self.answers: dict[str, object] = {}

    def show_answer(self, configuration: str, answer) -> None:
        self.answers[configuration] = answer
        stats = answer.stats
        facts = tr("{tokens} tokens · {speed} tok/s · first token {ttft} s", tokens=stats.completion_tokens,
                   speed=f"{stats.tokens_per_s:.1f}", ttft=f"{stats.time_to_first_token_s:.2f}") if stats else ""
        sources = "".join(f"<br>[{s.number}] {html.escape(s.hit.doc_name)}"
                          + location_text(s.hit) for s in answer.sources)
        self.panels[configuration].setHtml(
            f"{markdown_to_html(answer.text or tr('(no answer)'))}"
            f"<p style='color:gray'>{facts}{'<br><b>' + tr('Sources') + '</b>' + sources if sources else ''}</p>")
