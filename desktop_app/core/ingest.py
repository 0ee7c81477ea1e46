"""Import files and folders into the store: collect, hash, extract, chunk, embed, write.

Each file is one transaction, so killing the process mid-import loses at most the files in hand (small
files are read ahead and embedded together, then written one by one); the queue of files still to do lives in the store, and importing the same input again skips
what is already there (content hash) and finishes the rest. Large text files are streamed: read,
embedded and written one section at a time (bounded memory), and resumed at the section where an
interrupted import stopped.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from desktop_app.core.chunking import chunk_text
from desktop_app.core.embedding import Embedder
from desktop_app.core.errors import ExtractionError
from desktop_app.core.extract import (
    SUPPORTED_SUFFIXES,
    ExtractedDocument,
    is_streamed,
    kind_of,
    read_section,
)
from desktop_app.core.hashing import file_sha256
from desktop_app.core.import_outcomes import FileOutcome, FileProgress, ImportProgress, ImportSummary, Status
from desktop_app.core.store import NewChunk, Store

EMBED_BATCH = 128  # chunks embedded together; small files are read ahead until their chunks fill it


def collect_files(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[FileOutcome]]:
    """Supported files under ``paths`` (folders recursively, symlink loops cut), and what was skipped.

    Hidden files and folders inside a folder are passed over; files named explicitly are always tried.
    Links inside a folder are followed only while they stay inside that folder.
    """
    files: list[Path] = []
    skipped: list[FileOutcome] = []
    seen_files: set[str] = set()

    def add(path: Path, *, explicit: bool) -> None:
        real = os.path.realpath(path)
        if real in seen_files:
            return
        seen_files.add(real)
        if path.suffix.lower() in SUPPORTED_SUFFIXES or explicit:
            files.append(Path(real))
        else:
            skipped.append(FileOutcome(str(path), "skipped", f"unsupported file type '{path.suffix or '(none)'}'"))

    for raw in paths:
        root = Path(raw).expanduser()
        if not os.path.lexists(root):
            skipped.append(FileOutcome(str(root), "skipped", "no such file or folder"))
            continue
        if not root.is_dir():
            if root.is_file():
                add(root, explicit=True)
            else:
                skipped.append(FileOutcome(str(root), "skipped", "not a regular file (broken link, device or pipe)"))
            continue
        visited_dirs: set[str] = set()
        real_root = os.path.realpath(root)

        def inside_root(path: str) -> bool:
            real = os.path.realpath(path)
            return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)

        def walk_error(exc: OSError) -> None:
            skipped.append(FileOutcome(str(exc.filename or root), "skipped",
                                       f"folder cannot be read: {exc.strerror or exc}"))

        for folder, dirnames, filenames in os.walk(root, followlinks=True, onerror=walk_error):
            real_folder = os.path.realpath(folder)
            if real_folder in visited_dirs:
                dirnames[:] = []
                continue
            visited_dirs.add(real_folder)
            kept = []
            for d in sorted(dirnames):
                full = os.path.join(folder, d)
                if d.startswith(".") or os.path.realpath(full) in visited_dirs:
                    continue
                if not inside_root(full):
                    skipped.append(FileOutcome(full, "skipped", "link to a folder outside the imported folder"))
                    continue
                kept.append(d)
            dirnames[:] = kept
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = Path(folder) / name
                if os.path.islink(path) and path.exists() and not inside_root(str(path)):
                    skipped.append(FileOutcome(str(path), "skipped", "link to a file outside the imported folder"))
                elif path.is_file():
                    add(path, explicit=False)
                elif os.path.islink(path):
                    skipped.append(FileOutcome(str(path), "skipped", "broken link"))
    return files, skipped


@dataclass(frozen=True)
class _ReadFile:
    """A file read and chunked, waiting for its chunks to be embedded with the batch's."""

    path: Path
    before: os.stat_result
    content_hash: str
    replacing: bool
    document: ExtractedDocument
    chunks: list[NewChunk]
    began: float


