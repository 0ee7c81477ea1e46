"""File-system events of the watched folders, turned into "folder X changed" once its files settle.

watchdog rather than QFileSystemWatcher: Qt's watcher needs a watch per directory *and* per file to
see a file edited in place (its directory watches miss writes), which runs into the system's
watch limit on large trees; watchdog watches each tree with the platform's recursive API where
there is one (FSEvents, ReadDirectoryChangesW) and one inotify watch per directory on Linux, and
reports writes. Its observer thread only emits a signal; everything else happens on the GUI thread.
"""

from __future__ import annotations

import logging
import os

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from watchdog.events import FileSystemEventHandler

from desktop_app.core.folder_sync import real_folder
from desktop_app.ui.i18n import tr
from desktop_app.ui.panels.library import sync_text

log = logging.getLogger(__name__)

QUIET_MS = 1500  # a folder is synced once its files have not changed for this long
_IGNORED_EVENTS = {"opened", "closed_no_write"}  # reading a file (the import itself does) is no change


class FolderWatcher(QObject):
    foldersChanged = Signal(list)  # watched folders whose files changed
    _changed = Signal(str)  # emitted on watchdog's thread; delivered (queued) on this object's thread

    def __init__(self, parent: QObject | None = None, *, quiet_ms: int = QUIET_MS):
        super().__init__(parent)
        self._observer = None
        self._watches: dict[str, object] = {}
        self._pending: set[str] = set()
        self._timer = QTimer(self, singleShot=True, interval=quiet_ms)
        self._timer.timeout.connect(self._flush)
        self._changed.connect(self._note)
        self.problems: dict[str, str] = {}  # folder -> why it cannot be watched

    def watch(self, folders: list[str]) -> None:
        """Watch exactly ``folders`` (recursively) from now on."""
        wanted = set(folders)
        for folder in set(self._watches) - wanted:
            self._observer.unschedule(self._watches.pop(folder))
        self.problems = {f: p for f, p in self.problems.items() if f in wanted}
        for folder in sorted(wanted - set(self._watches)):
            self._schedule(folder)

    def watched(self) -> list[str]:
        return sorted(self._watches)

    def _schedule(self, folder: str) -> None:
        from watchdog.observers import Observer

        if self._observer is None:
            self._observer = Observer()
            self._observer.daemon = True
            self._observer.start()
        try:
            self._watches[folder] = self._observer.schedule(_Handler(folder, self._changed), folder, recursive=True)
            self.problems.pop(folder, None)
        except OSError as exc:  # missing folder, or the system's watch limit
            self.problems[folder] = exc.strerror or str(exc)
            log.warning("cannot watch %s: %s", folder, exc)

    def _note(self, folder: str) -> None:
        if folder in self._watches:
            self._pending.add(folder)
            self._timer.start()

    def _flush(self) -> None:
        changed, self._pending = sorted(self._pending), set()
        if changed:
            self.foldersChanged.emit(changed)

    def stop(self) -> None:
        self._timer.stop()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._observer = None
        self._watches.clear()


class _Handler(FileSystemEventHandler):
    def __init__(self, folder: str, changed):
        super().__init__()
        self.folder = folder
        self.changed = changed

    def on_any_event(self, event) -> None:
        if event.event_type in _IGNORED_EVENTS:
            return
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        if all(not p or _hidden(p, self.folder) for p in paths):
            return
        self.changed.emit(self.folder)


def _hidden(path: str, folder: str) -> bool:
    """Inside a hidden file or folder (as imports skip them), or an editor's lock file."""
    relative = os.path.relpath(os.fsdecode(path), folder)
    parts = relative.split(os.sep)
    return any(part.startswith(".") and part not in (".", "..") for part in parts) or parts[-1].startswith("~$")


class WatchedFolders(QObject):
    """The window's watched folders: the Library tab's buttons, the watcher, the syncs' results."""

    synced = Signal(str)  # a watched folder, once the library has caught up with it

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.watcher = FolderWatcher(self)
        controller, library = window.controller, window.library
        library.watchRequested.connect(self.watch)
        library.unwatchRequested.connect(controller.requestUnwatch)
        library.pauseRequested.connect(controller.requestPauseFolder)
        self.watcher.foldersChanged.connect(controller.requestSync)
        controller.index_worker.watchedChanged.connect(self.refresh)
        controller.index_worker.folderSynced.connect(self._on_synced)

    def watch(self, folder: str) -> None:
        """Keep ``folder`` in sync with the library: imported now, then followed as it changes."""
        self.window.imports.hide()
        self.window.controller.requestWatch.emit(real_folder(folder))

    def refresh(self) -> None:
        folders = self.window.store.watched.all()
        self.watcher.watch([f.path for f in folders if not f.paused])
        self.window.library.show_watched(folders, self.watcher.problems)

    def _on_synced(self, folder: str, counts: dict) -> None:
        self.window.statusBar().showMessage(tr("{folder}: {result}", folder=Path(folder).name,
                                               result=sync_text(counts)), 8000)
        self.synced.emit(folder)
