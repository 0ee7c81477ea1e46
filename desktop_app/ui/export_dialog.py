"""File > Export conversation…: the open conversation saved as Markdown or JSON (core.export)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from desktop_app.core.export import default_file_name, export_conversation, format_for
from desktop_app.ui.i18n import tr


def export_dialog(window) -> None:
    """Ask where to save the window's open conversation, then save it there."""
    conversation = next((c for c in window.store.conversations.all() if c.id == window.conversation_id), None)
    if conversation is None:
        window.statusBar().showMessage(tr("Nothing to export: open or start a conversation first."), 8000)
        return
    suggested = str(Path.home() / default_file_name(conversation, "markdown"))
    path, chosen = QFileDialog.getSaveFileName(window, tr("Export conversation"), suggested,
                                               tr("Markdown (*.md)") + ";;" + tr("JSON (*.json)"))
    if path:
        path = Path(path)
        if not path.suffix:
            path = path.with_suffix(".json" if "json" in chosen.lower() else ".md")
        write_export(window, conversation, path)


def write_export(window, conversation, path: Path) -> None:
    """Write ``conversation`` to ``path``: JSON for a .json name, Markdown otherwise."""
    try:
        path.write_text(export_conversation(window.store, conversation, format_for(path)), encoding="utf-8")
    except OSError as exc:
        window.show_error(tr("Export failed"), f"{path}: {exc.strerror or exc}")
        return
    window.statusBar().showMessage(tr("Exported to {path}", path=str(path)), 8000)
