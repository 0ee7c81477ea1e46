"""The answer the user gets for the model's finished draft (``review_draft``): a draft that only points
at a source, or declines although a source answers in the question's own words, becomes that
source's sentence; a draft no source holds, or whose facts the sources hold only where they speak of
something else than the question, is withheld. The checks themselves are in ``grounding``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, NamedTuple, Sequence

from desktop_app.core.asked import (ASKS_A_BRAND, ASKS_CLOCK, ASKS_COUNT, ASKS_WHERE, CLOCK, COUNTED, CURRENCY_CODES,
                                    WEEKDAYS_AND_MONTHS, WHERE_VERBS, asked_kind, gives, gives_what_is_asked,
                                    hour_from_the_wrong_end, names_a_place, names_the_one_leaving,
                                    weekdays_named)
from desktop_app.core.degeneration import without_stray_script
from desktop_app.core.grounding import (DECLINE, NAME, WORD, abstains, attribute_citations, claim_supported, content_terms,
                                        counts, remove_invalid_citations, sentence_held, split_sentences, tidy, word_found)
from desktop_app.core.rag import CITATION
from desktop_app.core.source_parts import heading_words, row_key, source_sentences, title_line, topic_words
from desktop_app.core.terms import (ASKS_A_DAY_OFF, DAY_OFF, korean_adverbs, korean_predicates, korean_proper_nouns,
                                    language_of, measure_words, script_of as _script)


# Question words that say what is asked, not what it is about: never matched against a source.
_QUESTION_WORDS = frozenset("누구 누가 언제 어디 어디서 무엇 무슨 얼마 얼마나 며칠 어느 어떤 어떻게 어떻 인가 인가요 나요 습니까 "
                            "name named".split())
# English adverbs a question adds that an answer need not repeat ("how many things can I bring at once?"
# is answered by "no more than two items per visit"), as Korean ones (모두, 이미) are left out.
_QUESTION_ADVERBS = frozenset("once ever usually normally currently still also already exactly actually "
                              "typically generally".split())
_ASKING_A_PRICE = frozenset("cost costs price prices fee fees charge charges pay pays paid 비용 요금 가격".split())
_LIGHT_VERBS = frozenset("get gets got getting".split())  # "how much do households get?": what, not the verb
# A question about when something starts is answered by the point it runs from ("3월 2일부터", "from 2 March").
_STARTS = frozenset("시작 start starts begin begins".split())
_FROM_A_POINT = re.compile(r"\d[^\s\d]{0,3}부터|\bfrom\s+(?:[a-z]+\s+)?\d", re.IGNORECASE)


# Nouns that name the kind of thing asked for ("which company", "어느 업체"), which the answering
# sentence names instead of repeating: not required beside an answer's facts.
_ANSWER_KIND_WORDS = frozenset("업체 회사 사람 장소 날짜 요일 금액 이름 기관 단체 부서 "
                               "company firm person people thing things place date day time times year amount name organisation "
                               "organization department".split())


# A line of a form or a list that names what it gives: "정원: 15명 (선착순)", "- Deposit: 30 pounds".
_LABELLED_LINE = re.compile(r"^\s*(?:[-*•]\s*)?([^:|\n]{1,20}):\s*\S")
# A sentence that only says where the answer stands ("This fact is stated in [1].", "This can be found in
# the source [2].") says nothing a source could hold: it goes, and its sentence before cites for itself.
_SAYS_WHERE_ONLY = re.compile(r"(?<=[.!?\]])\s*(?:this|that|it)(?: fact| information| answer)? (?:is|was|can be) "
                              r"(?:stated|found|mentioned|given|written|shown|explained)(?: in)?(?: the)?"
                              r"(?: sources?| documents?| text| passage)?\s*(?:\[\d+\]\s*)*[.!]?\s*(?:\[\d+\]\s*)*$",
                              re.IGNORECASE)


def bare_citations(text: str) -> list[int]:
    """The source numbers of a draft that is nothing but citations ("[2]", "[1] [3]"); [] otherwise."""
    if WORD.search(CITATION.sub(" ", text)):
        return []
    return [int(n) for n in CITATION.findall(text)]


def quote_for(question: str, source_texts: Sequence[str], numbers: Sequence[int],
              documents: Sequence[object] | None = None, closest: ClosestSentence | None = None
              ) -> tuple[str, int] | None:
    """The sentence of sources ``numbers`` (1-based) that answers the question by its words, and its
    source number; None when there is none.

    The sentence must hold the question's numbers and, with the sentence before it, all its content
    words (a Korean question's adverbs aside; the document's title may hold some of them when two
    stand in the sentence itself, or one labels its line: "정원: 15명"), its names anywhere in the
    source, something the question does not say, and what it asks for (a name for "who", a count of
    floors for "몇 층"); headings never answer. So a question the sources only come near (the maximum where they give the
    minimum; the parking lot of a library they describe) is not answered with a sentence about
    something else: a missed answer costs less than a wrong one. Of several such sentences, the one
    that holds most of the question's words as written answers, and of those, the one ``closest`` to
    the question in meaning (by default the first). ``documents`` names each source's document: its
    title, in whichever of its passages is a source, may hold the question's words.
    """
    question_numbers, question_words = content_terms(question)
    question_words = {w for w in question_words if w not in _QUESTION_WORDS | _LIGHT_VERBS}
    if ASKS_A_DAY_OFF.search(question):
        question_words.add(DAY_OFF)  # "무슨 요일에 쉬나요?" is answered by "월요일은 휴관합니다"
    names = {m.group(0).lower() for m in NAME.finditer(question)  # a weekday is what is asked about, not a name
             if not WEEKDAYS_AND_MONTHS.fullmatch(m.group(0))} & question_words
    if not question_words and not question_numbers:
        return None
    kind, written = asked_kind(question), {w.lower() for w in WORD.findall(question)}
    required = question_words - names - korean_adverbs(question)  # "모두 몇 명": the sentence gives the number
    if kind == "name":
        required -= _ANSWER_KIND_WORDS  # "업체는 어디": the sentence names the company
    required -= measure_words(question)
    counter = COUNTED.search(question)
    # The question's word the sources use least is what it is about; the answering sentence holds it.
    every_sentence = [set(s.words) for text in source_texts for s in source_sentences(text)]
    documents = list(documents) if documents is not None else list(range(len(source_texts)))
    # A document's title ("밝은미소치과 진료 안내"), with the sentence under it ("Linden Voices, the community
    # choir of ..."), says what every passage of the document is about.
    titles: dict = {}
    title_lines: dict = {}  # "where" is answered by a place other than the document's own (the closed library)
    for document, text in zip(documents, source_texts):
        title = title_line(text)
        title_lines[document] = title_lines.get(document, "") + " " + title
        under_title = split_sentences(text.strip()[len(title):])[:1] if title else []
        titles.setdefault(document, set()).update(*(content_terms(t, source=True)[1] for t in [title, *under_title]))
    spread = {w: sum(word_found(w, words) for words in every_sentence) for w in required - _ASKING_A_PRICE}
    rarest = {w for w, n in spread.items() if n and n == min(n for n in spread.values() if n)}
    candidates: list[tuple[int, str, int]] = []
    for number in dict.fromkeys(numbers):
        if not 1 <= number <= len(source_texts):
            continue
        _numbers, source_words = content_terms(source_texts[number - 1], source=True)
        if not all(word_found(name, set(source_words)) for name in names):
            continue
        title = titles[documents[number - 1]]
        subject = set(content_terms(title_lines[documents[number - 1]], source=True)[1])
        if kind is None and required and all(word_found(w, subject) for w in required):
            continue  # nothing asked but the document's subject: no sentence of it can be told to answer
        for sentence in source_sentences(source_texts[number - 1]):
            news = (sentence.numbers - question_numbers) or {w for w in sentence.words  # 월요일 for 무슨 요일
                                                             if not word_found(w, question_words - _ANSWER_KIND_WORDS)}
            if not question_numbers <= sentence.numbers or not news or sentence.text.lstrip().startswith("#") \
                    or not gives(kind, sentence.text, question_numbers, written, question) or (
                        ASKS_WHERE.search(question)
                        and not names_a_place(sentence.text, question + title_lines[documents[number - 1]])) or (
                        ASKS_CLOCK.search(question) and not CLOCK.search(sentence.text)) or (
                        counter and not re.search(rf"\d\s*{counter.group(1)}", sentence.text)) or (
                        names_the_one_leaving(question, sentence.text, source_texts)):
                continue  # a heading, a sentence that only repeats the question or gives no name for "who",
                # no place but the document's own for "where", no hour for "몇 시", or no count of what "몇 층"
                # asks for (floors), or only the one leaving the post for "who is the new ..."
            near = set(sentence.near_words)
            if rarest and not any(word_found(w, set(sentence.words) | title | sentence.heading) for w in rarest):
                continue  # the sentence after the one that speaks of it ("샤워실은 없고 ..." then who runs the gym)
                # (its paragraph's heading may: "30 pounds" under "Compensation and contact")
            # an amount of money says what "pay" and "cost" ask: "| Lost charger | 18 pounds |"
            needed = required - _ASKING_A_PRICE if sentence.numbers & CURRENCY_CODES else required
            label = _LABELLED_LINE.match(sentence.text)
            if all(_inflected_found(w, near) for w in needed) or (  # "need" in "no audition is needed"
                    all(_inflected_found(w, near | title) for w in needed)
                    and (sum(_inflected_found(w, set(sentence.words)) for w in needed) >= 2 or label and any(
                        _inflected_found(w, set(content_terms(label.group(1))[1])) for w in needed))):
                candidates.append((sum(w in sentence.words for w in required),
                                   tidy(re.sub(r"^\s*[-*•]\s+", "", sentence.text)), number))  # a list item without its bullet
    if not candidates:
        return None
    # the one in the question's own words: "목요일은 ... 8시 30분까지" before "평일은 ... 6시 30분까지"
    best = [(text, number) for held, text, number in candidates if held == max(c[0] for c in candidates)]
    return best[closest(question, [text for text, _ in best]) if closest is not None and len(best) > 1 else 0]


# The share of a question's content words that must surround an answer's facts in a source.
MIN_QUESTION_COVERAGE = 0.5
# Which of some sentences means most nearly what a question asks (its index): the embedder's ranking,
# for an English question the sources answer in other words ("collect" / "handed out").
ClosestSentence = Callable[[str, Sequence[str]], int]




@lru_cache(maxsize=4096)
def _lemma(word: str) -> str:
    import simplemma

    return simplemma.lemmatize(word, lang="en")


def _inflected_found(word: str, words: set[str]) -> bool:
    """``word_found``, also for an English word in another inflection (runs / run, built / build,
    sank / sink: the same lemma)."""
    if word_found(word, words):
        return True
    if _script(word[0]) != "latin":
        return False
    lemma = _lemma(word)
    if any(_lemma(w) == lemma for w in words if _script(w[0]) == "latin"):
        return True
    stems = {word[:-len(suffix)] for suffix in ("s", "es", "ed", "ing", "t") if word.endswith(suffix)}
    if len(word) >= 4:
        stems.add(word)  # open / opened
    return any(len(stem) >= 3 and any(w == stem or w.startswith(stem) for w in words) for stem in stems)


def _counts_of(counter: str, text: str) -> set[str]:
    """The figures of ``text`` that count with ``counter`` ("4대", "1,200명"), without separators."""
    return {n.replace(",", "") for n in re.findall(rf"(?<![\d.,])(\d[\d,]*)\s*{counter}", text)}


def answers_the_question(question: str, answer: str, source_texts: Sequence[str],
                         documents: Sequence[str] | None = None, closest: ClosestSentence | None = None) -> bool:
    """Whether the answer's facts stand, in some source, next to what the question asks about.

    A source can hold every word of an answer that answers another question ("300 g" of lentils
    for the calories of the soup; the dredging contract's price for the pilot boat's): the check
    finds a sentence (with the one before it) holding the numbers and names the answer adds to
    the question, and requires that it also holds ``MIN_QUESTION_COVERAGE`` of the question's own
    content words (not its Korean verbs, nor nouns naming the kind of answer: 업체, company), and,
    in the fact's paragraph, every one of them the answer repeats that the fact's document uses
    somewhere. Facts that stand in different places may each stand on the question. An answer to
    "who" must name someone, one to "what day" a weekday. An answer with no number or name of its
    own cannot be judged this way: True. ``documents`` names each source's document (passages of
    one document speak of the same things); by default each source is a document of its own.
    A source in another language than the question is judged by its numbers and names only, and
    only while no sentence of a source in the question's language holds what the question asks
    about: a Korean question about a Korean document is not answered with a figure from an English
    one, nor an answer that repeats two words of the title of a source's document in the question's
    language.
    """
    question_numbers, question_words = content_terms(question)
    bare_answer = CITATION.sub(" ", answer)
    if not gives_what_is_asked(question, bare_answer, question_numbers) or hour_from_the_wrong_end(
            question, bare_answer, source_texts) or names_the_one_leaving(question, bare_answer, source_texts):
        return False
    if (counter := COUNTED.search(question)) and (told := _counts_of(counter.group(1), bare_answer)):
        counted_in_sources = {n for text in source_texts for n in _counts_of(counter.group(1), text)}
        if counted_in_sources and told.isdisjoint(counted_in_sources):
            return False  # "3대" for "몇 대", the sources' 3 being a line's number ("3·4호 라인"), their count "4대"
    question_words -= (_QUESTION_WORDS | _QUESTION_ADVERBS | _LIGHT_VERBS | _ANSWER_KIND_WORDS
                       | korean_predicates(question) | korean_adverbs(question))
    question_words -= measure_words(question)
    if ASKS_WHERE.search(question):
        question_words -= WHERE_VERBS
    if not question_words:
        return True
    # Names (and, in a Korean question, its Latin words: "Halden 클리닉") and the passage's topic words
    # say what the whole document is about, not what is asked: the answer's sentence need not repeat them.
    names = {m.group(0).lower() for m in NAME.finditer(question)} | korean_proper_nouns(question) | (
        {w for w in question_words if _script(w[0]) == "latin"} if language_of(question) == "ko" else set())
    names &= question_words
    windows = [(text, sentence, topic, heading)
               for text, topic, heading in ((text, topic_words(text), heading_words(text)) for text in source_texts)
               for sentence in source_sentences(text)]
    own_script = {_script(w[0]) for w in question_words - names}
    asked = [w for w in question_words - names if _script(w[0]) in own_script]
    # ... in one place: a sentence (with the one before it) and its passage's headings
    same_language_source = any(
        sum(_inflected_found(w, set(sentence.near_words) | topic) for w in asked) >= MIN_QUESTION_COVERAGE * len(asked)
        for _, sentence, topic, _ in windows) if asked else False
    documents = list(documents) if documents is not None else list(range(len(source_texts)))
    used_by_document: dict = {}
    topic_of_document: dict = {}  # its title and headings, in whichever of its passages is a source
    headings_of_document: dict = {}
    title_of_document: dict = {}
    passage_terms = {text: content_terms(text, source=True) for text in source_texts}
    for document, text in zip(documents, source_texts):
        used_by_document.setdefault(document, set()).update(passage_terms[text][1])
        topic_of_document.setdefault(document, set()).update(topic_words(text))
        headings_of_document.setdefault(document, set()).update(heading_words(text))
        title_of_document.setdefault(document, set()).update(content_terms(title_line(text), source=True)[1])
    used_words = {text: used_by_document[document] for document, text in zip(documents, source_texts)}
    document_topic = {text: topic_of_document[document] for document, text in zip(documents, source_texts)}
    document_headings = {text: headings_of_document[document] for document, text in zip(documents, source_texts)}
    document_of = dict(zip(source_texts, documents))
    counted = asked_count.group(1).lower() if (asked_count := ASKS_COUNT.match(question)) else None

    def titled_elsewhere(text: str, claim_words: frozenset[str]) -> bool:
        # The claim repeats two of the question's words that another document's title holds, in the
        # question's language: the question is about that document ("the society" and "the allotment" of
        # the Fernhill Allotment Society's newsletter), and a figure of a passage in the other language
        # does not answer it (the book sale's 500원 for the key to the allotment gate).
        repeated = [w for w in asked if word_found(w, set(claim_words))]
        return any(document != document_of[text] and sum(_inflected_found(w, title) for w in repeated) >= 2
                   for document, title in title_of_document.items())

    def stand_on_question(facts_numbers: set[str], facts_names: set[str], words: frozenset[str], claim: str) -> bool:
        # Only a passage that holds the claim, with its document's title and headings, counts: the clinic's
        # free parking does not stand on the book club's "2호선" beside its 모임 and 주차.
        holding = {text for text, (numbers, passage_words) in passage_terms.items()
                   if sentence_held(claim, set(numbers) | question_numbers,  # the question's own "한 달"
                                    set(passage_words) | document_topic[text] | document_headings[text], question)}
        for text, sentence_in_source, topic, heading in windows:
            if text not in holding:
                continue
            # The facts stand in the sentence with the one before it, and one of them in the sentence itself
            # (an answer may join two sentences; the hours before "closed on Mondays" do not answer "when closed").
            window_words = sentence_in_source.near_words
            if not facts_numbers <= sentence_in_source.near_numbers or not all(
                    word_found(n, set(window_words) | heading | document_topic[text]) for n in facts_names):
                continue  # a name may stand in the passage's heading or its document's title: # 한빛 감귤농장 ... 2021년에 인증
            # ... a figure of them, not only its currency ("18 pounds" of a day pass beside "12 pounds" an hour)
            if not ((facts_numbers - CURRENCY_CODES or facts_numbers) & sentence_in_source.numbers
                    or any(word_found(n, set(sentence_in_source.words)) for n in facts_names)):
                continue
            if counted and counts(claim, counted) and not _inflected_found(counted, set(sentence_in_source.words)):
                continue  # "12 singers" for "how many singers", the 12 of "children under 12"
            # A table row whose first cell names something (not "2단계", "6월 1일"), in the question's
            # language, is about that: 아침 수영's 5만 5천 원 is not the yoga class's fee.
            key_numbers, key_words = row_key(sentence_in_source.text)
            if not key_numbers and any(_script(w[0]) in own_script for w in key_words) and not any(
                    word_found(w, set(question_words) | set(words)) for w in key_words):
                continue
            scripts = {_script(w[0]) for w in window_words}
            # The passage's own headings and first sentence need not be repeated; failing that, its
            # document's title and headings (in another of its passages) need not be either.
            for exempt in (topic, topic | document_headings[text]):
                comparable = [w for w in question_words - names if _script(w[0]) in scripts  # Korean vs English
                              and not word_found(w, exempt)]
                if not comparable:
                    if not scripts.isdisjoint(own_script) or not (same_language_source
                                                                  or titled_elsewhere(text, words)):
                        return True
                elif sum(_inflected_found(w, set(window_words)) or (w in _STARTS and _FROM_A_POINT.search(
                        sentence_in_source.text) is not None) for w in comparable) >= \
                        MIN_QUESTION_COVERAGE * len(comparable):
                    # ... and what the answer says of the question's terms stands there too, where the sources
                    # speak of it at all ("honey from the garden costs 19 pounds": the 19 pounds are a plot's,
                    # honey is sold elsewhere in the passage; a paraphrase the sources never use does not count)
                    claimed = [w for w in comparable
                               if word_found(w, set(words)) and _inflected_found(w, used_words[text])]
                    section = set(sentence_in_source.section_words) | window_words | document_topic[text]
                    # ... and a word of the question it repeats that its document never uses, while another
                    # document of the sources names its subject by it (in its title or headings), makes the
                    # answer that document's (the hall's hire prices for "the new water main", the water
                    # notice being among the sources)
                    elsewhere = any(word_found(w, set(words)) and not _inflected_found(w, used_words[text])
                                    and any(_inflected_found(w, topic) for topic in topic_of_document.values())
                                    for w in comparable)
                    if all(_inflected_found(w, section) for w in claimed) and not elsewhere:
                        return True
        return False

    if ASKS_A_BRAND.search(question):
        answer_names = {m.group(0).lower() for m in NAME.finditer(" " + bare_answer)} | korean_proper_nouns(bare_answer)
        if answer_names and all(any(word_found(n, title) for title in title_of_document.values()) for n in answer_names):
            return False  # the school's own name for the brand of the laptops it lends
    judged, all_numbers, all_names = False, set(), set()
    for sentence in split_sentences(CITATION.sub(" ", answer)):
        numbers, words = content_terms(sentence)
        answer_names = ({m.group(0).lower() for m in NAME.finditer(" " + sentence)}  # not "May", "The"
                        | korean_proper_nouns(sentence)) & words
        facts_numbers = numbers - question_numbers
        facts_names = {n for n in answer_names if not word_found(n, question_words)}
        if not facts_numbers and not facts_names:
            continue
        judged = True
        all_numbers |= facts_numbers
        all_names |= facts_names
        if stand_on_question(facts_numbers, facts_names, words, sentence):
            return True
        # An answer may join facts of two places, each on the question: the incident's date from the
        # summary, the engineer paged from the response ("9 October 2026에 ... Tomasz Wren이 호출되었습니다").
        if all(stand_on_question({n}, set(), words, sentence) for n in facts_numbers) and all(
                stand_on_question(set(), {n}, words, sentence) for n in facts_names):
            return True
    if judged and closest is not None and windows and language_of(question) == "en":
        nearest = windows[closest(question, [sentence.text for _, sentence, _, _ in windows])][1]
        return all_numbers <= nearest.numbers and all(word_found(n, set(nearest.words)) for n in all_names)
    return not judged


def told_of_another_sentence(question: str, answer: str, answering_sentence: str, source_texts: Sequence[str]) -> bool:
    """Whether the answer's figures come only from source sentences that hold none of the question's
    words, and neither they nor most of what ``answering_sentence`` adds to the question are in the
    answer, that sentence answering the question in its words (``quote_for``): the model read the
    sentence after the one that speaks of the question ("스케일링은 ... 1만 5천 원" for the CT scan that
    "임플란트 상담 때 CT 촬영은 무료입니다" makes free). For "what day", whether the answer leaves out a
    weekday that sentence names."""
    if asked_kind(question) == "weekday":  # "월~금요일에 쉬나요" where the sentence says "매주 월요일은 ... 쉽니다"
        return bool(answering_days := weekdays_named(answering_sentence)) and not answering_days <= weekdays_named(answer)
    question_numbers, question_words = content_terms(question)
    asked = question_words - _QUESTION_WORDS - _LIGHT_VERBS - _ANSWER_KIND_WORDS - korean_predicates(question)
    answer_numbers, answer_words = content_terms(CITATION.sub(" ", answer))
    figures = answer_numbers - question_numbers - CURRENCY_CODES
    answering_numbers, answering_words = content_terms(answering_sentence)
    news = answering_words - question_words
    if not asked or not figures or figures & answering_numbers or (
            news and sum(word_found(w, set(answer_words)) for w in news) >= MIN_QUESTION_COVERAGE * len(news)):
        return False  # the answer says what that sentence says, and more
    sentences = [sentence for text in source_texts for sentence in source_sentences(text)]
    most = max((len(figures & sentence.numbers) for sentence in sentences), default=0)
    holding = [sentence for sentence in sentences if most and len(figures & sentence.numbers) == most]
    return bool(holding) and not any(_inflected_found(w, set(sentence.words)) for sentence in holding for w in asked)


class Review(NamedTuple):
    text: str  # what the user sees
    guard: str | None = None  # core.rag.Answer.guard: where the app stepped in
    withheld: str | None = None  # the model's draft, when the app replaced it
    citations_placed: int = 0


def review_draft(question: str, draft: str, source_texts: Sequence[str], *, documents: Sequence[str] | None = None,
                 cancelled: bool = False, closest: ClosestSentence | None = None) -> Review:
    """The answer the user gets for the model's finished ``draft`` (``source_texts``: its sources, in
    citation order). Stray letters of a script neither the question nor the sources use
    (``without_stray_script``) and citations of sources that do not exist go; a draft that only points at a
    source becomes the sentence of it that answers (``quoted``); an abstention, a draft no source
    holds or one off the question becomes the sentence of a source that answers the question in its
    words, if one does (``found``); otherwise an abstention speaks the question's language and cites nothing, and a
    draft no source holds (``unsupported``), or whose facts the sources hold about something else
    than the question (``off-question``), is withheld, unless the user stopped it; otherwise each
    sentence cites the source that holds it. ``closest``: see ``answers_the_question``."""
    language = language_of(question)
    text = remove_invalid_citations(without_stray_script(draft, question, source_texts), len(source_texts))
    text = _SAYS_WHERE_ONLY.sub("", text).strip() or text
    quote = quote_for(question, source_texts, bare_citations(text), documents, closest) if not cancelled else None
    if quote is not None:  # the model only pointed at a source: answer with its sentence that answers
        return Review(f"{quote[0]} [{quote[1]}]", "quoted", text)

    def found() -> Review | None:
        """The sentence the model missed (it declined) or misread ("9 residents" where the passage says 23)."""
        sentence = quote_for(question, source_texts, range(1, len(source_texts) + 1), documents,
                             closest) if not cancelled else None
        return Review(f"{sentence[0]} [{sentence[1]}]", "found", text) if sentence is not None else None

    if abstains(text):
        return found() or Review(DECLINE[language] if language_of(text) != language
                                 else remove_invalid_citations(text, 0))
    if not source_texts:
        return Review(text)
    if not cancelled and not claim_supported(text, source_texts, question, documents):
        return found() or Review(DECLINE[language], "unsupported", text)
    if not cancelled and not answers_the_question(question, text, source_texts, documents, closest):
        return found() or Review(DECLINE[language], "off-question", text)
    if not cancelled and (sentence := quote_for(question, source_texts, range(1, len(source_texts) + 1), documents,
                                                closest)) is not None and told_of_another_sentence(
            question, text, sentence[0], source_texts):
        return Review(f"{sentence[0]} [{sentence[1]}]", "found", text)
    placed_text, placed = attribute_citations(text, source_texts, question)
    return Review(placed_text, citations_placed=placed)
