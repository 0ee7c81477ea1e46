"""Whether a sentence affirms or denies: what an answer to a yes-or-no question is checked against."""

from __future__ import annotations

import re
from typing import Sequence

NEGATION = re.compile(r"\b(?:never|cannot|nor)\b|\bnot\b(?!\s+only)|n't\b|"
                      r"\bno\b(?!\s+(?:more|less|fewer|later|earlier|longer|sooner)\b)|없|않|못\s|금지|불가|안\s*됩",
                      re.IGNORECASE)  # "no more than two items" denies nothing
_YES = re.compile(r"^\W*(?:yes\b|네\s*[,.!]|예\s*[,.!])", re.IGNORECASE)
# A question answered by yes or no: an English one opens with its verb, a Korean one has no question word.
_YES_NO_QUESTION = re.compile(r"^\W*(?:is|are|was|were|do|does|did|can|could|will|would|should|must|has|have|may)\b",
                              re.IGNORECASE)
_KOREAN_YES_NO_QUESTION = re.compile(r"(?:나요|까요|습니까|인가요|가요)\s*\?*\s*$")
_KOREAN_QUESTION_WORD = re.compile(r"누구|누가|언제|어디|무엇|뭐|무슨|얼마|몇|어느|어떤|어떻게|왜")
# "Closed" denies "open" as "not" does: the hours table's "Sunday and Monday | closed".
_OPEN = re.compile(r"\bopen\b|열[리립려]|문을 [엽열]", re.IGNORECASE)
_CLOSED = re.compile(r"\bclosed\b|휴무|휴관|휴진|쉽니다|쉬는|문을 닫", re.IGNORECASE)
_DAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day|[월화수목금토일]요일", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[;.]\s|,\s+(?:and|but)\s")


def asks_yes_or_no(question: str) -> bool:
    """Whether the question is answered by yes or no ("Is it open on Mondays?", "주차할 수 있나요?")."""
    if _YES_NO_QUESTION.match(question):
        return True
    return bool(_KOREAN_YES_NO_QUESTION.search(question)) and not _KOREAN_QUESTION_WORD.search(question)


def affirms(claim: str, question: str = "") -> bool:
    """Whether the claim says yes: it starts with one, or answers a yes-or-no question without
    denying ("The makerspace is open on Mondays")."""
    return bool(_YES.match(claim) or (question and asks_yes_or_no(question))) and not (
        NEGATION.search(claim) or _CLOSED.search(claim))


def closed_that_day(claim: str, source_sentences: Sequence[str]) -> bool:
    """Whether a claim that something is open on a weekday meets a clause of the sources that says it
    is closed that day (a row of an hours table: "| Sunday and Monday | closed |")."""
    days = {d.lower() for d in _DAY.findall(claim)}
    if not days or not _OPEN.search(claim):
        return False
    return any(_CLOSED.search(clause) and not _OPEN.search(clause) and days & {d.lower() for d in _DAY.findall(clause)}
               for sentence in source_sentences for clause in _CLAUSE_END.split(sentence))
