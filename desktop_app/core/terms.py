"""Keyword analysis for the FTS5 index, the same for documents and queries.

FTS5's unicode61 tokenizer splits on spaces, which fails two ways: a Korean word carries its
particle (창고는 never matches 창고), and Chinese/Japanese runs have no spaces at all. So text is
analysed before it reaches FTS5: Hangul text goes through kiwipiepy's morpheme analyser (particles
and endings dropped), Han/Kana runs become single-character terms, the rest is
left to unicode61.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_HAN_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"\w+", re.UNICODE)
# Particles (J), endings (E), affixes and punctuation/symbols carry no search meaning.
_DROPPED_TAG_PREFIXES = ("J", "E", "XS", "XP", "SF", "SP", "SS", "SE", "SO", "SW", "VCP", "VCN", "UN")

_kiwi = None
_kiwi_lock = threading.Lock()


def _korean_analyser():
    global _kiwi
    with _kiwi_lock:
        if _kiwi is None:
            from kiwipiepy import Kiwi

            _kiwi = Kiwi()
        return _kiwi


def _split_han_kana(text: str) -> str:
    return _HAN_KANA.sub(lambda m: " " + " ".join(m.group()) + " ", text)


def analyse(text: str) -> str:
    """The text as the keyword index sees it: space-separated terms."""
    if not _HANGUL.search(text):
        return _split_han_kana(text)
    forms = []
    for token in _korean_analyser().tokenize(text):
        if token.tag.startswith(_DROPPED_TAG_PREFIXES):
            continue
        forms.append(token.form)
    return _split_han_kana(" ".join(forms))


@lru_cache(maxsize=1024)  # the checks ask it of one claim once per source pool
def korean_proper_nouns(text: str) -> frozenset[str]:
    """The Korean proper nouns of ``text`` as the analyser tags them (NNP: 최수아, 서귀포시): the names
    that capitalisation shows in English."""
    if not _HANGUL.search(text):
        return frozenset()
    return frozenset(token.form for token in _korean_analyser().tokenize(text) if token.tag == "NNP")


def korean_predicates(text: str) -> set[str]:
    """The stems of the Korean verbs and adjectives of ``text`` (끝나, 맡, 열리): the words an answer
    most often says otherwise (a work "runs until" the day a question asks when it "ends")."""
    return _korean_forms(text, ("VV", "VA", "VX"))


def korean_adverbs(text: str) -> set[str]:
    """The Korean adverbs of ``text`` (모두, 이미): words a question adds that an answer need not repeat."""
    return _korean_forms(text, ("MAG",))


# "How long / fast / old ...": the word after "how" names the measure asked (a time, a speed), which
# an answering sentence gives as a figure without repeating it ("runs at 900 megabits per second").
_HOW_MEASURE = re.compile(r"^\s*how (?!many\b|much\b)([a-z]+)\b", re.IGNORECASE)


def measure_words(question: str) -> set[str]:
    """The words of a "how long / fast / old ..." question that name the measure asked, not its topic
    ("take" too, after "how long": "how long does it take?")."""
    measure = _HOW_MEASURE.search(question)
    if measure is None:
        return set()
    word = measure.group(1).lower()
    return {word, "take", "takes", "took"} if word in ("long", "often", "far", "old") else {word}


def _korean_forms(text: str, tags: tuple[str, ...]) -> set[str]:
    if not _HANGUL.search(text):
        return set()
    return {token.form for token in _korean_analyser().tokenize(text) if token.tag in tags}


# Function words that match nearly every English chunk: left out of keyword queries (unless a
# query has nothing else), so BM25 ranks on the words that carry the question.
QUERY_STOPWORDS = frozenset(
    "a an and are as at be been being but by can could did do does for from had has have how i if in into is it "
    "its many may me much my of on or our should so than that the their them then there these they this those "
    "to was we were what when where which who whom why will with would you your".split())


def query_terms(query: str) -> list[str]:
    """The query's searchable terms, as the keyword index spells them, each once."""
    words = _WORD.findall(analyse(query))
    meaningful = [w for w in words if w.lower() not in QUERY_STOPWORDS]
    return list(dict.fromkeys(meaningful or words))


def indexed_terms(analysed: str) -> set[str]:
    """The terms of an analysed text (as ``analyse`` returns and the index stores it), lower-cased."""
    return {word.lower() for word in _WORD.findall(analysed)}


def keyword_query(query: str) -> list[str]:
    """The terms a keyword search looks for: chunks holding any of them, BM25 ranking those with
    more and rarer ones first. Empty when the query has no searchable term."""
    return list(dict.fromkeys(t.lower() for t in query_terms(query)))


