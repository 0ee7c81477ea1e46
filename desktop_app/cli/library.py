"""Library commands: ingest, watch and sync, search, docs, embedder."""

from __future__ import annotations

import datetime
import json
import signal
import sys
import threading
import time
from pathlib import Path

from desktop_app.core.errors import AppError


def ingest(workspace, args) -> int:
    from desktop_app.core.ingest import FileProgress, Importer
    from desktop_app.core.isolation import IsolatedExtractor

    cancel = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    last_shown = [0.0]

    def show_file(progress: FileProgress) -> None:
        if time.monotonic() - last_shown[0] < 2 and progress.fraction < 1:
            return
        last_shown[0] = time.monotonic()
        if progress.ocr_pages is not None:
            print(f"      {Path(progress.path).name}: OCR, page {progress.ocr_pages[0]} of {progress.ocr_pages[1]} read",
                  flush=True)
            return
        eta = f", about {progress.eta_s / 60:.0f} min left" if progress.eta_s and progress.eta_s > 60 else ""
        print(f"      {Path(progress.path).name}: {progress.fraction:.0%} read, {progress.chunks} chunks{eta}",
              flush=True)

    ocr = workspace.settings.ocr and not args.no_ocr
    try:
        with workspace.open_store() as store, IsolatedExtractor(ocr=ocr) as extractor:
            importer = Importer(store, workspace.make_embedder(), extractor=extractor,
                                chunk_tokens=workspace.settings.chunk_tokens,
                                chunk_overlap=workspace.settings.chunk_overlap)
            summary = importer.run(args.paths, on_progress=_show_progress, on_file_progress=show_file, cancel=cancel)
    finally:
        signal.signal(signal.SIGINT, previous)
    counts = summary.counts
    print(f"{'Cancelled' if summary.cancelled else 'Done'}: {counts['added']} added, {counts['replaced']} replaced, "
          f"{counts['unchanged']} unchanged, {counts['skipped']} skipped")
    for outcome in summary.of("skipped"):
        print(f"  skipped {outcome.path}: {outcome.reason}")
    if summary.cancelled:
        print("Run the same command again to finish the import.")
    return 130 if summary.cancelled else 0


def _show_progress(progress) -> None:
    """A line per file as an import (``core.ingest.ImportProgress``) goes."""
    outcome = progress.outcome
    detail = f"{outcome.chunks} chunks" if outcome.status != "skipped" else outcome.reason
    if outcome.status == "added" and outcome.pages:
        detail += f", {outcome.pages} pages"
    if outcome.status != "skipped" and outcome.reason:
        detail += f" ({outcome.reason})"
    print(f"[{progress.done}/{progress.total}] {outcome.status:<9} {outcome.path}: {detail}", flush=True)


def watch(workspace, args) -> int:
    """List the watched folders; add (and sync), remove, pause or resume one."""
    from desktop_app.core.folder_sync import describe_counts, real_folder

    with workspace.open_store() as store:
        if args.action is None:
            folders = store.watched.all()
            for folder in folders:
                state = "paused" if folder.paused else "watched"
                synced = (f"synced {datetime.datetime.fromtimestamp(folder.synced_at):%Y-%m-%d %H:%M}: "
                          f"{describe_counts(folder.last_result)}"
                          if folder.synced_at else "not synced yet")
                print(f"{folder.path}  [{state}]  {synced}")
            if not folders:
                print("No watched folders. Add one with `desktop-app watch add FOLDER`.")
            return 0
        if not args.folder:
            print(f"error: watch {args.action} needs a FOLDER", file=sys.stderr)
            return 2
        folder = real_folder(args.folder)
        if args.action == "add":
            if not Path(folder).is_dir():
                print(f"error: {args.folder} is not a folder", file=sys.stderr)
                return 2
            print(("Watching " if store.watched.add(folder) else "Already watched: ") + folder)
        elif store.watched.get(folder) is None:
            print(f"error: {folder} is not watched (see `desktop-app watch`)", file=sys.stderr)
            return 2
        elif args.action == "remove":
            store.watched.remove(folder)
            print(f"No longer watching {folder} (its documents stay in the library)")
            return 0
        else:
            store.watched.set_paused(folder, args.action == "pause")
            print(f"{'Paused' if args.action == 'pause' else 'Resumed'}: {folder}")
            if args.action == "pause":
                return 0
    return sync(workspace, args, only=folder)


