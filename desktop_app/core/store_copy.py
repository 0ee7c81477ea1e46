"""Copy a library from one store to another (SQLite <-> PostgreSQL), then prove nothing was lost.

Documents go over with their pages, chunks and the very vectors they were indexed with (nothing is
parsed or embedded again), one document per transaction; then conversations with their sources
(pointing at the copied chunks), evaluation runs and watched folders, each with its original times.
The copy is checked twice: the counts of everything, and a checksum of the content (documents,
chunks, vectors) plus the keyword and vector search results of sample queries, on both stores.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Callable

from desktop_app.core.embedding import EmbedderInfo
from desktop_app.core.errors import StoreError
from desktop_app.core.store import Store
from desktop_app.core.terms import keyword_query

# Chunks whose first words and vector become the sample queries of the search checksum.
SAMPLE_QUERIES = 20


@dataclass
class CopyReport:
    source_counts: dict[str, int] = field(default_factory=dict)
    target_counts: dict[str, int] = field(default_factory=dict)
    source_checksum: str = ""
    target_checksum: str = ""
    skipped: list[str] = field(default_factory=list)  # unfinished imports, with the reason

    @property
    def identical(self) -> bool:
        return self.source_counts == self.target_counts and self.source_checksum == self.target_checksum


def copy_library(source: Store, target: Store, *, progress: Callable[[int, int, str], None] | None = None) -> CopyReport:
    """Copy everything in ``source`` into ``target``, which must hold no documents yet.

    Raises:
        StoreError: the target already holds documents or conversations.
    """
    if target.stats()["documents"] or target.conversations.all():
        raise StoreError(f"{target.location} already holds a library; copy into an empty store.")
    report = CopyReport()
    identity = source.embedder_identity
    if identity is not None:
        name, dimension = identity.rsplit("/", 1)
        target.bind_embedder(EmbedderInfo(name, int(dimension), max_tokens=0), source.embedder_source)
    chunk_ids: dict[int, int] = {}
    documents = sorted(source.documents(), key=lambda d: d.id)  # in import order
    for index, document in enumerate(documents, start=1):
        if progress is not None:
            progress(index, len(documents), document.path)
        if not document.complete:
            report.skipped.append(f"{document.path}: its import was not finished (import it again to complete it)")
            continue
        old_ids, chunks, vectors = source.document_chunks(document.id)
        new_id = target.put_document(path=document.path, kind=document.kind, paged=document.paged,
                                     content_hash=document.content_hash, size=document.size, mtime=document.mtime,
                                     pages=source.pages(document.path), chunks=chunks, vectors=vectors,
                                     added_at=document.added_at)
        chunk_ids.update(zip(old_ids, target.document_chunks(new_id)[0]))
    _copy_conversations(source, target, chunk_ids)
    for run in source.eval_runs.all():
        target.eval_runs.save(kind=run.kind, label=run.label, settings=run.settings, summary=run.summary,
                              details=run.details, created_at=run.created_at)
    for folder in source.watched.all():
        target.watched.add(folder.path, added_at=folder.added_at)
        target.watched.set_paused(folder.path, folder.paused)
        if folder.synced_at is not None:
            target.watched.record_sync(folder.path, folder.last_result, at=folder.synced_at)
    report.source_counts, report.target_counts = library_counts(source), library_counts(target)
    report.source_checksum, report.target_checksum = library_checksum(source), library_checksum(target)
    return report


def _copy_conversations(source: Store, target: Store, chunk_ids: dict[int, int]) -> None:
    conversations = sorted(source.conversations.all(), key=lambda c: c.id)
    for conversation in conversations:
        new = target.conversations.create(conversation.title, at=conversation.created_at)
        messages = source.conversations.messages(conversation.id)
        for question, answer in zip(messages[::2], messages[1::2]):
            sources = [replace(s, chunk_id=chunk_ids.get(s.chunk_id)) for s in answer.sources]
            target.conversations.add_exchange(
                new.id, question=question.content, answer=answer.content, model=answer.model,
                adapters=answer.adapters, used_retrieval=answer.used_retrieval, stats=answer.stats,
                sources=sources, at=answer.created_at)


def library_counts(store: Store) -> dict[str, int]:
    conversations = store.conversations.all()
    return {
        **store.stats(),
        "pages": sum(len(store.pages(d.path)) for d in store.documents()),
        "conversations": len(conversations),
        "messages": sum(len(store.conversations.messages(c.id)) for c in conversations),
        "evaluation runs": len(store.eval_runs.all()),
        "watched folders": len(store.watched.all()),
    }


def library_checksum(store: Store) -> str:
    """SHA-256 over every document (path, hash, pages), chunk (place, text, float32 vector) and the
    search results of sample queries taken from the chunks: the top keyword scores (and the best
    hit's place where no other chunk ties with it) and the nearest vector's distance."""
    digest = hashlib.sha256()
    samples = []
    for document in sorted(store.documents(), key=lambda d: d.path):
        digest.update(f"{document.path}\0{document.content_hash}\0{document.kind}\0{document.page_count}".encode())
        for number, text in store.pages(document.path):
            digest.update(f"{number}\0{text}".encode())
        _, chunks, vectors = store.document_chunks(document.id)
        for chunk, vector in zip(chunks, vectors):
            digest.update(f"{chunk.page_no}\0{chunk.start_char}\0{chunk.end_char}\0{chunk.text}".encode())
            digest.update(vector.astype("float32").tobytes())
        samples.extend(zip(chunks, vectors))
    step = max(1, len(samples) // SAMPLE_QUERIES)
    for chunk, vector in samples[::step][:SAMPLE_QUERIES]:
        query = " ".join(chunk.text.split()[:8])
        keyword = store.search.bm25(keyword_query(query), depth=3)
        scores = [round(score, 6) for _, score in keyword]
        best = _place(store, keyword[0][0]) if len(set(scores[:2])) == len(scores[:2]) > 0 else None
        nearest = [round(distance, 4) + 0.0 for _, distance in store.search.knn(vector, depth=1)]
        digest.update(repr((scores, best, nearest)).encode())
    return digest.hexdigest()


def _place(store: Store, chunk_id: int) -> tuple:
    record = store.chunks_by_id([chunk_id])[chunk_id]
    return record.doc_path, record.section_no, record.start_char
