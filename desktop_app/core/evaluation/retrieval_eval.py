"""Retrieval evaluation: MRR@10, nDCG@10 and Recall@k per query and overall, for vector-only,
keyword-only and hybrid search, on a BEIR-layout folder or on the user's library with a
questions file."""

from __future__ import annotations

import csv
import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from desktop_app.core.chunking import chunk_text
from desktop_app.core.embedding import Embedder
from desktop_app.core.evaluation.metrics import dedupe, ndcg, recall, reciprocal_rank
from desktop_app.core.retrieval import Hit, Mode, retrieve
from desktop_app.core.store import NewChunk, Store
from desktop_app.core.terms import language_of

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RetrievalQuery:
    id: str
    text: str
    relevant: dict[str, int]  # item key -> graded relevance (> 0 relevant)


# --- BEIR layout -------------------------------------------------------------------------------

def load_beir(folder: Path, *, split: str = "test") -> tuple[dict[str, str], list[RetrievalQuery]]:
    """``corpus.jsonl`` (_id, title, text), ``queries.jsonl`` (_id, text), ``qrels/<split>.tsv`` or ``qrels.tsv``."""
    folder = Path(folder)
    corpus = {}
    with open(folder / "corpus.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                title = record.get("title") or ""
                corpus[str(record["_id"])] = f"{title}\n\n{record.get('text', '')}".strip()
    texts = {}
    with open(folder / "queries.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                texts[str(record["_id"])] = record["text"]
    qrels_path = folder / "qrels" / f"{split}.tsv"
    if not qrels_path.exists():
        qrels_path = folder / "qrels.tsv"
    relevant: dict[str, dict[str, int]] = {}
    with open(qrels_path, encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if len(row) < 3 or row[0] in ("query-id", "query_id"):
                continue
            relevant.setdefault(row[0], {})[row[1]] = int(float(row[2]))
    queries = [RetrievalQuery(qid, texts[qid], rel) for qid, rel in relevant.items() if qid in texts]
    return corpus, queries


def beir_store_path(eval_dir: Path, folder: Path, embedder_identity: str) -> Path:
    """One store per BEIR folder and embedder (its index is reused while the corpus is unchanged)."""
    digest = hashlib.sha256(f"{Path(folder).resolve()}\n{embedder_identity}".encode()).hexdigest()[:10]
    return eval_dir / f"beir-{Path(folder).name}-{digest}.sqlite3"


def index_corpus(store: Store, embedder: Embedder, corpus: dict[str, str], *, chunk_tokens: int = 200,
                 overlap: int = 40, progress: Progress | None = None, cancel: threading.Event | None = None,
                 batch: int = 64) -> dict[str, int]:
    """Index ``corpus`` records as documents ``beir:<id>``; records already there unchanged are skipped."""
    store.bind_embedder(embedder.info)
    known = {doc.path: doc.content_hash for doc in store.documents()}
    todo = []
    for doc_id, text in corpus.items():
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if known.get(f"beir:{doc_id}") != digest:
            todo.append((doc_id, text, digest))
    stale = set(known) - {f"beir:{d}" for d in corpus}
    for path in stale:
        store.remove_document(path)
    limit = min(chunk_tokens, embedder.chunk_token_limit)
    done = 0
    for first in range(0, len(todo), batch):
        if cancel is not None and cancel.is_set():
            break
        group = todo[first:first + batch]
        chunked = [[NewChunk(1, c.start, c.end, c.text) for c in
                    chunk_text(text, tokens=embedder.token_spans, max_tokens=limit, overlap=overlap) if c.text.strip()]
                   for _, text, _ in group]
        flat = [chunk.text for chunks in chunked for chunk in chunks]
        vectors = embedder.embed(flat) if flat else np.zeros((0, embedder.info.dimension), dtype=np.float32)
        offset = 0
        for (doc_id, text, digest), chunks in zip(group, chunked):
            store.put_document(path=f"beir:{doc_id}", kind="text", paged=False, content_hash=digest,
                               size=len(text), mtime=0.0, pages=[(1, text)], chunks=chunks,
                               vectors=vectors[offset:offset + len(chunks)])
            offset += len(chunks)
        done += len(group)
        if progress is not None:
            progress(done, len(todo))
    return {"indexed": done, "reused": len(corpus) - len(todo), "removed": len(stale)}


# --- the user's library ------------------------------------------------------------------------

def load_library_questions(path: Path, store: Store) -> list[RetrievalQuery]:
    """JSONL lines ``{"question": ..., "doc": name or path, "page": optional}``."""
    documents = store.documents()
    queries = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            if not record.get("doc"):
                continue  # unanswerable questions have no relevant document
            wanted = str(record["doc"])
            match = next((d for d in documents if d.path == wanted or d.name == wanted), None)
            if match is None:
                raise ValueError(f"{path}:{number}: the document '{wanted}' is not in the library")
            key = match.path if record.get("page") is None else f"{match.path}#p{int(record['page'])}"
            queries.append(RetrievalQuery(str(record.get("id", number)), record["question"], {key: 1}))
    return queries


def hit_key(hit: Hit, *, with_page: bool) -> str:
    path = hit.doc_path[len("beir:"):] if hit.doc_path.startswith("beir:") else hit.doc_path
    return f"{path}#p{hit.page}" if with_page and hit.page is not None else path


# --- scoring -----------------------------------------------------------------------------------

DOCUMENT_RRF = "document RRF"


def reciprocal_rank_fusion(rankings: Iterable[list[str]], *, k: int = 60) -> list[str]:
    """Items ordered by the sum of 1 / (``k`` + rank) over the rankings that hold them."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores, key=lambda item: -scores[item])


def evaluate_retrieval(
    store: Store,
    embedder: Embedder,
    queries: Iterable[RetrievalQuery],
    *,
    k: int = 10,
    modes: tuple[Mode, ...] = (Mode.VECTOR, Mode.KEYWORD, Mode.HYBRID),
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    baseline: bool = False,
) -> tuple[dict, list]:
    """Returns (summary: mode -> metric -> mean, details: per query and mode).

    With ``baseline`` (and both single modes among ``modes``), one more row, ``DOCUMENT_RRF``: the
    textbook fusion hybrid search has to beat, each single mode's list collapsed to documents (a
    document's rank its best chunk's) and the two fused by reciprocal rank (k = 60).
    """
    queries = list(queries)
    depth = max(k, 10)
    details = []
    names = [mode.value for mode in modes]
    baseline = baseline and Mode.VECTOR in modes and Mode.KEYWORD in modes
    if baseline:
        names.append(DOCUMENT_RRF)
    sums = {name: {"MRR@10": 0.0, "nDCG@10": 0.0, f"Recall@{k}": 0.0} for name in names}
    for index, query in enumerate(queries, start=1):
        if cancel is not None and cancel.is_set():
            queries = queries[:index - 1]
            break
        with_page = any("#p" in key for key in query.relevant)
        row = {"id": query.id, "query": query.text}
        lists = {}
        for mode in modes:
            hits = retrieve(store, embedder, query.text, k=depth * 3, mode=mode, min_similarity=-1.0)
            lists[mode.value] = dedupe([hit_key(h, with_page=with_page) for h in hits])
        if baseline:
            lists[DOCUMENT_RRF] = reciprocal_rank_fusion([lists[Mode.VECTOR.value], lists[Mode.KEYWORD.value]])
        for name, ranked in lists.items():
            ranked = ranked[:depth]
            scores = {"MRR@10": reciprocal_rank(ranked, query.relevant, 10),
                      "nDCG@10": ndcg(ranked, query.relevant, 10),
                      f"Recall@{k}": recall(ranked, query.relevant, k)}
            for metric, value in scores.items():
                sums[name][metric] += value
            row[name] = {**{m: round(v, 4) for m, v in scores.items()}, "top": ranked[:3]}
        details.append(row)
        if progress is not None:
            progress(index, len(queries))
    count = max(1, len(details))
    summary = {mode: {metric: round(total / count, 4) for metric, total in metrics.items()}
               for mode, metrics in sums.items()}
    for values in summary.values():
        values["queries"] = len(details)
    languages = {row["id"]: language_of(row["query"]) for row in details}
    if len(set(languages.values())) > 1:  # a mixed set: each mode again per language of the question
        for language in sorted(set(languages.values())):
            rows = [row for row in details if languages[row["id"]] == language]
            for mode in sums:
                metrics = list(sums[mode])
                summary[f"{mode} [{language}]"] = {
                    **{m: round(sum(row[mode][m] for row in rows) / len(rows), 4) for m in metrics},
                    "queries": len(rows)}
    return summary, details
