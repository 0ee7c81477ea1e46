"""What a question asks for (a name, a weekday, a date or time, a number, a price, a place) and whether
an answer or a source sentence gives that kind of thing: what ``draft_review`` checks before the
words of an answer are compared with its sources."""

from __future__ import annotations

import re
from typing import Sequence

from desktop_app.core.grounding import NAME, WORD, content_terms, counts, word_found
from desktop_app.core.terms import KOREAN_WEEKDAYS, QUERY_STOPWORDS, korean_proper_nouns, language_of


# What a question asks for, by its question word, and what an answering sentence must then hold
# beyond the question's own terms: a name for "who", a weekday for "what day of the week" / 무슨 요일,
# a number (a date, an amount) for "how many", a number or a month or weekday for "when". Other
# questions ask for no one kind of thing.
_ASKS_FOR_NAME = re.compile(r"^\s*(who|whom|whose)\b|^\s*(what|which) (brand|make|manufacturer|company|firm)\b|누구|누가"
                            r"|(어느|어떤|무슨) (회사|업체|브랜드|제조사|부서|기관|단체)|^\s*which (department|organi[sz]ation)\b"
                            r"|(회사|업체|업소|기관|단체)(은|는|이|가) 어디", re.IGNORECASE)
# A brand is asked, which is never the body the document is about ("laptops from Westmoor Academy").
ASKS_A_BRAND = re.compile(r"\b(?:brand|make|manufacturer)\b|브랜드|제조사|상표", re.IGNORECASE)
# Someone named after their role, whom the analyser may not tag as a name: "생활체육지도사 강민재입니다",
# "주무관 남궁서연이", "요리연구가 배수현 씨".
_KOREAN_PERSON = re.compile(r"[가-힣]*(?:사|가|장|관|원|너|님|수)\s+([가-힣]{3,4}?)(?=입니다|이다|이며|이고|이에요|씨|님|\s*(?:선생님|원장|소장|팀장|주무관|강사|교수|대표))")
# A company the analyser does not tag as a name: "(주)한길건설", "주식회사 푸른솔".
_KOREAN_COMPANY = re.compile(r"(?:\(주\)|㈜|주식회사)\s*([가-힣A-Za-z]{2,})")
# "On which day ..." may be answered with a date ("28 November"); a weekday is asked only so:
_ASKS_WEEKDAY = re.compile(r"\b(what|which) day of the week\b|(무슨|몇|어느) 요일", re.IGNORECASE)
_ASKS_WHEN = re.compile(r"^\s*when\b|^\s*(on )?(what|which) (day|date)\b|언제", re.IGNORECASE)
# What an answer to "when" holds: a date, an hour, a day, a season, a word of time or a condition ("delivery
# is free above 75 pounds"); "언제까지 돌려주면 되나요?" is not answered with where to return the books.
_TIME = re.compile(r"\d\s*(?:월|일|시|분|년|주|개월|초)|\d{1,2}[.:]\d{2}|\d\s*(?:am|pm|a\.m\.|p\.m\.)|\b(?:19|20)\d\d\b"
                   r"|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
                   r"|\b(?:noon|midday|midnight|o'clock|today|tomorrow|tonight|yesterday|morning|afternoon|evening|night"
                   r"|daily|weekly|monthly|yearly|annually|spring|summer|autumn|fall|winter|weekends?|weekdays?|days?|"
                   r"weeks?|months?|years?|hours?|minutes?|before|after|until|till|by|during|from|since|when|once|"
                   r"now|soon|later|every|if|unless|above|over|below|under|only|whenever)\b"
                   r"|오전|오후|저녁|아침|밤|새벽|낮|정오|자정|매일|매주|매달|매년|주말|평일|요일|전날|당일|내일|오늘|어제|모레"
                   r"|전에|전까지|후에|뒤에|동안|까지|부터|이내|안에|때|봄|여름|가을|겨울|기간|날"
                   r"|경우|이상|이하|미만|초과", re.IGNORECASE)  # not "...면 됩니다": "돌려주시면 됩니다" says how
# "What time ...?", "몇 시까지 ...?" is answered by an hour of the clock, not by the day it reopens.
ASKS_CLOCK = re.compile(r"\bwhat time\b|몇\s*시(?!간)", re.IGNORECASE)
CLOCK = re.compile(r"\d\s*(?:am|pm|a\.m\.|p\.m\.|o'clock)|\d[.:]\d\d|\b(?:noon|midday|midnight)\b"
                    r"|(?:\d|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|열한|열두)\s*시(?!간)|정오|자정", re.IGNORECASE)
_ASKS_FOR_NUMBER = re.compile(r"^\s*how (many|much|long|often|old|far)\b|몇|얼마", re.IGNORECASE)
WEEKDAYS_AND_MONTHS = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|"
    r"august|september|october|november|december)s?\b|[월화수목금토일]요일", re.IGNORECASE)
