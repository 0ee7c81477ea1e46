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
        first = _word_start(text, spans, next_first, limit=stop)
    return chunks


def _best_break(text: str, spans: Sequence[tuple[int, int]], first: int, stop: int) -> int:
    """The token index to end the chunk before: a paragraph, then a sentence, then a word break."""
    earliest = first + max(1, (stop - first) // 2)
    best_sentence = best_word = None
    for candidate in range(stop, earliest - 1, -1):
        gap = text[spans[candidate - 1][1]:spans[candidate][0]]
        if "\n\n" in gap:
            return candidate
        if best_sentence is None and gap and (
            "\n" in gap or text[spans[candidate - 1][1] - 1] in _SENTENCE_ENDS
        ):
            best_sentence = candidate
        if best_word is None and gap:
            best_word = candidate
    return best_sentence or best_word or stop


def _word_start(text: str, spans: Sequence[tuple[int, int]], index: int, *, limit: int) -> int:
    """Move ``index`` forward to a token that starts a word, so a chunk never starts mid-word."""
    for candidate in range(index, limit):
        if candidate == 0 or spans[candidate][0] > spans[candidate - 1][1]:
            return candidate
    return index