def sync(workspace, args, *, only: str | None = None) -> int:
    """Bring the library in step with the watched folders (each unpaused one, or ``only``)."""
    from desktop_app.core.folder_sync import sync_folder
    from desktop_app.core.ingest import Importer
    from desktop_app.core.isolation import IsolatedExtractor

    cancel = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    try:
        with workspace.open_store() as store, IsolatedExtractor(ocr=workspace.settings.ocr) as extractor:
            folders = [f.path for f in store.watched.all() if f.path == only or (only is None and not f.paused)]
            if not folders:
                print("No watched folders to sync.")
                return 0
            importer = Importer(store, workspace.make_embedder(), extractor=extractor,
                                chunk_tokens=workspace.settings.chunk_tokens,
                                chunk_overlap=workspace.settings.chunk_overlap)
            for folder in folders:
                result = sync_folder(importer, folder, on_progress=_show_progress, cancel=cancel)
                for old, new in result.changes.moved:
                    print(f"moved     {old} -> {new}")
                for path in result.changes.vanished:
                    print(f"removed   {path} (the file was deleted)")
                print(f"{folder}: {result.describe()}")
                if cancel.is_set():
                    return 130
    finally:
        signal.signal(signal.SIGINT, previous)
    return 0


def embedder(workspace, args) -> int:
    """List the embedders; with a choice, make it the library's embedder, re-indexing in the foreground."""
    from desktop_app.core.ingest import Importer, ImportProgress

    indexed = workspace.indexed_embedder()
    if args.choice is None:
        chosen = workspace.chosen_embedder()
        for name, description in workspace.embedder_choices():
            marks = [m for m, on in (("indexed", name == indexed), ("chosen", name == chosen)) if on]
            print(f"{name:<28} {description}" + (f"  [{', '.join(marks)}]" if marks else ""))
        if indexed and chosen != indexed:
            print(f"The library is still indexed with {indexed}: run `desktop-app embedder {chosen}` to re-index it.")
        return 0
    new = workspace.make_embedder(args.choice)  # checks the folder before anything changes
    workspace.save_settings(workspace.settings.with_changes(embedder=args.choice))
    cancel = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())

    def show(progress: ImportProgress) -> None:
        eta = f", about {progress.eta_s:.0f} s left" if progress.eta_s else ""
        print(f"[{progress.done}/{progress.total}] {progress.outcome.path}: {progress.outcome.chunks} chunks{eta}",
              flush=True)

    try:
        with workspace.open_store() as store:
            importer = Importer(store, new, extractor=None, chunk_tokens=workspace.settings.chunk_tokens,
                                chunk_overlap=workspace.settings.chunk_overlap)
            summary = importer.reindex(on_progress=show, cancel=cancel)
    finally:
        signal.signal(signal.SIGINT, previous)
    if summary.cancelled:
        print(f"Paused: the library still answers with {indexed}. Run the same command again to go on.")
        return 130
    print(f"The library now uses {new.info.identity} ({len(summary.outcomes)} documents re-indexed).")
    return 0


def doc_ids_for(store, docs: list[str]) -> list[int] | None:
    if not docs:
        return None
    ids = store.doc_ids_for_paths(docs)
    if len(ids) != len(docs):
        raise AppError("One of the --doc documents is not in the library (see 'desktop-app docs list').")
    return ids


def search(workspace, args) -> int:
    from desktop_app.core.extract import location_unit
    from desktop_app.core.retrieval import Mode, retrieve

    with workspace.open_store() as store:
        embedder = workspace.make_embedder() if args.mode != "keyword" else None
        hits = retrieve(store, embedder, args.query, k=args.k, mode=Mode(args.mode), doc_ids=doc_ids_for(store, args.doc))
    for rank, hit in enumerate(hits, start=1):
        if args.json:
            print(json.dumps(hit_json(hit), ensure_ascii=False))
        else:
            page = f" {location_unit(hit.doc_path)} {hit.page}" if hit.page is not None else ""
            ranks = f"vector #{hit.vector_rank or '-'}, keyword #{hit.keyword_rank or '-'}"
            print(f"{rank}. {hit.doc_name}{page}  relevance {hit.relevance} (score {hit.score:.4f}, {ranks})")
            print("   " + " ".join(hit.text.split())[:240])
    if not hits and not args.json:
        print("No matches.")
    return 0


def hit_json(hit) -> dict:
    return {"doc": hit.doc_path, "page": hit.page, "heading": hit.heading, "score": hit.score, "text": hit.text,
            "chunk_id": hit.chunk_id, "start": hit.start_char, "end": hit.end_char,
            "vector_rank": hit.vector_rank, "keyword_rank": hit.keyword_rank, "relevance": hit.relevance}


def docs(workspace, args) -> int:
    with workspace.open_store() as store:
        if args.docs_command == "list":
            documents = store.documents()
            for doc in documents:
                pages = f"{doc.page_count} pages" if doc.paged else "-"
                state = "" if doc.complete else f" (import {doc.indexed_fraction:.0%} done)"
                print(f"{doc.name}\t{doc.kind}\t{pages}\t{doc.chunk_count} chunks{state}\t{doc.path}")
            pending = store.pending_imports()
            print(f"{len(documents)} documents" + (f"; {len(pending)} files left from an interrupted import"
                                                   if pending else ""), file=sys.stderr)
            return 0
        path = Path(args.path).expanduser()
        removed = store.remove_document(path.resolve()) or store.remove_document(str(path))
        if not removed:
            print(f"error: {args.path} is not in the library", file=sys.stderr)
            return 1
        print(f"removed {path.resolve()}")
        return 0


