"""Retrieval metrics (hand-written: each is a few lines of a textbook formula, tested against
hand-computed values) and answer metrics (the maintained rouge-score and sacrebleu)."""

from __future__ import annotations

import math
import re
from typing import Mapping, Sequence

from desktop_app.core.rag import CITATION


def reciprocal_rank(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    """1/rank of the first relevant item in the top ``k``; 0 when none."""
    for rank, item in enumerate(ranked[:k], start=1):
        if relevant.get(item, 0) > 0:
            return 1.0 / rank
    return 0.0


def ndcg(ranked: Sequence[str], relevant: Mapping[str, int], k: int = 10) -> float:
    """Normalised discounted cumulative gain with graded relevance (gain = grade, log2 discount)."""
    dcg = sum(relevant.get(item, 0) / math.log2(rank + 1) for rank, item in enumerate(ranked[:k], start=1))
    ideal = sorted((g for g in relevant.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(rank + 1) for rank, g in enumerate(ideal, start=1))
    return dcg / idcg if idcg > 0 else 0.0


def recall(ranked: Sequence[str], relevant: Mapping[str, int], k: int) -> float:
    wanted = {item for item, grade in relevant.items() if grade > 0}
    if not wanted:
        return 0.0
    return len(wanted & set(ranked[:k])) / len(wanted)


def dedupe(items: Sequence[str]) -> list[str]:
    """Keep the first occurrence: several chunks of one document count once, at its best rank."""
    seen: set[str] = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


class _UnicodeTokenizer:
    """Words for ROUGE in any script (rouge-score's default drops everything but a-z0-9);
    Korean is split into morphemes like the keyword index."""

    def tokenize(self, text: str) -> list[str]:
        from desktop_app.core.terms import analyse

        return re.findall(r"\w+", analyse(text).lower())


def rouge_l(prediction: str, reference: str) -> float:
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rougeL"], tokenizer=_UnicodeTokenizer())
    return scorer.score(reference, prediction)["rougeL"].fmeasure


def bleu(prediction: str, reference: str) -> float:
    """Sentence BLEU (0..100), sacrebleu's international tokenizer, exponential smoothing."""
    import sacrebleu

    return sacrebleu.sentence_bleu(prediction, [reference], tokenize="intl").score


def strip_citations(text: str) -> str:
    return " ".join(CITATION.sub(" ", text).split())


def normalise(text: str) -> str:
    """Lower-case words; Korean split into morphemes, so 팀장이다 still holds 팀장."""
    from desktop_app.core.terms import analyse

    return " ".join(re.findall(r"\w+", analyse(text).lower()))


def contains_reference(text: str, reference: str) -> bool:
    """Whether ``text`` holds the reference's key content: the reference itself, or all its words
    in any order (Korean as morphemes, which can split a name differently in and out of context)."""
    if " ".join(reference.lower().split()) in " ".join(text.lower().split()):
        return True
    words = set(normalise(reference).split())
    return bool(words) and words <= set(normalise(text).split())
