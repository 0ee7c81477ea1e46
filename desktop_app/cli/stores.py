"""``desktop-app store``: where the library lives, and moving it between SQLite and PostgreSQL."""

from __future__ import annotations

import sys
from pathlib import Path

from desktop_app.core.store import Store
from desktop_app.core.store.postgres import is_postgres_url, redact
from desktop_app.core.store_copy import copy_library, library_checksum, library_counts


def store_location(text: str) -> str:
    """A ``postgresql://`` URL as given; a data folder stands for its store.sqlite3."""
    if is_postgres_url(text):
        return text
    path = Path(text).expanduser()
    return str(path / "store.sqlite3") if path.is_dir() else str(path)


def _shown(location: str) -> str:
    return redact(location) if is_postgres_url(location) else location


def store(workspace, args) -> int:
    if args.store_command == "copy":
        return _copy(store_location(args.source), store_location(args.target))
    location = store_location(args.location) if args.location else str(workspace.store_location)
    with Store(location, read_only=True) as opened:
        print(f"store: {_shown(location)} ({opened.dialect.name})")
        print(f"embedder: {opened.embedder_identity or '(none yet)'}")
        for name, count in library_counts(opened).items():
            print(f"{name}: {count}")
        if args.checksum:
            print(f"checksum: {library_checksum(opened)}")
    return 0


def _copy(source_location: str, target_location: str) -> int:
    if not is_postgres_url(source_location) and not Path(source_location).is_file():
        print(f"error: there is no store at {source_location}", file=sys.stderr)
        return 2

    def show(done: int, total: int, path: str) -> None:
        print(f"\r[{done}/{total}] {Path(path).name[:60]:<60}", end="", file=sys.stderr, flush=True)

    with Store(source_location, read_only=True) as source, Store(target_location) as target:
        report = copy_library(source, target, progress=show)
    print(file=sys.stderr)
    print(f"copied {_shown(source_location)} -> {_shown(target_location)}")
    for name, count in report.source_counts.items():
        mark = "ok" if report.target_counts.get(name) == count else "DIFFERS"
        print(f"  {name}: {count} -> {report.target_counts.get(name)} {mark}")
    for reason in report.skipped:
        print(f"  skipped {reason}")
    same = report.source_checksum == report.target_checksum
    print(f"  checksum (content and search results): {report.target_checksum[:16]} "
          f"{'same on both' if same else 'DIFFERS from the source ' + report.source_checksum[:16]}")
    return 0 if report.identical else 1
