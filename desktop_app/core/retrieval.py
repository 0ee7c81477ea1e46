"""Hybrid retrieval: exact vector search and BM25 (FTS5), fused by a convex combination of their
min-max-normalised scores."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from itertools import zip_longest
from pathlib import Path
from typing import Callable, Sequence

from desktop_app.core.embedding import Embedder
from desktop_app.core.extract import heading_path, kind_of
from desktop_app.core.store import Store
from desktop_app.core.terms import indexed_terms, language_of, keyword_query, query_terms

# Each list's top FUSION_DEPTH candidates are fused (more when more are asked for); a fixed depth
# keeps the min-max normalisation, and so the ranking, the same for the answer's 5 and an
# evaluation's 30. The vector list's share of the fused score: 0.5 and 40, tuned on the SQuAD and
# KorQuAD tuning samples, reported on the others (docs/benchmarks.md, "Fusion").
FUSION_DEPTH = 40
VECTOR_SHARE = 0.5
# A chunk found only by vector search, below this cosine similarity, is noise rather than a source.
MIN_VECTOR_ONLY_SIMILARITY = 0.15
# For a question in another language than the passages found: the share of its terms a keyword hit
# must hold for the keyword list to count at all (tuned on our own cross-language set, docs/benchmarks.md).
MIN_CROSS_LANGUAGE_COVERAGE = 0.5


class Mode(str, Enum):
    HYBRID = "hybrid"
    VECTOR = "vector"
    KEYWORD = "keyword"


@dataclass(frozen=True)
class Hit:
    chunk_id: int
    doc_path: str
    page: int | None  # 1-based page of a paged document (PDF), None otherwise
    section: int
    start_char: int  # offsets of the chunk in its page (or section) text
    end_char: int
    text: str
    score: float  # fused score (higher is better)
    vector_rank: int | None  # 1-based rank in the vector list, None if absent from it
    keyword_rank: int | None
    vector_distance: float | None
    heading: str = ""  # the headings the chunk falls under ("Budget › Dental wing"), where the text has some

    @property
    def doc_name(self) -> str:
        return Path(self.doc_path).name

    @property
    def relevance(self) -> str | None:
        """"High", "Medium" or "Low", for a reader: the fused score means nothing to a person.

        High: both searches found the chunk and one ranked it in its top 3. Medium: both found it,
        or one ranked it first. Low: one search found it further down. None when the ranks are
        not known (a source saved with an older answer).
        """
        ranks = [r for r in (self.vector_rank, self.keyword_rank) if r is not None]
        if not ranks:
            return None
        if len(ranks) == 2 and min(ranks) <= 3:
            return "High"
        if len(ranks) == 2 or min(ranks) == 1:
            return "Medium"
        return "Low"


def retrieve(
    store: Store,
    embedder: Embedder | None,
    query: str,
    *,
    k: int = 5,
    mode: Mode = Mode.HYBRID,
    doc_ids: Sequence[int] | None = None,
    candidates: int | None = None,
    min_similarity: float = MIN_VECTOR_ONLY_SIMILARITY,
) -> list[Hit]:
    """The ``k`` best chunks for ``query``, optionally only from the documents ``doc_ids``.

    Each list (vector, keyword) contributes its top ``candidates``; each list's scores (cosine
    similarity, BM25) are min-max normalised over those candidates and a chunk's fused score is
    ``VECTOR_SHARE`` times its vector score plus the rest times its keyword score (0 in a list it
    is absent from), the keyword list's share weighted down for a question in another language
    than the passages found (``_keyword_weight``). A chunk that only vector search found, with a
    cosine similarity under ``min_similarity``, is left out. In hybrid mode a query in a language
    the embedder was not trained on (a Korean question, all-MiniLM-L6-v2) is not embedded at all:
    such a model's nearest neighbours are noise that would drown the keywords.
    """
    if k <= 0 or not query.strip():
        return []
    if doc_ids is not None and not doc_ids:
        return []
    depth = candidates or max(k, FUSION_DEPTH)
    vector_ranked: list[tuple[int, float]] = []
    keyword_ranked: list[tuple[int, float]] = []
    blind = mode is Mode.HYBRID and embedder is not None and not embedder.info.reads(language_of(query))
    if mode in (Mode.HYBRID, Mode.VECTOR) and embedder is not None and store.embedder_identity and not blind:
        store.check_embedder(embedder.info)
        vector_ranked = store.search.knn(embedder.embed_query(query), depth=depth, doc_ids=doc_ids)
    if mode in (Mode.HYBRID, Mode.KEYWORD):
        keyword_ranked = store.search.bm25(keyword_query(query), depth=depth, doc_ids=doc_ids)

    keyword_weight = (_keyword_weight(store, query, vector_ranked, [c for c, _ in keyword_ranked])
                      if vector_ranked and keyword_ranked else 1.0)
    keyword_set = {chunk_id for chunk_id, _ in keyword_ranked}
    vector_ranked = [(c, d) for c, d in vector_ranked if c in keyword_set or 1.0 - d >= min_similarity]
    vector_rank = {chunk_id: rank for rank, (chunk_id, _) in enumerate(vector_ranked, start=1)}
    keyword_rank = {chunk_id: rank for rank, (chunk_id, _) in enumerate(keyword_ranked, start=1)}
    distance = dict(vector_ranked)
    vector_share = VECTOR_SHARE if vector_ranked and keyword_ranked else float(bool(vector_ranked))
    scores: dict[int, float] = {}
    for chunk_id, similarity in _min_max([(c, 1.0 - d) for c, d in vector_ranked]).items():
        scores[chunk_id] = vector_share * similarity
    for chunk_id, score in _min_max(keyword_ranked).items():
        scores[chunk_id] = scores.get(chunk_id, 0.0) + (1.0 - vector_share) * keyword_weight * score
    best = sorted(scores, key=lambda c: (-scores[c], vector_rank.get(c, 10**9)))[:k]
    records = store.chunks_by_id(best)
    headings = _headings(store, [records[c] for c in best if c in records])
    return [
        Hit(chunk_id=c, doc_path=records[c].doc_path, page=records[c].page_no, section=records[c].section_no,
            start_char=records[c].start_char, end_char=records[c].end_char, text=records[c].text,
            score=round(scores[c], 6), vector_rank=vector_rank.get(c), keyword_rank=keyword_rank.get(c),
            vector_distance=distance.get(c), heading=headings.get(c, ""))
        for c in best if c in records
    ]


# (question, language) -> the question in that language, or None.
Translate = Callable[[str, str], str | None]


def retrieve_across_languages(store: Store, embedder: Embedder | None, query: str, translate: Translate, *,
                              k: int = 5, doc_ids: Sequence[int] | None = None,
                              min_similarity: float = MIN_VECTOR_ONLY_SIMILARITY) -> tuple[list[Hit], str | None]:
    """``retrieve``'s hits for ``query``, joined by passages in the library's other language (English
    for a Korean question, Korean for an English one) found by the question's translation; and that
    translation (None when none was made).

    The question is translated only when the library holds passages in the other language and
    none of the hits in the question's own language holds at least half of its terms (a paraphrase,
    a question about the other language's documents, or one the documents do not answer): a
    multilingual embedder ranks the other language's passages too low for its answer to be found
    otherwise, and keyword search cannot find them at all. The two lists alternate, the one whose
    first passage is nearer its own query leading.
    """
    hits = retrieve(store, embedder, query, k=k, doc_ids=doc_ids, min_similarity=min_similarity)
    language = language_of(query)
    other = "en" if language == "ko" else "ko"
    if _held_in_own_language(store, query, hits) or not store.holds_language(other):
        return hits, None
    translation = translate(query, other)
    if not translation:
        return hits, None
    found = [hit for hit in retrieve(store, embedder, translation, k=k, doc_ids=doc_ids, min_similarity=min_similarity)
             if language_of(hit.text) == other]
    if not found:
        return hits, translation
    lead, follow = (found, hits) if hits and _similarity(found[0]) > _similarity(hits[0]) else (hits, found)
    merged: dict[int, Hit] = {}
    for pair in zip_longest(lead, follow):
        for hit in pair:
            if hit is not None and hit.chunk_id not in merged:
                merged[hit.chunk_id] = hit
    return list(merged.values())[:k], translation


def _held_in_own_language(store: Store, query: str, hits: Sequence[Hit]) -> bool:
    """Whether a keyword hit in the question's language holds at least half of its terms."""
    language = language_of(query)
    own = [hit.chunk_id for hit in hits if hit.keyword_rank is not None and language_of(hit.text) == language]
    return _best_coverage(store, query, own) >= MIN_CROSS_LANGUAGE_COVERAGE