def script_of(char: str) -> str:
    """A letter's script: "hangul", "latin", or the first word of its Unicode name ("cjk", "cyrillic")."""
    code = ord(char)
    if 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if code < 0x250 or 0x1E00 <= code <= 0x1EFF:
        return "latin"
    name = unicodedata.name(char, "")
    return name.split(" ")[0].lower() if name else "other"


def language_of(text: str) -> str:
    """"ko" when Hangul makes up a third of the letters, else "en" (the app's two languages)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "en"
    hangul = sum(1 for c in letters if script_of(c) == "hangul")
    return "ko" if hangul / len(letters) >= 0.3 else "en"


def normal_number(text: str) -> str:
    return text.replace(",", "")


# A Korean month is a month, not a number: "11월" is not the "eleven" councillors of an English
# passage (nor, to these checks, its "November": an English month stays a word).
KOREAN_MONTH = re.compile(r"(?<![\d.,])(1[0-2]|0?[1-9])\s*월")
# A month named beside a day or year ("2 May 2025", "March 3"): the 5월 of a Korean date.
_MONTH_NAMES = (r"(January|February|March|April|May|June|July|August|September|October|November|December"
                r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?")
_ENGLISH_DATE = re.compile(rf"(?<=\d)(?:st|nd|rd|th)?\s+{_MONTH_NAMES}|{_MONTH_NAMES}\s+(?=\d)")
_MONTHS = {name: number for number, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
# A whole date, day and month: "31 March", "March 3rd", "3월 31일".
DAY_AND_MONTH = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH_NAMES}|\b{_MONTH_NAMES}\s+\d{{1,2}}(?:st|nd|rd|th)?\b"
                           r"|\d{1,2}\s*월\s*\d{1,2}\s*일", re.IGNORECASE)
# The weekdays by the first syllable of their Korean names (월요일 is Monday).
KOREAN_WEEKDAYS = dict(zip("월화수목금토일", "monday tuesday wednesday thursday friday saturday sunday".split()))


def month_terms(text: str) -> set[str]:
    """The months of ``text``'s dates as "month:N", Korean (5월) or English ("2 May 2025") alike."""
    return {f"month:{int(m)}" for m in KOREAN_MONTH.findall(text)} | {
        f"month:{_MONTHS[(m.group(1) or m.group(2))[:3].lower()]}" for m in _ENGLISH_DATE.finditer(text)}


# Korean native numerals before a counter are numbers: "하루 두 번" is the 2 of "2번".
KOREAN_NUMERALS = {word: str(value) for value, word in enumerate("한 두 세 네 다섯 여섯 일곱 여덟 아홉 열".split(), start=1)}
KOREAN_COUNTED = re.compile(r"(?<![가-힣])(" + "|".join(sorted(KOREAN_NUMERALS, key=len, reverse=True))
                            + r")\s*(?=(?:번|명|개|곳|대|권|잔|장|마리|가지|살|시간|달|주|해)(?![가-힣]{2}))")


# English number words are numbers: "lead a team of three analysts" holds the 3 of "manages 3 people",
# "DVDs for one week" the 1 of "a DVD for 1 week".
NUMBER_WORDS = {word: str(value) for value, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split()) if value} | {
    word: str(10 * tens) for tens, word in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), start=3)}
_COMPOUND_NUMBER = re.compile(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ]"
                              r"(one|two|three|four|five|six|seven|eight|nine)\b", re.IGNORECASE)  # "Forty-two"


def spell_compounds(text: str) -> str:
    """The text with its compound number words as digits: "Forty-two children" -> "42 children"."""
    return _COMPOUND_NUMBER.sub(lambda m: str(int(NUMBER_WORDS[m.group(1).lower()])
                                              + int(NUMBER_WORDS[m.group(2).lower()])), text)


# Large amounts in words: "28만 원" is 280,000 won, "2억 5천만" 250,000,000, "1.45 million" 1,450,000.
_SCALES = {"억": 10 ** 8, "천만": 10 ** 7, "백만": 10 ** 6, "만": 10 ** 4, "천": 10 ** 3,
           "million": 10 ** 6, "billion": 10 ** 9}
_SCALED_PART = r"(\d[\d,]*(?:\.\d+)?)\s*(억|천만|백만|만|천)"
_SCALED_NUMBER = re.compile(rf"(?<![\d.,])\d[\d,]*(?:\.\d+)?\s*(?:억|천만|백만|만|천)(?:\s*{_SCALED_PART})*"
                            r"|(?<![\d.,])\d[\d,]*(?:\.\d+)?\s+(?:million|billion)\b", re.IGNORECASE)
