"""Watched folders: the folders the library keeps in sync, paused or not, and their last sync."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.store import connection as sqlite


@dataclass(frozen=True)
class WatchedFolder:
    path: str
    paused: bool
    added_at: float
    synced_at: float | None
    last_result: dict[str, int]  # what the last sync did: added, updated, moved, removed, unchanged, failed...


class WatchedFolderStore:
    def __init__(self, db):
        self.db = db

    def all(self) -> list[WatchedFolder]:
        rows = self.db.execute("SELECT path, paused, added_at, synced_at, last_result FROM watched_folders ORDER BY path")
        return [WatchedFolder(r[0], bool(r[1]), r[2], r[3], json.loads(r[4]) if r[4] else {}) for r in rows]

    def get(self, path: str | Path) -> WatchedFolder | None:
        return next((f for f in self.all() if f.path == str(path)), None)

    def add(self, path: str | Path, *, added_at: float | None = None) -> bool:
        """False when the folder was already watched."""
        with sqlite.transaction(self.db):
            return self.db.execute("INSERT INTO watched_folders(path, added_at) VALUES (?, ?) "
                                   "ON CONFLICT DO NOTHING",
                                   (str(path), time.time() if added_at is None else added_at)).rowcount > 0

    def remove(self, path: str | Path) -> bool:
        """Stop watching; the documents already imported stay in the library."""
        with sqlite.transaction(self.db):
            return self.db.execute("DELETE FROM watched_folders WHERE path = ?", (str(path),)).rowcount > 0

    def set_paused(self, path: str | Path, paused: bool) -> None:
        with sqlite.transaction(self.db):
            self.db.execute("UPDATE watched_folders SET paused = ? WHERE path = ?", (int(paused), str(path)))

    def record_sync(self, path: str | Path, result: dict[str, int], *, at: float | None = None) -> None:
        with sqlite.transaction(self.db):
            self.db.execute("UPDATE watched_folders SET synced_at = ?, last_result = ? WHERE path = ?",
                            (time.time() if at is None else at, json.dumps(result), str(path)))