# A question that asks a price ("what does X cost?", "회비는 얼마인가요?") is answered with an amount of
# money (a currency beside it) or with "free"; "얼마나 걸리나요" asks a time.
_ASKS_PRICE = re.compile(r"\b(cost|costs|price|prices|fee|fees|charge|charges)\b"
                         r"|(?:비|료|금|값|가격|권|예산|비용)(?:은|는|이|가)?\s*얼마(?:인|였|예|입|이에)", re.IGNORECASE)
_PRICE_WORDS = re.compile(r"\bfree\b|\bno charge\b|무료|공짜|(받|내)지 않|(?:료|비|금)(?:은|는|이|가)?\s*없|\b(pence|cents?)(?![a-z])", re.IGNORECASE)
CURRENCY_CODES = frozenset("EUR USD KRW GBP JPY".split())
COUNTED = re.compile(r"몇\s*(층|명|개|곳|번|대|권|회|시간|분|일|주|달|년|살|장|km|킬로미터|미터)")  # "몇 층": how many floors
_WEEKDAYS = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b|[월화수목금토일]요일",
                       re.IGNORECASE)


def weekdays_named(text: str) -> set[str]:
    """The weekdays a text names, in English: "월요일" and "Mondays" are monday."""
    return {(match.group(1) or KOREAN_WEEKDAYS[match.group(0)[0]]).lower() for match in _WEEKDAYS.finditer(text)}


# The last words of a capitalised run that make it a place ("Station Road"), not someone.
_PLACE_WORDS = frozenset("road street lane avenue square park quay station bridge harbour harbor island "
                         "hall centre center building way gate yard".split())
_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w&'.-]*(?:\s+(?:&\s+)?[A-Z][\w&'.-]*)*")
_PRONOUNS = frozenset("he she his her".split())


# "Where" is answered with a place the question does not name: a name, or a word that reads as a
# place (솔숲공원, 잠실역, "the Scout Hut", "upstairs"), not with what happens there.
# "어디에 쓰이나요" asks what for; "업체는 어디인가요", which company
ASKS_WHERE = re.compile(r"^\s*where\b|(?<!업체는 )(?<!업체가 )(?<!회사는 )(?<!회사가 )(?<!기관은 )(?<!단체는 )"
                        r"어디(?!에\s*(?:쓰|사용))", re.IGNORECASE)
_KOREAN_PLACE = re.compile(r"\d+층|[가-힣]{2,}과(?=에서|에|으로|로|입니다|이다)|[가-힣]+(?:역|공원|동|구|시|군|읍|면|리|층|홀|관|센터|학교|병원|시장|정류장|주차장|터미널|공항|앞|옆|근처|건너편|"
                           r"길|로|점|실|방|호|마을|아파트|단지|교회|성당|도서관|사무소|카페|식당)(?=\W|$|에|에서|으로|로|입니다|이다|이며|과|와)"
                           r"|[가-힣]*(?:게시판|누리집|홈페이지|웹사이트|로비|입구|안내데스크)(?=\W|$|에|에서|으로|로|입니다|이다|이며|과|와)")
WHERE_VERBS = frozenset("held located situated based go goes going".split())  # "where is the concert held?": the place is asked
_ENGLISH_PLACE_WORDS = frozenset("upstairs downstairs room floor hall centre center office station stop shop store "
                                 "café cafe library school church park garden street road square building entrance "
                                 "online website address workshop college playground lane museum theatre hospital "
                                 "clinic surgery market pub hotel gallery stadium".split())


def names_a_place(answer: str, question: str) -> bool:
    """Whether the answer names a place the question does not (Korean by its place nouns and
    proper nouns, English by a name or a place word)."""
    asked = {w.lower() for w in WORD.findall(question)}
    if language_of(answer) == "ko":
        places = {m.group(0) for m in _KOREAN_PLACE.finditer(answer)} | korean_proper_nouns(answer)
        return any(not any(place in word or word in place for word in asked if len(word) >= 2) for place in places)
    words = {w.lower() for w in WORD.findall(answer)}
    named_places = any(WORD.findall(run)[-1].lower() in _PLACE_WORDS and not all(
        w.lower() in asked for w in WORD.findall(run)) for run in _CAPITALISED_RUN.findall(answer))  # "Brook Lane"
    return _names_someone(answer, asked) or named_places or bool((words & _ENGLISH_PLACE_WORDS) - asked)


