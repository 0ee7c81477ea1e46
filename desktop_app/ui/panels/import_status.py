"""Import progress in the status bar (files, the file being streamed, ETA, Cancel) and the banner
that offers to resume an interrupted import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton

from desktop_app.ui.i18n import tr


class ImportStatus(QFrame):
    """The resume banner itself; ``label``, ``bar`` and ``cancel_button`` go in the status bar."""

    cancelRequested = Signal()
    resumeRequested = Signal()
    discardRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFrameShape(QFrame.StyledPanel)
        self.pending_label = QLabel()
        self.resume_button = QPushButton(tr("&Resume import"))
        self.resume_button.clicked.connect(self.resumeRequested.emit)
        discard = QPushButton(tr("Discard"))
        discard.clicked.connect(self._discard)
        banner = QHBoxLayout(self)
        banner.addWidget(self.pending_label, 1)
        banner.addWidget(self.resume_button)
        banner.addWidget(discard)
        self.hide()
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(220)
        self.bar.setAccessibleName(tr("Import progress"))
        self.cancel_button = QPushButton(tr("Cancel import"))
        self.cancel_button.clicked.connect(self._cancel)
        for widget in (self.label, self.bar, self.cancel_button):
            widget.hide()

    def offer_resume(self, pending: list[str]) -> None:
        if pending:
            self.pending_label.setText(tr("{count} files are left from an interrupted import.", count=len(pending)))
            self.show()

    def _discard(self) -> None:
        self.hide()
        self.discardRequested.emit()

    def _cancel(self) -> None:
        self.label.setText(tr("Cancelling after the current file (or section of a large file)…"))
        self.cancelRequested.emit()

    def started(self, total: int) -> None:
        self.hide()
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(0)
        self.label.setText(tr("Importing {count} files…", count=total))
        for widget in (self.label, self.bar, self.cancel_button):
            widget.show()

    def file_done(self, progress) -> None:
        """``progress``: a ``core.ingest.ImportProgress``."""
        self.bar.setValue(progress.done)
        outcome = progress.outcome
        eta = tr(", about {seconds} s left", seconds=f"{progress.eta_s:.0f}") if progress.eta_s else ""
        status = {"added": tr("added"), "replaced": tr("replaced"), "unchanged": tr("unchanged"),
                  "skipped": tr("skipped")}.get(outcome.status, outcome.status)
        self.label.setText(f"{progress.done}/{progress.total}: {Path(outcome.path).name} {status}{eta}")

    def file_streaming(self, progress) -> None:
        """``progress``: a ``core.ingest.FileProgress`` of a large file read section by section, or of a scan's OCR."""
        if progress.ocr_pages is not None:
            self.label.setText(tr("{name}: reading page {done} of {total} by OCR", name=Path(progress.path).name,
                                  done=progress.ocr_pages[0], total=progress.ocr_pages[1]))
            return
        eta = (tr(", about {minutes} min left", minutes=f"{progress.eta_s / 60:.0f}")
               if progress.eta_s and progress.eta_s > 60 else "")
        self.label.setText(tr("{name}: {percent} read, {chunks} chunks", name=Path(progress.path).name,
                              percent=f"{progress.fraction:.0%}", chunks=progress.chunks) + eta)

    def finished(self, summary) -> str:
        """Show the outcome of a ``core.ingest.ImportSummary``; returns the files not imported, with why."""
        self._hide_progress()
        counts = summary.counts
        state = tr("Import cancelled") if summary.cancelled else tr("Import finished")
        self.label.setText(state + ": " + tr("{added} added, {replaced} replaced, {unchanged} unchanged, {skipped} skipped",
                                             **counts))
        skipped = summary.of("skipped")
        lines = "\n".join(f"• {Path(o.path).name}: {o.reason}" for o in skipped[:30])
        return lines + ("\n" + tr("… and {count} more", count=len(skipped) - 30) if len(skipped) > 30 else "")

    def failed(self) -> None:
        self._hide_progress()

    def _hide_progress(self) -> None:
        for widget in (self.bar, self.cancel_button):
            widget.hide()
