"""The chat: the conversation view, the question box and its buttons, and the busy state."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import (QApplication, QCheckBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout,
                               QWidget)

from desktop_app.ui.chat_view import ChatEntry, ChatView
from desktop_app.ui.i18n import tr


class Busy(Enum):
    IDLE = "idle"
    ANSWERING = "answering"  # an answer streams into the last entry
    COMPARING = "comparing"  # the four configurations run in the compare dialog


class QuestionEdit(QPlainTextEdit):
    """Enter sends, Shift+Enter starts a new line; Tab moves focus on (it never types a tab)."""

    submitted = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setTabChangesFocus(True)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and not event.modifiers() & Qt.ShiftModifier:
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class ChatPanel(QWidget):
    questionSubmitted = Signal(str)  # Send, Enter or Regenerate
    askWithoutDocuments = Signal(str)  # "Ask without documents" under an answer that found nothing
    stopRequested = Signal()
    answerShown = Signal(object)  # core.rag.Answer, once it is on screen

    def __init__(self, parent=None):
        super().__init__(parent)
        self.busy = Busy.IDLE
        self.adapter_banner = QLabel()
        self.adapter_banner.hide()
        self.view = ChatView()
        self.view.setAccessibleName(tr("Conversation"))
        self.view.askWithoutDocuments.connect(self.askWithoutDocuments)
        self.question_edit = QuestionEdit()
        self.question_edit.setAccessibleName(tr("Question"))
        self.question_edit.setPlaceholderText(tr("Ask about your documents… (Enter sends, Shift+Enter for a new line)"))
        self.question_edit.setFixedHeight(80)
        self.question_edit.submitted.connect(self.send)
        self.use_documents = QCheckBox(tr("&Use documents"))
        self.use_documents.setChecked(True)
        self.send_button = QPushButton(tr("Send"))
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton(tr("Stop"))
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stopRequested.emit)
        self.regenerate_button = QPushButton(tr("Re&generate"))
        self.regenerate_button.clicked.connect(self.regenerate)
        self.copy_button = QPushButton(tr("Cop&y"))
        self.copy_button.clicked.connect(self.copy_answer)
        controls = QHBoxLayout()
        controls.addWidget(self.use_documents)
        controls.addStretch(1)
        for button in (self.copy_button, self.regenerate_button, self.stop_button, self.send_button):
            button.setAccessibleName(button.text().replace("&", ""))
            controls.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.adapter_banner)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.question_edit)
        layout.addLayout(controls)

    # --- what the user does --------------------------------------------------------------------

    def send(self) -> None:
        question = self.question_edit.toPlainText().strip()
        if question and self.busy is Busy.IDLE:
            self.question_edit.clear()
            self.questionSubmitted.emit(question)

    def regenerate(self) -> None:
        if self.busy is Busy.IDLE and (question := self.last_question()):
            self.questionSubmitted.emit(question)

    def copy_answer(self) -> None:
        answers = [e.text for e in self.view.entries if e.role == "assistant" and e.text]
        if answers:
            QApplication.clipboard().setText(answers[-1])

    def last_question(self) -> str:
        return next((e.text for e in reversed(self.view.entries) if e.role == "user"), "")

    # --- the answer's life -----------------------------------------------------------------------

    def _set_busy(self, busy: Busy) -> None:
        self.busy = busy
        self.stop_button.setEnabled(busy is not Busy.IDLE)
        self.send_button.setEnabled(busy is Busy.IDLE)

    def begin_answer(self, question: str) -> None:
        self.view.add(ChatEntry("user", question))
        self.view.add(ChatEntry("assistant", "", question=question, streaming=True))
        self._set_busy(Busy.ANSWERING)

    def begin_comparison(self) -> None:
        self._set_busy(Busy.COMPARING)

    def end_comparison(self) -> None:
        self._set_busy(Busy.IDLE)

    def _streaming_entry(self) -> ChatEntry | None:
        return self.view.entries[-1] if self.busy is Busy.ANSWERING and self.view.entries else None

    def show_sources(self, sources: list) -> None:
        if entry := self._streaming_entry():
            entry.sources = tuple(sources)
            self.view.schedule_render()

    def show_summary_progress(self, stage: str, done: int, total: int) -> None:
        """How far a whole-document answer has got (``core.summarize.SummaryProgress``)."""
        if entry := self._streaming_entry():
            entry.footer = {"reading": tr("Reading part {part} of {parts}…", part=done + 1, parts=total),
                            "merging": tr("Merging notes ({part} of {parts})…", part=done + 1, parts=total),
                            }.get(stage, tr("Writing the answer from {parts} parts…", parts=total))
            self.view.schedule_render()

    def add_token(self, piece: str) -> None:
        if entry := self._streaming_entry():
            entry.text += piece
            self.view.schedule_render()

    def finish_answer(self, answer) -> None:
        if entry := self._streaming_entry():
            entry.text = answer.text or (tr("(stopped)") if answer.stats and answer.stats.cancelled else tr("(no answer)"))
            entry.sources = answer.sources
            entry.cited = answer.cited
            entry.unsupported = answer.unsupported
            entry.guard = answer.guard
            entry.withheld = answer.withheld
            entry.citations_placed = answer.citations_placed
            entry.searched_as = answer.searched_as
            entry.streaming = False
            entry.footer = answer_footer(answer)
        self.view.render()
        self._set_busy(Busy.IDLE)
        cited = tr(", citing {cited} of {sources} sources", cited=len(answer.cited), sources=len(answer.sources)) \
            if answer.sources else ""
        if answer.unsupported:
            cited += tr("; {count} citation(s) not supported by their source", count=len(answer.unsupported))
        self.announce(tr("Answer finished") + f"{cited}: {answer.text[:300]}")
        self.answerShown.emit(answer)

    def fail_answer(self, message: str) -> None:
        if entry := self._streaming_entry():
            entry.text = message
            entry.error = True
            entry.streaming = False
            self.view.render()
        self._set_busy(Busy.IDLE)
        self.announce(tr("No answer: {message}", message=message))

    def announce(self, text: str) -> None:
        """Tell a screen reader, without moving focus."""
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self.view, text))

    # --- whole conversations -------------------------------------------------------------------

    def show_messages(self, messages) -> None:
        """``messages``: ``core.conversations.StoredMessage``s of a saved conversation."""
        entries, question = [], ""
        for message in messages:
            if message.role == "user":
                question = message.content
                entries.append(ChatEntry("user", message.content))
                continue
            footer = message.model or ""
            if message.adapters:
                footer += " + " + ", ".join(n for n, _ in message.adapters)
            if message.stats.get("tokens_per_s"):
                footer += f" · {message.stats['tokens_per_s']} tok/s"
            if message.stats.get("timings"):
                footer += " · " + timings_text(message.stats["timings"])
            entries.append(ChatEntry("assistant", message.content, sources=message.sources, question=question,
                                     footer=footer, cited=message.cited, unsupported=message.unsupported,
                                     searched_as=message.searched_as))
        self.view.set_entries(entries)

    def show_adapters(self, text: str) -> None:
        self.adapter_banner.setText(tr("<b>Active adapters:</b> {names}", names=text) if text else "")
        self.adapter_banner.setVisible(bool(text))


def answer_footer(answer) -> str:
    stats = answer.stats
    if not stats:
        return ""
    adapters = f" + {', '.join(n for n, _ in answer.adapters)}" if answer.adapters else ""
    return (f"{answer.model}{adapters} · " + tr("{tokens} tokens · {speed} tok/s · first token {ttft} s",
                                                 tokens=stats.completion_tokens, speed=f"{stats.tokens_per_s:.1f}",
                                                 ttft=f"{stats.time_to_first_token_s:.2f}")
            + " · " + timings_text(answer.timings.as_json())
            + (" · " + tr("stopped") if stats.cancelled else ""))


def timings_text(timings: dict) -> str:
    """Where the answer's time went (``AnswerTimings.as_json()``), for the line under the answer."""
    line = tr("search {search} s · reading {prompt} s ({tokens} tokens, {cached} cached) · writing {writing} s",
              search=f"{timings['retrieval_s']:.2f}", prompt=f"{timings['prompt_s']:.2f}",
              tokens=timings["prompt_tokens"], cached=timings["cached_tokens"],
              writing=f"{timings['generation_s']:.2f}")
    if timings.get("rerank_s"):
        line += " · " + tr("reranking {seconds} s", seconds=f"{timings['rerank_s']:.2f}")
    return line