def _similarity(hit: Hit) -> float:
    return 1.0 - hit.vector_distance if hit.vector_distance is not None else 0.0


def _headings(store: Store, records) -> dict[int, str]:
    """Each chunk's heading path, from the text of its page (or section); none for PDFs and images,
    whose text has no heading markup (a line that starts with "# " there is not one)."""
    texts: dict[tuple[str, int], str] = {}
    found = {}
    for record in records:
        if kind_of(Path(record.doc_path)) in ("pdf", "image"):
            continue
        key = (record.doc_path, record.section_no)
        if key not in texts:
            texts[key] = store.page_text(*key) or ""
        found[record.id] = heading_path(texts[key], record.start_char)
    return found


def _min_max(scored: Sequence[tuple[int, float]]) -> dict[int, float]:
    """Scores mapped onto [0, 1], the best to 1 and the worst to 0 (all to 1 when they are equal)."""
    if not scored:
        return {}
    values = [score for _, score in scored]
    low, high = min(values), max(values)
    if high <= low:
        return {chunk_id: 1.0 for chunk_id, _ in scored}
    return {chunk_id: (score - low) / (high - low) for chunk_id, score in scored}


def _keyword_weight(store: Store, query: str, vector_ranked: Sequence[tuple[int, float]],
                    keyword_ranked: Sequence[int], *, top: int = 3) -> float:
    """The weight of the keyword list in the fusion of this query's two lists.

    1 (the keyword list's full share) unless the question is in another language than the passages
    the multilingual vector search finds first (a Korean question about English documents). Then
    keyword search, which only matches words, can find nothing but stray same-language passages:
    it keeps its weight only where one of its first chunks holds at least half of the question's
    terms (a name, a number), in proportion to that share, and is left out otherwise.
    """
    first = store.chunks_by_id([chunk_id for chunk_id, _ in vector_ranked[:top]])
    language = language_of(query)
    if sum(language_of(chunk.text) != language for chunk in first.values()) * 2 <= len(first):
        return 1.0
    if not query_terms(query) or not keyword_ranked:
        return 1.0
    coverage = _best_coverage(store, query, keyword_ranked[:top])
    return coverage if coverage >= MIN_CROSS_LANGUAGE_COVERAGE else 0.0


def _best_coverage(store: Store, query: str, chunk_ids: Sequence[int]) -> float:
    """The largest share of the query's terms one of the chunks holds (0 with no terms or chunks)."""
    wanted = {t.lower() for t in query_terms(query)}
    if not wanted or not chunk_ids:
        return 0.0
    held = store.search.terms(list(chunk_ids))
    return max((len(wanted & indexed_terms(terms)) / len(wanted) for terms in held.values()), default=0.0)
