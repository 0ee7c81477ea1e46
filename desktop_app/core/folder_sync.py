"""Watched folders: bring the library in step with a folder on disk.

A sync compares the folder with the documents imported from it: a file whose size and modification
time are those recorded is unchanged (not even read); any other file is imported, and the content
hash decides whether it really changed (``Importer``); a new file with the content of a document
whose file is gone is that document moved or renamed (its row follows, nothing is re-embedded); a
document whose file is gone is removed. A folder that is missing altogether (an unplugged drive)
removes nothing. The watching itself (file-system events) belongs to the caller: the window uses
Qt's watcher, the command line syncs once.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from desktop_app.core.hashing import file_sha256
from desktop_app.core.ingest import FileProgress, ImportProgress, Importer, ImportSummary, collect_files
from desktop_app.core.store import DocumentRecord, Store


@dataclass
class FolderChanges:
    to_import: list[Path] = field(default_factory=list)  # new, or size/time differ from the import
    moved: list[tuple[str, Path]] = field(default_factory=list)  # (old path, new path), same content
    vanished: list[str] = field(default_factory=list)  # documents whose file is gone
    unchanged: int = 0


@dataclass
class SyncResult:
    folder: str
    changes: FolderChanges
    imported: ImportSummary
    missing: bool = False  # the folder itself is not there: nothing was removed

    @property
    def counts(self) -> dict[str, int]:
        """What the sync did, by kind of change ("missing": 1 when the folder was not found)."""
        imported = self.imported.counts
        return {"added": imported["added"], "updated": imported["replaced"], "moved": len(self.changes.moved),
                "removed": len(self.changes.vanished), "unchanged": self.changes.unchanged + imported["unchanged"],
                "failed": imported["skipped"], "stopped": int(self.imported.cancelled), "missing": int(self.missing)}

    def describe(self) -> str:
        return describe_counts(self.counts)


def describe_counts(counts: dict[str, int]) -> str:
    """One line for the command line (the window words it in its own language)."""
    if counts.get("missing"):
        return "folder not found (unplugged or moved?): its documents are kept"
    text = ", ".join(f"{counts.get(kind, 0)} {kind}" for kind in ("added", "updated", "moved", "removed", "unchanged"))
    if counts.get("failed"):
        text += f", {counts['failed']} could not be read"
    return text + (", stopped" if counts.get("stopped") else "")


def real_folder(path: str | os.PathLike[str]) -> str:
    return os.path.realpath(Path(path).expanduser())


def _under(folder: str, path: str) -> bool:
    return path.startswith(folder.rstrip(os.sep) + os.sep)


def _ignored(path: Path) -> bool:
    """Editors' lock and temporary files: Office's ~$name.docx, LibreOffice's .~lock, vim's swap."""
    return path.name.startswith(("~$", ".~lock")) or path.suffix in (".tmp", ".swp", ".crdownload", ".part")


# A file that could not be imported, as it was then (size, modification time): not tried again
# until it changes. Kept by the caller for as long as it watches.
Failures = dict[str, tuple[int, float]]


def scan_folder(store: Store, folder: str, failures: Failures | None = None) -> FolderChanges:
    changes = FolderChanges()
    files, _ = collect_files([folder])
    on_disk = {str(path): path for path in files if not _ignored(path)}
    known: dict[str, DocumentRecord] = {d.path: d for d in store.documents() if _under(folder, d.path)}
    gone = {path: doc for path, doc in known.items() if path not in on_disk}
    gone_by_hash = {doc.content_hash: path for path, doc in gone.items() if doc.complete}
    for path_text, path in on_disk.items():
        doc = known.get(path_text)
        try:
            stat = path.stat()
        except OSError:
            continue
        if doc is not None and doc.complete and doc.size == stat.st_size and doc.mtime == stat.st_mtime:
            changes.unchanged += 1
            continue
        if failures is not None and failures.get(path_text) == (stat.st_size, stat.st_mtime):
            continue
        if doc is None and gone_by_hash:
            try:
                old = gone_by_hash.pop(file_sha256(path), None)
            except OSError:
                old = None
            if old is not None:
                changes.moved.append((old, path))
                del gone[old]
                continue
        changes.to_import.append(path)
    changes.vanished = sorted(gone)
    return changes


def sync_folder(importer: Importer, folder: str, *, failures: Failures | None = None,
                on_start: Callable[[int], None] | None = None,
                on_progress: Callable[[ImportProgress], None] | None = None,
                on_file_progress: Callable[[FileProgress], None] | None = None,
                cancel: threading.Event | None = None) -> SyncResult:
    """Apply ``scan_folder``'s changes to the store: moves, removals, then the imports. Files that
    fail are added to ``failures`` (and skipped by the next syncs while they stay as they are);
    ``on_start`` hears how many files are to be imported, when there are any; ``on_file_progress`` how far
    a long one (streamed, or read by OCR) has got."""
    store = importer.store
    folder = real_folder(folder)
    if not os.path.isdir(folder):
        return SyncResult(folder, FolderChanges(), ImportSummary(), missing=True)
    changes = scan_folder(store, folder, failures)
    for old, new in changes.moved:
        try:
            store.move_document(old, new, mtime=new.stat().st_mtime)
        except OSError:
            changes.to_import.append(new)
    for path in changes.vanished:
        store.remove_document(path)
    imported = ImportSummary()
    if changes.to_import:
        if on_start is not None:
            on_start(len(changes.to_import))
        imported = importer.run(changes.to_import, on_progress=on_progress, on_file_progress=on_file_progress,
                                cancel=cancel)
    if failures is not None:
        for outcome in imported.of("skipped"):
            try:
                stat = os.stat(outcome.path)
                failures[outcome.path] = (stat.st_size, stat.st_mtime)
            except OSError:
                failures.pop(outcome.path, None)
    result = SyncResult(folder, changes, imported)
    if store.watched.get(folder) is not None:
        store.watched.record_sync(folder, result.counts)
    return result
