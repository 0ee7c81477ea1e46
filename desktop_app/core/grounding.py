"""What keeps an answer honest after the model wrote it: every [n] checked against source n,
citations to sources that do not exist removed, degenerate output (a repetition loop, text in
the wrong script) caught while it streams, and the app's own fixed phrases in the question's
language.

The support check is lexical on purpose: a sentence is supported by a source when the source
holds the sentence's numbers, its names and all but a quarter of its other content words (Korean
compared as morphemes). It
cannot judge paraphrase, but a 0.5-1.5B model's answers copy the source's words, and an answer
whose numbers or names are not in the cited source is exactly the invented citation to catch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from desktop_app.core.polarity import NEGATION, affirms, closed_that_day
from desktop_app.core.qualifiers import day_found, figure_misqualified
from desktop_app.core.rag import CITATION
from desktop_app.core.terms import (KOREAN_COUNTED, KOREAN_MONTH, KOREAN_NUMERALS, NUMBER_WORDS, QUERY_STOPWORDS,
                                    analyse, cost_found, korean_proper_nouns, month_terms, normal_number, same_thing_found,
                                    script_of as _script, spell_compounds, spell_scaled_numbers, without_sai_siot)

NO_MATCH = {"en": "Nothing in your documents matches this question.",
            "ko": "문서에서 이 질문과 맞는 내용을 찾지 못했습니다."}
DECLINE = {"en": "The documents do not say.", "ko": "문서에 나와 있지 않습니다."}
STOPPED = {"repetition": {"en": "The answer was stopped because the model began repeating itself. "
                                "The documents may not say.",
                          "ko": "모델이 같은 말을 반복하기 시작해 답변을 멈췄습니다. 문서에 나와 있지 않을 수 있습니다."},
           "wrong-script": {"en": "The answer was stopped because the model wrote in another language. "
                                  "The documents may not say.",
                            "ko": "모델이 다른 언어로 쓰기 시작해 답변을 멈췄습니다. 문서에 나와 있지 않을 수 있습니다."}}
# What the app says it did, under an answer where it stepped in (``Answer.guard``).
GUARD_NOTES = {
    "no-match": "No document passed the relevance threshold, so the model was not asked.",
    "repetition": "Generation was stopped: the model began repeating itself.",
    "wrong-script": "Generation was stopped: the model wrote in another language or script.",
    "unsupported": "The model's answer was withheld: none of the sources holds what it said.",
    "quoted": "The model only pointed at a source; this is the sentence of it that answers the question.",
    "off-question": "The model's answer was withheld: the sources hold its facts, but not where they speak of what "
                    "was asked.",
    "found": "The model answered that the documents do not say, said what no source holds, or answered another "
             "question; this sentence of a source answers the question in its own words.",
    "second-look": "The model first answered that the documents do not say; asked again with the first source "
                   "alone, it answered from it, and the answer passed every check.",
}
# The share of a sentence's content words (names and numbers aside) its cited source may lack.
MAX_MISSING_SHARE = 0.25

_ABSTENTION = re.compile(
    r"(documents?|sources?|context)\s+(do|does)\s+not\s+(say|contain|mention|provide|state)|"
    r"not\s+(mentioned|stated|found|given)\s+in\s+the\s+(documents?|sources?)|nothing in your documents|"
    r"no\s+information|cannot\s+(find|answer)|don't\s+know|do\s+not\s+know|may not say|"
    r"나와\s*있지\s*않|찾지\s*못했|언급(되어\s*있지|하지|되지)\s*않|정보가\s*없|알\s*수\s*없", re.IGNORECASE)
_NOT_AN_END = r"(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bSt\.)(?<!\bMrs\.)(?<!\bNo\.)"  # "Dr. Rosa Imbert"
_SENTENCE_END = re.compile(r"(?<=[.!?。])" + _NOT_AN_END + r"\s+|\n+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# An hour is one number however it is written: "7:45" is the "7.45" of the source, "9:00" and "9.00" its "9".
_CLOCK_COLON = re.compile(r"(?<![\d.,:])(\d{1,2}):(\d{2})(?!\d|:\d)")
_ON_THE_HOUR = re.compile(r"(?<![\d.,])(\d{1,2})\.00(?!\d|[.,]\d)")
WORD = re.compile(r"\w+", re.UNICODE)
NAME = re.compile(r"(?<=[\w,;:] )[A-Z][a-zA-Z]+")  # a capitalised word that does not start the sentence
_ATTRIBUTION = re.compile(
    r"\b(?:according to (?:the |these |this )?(?:text|document|documents|source|sources|passage)s?"
    r"|(?:the|this) (?:text|document|source|passage)s? (?:says|say|states|state|mentions|mention|notes|shows)"
    r"(?: that)?|문서에\s*따르면)\b", re.IGNORECASE)
# Currencies however written (€, euro, EUR, 유로; ₩, KRW, 원 after an amount): an amount retold in
# another currency ("6.8 million euro" as "6.8백만 원") keeps all its numbers, so the currency is
# checked like a number.
_CURRENCIES = {code: re.compile(pattern, re.IGNORECASE) for code, pattern in {
    "EUR": r"€|\beuros?(?![a-z])|\bEUR(?![a-z])|유로",  # "6.8 million euro였습니다": a Korean ending follows
    "USD": r"\$|\bdollars?(?![a-z])|\bUSD(?![a-z])|달러",
    "KRW": r"₩|\bKRW\b|\bkorean won\b|\d(?<!\b(?:19|20)\d\d)\s*(?:million|billion|trillion)?\s+won\b|[\d만억천백]\s*원",
    "GBP": r"£|\bGBP\b|\bpounds?(?![a-z])|파운드",
    "JPY": r"¥|\bJPY\b|\byen\b|\d\s*엔(?!진)",
}.items()}
_EXTRA_STOPWORDS = frozenset("also about after before during every last next only over under since until "
                             "not no yes one two three per its source sources document documents "
                             "mentioned stated information found according provided given see citing cited".split())


def abstains(text: str) -> bool:
    """Whether an answer declines (the app's phrases or the model's usual wordings, English or Korean)."""
    return bool(_ABSTENTION.search(text))


@lru_cache(maxsize=512)  # an answer's sources are analysed once, not once per check
def content_terms(text: str, *, source: bool = False) -> tuple[frozenset[str], frozenset[str]]:
    """(numbers, words) of a text: numbers without thousands separators, and the codes of the
    currencies it names (EUR, KRW, ...), which a claim must share with its source like numbers; words lower-cased,
    Korean as morphemes; stopwords, one-syllable Korean and one- or two-letter Latin words left out.
    A ``source`` also keeps its Korean words whole (이지은이다), where a name split differently by
    the analyser is still found."""
    clean = _ON_THE_HOUR.sub(r"\1", _CLOCK_COLON.sub(r"\1.\2", spell_compounds(CITATION.sub(" ", text))))
    months = month_terms(clean)
    months |= {KOREAN_NUMERALS[m] for m in KOREAN_COUNTED.findall(clean)}
    # A claim's "28만 원" is 280000 won; a source keeps both, so that "280,000 won" and "28만" stand on it.
    numbers = {normal_number(n) for text in ((spell_scaled_numbers(clean), clean) if source
                                             else (spell_scaled_numbers(clean),))
               for n in _NUMBER.findall(KOREAN_MONTH.sub(" ", text))} | months
    numbers |= {code for code, pattern in _CURRENCIES.items() if pattern.search(clean)}
    words = {w for w in WORD.findall(clean) if _script(w[0]) == "hangul"} if source else set()
    for word in WORD.findall(analyse(clean).lower()):
        if word in NUMBER_WORDS:
            numbers.add(NUMBER_WORDS[word])
            continue
        if word.isdigit() or word in QUERY_STOPWORDS or word in _EXTRA_STOPWORDS:
            continue
        if len(word) < 2 or (len(word) < 3 and _script(word[0]) == "latin"):
            continue
        words.add(word)
    return frozenset(numbers), frozenset(words)


def word_found(word: str, words: set[str]) -> bool:
    """Exact; or the same days, cost or thing in other words (``day_found``, ``cost_found``,
    ``same_thing_found``: 주말 in "토요일과 일요일", 비용 in 공사비, 휴관 in 휴무); or a Latin word's plural
    (dvd/dvds); or sharing a stem of 5+ Latin letters (designed/designer); or, in Hangul, one inside
    the other (the analyser may cut a name differently alone and in a sentence: 이지은 -> 이지 + 은)."""
    if word in words or day_found(word, words) or cost_found(word, words) or same_thing_found(word, words):
        return True
    if _script(word[0]) == "latin" and (word + "s" in words or word + "es" in words or (
            word.endswith("s") and word[:-1] in words)):
        return True  # dvd/dvds, bus/buses: a plural of a short word
    if len(word) >= 5 and _script(word[0]) == "latin":
        stem = word[:5]
        return any(w.startswith(stem) for w in words)
    if _script(word[0]) == "hangul":
        plain = without_sai_siot(word)
        return any(len(w) >= 2 and (word in w or w in word or w in plain) for w in words if _script(w[0]) == "hangul")
    return False


@dataclass(frozen=True)
class CitationCheck:
    number: int  # the [n] as written
    sentence: str  # the sentence that carries it, citations removed
    exists: bool  # whether a source n was given to the model
    supported: bool  # whether the cited source(s) hold the sentence's numbers and most of its words
    missing: tuple[str, ...] = ()  # the sentence's numbers and words its sources do not hold

    def as_json(self) -> dict:
        return {"number": self.number, "sentence": self.sentence, "exists": self.exists,
                "supported": self.supported, "missing": list(self.missing)}


def tidy(text: str) -> str:
    return re.sub(r"\s+([.,;:!?])", r"\1", " ".join(text.split()))


def unsupported_numbers(checks: Sequence[CitationCheck]) -> tuple[int, ...]:
    """The cited sources, in order, that do not hold their sentence."""
    return tuple(dict.fromkeys(c.number for c in checks if not c.supported))


def split_sentences(text: str) -> list[str]:
    """The sentences of a text: split after . ! ? and at line ends but wrapped ones (``unwrap_lines``)."""
    return [s.strip() for s in _SENTENCE_END.split(unwrap_lines(text)) if s.strip()]


_LINE_ENDS_SENTENCE = ".!?。:;"
_LIST_OR_HEADING = re.compile(r"\s*(?:#|[-*•·]\s|\d+[.)]\s|\||[\w ]{1,20}:\s)")  # "- ", "2. ", "From: "
# A line this long that runs on into the next is wrapped text, not a heading over it.
MIN_WRAPPED_LINE = 40


def unwrap_lines(text: str) -> str:
    """``text`` with the line breaks that only wrap a sentence made spaces: a line that does not end a
    sentence, followed by one that goes on with a small letter, a digit or punctuation ("... lasted
    14 minutes and\ncovered 2.6 km"; HTML "<em>Lost Harbours</em>\non 24 April"; a list item's next
    line), or that is at least ``MIN_WRAPPED_LINE`` characters long. Blank lines, headings, and lines
    that start a list item or a label ("From: ...", "Date: ...") stay apart."""
    lines = text.split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        before, after = out[-1].rstrip(), line.strip()
        if (before and after and before[-1] not in _LINE_ENDS_SENTENCE
                and not out[-1].lstrip().startswith("#") and not _LIST_OR_HEADING.match(line)
                and (not (after[0].isupper() or _script(after[0]) == "hangul") or len(before) >= MIN_WRAPPED_LINE)):
            out[-1] = f"{before} {after}"
        else:
            out.append(line)
    return "\n".join(out)


def _support(claim: str, pool_numbers: set[str], pool_words: set[str],
             given: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
             ) -> tuple[bool, list[str], set[str]]:
    """(supported, missing terms, found terms) of a claim against a pool of source terms.

    Supported: every number and every capitalised name of the claim is in the pool, and at most
    a quarter of its other words are not (a paraphrase changes a word or two; a wrong fact is
    usually a name or a number). Only words in a script the sources use can be checked: a Korean
    sentence about an English source is judged by its numbers and its Latin-script names. Words
    that only say where the claim comes from ("The text states that", "According to the
    documents,") are not part of it. Nor, in a claim with a number or name of its own, are the words
    it repeats from the question (``given``: its numbers and words), which the question asserted,
    not the source: "The yearly bike membership costs 60 pounds" holds one fact, 60 pounds, and a
    passage under "## Money" need not say "bike". The question's names still count: a price from a
    passage that never names the "Seeded Rye Loaf" is not its price.
    """
    claim = _ATTRIBUTION.sub(" ", claim)
    numbers, checked_words = content_terms(claim)
    scripts = {_script(w[0]) for w in pool_words}
    words = {w for w in checked_words if _script(w[0]) in scripts}
    given_numbers, given_words = given
    # the question's Korean proper nouns the claim repeats count as names: "조선을 세운 사람은 ..." is no
    # answer from passages that never name 조선
    names = ({m.group(0).lower() for m in NAME.finditer(claim)}
             | {n for n in korean_proper_nouns(claim) if n in given_words}) & words
    own_fact = bool(numbers - given_numbers) or any(not word_found(n, given_words) for n in names)
    if own_fact:
        # a claim with a fact of its own: the question's other words (not its names) it may repeat unheld
        words = {w for w in words if w in names or word_found(w, pool_words) or not word_found(w, given_words)}
    # "... for one full loop" ("한 명이"), repeated from the question, is no fact the source must spell the same way
    repeated = ({NUMBER_WORDS[w] for w in WORD.findall(claim.lower()) if w in NUMBER_WORDS}
                | {KOREAN_NUMERALS[m] for m in KOREAN_COUNTED.findall(claim)}) & given_numbers
    missing = sorted(n for n in numbers if n not in pool_numbers and not (own_fact and n in repeated))
    found = {n for n in numbers if n in pool_numbers}
    missing_words = []
    for word in sorted(words):
        (found.add(word) if word_found(word, pool_words) else missing_words.append(word))
    supported = (len(missing) == 0 and not names.intersection(missing_words)
                 and len(missing_words) <= int(MAX_MISSING_SHARE * (len(words) + 1)))
    if checked_words and not words and not (found - given_numbers):
        supported = False  # an English "Yes, ... Flat 3" held by a Korean passage's "3" alone

    return supported, missing + missing_words, found


def check_citations(text: str, source_texts: Sequence[str], question: str = "",
                    documents: Sequence[object] | None = None) -> tuple[CitationCheck, ...]:
    """One check per citation in ``text``; ``source_texts[n - 1]`` is source n; the terms the text
    repeats from ``question`` need no support (see ``_support``).

    A sentence citing several sources is checked against all of them together (an answer may
    combine two), and each of them must hold at least one of its terms. With ``documents`` (each
    source's document), a cited passage is read with the other passages of its document among
    the sources: the club's name in the page's title passage, its organiser in the one cited.
    """
    checks: list[CitationCheck] = []
    given = content_terms(question)
    sentences = split_sentences(text)
    terms = [content_terms(t, source=True) for t in source_texts]
    for index, sentence in enumerate(sentences):
        numbers_cited = list(dict.fromkeys(int(m.group(1)) for m in CITATION.finditer(sentence)))
        if not numbers_cited:
            continue
        claim = tidy(CITATION.sub("", sentence))
        if index > 0 and not any(content_terms(claim)):
            # "[2]" alone, or "This is mentioned in the source [2].": it cites the sentence before
            claim = tidy(CITATION.sub("", sentences[index - 1]))
        valid = [n for n in numbers_cited if 1 <= n <= len(source_texts)]
        pool = valid if documents is None else [
            m for m in range(1, len(source_texts) + 1) if any(documents[m - 1] == documents[n - 1] for n in valid)]
        pool_numbers = set().union(*(terms[n - 1][0] for n in pool)) if pool else set()
        pool_words = set().union(*(terms[n - 1][1] for n in pool)) if pool else set()
        supported, missing, found = _support(claim, pool_numbers, pool_words, given)
        supported = supported and bool(WORD.search(claim))  # "[1] [2] [3]" alone claims nothing
        for number in numbers_cited:
            if number not in valid:
                checks.append(CitationCheck(number, claim, False, False, tuple(missing)))
                continue
            own_numbers, own_words = terms[number - 1]
            contributes = not found or len(pool) == 1 or any(
                t in own_numbers or word_found(t, own_words) for t in found)
            checks.append(CitationCheck(number, claim, True, supported and contributes, tuple(missing)))
    return tuple(checks)


_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
COUNT_REACH = 3  # words between a number and the thing it counts: "46,200 and 51,900 pounds"


def _number_tokens(text: str) -> list[str]:
    """The text's words lower-cased, its numbers (spelled ones too) as digits without separators."""
    out = []
    for token in _TOKEN.findall(spell_compounds(text)):
        token = token.lower()
        out.append(NUMBER_WORDS.get(token, normal_number(token)))
    return out


def counts(text: str, thing: str) -> bool:
    """Whether the text gives a number of ``thing`` ("23 residents", "three analysts" for "analyst")."""
    tokens = _number_tokens(text)
    return any(token[0].isdigit() and word_found(thing, set(tokens[i + 1:i + 2 + COUNT_REACH]))
               for i, token in enumerate(tokens))


def count_contradicted(claim: str, source_texts: Sequence[str]) -> bool:
    """Whether the claim counts something with a number the sources give it nowhere, while they
    give it another: "9 residents came" where they say "Nine of the eleven councillors attended,
    and 23 residents came" (the 9 stands in the sentence, but counts the councillors)."""
    tokens = _number_tokens(claim)
    counted = [(n, w) for n, w in zip(tokens, tokens[1:]) if n[0].isdigit() and not w[0].isdigit()
               and len(w) >= 3 and _script(w[0]) == "latin" and w not in QUERY_STOPWORDS]
    if not counted:
        return False
    sources = [_number_tokens(text) for text in source_texts]
    for number, thing in counted:
        other, same = False, False
        for words in sources:
            for i, token in enumerate(words):
                if not token[0].isdigit():
                    continue
                following = set(words[i + 1:i + 2 + COUNT_REACH])
                if token == number and word_found(thing, following):
                    same = True
                elif token != number and i + 1 < len(words) and word_found(thing, {words[i + 1]}):
                    other = True
        if other and not same:
            return True
    return False


def yes_denied(claim: str, source_texts: Sequence[str], question: str = "") -> bool:
    """Whether a "yes" answer affirms what the source sentence closest to it denies: "Yes, the
    children can take their phones" where the letter says "Mobile phones are not allowed on the
    trip"; an answer to a yes-or-no question that affirms without a "yes" counts as one ("The
    makerspace is open on Mondays" where its hours say "Sunday and Monday: closed"). The closest
    sentence holds the claim's term that the fewest sentences use, and the most of its terms, each
    weighed by how rare it is."""
    if not affirms(claim, question):
        return False
    numbers, words = content_terms(claim)
    sentences = [(sentence, *content_terms(sentence, source=True))
                 for text in source_texts for sentence in split_sentences(text)]
    held = {term: [i for i, (_, n, w) in enumerate(sentences) if term in n or word_found(term, set(w))]
            for term in sorted(numbers | words)}
    held = {term: where for term, where in held.items() if where}
    if not held:
        return False
    rarest = min(held, key=lambda term: len(held[term]))  # sorted: the first of equally rare terms
    weight = [0.0] * len(sentences)
    for where in held.values():
        for i in where:
            weight[i] += 1 / len(where)
    best = max(held[rarest], key=lambda i: weight[i])
    return bool(NEGATION.search(sentences[best][0])) or closed_that_day(claim, [s for s, _, _ in sentences])


def claim_supported(text: str, source_texts: Sequence[str], question: str = "",
                    documents: Sequence[object] | None = None) -> bool:
    """Whether the answer's claim, its first sentence with something to check (a number, a word in
    a source's script), is held by one of the sources, or by the sources of one document together
    (``documents`` names each source's document: "The Harbour Street Book Club is organised by Gwen
    Pryce" takes the club's name from the page's title passage, the organiser from its last); True
    when nothing in it can be checked.

    The first such sentence decides: a draft whose answer is invented ("expected with 4.3.1") is not
    rescued by a true sentence it adds after it ("The next feature release, 4.3, is planned for June")."""
    if not WORD.search(CITATION.sub("", text)):
        return False  # citations and punctuation only: no answer at all
    every_source_word = set().union(*(content_terms(t, source=True)[1] for t in source_texts))
    asked_names = {m.group(0).lower() for m in NAME.finditer(question)} | korean_proper_nouns(question)
    scripts = {_script(w[0]) for w in every_source_word}
    if any(not word_found(name, every_source_word) and scripts <= {_script(name[0])}
           for name in asked_names & content_terms(question)[1]):
        return False  # the question names what no source does (임진왜란), unless one is in other letters (하늘마루)
    pools = [[t] for t in source_texts]
    if documents is not None:
        by_document: dict = {}
        for document, t in zip(documents, source_texts):
            by_document.setdefault(document, []).append(t)
        pools += [texts for texts in by_document.values() if len(texts) > 1]
    terms = [(frozenset().union(*(content_terms(t, source=True)[0] for t in texts)),
              frozenset().union(*(content_terms(t, source=True)[1] for t in texts))) for texts in pools]
    given = content_terms(question)
    for sentence in split_sentences(CITATION.sub("", text)):
        results = [_support(sentence, numbers, words, given) for numbers, words in terms]
        if any(missing or found for _supported, missing, found in results):
            if figure_misqualified(sentence, [s for t in source_texts for s in split_sentences(t)]):
                return False  # "28 pounds an hour on Saturdays", 28 being the weekday price
            return not yes_denied(sentence, source_texts, question) and any(
                supported and found and not count_contradicted(sentence, texts)
                for (supported, _missing, found), texts in zip(results, pools))
    return True


def sentence_held(sentence: str, pool_numbers: set[str], pool_words: set[str], question: str = "") -> bool:
    """Whether a pool of source terms holds the sentence's numbers and names and most of its words."""
    supported, _missing, found = _support(sentence, pool_numbers, pool_words, content_terms(question))
    return supported and bool(found)


def _best_source(claim: str, terms: Sequence[tuple[set[str], set[str]]],
                 given: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())) -> int | None:
    """The one source that supports ``claim`` with the most of its terms; None when none does."""
    best, best_found = None, 0
    for number, (numbers, words) in enumerate(terms, start=1):
        supported, _missing, found = _support(claim, numbers, words, given)
        if supported and len(found) > best_found:
            best, best_found = number, len(found)
    return best


_SENTENCE_PARTS = re.compile(r"((?<=[.!?。])" + _NOT_AN_END + r"[ \t]+|\n+)")
_END_PUNCTUATION = re.compile(r"\s*([.!?。]*)\s*$")


# Citations a model writes after a sentence's full stop belong to that sentence.
_CITATIONS_AFTER_END = re.compile(r"([.!?。])[ \t]*((?:\[\d+\][ \t]*)+)(?=\s|$)")
_REPEATED_CITATION = re.compile(r"(\[\d+\])(?:\s*\1)+")


def attribute_citations(text: str, source_texts: Sequence[str], question: str = "") -> tuple[str, int]:
    """Citations where the sources hold the sentence: a sentence whose [n] does not hold it, or
    that cites nothing, cites the one source that does (when exactly that can be found).

    Small models cite by habit ("[1] 18,400" with the number in source 2) or not at all; the
    checker knows where the sentence's words are. Returns the text and how many sentences it
    gave a citation; a sentence no single source holds keeps what it had (and stays flagged).
    """
    terms = [content_terms(t, source=True) for t in source_texts]
    given = content_terms(question)
    text = _REPEATED_CITATION.sub(r"\1", _CITATIONS_AFTER_END.sub(
        lambda m: f" {' '.join(m.group(2).split())}{m.group(1)}", text))  # "only. [3]" -> "only [3]."
    parts = _SENTENCE_PARTS.split(text)
    placed = 0
    for index in range(0, len(parts), 2):
        sentence = parts[index]
        claim = tidy(CITATION.sub("", sentence))
        if not claim or not any(content_terms(claim)) or abstains(claim):
            continue
        cited = [n for n in dict.fromkeys(int(m.group(1)) for m in CITATION.finditer(sentence))
                 if 1 <= n <= len(terms)]
        if cited:
            pool_numbers = set().union(*(terms[n - 1][0] for n in cited))
            pool_words = set().union(*(terms[n - 1][1] for n in cited))
            if _support(claim, pool_numbers, pool_words, given)[0]:
                continue
        best = _best_source(claim, terms, given)
        if best is None or cited == [best]:
            continue
        bare = CITATION.sub("", sentence).rstrip()
        ending = _END_PUNCTUATION.search(bare)
        body = bare[:ending.start()].rstrip()
        parts[index] = f"{body} [{best}]{ending.group(1)}"
        placed += 1
    return re.sub(r"^\s+", "", "".join(parts)), placed


def remove_invalid_citations(text: str, source_count: int) -> str:
    """``text`` without the [n] whose source n does not exist (all of them when there are no sources)."""
    cleaned = CITATION.sub(lambda m: m.group(0) if 1 <= int(m.group(1)) <= source_count else "", text)
    return re.sub(r"[ \t]+([.,;:!?])", r"\1", re.sub(r"[ \t]{2,}", " ", cleaned)).strip()