_SCALED_PARTS = re.compile(rf"{_SCALED_PART}|(\d[\d,]*(?:\.\d+)?)\s+(million|billion)", re.IGNORECASE)


def _scaled_value(amount: str) -> str:
    """The amount's value: the parts below a 만 or 억 add up before it multiplies them ("8천 5백만" is
    8,500 만, 85,000,000)."""
    total = group = 0.0
    for korean_figure, korean_scale, figure, scale in _SCALED_PARTS.findall(amount):
        scale = (korean_scale or scale).lower()
        big = next((_SCALES[unit] for unit in ("억", "만", "million", "billion") if scale.endswith(unit)), 1)
        group += float(normal_number(korean_figure or figure)) * _SCALES[scale] / big
        if big > 1:
            total, group = total + group * big, 0.0
    return f"{round(total + group):d}"


def spell_scaled_numbers(text: str) -> str:
    """The text with its amounts in myriads or millions as plain figures: "28만 원" -> "280000 원"."""
    return _SCALED_NUMBER.sub(lambda m: _scaled_value(m.group(0)), text)


def figures_for_korean_amounts(text: str) -> str:
    """The text with its amounts in 만 and 억 as figures: "28만 원" -> "280,000 원", for a reader who
    would count 만 as a thousand."""
    return _SCALED_NUMBER.sub(lambda m: f"{int(_scaled_value(m.group(0))):,}"
                              if _HANGUL.search(m.group(0)) else m.group(0), text)


_HANGUL_FIRST, _SIOT_FINAL = 0xAC00, 19  # a syllable's code is 0xAC00 + 28 * (its first letters) + its final's index


@lru_cache(maxsize=8192)
def without_sai_siot(word: str) -> str:
    """A Korean compound without the ㅅ that joins its parts (사이시옷): 이삿날 -> 이사날, 바닷가 -> 바다가, so
    that the 이사 of "이사 날짜" is found in it."""
    letters = list(word)
    for i, letter in enumerate(letters[:-1]):
        code = ord(letter) - _HANGUL_FIRST
        if 0 <= code < 11172 and code % 28 == _SIOT_FINAL and "가" <= letters[i + 1] <= "힣":
            letters[i] = chr(ord(letter) - _SIOT_FINAL)
    return "".join(letters)


_COST_WORDS = frozenset({"비용", "요금"})
# Words ending as a cost's compound does (공사비, 수강료) that are no cost: 준비 (preparation), 재료 (ingredients) ...
_NOT_COSTS = frozenset("준비 장비 설비 대비 예비 경비 자료 재료 완료 종료 진료 연료 음료 원료 사료 의료 동료 로비".split())


_ENGLISH_COST_WORDS = frozenset("cost costs price prices fee fees charge charges".split())


def cost_found(word: str, words: set[str]) -> bool:
    """Whether ``word`` asks a cost (비용, 요금) that ``words`` name by a compound ending in 비 or 료
    (공사비, 참가비, 수강료): "승강기 교체 비용" is answered by "공사비는 한 대에 8천 5백만 원"; or an
    English cost by another of its words ("what does it cost?" by "prices start at 25 pounds")."""
    if word in _ENGLISH_COST_WORDS:
        return not _ENGLISH_COST_WORDS.isdisjoint(words)
    return word in _COST_WORDS and any(len(w) >= 2 and w[-1] in "비료" and w not in _NOT_COSTS for w in words)


# Words notices use for one thing, as the starts of the words that say it: a day off (휴관 of a library or a
# museum, 휴무, 휴진 of a clinic, "일요일은 쉽니다"), and what to bring (가져가다, 가져오다, 지참, 챙기다).
_SAME_THING = (("휴관", "휴무", "휴진", "휴업", "휴점", "쉽니다", "쉬는", "쉬며", "쉬고", "쉬어", "쉰다"),
               ("가져가", "가져오", "가져와", "지참", "챙기", "챙겨"),
               ("강사", "선생님", "교사"))
# The verb 쉬다 of a question ("무슨 요일에 쉬나요?"), a one-syllable morpheme no content word keeps.
ASKS_A_DAY_OFF = re.compile(r"쉬(?:나요|나|니|는|어요|어|ㅂ니까)|쉽니까")
DAY_OFF = "휴관"  # the word that stands for the asked day off


def same_thing_found(word: str, words: set[str]) -> bool:
    """Whether ``word`` names a day off, bringing something or a class's teacher that ``words`` name in
    other words ("월요일은 휴무입니다", "일요일은 쉽니다"; "가져와야 합니다" for 가져가; 선생님 for 강사)."""
    return any(word.startswith(group) and any(w.startswith(group) for w in words) for group in _SAME_THING)
