"""RAG vs LoRA side by side: the same question answered base / +RAG / +adapter / +RAG+adapter."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QGridLayout, QLabel, QTextBrowser

from desktop_app.ui.chat_view import markdown_to_html

CONFIGURATIONS = ("base", "+RAG", "+adapter", "+RAG+adapter")


class CompareDialog(QDialog):
    def __init__(self, question: str, adapter_names: list[str], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Compare: RAG and LoRA")
        self.resize(1300, 700)
        layout = QGridLayout(self)
        adapters = ", ".join(adapter_names) or "no adapter fits the loaded model"
        layout.addWidget(QLabel(f"<b>Question:</b> {html.escape(question)}<br><b>Adapter:</b> {html.escape(adapters)}"),
                         0, 0, 1, 4)
        self.panels: dict[str, QTextBrowser] = {}
        for column, name in enumerate(CONFIGURATIONS):
            layout.addWidget(QLabel(f"<b>{name}</b>"), 1, column)
            panel = QTextBrowser()
            panel.setHtml("<i>waiting…</i>" if name in ("base", "+RAG") or adapter_names else "<i>no adapter</i>")
            layout.addWidget(panel, 2, column)
            self.panels[name] = panel
        self.answers: dict[str, object] = {}

    def show_answer(self, configuration: str, answer) -> None:
        self.answers[configuration] = answer
        stats = answer.stats
        facts = (f"{stats.completion_tokens} tokens · {stats.tokens_per_s:.1f} tok/s · first token "
                 f"{stats.time_to_first_token_s:.2f} s") if stats else ""
        sources = "".join(f"<br>[{s.number}] {html.escape(s.hit.doc_name)}"
                          + (f", p. {s.hit.page}" if s.hit.page is not None else "") for s in answer.sources)
        self.panels[configuration].setHtml(
            f"{markdown_to_html(answer.text or '(no answer)')}"
            f"<p style='color:gray'>{facts}{'<br><b>Sources</b>' + sources if sources else ''}</p>")