class Importer:
    """Imports files into ``store`` with ``embedder``. ``extractor`` is ``extract`` or an ``IsolatedExtractor``
    (called as ``extractor(path, on_page=...)``)."""

    def __init__(self, store: Store, embedder: Embedder, *, extractor: Callable[..., ExtractedDocument] | None,
                 chunk_tokens: int = 200, chunk_overlap: int = 40):
        self.store = store
        self.embedder = embedder
        self.extractor = extractor
        self.chunk_tokens = max(16, min(chunk_tokens, embedder.chunk_token_limit))
        self.chunk_overlap = chunk_overlap

    def run(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        on_progress: Callable[[ImportProgress], None] | None = None,
        on_file_progress: Callable[[FileProgress], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> ImportSummary:
        """Import ``paths``. Small files are read ahead and their chunks embedded together, in batches of
        about ``EMBED_BATCH`` chunks (one small file alone is a small, slow batch); each file is still
        written in its own transaction, and a cancel leaves every file not written queued."""
        files, skipped = collect_files(paths)
        summary = ImportSummary(outcomes=list(skipped))
        self.store.bind_embedder(self.embedder.info, self.embedder.source)
        self.store.queue_imports(str(f) for f in files)
        started = time.monotonic()
        total = len(files)
        batch: list[_ReadFile] = []

        def finished(path: Path, outcome: FileOutcome) -> None:
            self.store.dequeue_import(str(path))
            summary.outcomes.append(outcome)
            if on_progress is not None:
                on_progress(ImportProgress(done=len(summary.outcomes) - len(skipped), total=total,
                                           outcome=outcome, elapsed_s=time.monotonic() - started))

        def write_batch() -> bool:
            """Embed the batch's chunks together and write its files; False when cancelled."""
            vectors = self.embed_together([item.chunks for item in batch], cancel)
            if vectors is None:
                return False
            for item, item_vectors in zip(batch, vectors):
                if cancel is not None and cancel.is_set():
                    return False
                finished(item.path, self._write(item, item_vectors))
            batch.clear()
            return True

        for path in files:
            if cancel is not None and cancel.is_set():
                summary.cancelled = True
                break
            read = self._read(path, cancel=cancel, on_file_progress=on_file_progress)
            if isinstance(read, _ReadFile) and any(item.content_hash == read.content_hash for item in batch):
                if not write_batch():  # its twin is in the batch: write that first, then ask again
                    summary.cancelled = True
                    break
                read = self._twin_outcome(read) or read
            if read is None:  # cancelled inside the file: it stays queued
                summary.cancelled = True
                break
            if isinstance(read, FileOutcome):
                finished(path, read)
                continue
            batch.append(read)
            if sum(len(item.chunks) for item in batch) >= EMBED_BATCH and not write_batch():
                summary.cancelled = True
                break
        if batch and not summary.cancelled and not write_batch():
            summary.cancelled = True
        return summary

    def reindex(self, *, on_progress: Callable[[ImportProgress], None] | None = None,
                cancel: threading.Event | None = None) -> ImportSummary:
        """Index the library again for this importer's embedder, from the text the store keeps.

        The files themselves are not read again (they may have moved). The library keeps answering
        from its current index until every document is done; then the new one takes its place. An
        interrupted re-index goes on where it stopped.
        """
        summary = ImportSummary()
        if self.store.embedder_identity in (None, self.embedder.info.identity):
            self.store.bind_embedder(self.embedder.info, self.embedder.source)
            self.store.reindex.abandon()
            return summary
        self.store.reindex.begin(self.embedder.info, self.embedder.source)
        todo = self.store.reindex.pending_documents()
        started = time.monotonic()
        batch: list[tuple[int, str, list[NewChunk], float]] = []  # documents whose chunks are embedded together

        def write_batch() -> bool:
            vectors = self.embed_together([chunks for _, _, chunks, _ in batch], cancel)
            if vectors is None:
                return False
            for (doc_id, path, chunks, began), document_vectors in zip(batch, vectors):
                if cancel is not None and cancel.is_set():
                    return False
                self.store.reindex.put(doc_id, chunks, document_vectors)
                outcome = FileOutcome(path, "replaced", "re-indexed", chunks=len(chunks),
                                      seconds=time.monotonic() - began)
                summary.outcomes.append(outcome)
                if on_progress is not None:
                    on_progress(ImportProgress(done=len(summary.outcomes), total=len(todo), outcome=outcome,
                                               elapsed_s=time.monotonic() - started))
            batch.clear()
            return True

        for doc_id, path in todo:
            if cancel is not None and cancel.is_set():
                summary.cancelled = True
                return summary
            began = time.monotonic()
            chunks = [chunk for number, text in self.store.reindex.document_pages(doc_id)
                      for chunk in self.page_chunks(number, text)]
            batch.append((doc_id, path, chunks, began))
            if sum(len(item[2]) for item in batch) >= EMBED_BATCH and not write_batch():
                summary.cancelled = True
                return summary
        if batch and not write_batch():
            summary.cancelled = True
            return summary
        self.store.reindex.finish()
        return summary

    def _read(self, path: Path, *, cancel: threading.Event | None,
              on_file_progress: Callable[[FileProgress], None] | None) -> _ReadFile | FileOutcome | None:
        """Read and chunk one file, not yet embedded; a FileOutcome when there is nothing to embed (or a
        streamed file, imported whole here); None when ``cancel`` stopped a streamed one."""
        began = time.monotonic()

        def finish(status: Status, reason: str = "", chunks: int = 0, pages: int = 0) -> FileOutcome:
            return FileOutcome(str(path), status, reason, chunks, pages, time.monotonic() - began)

        try:
            before = path.stat()
            content_hash = file_sha256(path)
        except OSError as exc:
            return finish("skipped", f"cannot read the file: {exc.strerror or exc}")
        existing = self.store.document_by_path(path)
        if existing is not None and existing.content_hash == content_hash and existing.complete:
            return finish("unchanged", chunks=existing.chunk_count, pages=existing.page_count)
        twin = self._twin_of(path, content_hash)
        if twin is not None:
            return finish("skipped", f"same content as {twin}, already imported")
        if is_streamed(path, before.st_size):
            return self._import_streamed(path, before, content_hash, existing is not None, finish, cancel,
                                         on_file_progress)
        def ocr_progress(done: int, total: int) -> None:
            if on_file_progress is not None:
                on_file_progress(FileProgress(str(path), 0, before.st_size, 0, time.monotonic() - began,
                                              ocr_pages=(done, total)))

        try:
            document = self.extractor(path, on_page=ocr_progress)
        except ExtractionError as exc:
            return finish("skipped", str(exc))
        chunks = [chunk for page in document.pages for chunk in self.page_chunks(page.number, page.text)]
        if not chunks:
            return finish("skipped", "no text to index")
        return _ReadFile(path, before, content_hash, existing is not None, document, chunks, began)

    def _twin_of(self, path: Path, content_hash: str) -> str | None:
        twin = self.store.document_with_hash(content_hash)
        if twin is not None and twin.path != str(path) and Path(twin.path).exists():
            return twin.path
        return None

    def _twin_outcome(self, read: _ReadFile) -> FileOutcome | None:
        twin = self._twin_of(read.path, read.content_hash)
        if twin is None:
            return None
        return FileOutcome(str(read.path), "skipped", f"same content as {twin}, already imported",
                           seconds=time.monotonic() - read.began)

    def _write(self, read: _ReadFile, vectors: np.ndarray) -> FileOutcome:
        def finish(status: Status, reason: str = "", chunks: int = 0, pages: int = 0) -> FileOutcome:
            return FileOutcome(str(read.path), status, reason, chunks, pages, time.monotonic() - read.began)

        try:
            after = read.path.stat()
        except OSError:
            return finish("skipped", "the file was deleted while it was being imported")
        if (after.st_size, after.st_mtime_ns) != (read.before.st_size, read.before.st_mtime_ns):
            return finish("skipped", "the file changed while it was being imported; import it again")
        document = read.document
        self.store.put_document(
            path=str(read.path), kind=document.kind, paged=document.paged, content_hash=read.content_hash,
            size=after.st_size, mtime=after.st_mtime, pages=[(p.number, p.text) for p in document.pages],
            chunks=read.chunks, vectors=vectors,
        )
        pages = len(document.pages) if document.paged else 0
        return finish("replaced" if read.replacing else "added", "; ".join(document.warnings),
                      len(read.chunks), pages)

    def _import_streamed(self, path: Path, before: os.stat_result, content_hash: str, replacing: bool,
                         finish: Callable[..., FileOutcome], cancel: threading.Event | None,
                         on_file_progress: Callable[[FileProgress], None] | None) -> FileOutcome | None:
        """A large text file, one section at a time: read, chunk, embed, write; resumes where a run stopped."""
        read = getattr(self.extractor, "read_section", read_section)
        began = time.monotonic()
        partial = self.store.partial_import(path)
        try:
            if partial is not None and partial.content_hash == content_hash:
                doc_id, resumed_at = partial.doc_id, partial.next_section
                section = read(path, start_byte=partial.next_byte, number=partial.next_section,
                               encoding=partial.encoding)
            else:
                resumed_at = None
                section = read(path)
                doc_id = self.store.begin_streamed_document(
                    path=str(path), kind=kind_of(path), content_hash=content_hash, size=before.st_size,
                    mtime=before.st_mtime, encoding=section.encoding, first_byte=section.start_byte)
            warnings: list[str] = []
            chunk_count = self.store.document_by_path(path).chunk_count  # nonzero when resuming
            while True:
                chunks = self.page_chunks(section.number, section.text)
                vectors = self.embed_chunks(chunks, cancel)
                if vectors is None:
                    return None
                if not self._unchanged(path, before):
                    self.store.remove_document(path)
                    return finish("skipped", "the file changed while it was being imported; import it again")
                self.store.add_section(doc_id, number=section.number, text=section.text, chunks=chunks,
                                       vectors=vectors, next_byte=section.end_byte, last=section.at_end)
                if section.warning and len(warnings) < 5:
                    warnings.append(section.warning)
                chunk_count += len(chunks)
                if on_file_progress is not None:
                    on_file_progress(FileProgress(str(path), section.end_byte, before.st_size, chunk_count,
                                                  time.monotonic() - began))
                if section.at_end:
                    break
                if cancel is not None and cancel.is_set():
                    return None
                section = read(path, start_byte=section.end_byte, number=section.number + 1,
                               encoding=section.encoding)
        except ExtractionError as exc:
            if self.store.partial_import(path) is not None:
                self.store.remove_document(path)
            return finish("skipped", str(exc))
        if chunk_count == 0:
            self.store.remove_document(path)
            return finish("skipped", "no text to index")
        if resumed_at is not None and resumed_at > 1:
            warnings.insert(0, f"resumed at section {resumed_at}")
        return finish("replaced" if replacing and resumed_at is None else "added", "; ".join(warnings),
                      chunk_count)

    @staticmethod
    def _unchanged(path: Path, before: os.stat_result) -> bool:
        try:
            after = path.stat()
        except OSError:
            return False
        return (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)

    def embed_chunks(self, chunks: list[NewChunk], cancel: threading.Event | None) -> np.ndarray | None:
        vectors = [np.zeros((0, self.embedder.info.dimension), dtype=np.float32)]
        for first in range(0, len(chunks), EMBED_BATCH):
            if cancel is not None and cancel.is_set():
                return None
            vectors.append(self.embedder.embed([c.text for c in chunks[first:first + EMBED_BATCH]]))
        return np.concatenate(vectors)

    def embed_together(self, groups: list[list[NewChunk]], cancel: threading.Event | None) -> list[np.ndarray] | None:
        """The chunks of several files embedded as one list, their vectors handed back file by file."""
        vectors = self.embed_chunks([chunk for chunks in groups for chunk in chunks], cancel)
        if vectors is None:
            return None
        ends = np.cumsum([len(chunks) for chunks in groups])
        return np.split(vectors, ends[:-1])

    def page_chunks(self, number: int, text: str) -> list[NewChunk]:
        if text.isspace():
            return []  # long blank runs (padded logs) cost the tokenizer time and yield nothing
        return [NewChunk(number, span.start, span.end, span.text)
                for span in chunk_text(text, tokens=self.embedder.token_spans, max_tokens=self.chunk_tokens,
                                       overlap=self.chunk_overlap)
                if span.text.strip()]
