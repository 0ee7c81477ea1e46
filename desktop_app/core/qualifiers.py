"""Which day or kind of person a figure is for: what an answer that ties a figure to the wrong one
("28 pounds an hour on Saturdays", where 28 is the weekday price) is checked against."""

from __future__ import annotations

import re
from typing import Sequence

from desktop_app.core.terms import DAY_AND_MONTH, KOREAN_WEEKDAYS as _KOREAN_DAYS

_ENGLISH_DAYS = list(_KOREAN_DAYS.values())
_WORKING_DAYS = frozenset(_ENGLISH_DAYS[:5])
# qualifier -> (its kind, the qualifiers it covers): "at weekends" covers Saturday, "weekdays" Monday to Friday
_COVERS: dict[str, tuple[str, frozenset[str]]] = {
    **{day: ("day", frozenset({day, "weekend" if day in ("saturday", "sunday") else "weekday"})) for day in _ENGLISH_DAYS},
    "weekday": ("day", _WORKING_DAYS | {"weekday"}),
    "weekend": ("day", frozenset({"saturday", "sunday", "weekend"})),
    "adult": ("person", frozenset({"adult"})),
    "child": ("person", frozenset({"child"})),
    "student": ("person", frozenset({"student"})),
    "senior": ("person", frozenset({"senior"})),
    "member": ("person", frozenset({"member"})),
    "non-member": ("person", frozenset({"non-member"})),
    "resident": ("person", frozenset({"resident"})),
}
_ENGLISH = re.compile(r"\b(non-members?|members?|adults?|child(?:ren)?|juniors?|students?|seniors?|pensioners?|residents?|"
                      r"weekdays?|weekends?|"
                      r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?)\b", re.IGNORECASE)
_KOREAN = re.compile(r"비회원|회원|성인|어른|어린이|아동|청소년|학생|평일|주말|주민(?=은|는|의|이|에게|만|도)|([월화수목금토일])요일")
_KOREAN_WORDS = {"비회원": "non-member", "회원": "member", "성인": "adult", "어른": "adult", "어린이": "child",
                 "아동": "child", "청소년": "student", "학생": "student", "주민": "resident", "평일": "weekday",
                 "주말": "weekend"}
_ENGLISH_WORDS = {"children": "child", "junior": "child", "juniors": "child", "pensioner": "senior",
                  "pensioners": "senior", "weekdays": "weekday", "weekends": "weekend"}
_FIGURE = re.compile(r"\d+(?:[.,:]\d+)*")
# Clauses: a figure and what it is for stand in one ("28 pounds an hour on weekdays", "토요일은 오후 1시까지",
# a table's row).
_CLAUSE_BREAK = re.compile(r"\s*(?:;|,(?!\d))\s*|\s+(?:and|or|but|while|whereas)\s+|(?<=[가-힣])(?:고|며|지만)\s+")


def _qualifiers(text: str) -> set[str]:
    found = set()
    for match in _ENGLISH.finditer(text):
        word = match.group(1).lower()
        word = _ENGLISH_WORDS.get(word, word)
        found.add(word[:-1] if word.endswith("s") and word[:-1] in _COVERS else word)
    for match in _KOREAN.finditer(text):
        found.add(_KOREAN_DAYS[match.group(1)] if match.group(1) else _KOREAN_WORDS[match.group(0)])
    return found


def _tied(text: str) -> list[tuple[set[str], set[str]]]:
    """(figures, qualifiers) of each clause of a sentence that has a figure; a clause with none
    belongs to the clause before it ("... 35 pounds on Saturdays | and Sundays"), or the one after
    it when it comes first ("On Saturdays, | the hall costs 35 pounds")."""
    clauses: list[list[str]] = []
    pending = header = ""
    table = text.lstrip().startswith("|")
    parts = text.split("\n") if table else _CLAUSE_BREAK.split(text)  # a table: its rows
    for part in parts:
        part = DAY_AND_MONTH.sub(" ", part)  # a date says when, not whom a figure is for ("paid on 31 March")
        if _FIGURE.search(part):
            if not clauses and table:
                header, pending = pending, ""  # the header row ("| Session | Days | Adult price |") is for every row
            clauses.append([pending + " " + part])
            pending = ""
        elif clauses:
            clauses[-1].append(part)
        else:
            pending += " " + part
    header_qualifiers = _qualifiers(header)
    return [({f.replace(",", "") for f in _FIGURE.findall(" ".join(c))}, _qualifiers(" ".join(c)) | header_qualifiers)
            for c in clauses]


def _matches(qualifier: str, qualifiers: set[str]) -> bool:
    return any(_COVERS[qualifier][1] & _COVERS[other][1] for other in qualifiers)


def figure_misqualified(claim: str, source_sentences: Sequence[str]) -> bool:
    """Whether the claim ties a figure to a day or kind of person that a source sentence ties to
    another of its figures, while it ties this figure to another day or kind ("28 pounds on Saturdays"
    where the source says "28 pounds an hour on weekdays and 35 pounds an hour on Saturdays"), and no
    source ties the two together."""
    units: list[str] = []  # a table's rows are read together, a row a clause
    for sentence in source_sentences:
        if units and sentence.lstrip().startswith("|") and units[-1].lstrip().startswith("|"):
            units[-1] += "\n" + sentence
        else:
            units.append(sentence)
    tied_units = [_tied(unit) for unit in units]
    for figures, qualifiers in _tied(claim):
        for figure in figures:
            for qualifier in qualifiers:
                kind = _COVERS[qualifier][0]
                held = contrary = False
                for tied in tied_units:
                    own = [q for f, q in tied if figure in f]
                    held = held or any(_matches(qualifier, q) for q in own)
                    # ... or to no one in particular, the source giving the claim's day or person another figure
                    # ("수강료: 4만 원, 새봄동 주민은 2만 원": 4만 원 is not the residents' fee)
                    contrary = contrary or (
                        any(_COVERS[other][0] == kind and not _matches(qualifier, {other}) for q in own for other in q)
                        and any(figure not in f and _matches(qualifier, q) for f, q in tied)) or (
                        own and not any(_COVERS[other][0] == kind for q in own for other in q)
                        and any(figure not in f and _matches(qualifier, q) and all(
                            _matches(qualifier, {other}) for other in q if _COVERS[other][0] == kind) for f, q in tied))
                if contrary and not held:
                    return True
    return False


_DAY_SPELLINGS = {day: frozenset({day, day + "s", korean + "요일"}) for korean, day in _KOREAN_DAYS.items()} | {
    "weekend": frozenset({"weekend", "weekends", "주말"}), "weekday": frozenset({"weekday", "weekdays", "평일"})}
_DAY_OF_SPELLING = {spelling: day for day, spellings in _DAY_SPELLINGS.items() for spelling in spellings}


def day_found(word: str, words: set[str]) -> bool:
    """Whether ``words`` name the day ``word`` names, in other words: 주말 in "토요일과 일요일",
    "weekdays" in "Monday to Friday", Saturday in "at weekends"."""
    day = _DAY_OF_SPELLING.get(word)
    if day is None:
        return False

    def named(other: str) -> bool:
        return not _DAY_SPELLINGS[other].isdisjoint(words)

    if day == "weekend":
        return named("saturday") and named("sunday")
    if day == "weekday":
        return named("monday") and named("friday")
    return named("weekend" if day in ("saturday", "sunday") else "weekday")
