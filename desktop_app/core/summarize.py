"""Questions about a whole document ("summarize it", "list every deadline in it"), which top-k
retrieval cannot answer: the model reads the whole document in parts that fit its context (map),
then writes the answer from its notes on the parts (reduce), citing the parts by number; each
part is a source with its pages (or section), so a citation opens the document where it is.
Notes too long for one prompt are first merged in groups, each group then cited as one part.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from desktop_app.core.errors import AppError
from desktop_app.core.extract import location_unit
from desktop_app.core.grounding import attribute_citations, check_citations, remove_invalid_citations
from desktop_app.core.llm import ChatModel, Message
from desktop_app.core.rag import Answer, AnswerTimings, Source, fence
from desktop_app.core.retrieval import Hit
from desktop_app.core.store import Store
from desktop_app.core.terms import language_of

NOTE_TOKENS = 160  # the most a note on one part may run to
ANSWER_TOKENS = 512
NOTHING = "NONE"

# The part first, then what to do with it: the small models follow an instruction that comes
# after the text, and answer NONE to everything when the question stands before it.
_MAP_SYSTEM = "You take notes on one part of a document for a reader. Use only the text of the part."
_MAP_SUMMARY = ("Write 2 to 4 short sentences with the main points of this part. Keep numbers, names and dates "
                "exactly as the text writes them.")
_MAP_QUESTION = ("Question: {question}\nCopy each sentence of this part that answers the question, word for word, "
                 f"one per line. If no sentence of this part answers it, reply exactly: {NOTHING}")
_REDUCE_SUMMARY = ("Below are numbered notes on the parts of the document {name}, in order. Write a summary of the whole "
                   "document in one paragraph of at most 8 sentences, from the notes only. After each sentence cite the "
                   "note it comes from like [2].{language}")
_REDUCE_QUESTION = ("Below are numbered notes on the parts of the document {name}, in order. Answer from the notes only: "
                    "{question}\nList every item the notes give, each with the note it comes from like [2]. If the notes "
                    "hold nothing that answers, say that the document does not say.{language}")
_IN_KOREAN = " Write in Korean."


@dataclass(frozen=True)
class Part:
    """A stretch of the document: its text, where it starts and ends (pages or sections)."""

    first: int
    last: int
    text: str
    start_char: int  # in the first page's text
    end_char: int  # in the last page's text


@dataclass(frozen=True)
class SummaryProgress:
    stage: str  # "reading" (map), "merging" (notes that do not fit are merged), "writing" (reduce)
    done: int
    total: int


def split_into_parts(pages: list[tuple[int, str]], budget: int, count_tokens: Callable[[str], int]) -> list[Part]:
    """Consecutive paragraphs of the pages, at most ``budget`` tokens a part (a longer paragraph alone)."""
    parts: list[Part] = []
    pieces: list[tuple[int, int, int, str]] = []  # page, start, end, text
    for number, text in pages:
        start = 0
        for paragraph in text.split("\n\n"):
            end = start + len(paragraph)
            if paragraph.strip():
                pieces.append((number, start, end, paragraph.strip()))
            start = end + 2
    current: list[tuple[int, int, int, str]] = []
    used = 0
    for piece in pieces:
        tokens = count_tokens(piece[3])
        if current and used + tokens > budget:
            parts.append(_part(current))
            current, used = [], 0
        current.append(piece)
        used += tokens
    if current:
        parts.append(_part(current))
    return parts


def _part(pieces: list[tuple[int, int, int, str]]) -> Part:
    return Part(pieces[0][0], pieces[-1][0], "\n\n".join(p[3] for p in pieces), pieces[0][1], pieces[-1][2])


def summarize_document(
    model: ChatModel,
    store: Store,
    doc_path: str,
    *,
    question: str | None = None,
    on_progress: Callable[[SummaryProgress], None] | None = None,
    on_token: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
    part_tokens: int | None = None,
    notes_tokens: int | None = None,
) -> Answer:
    """Summarize the imported document ``doc_path``, or answer ``question`` about all of it.

    ``part_tokens``: the most a part may hold, ``notes_tokens``: the most the notes may hold
    together before they are merged (both default to what fits the model's context)."""
    document = store.document_by_path(doc_path)
    if document is None:
        raise AppError(f"{doc_path} is not in the library: import it first")
    pages = store.pages(doc_path)
    name = Path(doc_path).name
    asked = question or f"Summarize {name}"
    language = language_of(question if question else " ".join(text for _, text in pages[:3])[:4000])
    started = time.perf_counter()
    budget = max(256, model.n_ctx - ANSWER_TOKENS - 400)
    parts = split_into_parts(pages, part_tokens or budget, model.count_tokens)
    request = _MAP_QUESTION.format(question=question) if question else _MAP_SUMMARY
    notes: list[tuple[Part, str]] = []
    for index, part in enumerate(parts, start=1):
        if on_progress is not None:
            on_progress(SummaryProgress("reading", index - 1, len(parts)))
        where = _where(doc_path, document.paged, part)
        note = _ask(model, _MAP_SYSTEM,
                    f"Part {index} of {len(parts)} of {name} ({where}):\n<part>\n{fence(part.text)}\n</part>\n\n{request}",
                    NOTE_TOKENS, cancel)
        if cancel is not None and cancel.is_set():
            return _stopped(asked, model, started)
        if note and note.strip().rstrip(".").upper() != NOTHING:
            notes.append((part, note.strip()))
    notes = _fit(model, notes, notes_tokens or budget, on_progress, cancel)
    if cancel is not None and cancel.is_set():
        return _stopped(asked, model, started)
    sources = tuple(Source(number, _hit(doc_path, document.paged, part, note))
                    for number, (part, note) in enumerate(notes, start=1))
    if on_progress is not None:
        on_progress(SummaryProgress("writing", len(parts), len(parts)))
    if not notes:
        text = ("문서에 나와 있지 않습니다." if language == "ko" else "The document does not say.") if question \
            else "The document has no text to summarize."
        if on_token is not None:
            on_token(text)
        return Answer(question=asked, text=text, sources=(), stats=None, model=model.name, used_retrieval=False,
                      timings=AnswerTimings(generation_s=time.perf_counter() - started))
    template = _REDUCE_QUESTION if question else _REDUCE_SUMMARY
    system = template.format(name=name, question=question, language=_IN_KOREAN if language == "ko" else "")
    listing = "\n\n".join(f"[{s.number}] ({_where(doc_path, document.paged, part)}) {note}"
                          for s, (part, note) in zip(sources, notes))
    pieces = []
    for piece in model.stream([Message("system", system), Message("user", listing)], max_tokens=ANSWER_TOKENS,
                              temperature=0.2, seed=0, cancel=cancel):
        pieces.append(piece)
        if on_token is not None:
            on_token(piece)
    notes_text = [s.hit.text for s in sources]
    # The model often leaves out the citations: each sentence cites the note that holds it.
    text, placed = attribute_citations(remove_invalid_citations("".join(pieces).strip(), len(sources)), notes_text)
    stats = model.last_stats
    return Answer(question=asked, text=text, sources=sources, stats=stats, model=model.name, used_retrieval=False,
                  checks=check_citations(text, notes_text), citations_placed=placed,
                  timings=AnswerTimings(generation_s=time.perf_counter() - started,
                                        prompt_tokens=stats.prompt_tokens if stats else 0))


def _fit(model, notes, budget, on_progress, cancel) -> list[tuple[Part, str]]:
    """Merge neighbouring notes until all of them fit one prompt."""
    while len(notes) > 1 and sum(model.count_tokens(n) + 12 for _, n in notes) > budget:
        per_group = max(2, len(notes) // max(2, sum(model.count_tokens(n) for _, n in notes) // budget + 1))
        groups = [notes[i:i + per_group] for i in range(0, len(notes), per_group)]
        merged = []
        for index, group in enumerate(groups):
            if on_progress is not None:
                on_progress(SummaryProgress("merging", index, len(groups)))
            if cancel is not None and cancel.is_set():
                return notes
            first, last = group[0][0], group[-1][0]
            span = Part(first.first, last.last, "\n".join(n for _, n in group), first.start_char, last.end_char)
            text = _ask(model, "Merge these notes on consecutive parts of a document into one note of at most "
                               "4 sentences. Keep numbers, names and dates exactly. Use only the notes.",
                        span.text, NOTE_TOKENS, cancel)
            merged.append((span, text.strip() or span.text[:600]))
        notes = merged
    return notes


def _ask(model: ChatModel, system: str, user: str, max_tokens: int, cancel) -> str:
    return model.complete([Message("system", system), Message("user", user)], max_tokens=max_tokens,
                          temperature=0.1, seed=0, cancel=cancel)


def _where(doc_path: str, paged: bool, part: Part) -> str:
    unit = location_unit(doc_path) if paged else "section"
    return f"{unit} {part.first}" if part.first == part.last else f"{unit}s {part.first}-{part.last}"


def _hit(doc_path: str, paged: bool, part: Part, note: str) -> Hit:
    return Hit(chunk_id=0, doc_path=doc_path, page=part.first if paged else None, section=part.first,
               start_char=part.start_char, end_char=part.end_char if part.first == part.last else part.start_char + 1,
               text=note, score=1.0, vector_rank=None, keyword_rank=None, vector_distance=None)


def _stopped(asked: str, model: ChatModel, started: float) -> Answer:
    return Answer(question=asked, text="", sources=(), stats=model.last_stats, model=model.name, used_retrieval=False,
                  timings=AnswerTimings(generation_s=time.perf_counter() - started))
