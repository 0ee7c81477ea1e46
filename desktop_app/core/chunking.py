"""Split page text into overlapping chunks that fit the embedder's token limit.

Chunks are windows over the embedder's own tokens, so a chunk never exceeds the limit (an
embedder silently truncates longer input: the tail would be invisible to vector search). Window
ends are moved back to a paragraph, sentence or word break when one is near.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

_SENTENCE_ENDS = frozenset(".!?。！？…;:")


class TokenSpans(Protocol):
    def spans(self, text: str) -> Sequence[tuple[int, int]]:
        """Character spans of the tokens of ``text``, without special tokens."""


@dataclass(frozen=True)
class ChunkSpan:
    start: int
    end: int
    text: str


class HFTokenizerSpans:
    """Token spans from a Hugging Face ``tokenizer.json`` (the fast Rust tokenizer, no torch)."""

    def __init__(self, tokenizer_json: Path):
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(tokenizer_json))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()

    def spans(self, text: str) -> list[tuple[int, int]]:
        encoding = self._tokenizer.encode(text, add_special_tokens=False)
        return [(s, e) for s, e in encoding.offsets if e > s]

    def count(self, text: str, *, special_tokens: bool = True) -> int:
        return len(self._tokenizer.encode(text, add_special_tokens=special_tokens).ids)


class ApproximateSpans:
    """Fallback for embedders without ``tokenizer.json``: about one token per 3 characters."""

    def spans(self, text: str) -> list[tuple[int, int]]:
        import re

        out = []
        for match in re.finditer(r"\S+", text):
            start, end = match.span()
            for piece in range(start, end, 3):
                out.append((piece, min(piece + 3, end)))
        return out


def token_spans_for(embedder_dir: Path) -> TokenSpans:
    tokenizer_json = embedder_dir / "tokenizer.json"
    if tokenizer_json.exists():
        return HFTokenizerSpans(tokenizer_json)
    return ApproximateSpans()


def chunk_text(text: str, *, tokens: TokenSpans, max_tokens: int, overlap: int) -> list[ChunkSpan]:
    """Chunks of at most ``max_tokens`` tokens, consecutive ones sharing about ``overlap`` tokens.

    Every chunk's ``text`` is ``text[start:end]``.
    """
    if max_tokens < 1:
        raise ValueError("max_tokens must be positive")
    overlap = max(0, min(overlap, max_tokens // 2))
    spans = tokens.spans(text)
    chunks: list[ChunkSpan] = []
    first = 0
    while first < len(spans):
        stop = min(first + max_tokens, len(spans))
        if stop < len(spans):
            stop = _best_break(text, spans, first, stop)
        start, end = spans[first][0], spans[stop - 1][1]
        chunks.append(ChunkSpan(start, end, text[start:end]))
        if stop >= len(spans):
            break
        next_first = max(stop - overlap, first + 1)
        first = _line_or_word_start(text, spans, next_first, limit=stop)
    return chunks


def _gap(text: str, spans: Sequence[tuple[int, int]], index: int) -> str:
    """The white space between token ``index`` and the one before it, wherever the tokenizer puts it: a
    WordPiece token leaves it out (a gap between offsets), a SentencePiece one carries it (" 8", "\n")."""
    left = spans[index - 1][1]
    while left > spans[index - 1][0] and text[left - 1].isspace():
        left -= 1
    right = spans[index][0]
    while right < spans[index][1] and text[right].isspace():
        right += 1
    return text[left:right]


def _ends_sentence(text: str, spans: Sequence[tuple[int, int]], index: int) -> bool:
    """Whether a line or a sentence ends before token ``index``."""
    gap = _gap(text, spans, index)
    before = text[spans[index - 1][0]:spans[index - 1][1]].rstrip()
    return "\n" in gap or bool(gap and before and before[-1] in _SENTENCE_ENDS)


def _best_break(text: str, spans: Sequence[tuple[int, int]], first: int, stop: int) -> int:
    """The token index to end the chunk before: a paragraph, then a sentence (or a line: a table's
    row), then a word break."""
    earliest = first + max(1, (stop - first) // 2)
    best_paragraph = best_sentence = best_word = None
    for candidate in range(stop, earliest - 1, -1):
        gap = _gap(text, spans, candidate)
        if "\n\n" in gap:
            best_paragraph = candidate
            break
        if best_sentence is None and _ends_sentence(text, spans, candidate):
            best_sentence = candidate
        if best_word is None and gap:
            best_word = candidate
    stop = best_paragraph or best_sentence or best_word or stop
    while stop - 1 > earliest and not text[spans[stop - 1][0]:spans[stop - 1][1]].strip():
        stop -= 1  # a SentencePiece token that is only a line break ends no chunk
    return stop


def _line_or_word_start(text: str, spans: Sequence[tuple[int, int]], index: int, *, limit: int) -> int:
    """Move ``index`` forward to the first token of a sentence or a line if one is before ``limit``,
    else of a word: a chunk never starts mid-word, nor mid-row of a table when it can help it."""
    words = [candidate for candidate in range(index, limit) if candidate == 0 or _gap(text, spans, candidate)]
    start = next((c for c in words if c == 0 or _ends_sentence(text, spans, c)), words[0] if words else index)
    while start + 1 < limit and not text[spans[start][0]:spans[start][1]].strip():
        start += 1  # a SentencePiece token that is only a line break
    return start