def _names_someone(answer: str, question_words: set[str]) -> bool:
    """Whether an English answer to "who" names someone the question does not: a person or a body
    (a capitalised name, not a place such as "Station Road"). Korean names are not judged: the
    analyser does not always tag them (이지은 -> 이 + 지은이), and one in Hangul counts ("오세훈 소장")."""
    if re.search(r"[가-힣]", answer):
        return True
    for run in _CAPITALISED_RUN.findall(answer):
        words = [w.lower() for w in WORD.findall(run)]
        while words and (words[0] in QUERY_STOPWORDS or words[0] in _PRONOUNS):
            words.pop(0)  # "The", "It", "She" starting a sentence
        if words and words[-1] not in _PLACE_WORDS and not WEEKDAYS_AND_MONTHS.fullmatch(run) and any(
                not word_found(w, question_words) for w in words):
            return True
    return False


def asked_kind(question: str) -> str | None:
    """"name", "weekday", "when", "number" or None: what the question asks for."""
    for kind, pattern in (("name", _ASKS_FOR_NAME), ("weekday", _ASKS_WEEKDAY), ("when", _ASKS_WHEN),
                          ("number", _ASKS_FOR_NUMBER)):
        if pattern.search(question):
            return kind
    return None


# "How many members" is answered by a sentence that counts members, not by a price or a time
# ("Off-peak membership: 26 pounds a month, valid before 4 pm").
ASKS_COUNT = re.compile(r"\s*how many (\w+)", re.IGNORECASE)
# "How long does the concert last?" is answered by a length of time, not by its date and hour.
_ASKS_DURATION = re.compile(r"\s*how long (does|did|do|will|is|was|are|were|can|should)\b(?!.*\b(metres?|meters?|km|miles?)\b)",
                            re.IGNORECASE)
_SPAN = re.compile(r"\b(?:until|till|through|between|from|all day|overnight)\b", re.IGNORECASE)  # "until 12 June"
_LENGTH = re.compile(r"\d\s*(?:km|kilomet(?:re|er)s?|met(?:re|er)s?|miles?|feet|foot|yards?)\b", re.IGNORECASE)
_DURATION = re.compile(r"(?<!once )(?<!twice )(?<!per )(?<!every )(?<!each )"  # "once a year" is how often
                       r"(?<!under )(?<!aged )(?<!than )"  # "puppies under six months" is an age
                       r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a|an)\s*(-|\s)?"
                       r"(seconds?|secs?|minutes?|mins?|hours?|days?|weeks?|months?|years?|nights?)\b", re.IGNORECASE)


def gives(kind: str | None, sentence: str, question_numbers: frozenset[str], question_words: set[str],
           question: str = "") -> bool:
    """Whether ``sentence`` holds the kind of thing the question asks for, beyond the question's terms."""
    if kind == "name":
        names = {m.group(0).lower() for m in NAME.finditer(" " + sentence)
                 if not WEEKDAYS_AND_MONTHS.fullmatch(m.group(0))} | korean_proper_nouns(sentence) | {
                    m.group(1) for pattern in (_KOREAN_PERSON, _KOREAN_COMPANY) for m in pattern.finditer(sentence)}
        return bool(names - question_words)
    if kind == "weekday":
        return _WEEKDAYS.search(sentence) is not None
    if kind in (None, "number") and _ASKS_PRICE.search(question) and not (
            content_terms(sentence)[0] & CURRENCY_CODES or _PRICE_WORDS.search(sentence)):
        return False  # "모두 40자리를 받습니다" (forty pitches) for the price of a pitch
    if kind == "number" and _ASKS_PRICE.search(question) and _PRICE_WORDS.search(sentence):
        return True  # "CT 촬영은 무료입니다": free is a price
    if kind == "number" and (asked := ASKS_COUNT.match(question)):
        return counts(sentence, asked.group(1).lower())
    if kind == "number" and _ASKS_DURATION.match(question):
        return _DURATION.search(sentence) is not None
    if kind in ("when", "number"):
        return bool(content_terms(sentence)[0] - question_numbers) or (
            kind == "when" and WEEKDAYS_AND_MONTHS.search(sentence) is not None)
    return True


def gives_what_is_asked(question: str, answer: str, question_numbers: frozenset[str]) -> bool:
    """Whether an answer gives the kind of thing its question asks for: a weekday for "what day of the
    week", a date or time for "when", an hour for "what time", a place for "where", someone for
    "who" (English), an amount of money for a price."""
    kind = asked_kind(question)
    if kind == "weekday" and not gives("weekday", answer, question_numbers, set()):
        return False  # the opening hours for "what day is it closed?"
    if kind == "when" and not (_TIME.search(answer) or WEEKDAYS_AND_MONTHS.search(answer)):
        return False  # where to return the books, for "언제까지 돌려주면 되나요?"
    if ASKS_CLOCK.search(question) and not CLOCK.search(answer):
        return False  # the day the library reopens, for "몇 시까지 여나요?"
    if ASKS_WHERE.search(question) and not names_a_place(answer, question):
        return False  # what the children eat on the outing, for "where does the outing go?"
    if kind == "name" and language_of(answer) == "en" and not _names_someone(
            answer, {w.lower() for w in WORD.findall(question)}):
        return False  # when and where the garden was founded, for "who founded it?"
    if kind in (None, "number") and _ASKS_PRICE.search(question) and not (content_terms(answer)[0] & CURRENCY_CODES
                                             or _PRICE_WORDS.search(answer)):
        return False  # "412,000회" (trips) for the price of a yearly pass
    if kind == "number" and _ASKS_DURATION.match(question) and not (
            _DURATION.search(answer) or _LENGTH.search(answer) or _SPAN.search(answer)
            or WEEKDAYS_AND_MONTHS.search(answer)):
        return False  # "the first visit for puppies under six months is free", for how long the visit is
    return True


# Whether a question asks when something ends ("what time does it close?", "몇 시까지") or starts
# ("when does it open?", "몇 시부터"), and the hours of a range ("8 am to 4 pm", "오전 9시부터 오후 6시까지").
_ASKS_AN_END = re.compile(r"\b(?:close|closes|closing|shut|shuts|finish|finishes|end|ends|until)\b|몇\s*시까지|언제까지|끝나|닫",
                          re.IGNORECASE)
_ASKS_A_START = re.compile(r"\b(?:open|opens|opening|start|starts|begin|begins)\b|몇\s*시부터|언제부터|시작|여나요|열어요|문을 열",
                           re.IGNORECASE)
_HOUR = r"(?:\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}\s*시(?:\s*\d{1,2}\s*분)?)"
_HOUR_RANGE = re.compile(rf"({_HOUR})\s*(?:to|until|till|-|–|~|부터)\s*(?:오전|오후|저녁|밤|낮|새벽)?\s*({_HOUR})",
                         re.IGNORECASE)


def _hour(text: str) -> str:
    """An hour written one way: "8 am", "8.00am" -> "8am"; "6시 30분" -> "6시30분"."""
    return re.sub(r"[.:]00|\s+|\.", "", text.lower())


def hour_from_the_wrong_end(question: str, answer: str, source_texts: Sequence[str]) -> bool:
    """Whether an answer to when something ends gives only hours the sources give as starts of a
    range, none of them as an end ("closes at 8 am" where the row says "8 am to 4 pm"), or the other
    way round for when it starts."""
    ends, starts = _ASKS_AN_END.search(question) is not None, _ASKS_A_START.search(question) is not None
    if ends == starts:
        return False
    told = {_hour(m.group(0)) for m in re.finditer(_HOUR, answer, re.IGNORECASE)}
    ranges = [m for text in source_texts for m in _HOUR_RANGE.finditer(text)]
    if not told or not ranges:
        return False
    range_starts, range_ends = {_hour(m.group(1)) for m in ranges}, {_hour(m.group(2)) for m in ranges}
    wrong, right = (range_starts, range_ends) if ends else (range_ends, range_starts)
    return told <= wrong and told.isdisjoint(right)


# "Who is the new treasurer?" is not answered by the treasurer the sources say is leaving
# ("elect a new treasurer after Graham Doyle steps down").
_ASKS_A_SUCCESSOR = re.compile(r"\b(?:new|next|incoming|successor)\b|새로 ?(?:온|오는|뽑|맡)|새 |신임|후임|차기", re.IGNORECASE)
_LEAVING = re.compile(r"^\W*(?:[A-Z][a-z]+\W+)?(?:(?:who|is|will|has)\s+)*(?:steps?|stepping|stood|stands?|standing) "
                      r"down|^\W*(?:[A-Z][a-z]+\W+)?(?:(?:who|is|will|has)\s+)*(?:retir|resign|leav|left|quit)"
                      r"|^[가-힣\s]{0,8}?(?:이|가|은|는|씨가|님이)?\s*(?:사임|퇴임|은퇴|물러나|그만두|떠나)")


def names_the_one_leaving(question: str, answer: str, source_texts: Sequence[str]) -> bool:
    """Whether an answer to who the new holder of a post is names only people the sources name as the
    one leaving it: every time a source names them, they step down, retire, resign or leave."""
    if asked_kind(question) != "name" or not _ASKS_A_SUCCESSOR.search(question):
        return False
    asked = {w.lower() for w in WORD.findall(question)}
    names = {m.group(0) for m in NAME.finditer(" " + answer) if m.group(0).lower() not in asked} | {
        n for text in source_texts for n in korean_proper_nouns(text) if n in answer and n not in question}
    ends = {name: [(text, m.end()) for text in source_texts
                   for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)" if name.isascii() else re.escape(name), text)]
            for name in names}
    return bool(names) and all(ends[name] and all(_LEAVING.match(text[end:end + 40]) for text, end in ends[name])
                               for name in names)
