"""Training and test examples shaped like what retrieval really hands the model.

Each example has 3-5 sources of realistic length: a heading, paragraphs or a list, 5-10 facts
per document, sometimes PDF line breaks; near-miss distractors (the same kind of document about
another entity, sharing the question's words); questions paraphrased rather than copied; answers
that combine two sources; follow-up turns that refer back ("and when did it open?"); Korean
documents and questions answered in Korean, Korean questions about English documents; and
unanswerable questions, the hardest being a plausible attribute of an entity the sources mention.

Every fact is invented (names from syllable pools), so the model must read. The train and test
splits use disjoint name pools and disjoint question wordings (``questions[0::2]`` to train,
``questions[1::2]`` to test).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from desktop_app.core.grounding import DECLINE
from desktop_app.core.terms import language_of

_SYLLABLES = {"train": "ka ro mi ten sul var ost bel dra fin gor hal ith jor kel lum nor pra quin rast".split(),
              "test": "za ve plo tur ame sko byr cen dul eph gav hux ivo jem kor lyx mab nev oda pyr".split()}
_FIRST = {"train": "Maris Ilse Tomas Renata Kofi Anika Jonas Leila Pavel Sofia Mateo Yara Dmitri Hana Oskar".split(),
          "test": "Ines Bruno Chiara Emeka Farah Goran Helga Idris Jana Kenji Lucia Milo Nadia Omar Petra".split()}
_KO_PLACE = {"train": "가람 솔빛 한울 누리 다온 새봄 푸른 하늘 마루 별빛".split(),
             "test": "도담 이룸 나래 해솔 온새 미리 여울 소담 라온 초롱".split()}
_KO_FAMILY = {"train": "김 이 박 최 정".split(), "test": "강 조 윤 장 임".split()}
_KO_GIVEN = {"train": "서연 민준 지우 하은 도윤 수아".split(), "test": "예린 시우 지호 유나 건우 채원".split()}
_MONTHS = "January February March April May June July August September October November December".split()
_MEMORY = [("What is the capital of Peru?", "en"), ("Who wrote Hamlet?", "en"),
           ("How many legs does a spider have?", "en"), ("Who painted the Mona Lisa?", "en"),
           ("In which year did the Second World War end?", "en"), ("What is the chemical symbol of gold?", "en"),
           ("페루의 수도는 어디인가요?", "ko"), ("미국의 초대 대통령은 누구인가요?", "ko"),
           ("물의 끓는점은 몇 도인가요?", "ko")]
_FILLER = {"en": ["Visitors are asked to register at the front desk.", "Parking is available behind the building.",
                  "The report was approved without changes.", "Photos of the event are on the notice board.",
                  "Questions can be sent to the office by e-mail.", "The figures are provisional."],
           "ko": ["방문객은 안내 데스크에서 등록해야 한다.", "주차는 건물 뒤편에서 할 수 있다.",
                  "자세한 내용은 사무실에 문의하면 된다.", "수치는 잠정치이다."]}


@dataclass
class ReadingExample:
    question: str
    sources: list[str]
    answer: str  # with [n] citations, or the abstention
    language: str  # of the question and the answer
    kind: str  # single, two-source, follow-up, near-miss, memory
    keys: list[str] = field(default_factory=list)
    history: list[tuple[str, str]] = field(default_factory=list)  # earlier (question, answer) turns


class _Names:
    def __init__(self, rng: random.Random, split: str):
        self.rng, self.split = rng, split

    def place(self) -> str:
        return "".join(self.rng.sample(_SYLLABLES[self.split], self.rng.randint(2, 3))).capitalize()

    def person(self) -> str:
        return f"{self.rng.choice(_FIRST[self.split])} {self.place()}"

    def ko_place(self) -> str:
        return self.rng.choice(_KO_PLACE[self.split])

    def ko_person(self) -> str:
        return self.rng.choice(_KO_FAMILY[self.split]) + self.rng.choice(_KO_GIVEN[self.split])


def _n(rng: random.Random, low: int, high: int) -> str:
    return f"{rng.randint(low, high):,}"


# Each slot: (value maker, English sentence, English questions, English answer, Korean question, Korean answer).
# {e} is the entity's name, {v} the value; questions alternate between the splits.
_GARDEN_SLOTS = {
    "founded": (lambda r, n: str(r.randint(1850, 2015)), "The {e} botanical garden was founded in {v}.",
                ["When was the {e} botanical garden founded?", "In what year did the {e} garden start?",
                 "How old is the {e} botanical garden, when was it set up?", "Since when has the {e} garden existed?"],
                "The {e} botanical garden was founded in {v}", "{e} 식물원은 몇 년에 세워졌나요?",
                "{e} 식물원은 {v}년에 세워졌습니다"),
    "curator": (lambda r, n: n.person(), "Its head curator is {v}.",
                ["Who is the head curator of the {e} garden?", "Who looks after the {e} botanical garden's collection?",
                 "Who is the chief curator at {e}?", "Who curates the {e} botanical garden?"],
                "The head curator of the {e} botanical garden is {v}", "{e} 식물원의 수석 큐레이터는 누구인가요?",
                "{e} 식물원의 수석 큐레이터는 {v}입니다"),
    "species": (lambda r, n: _n(r, 400, 12000), "The garden grows about {v} plant species.",
                ["How many plant species does the {e} garden grow?", "How many kinds of plants are at {e}?",
                 "How many species can be found in the {e} botanical garden?", "What is the number of species at {e}?"],
                "The {e} botanical garden grows about {v} plant species", "{e} 식물원에는 몇 종의 식물이 있나요?",
                "{e} 식물원에는 약 {v}종의 식물이 있습니다"),
    "greenhouse": (lambda r, n: _n(r, 300, 6000), "The main greenhouse covers {v} square metres.",
                   ["How big is the main greenhouse of the {e} garden?", "What area does the {e} greenhouse cover?",
                    "How large is the greenhouse at {e}?", "What is the size of the {e} main greenhouse?"],
                   "The main greenhouse of the {e} botanical garden covers {v} square metres",
                   "{e} 식물원의 주 온실 면적은 얼마인가요?", "{e} 식물원의 주 온실은 {v}제곱미터입니다"),
    "volunteers": (lambda r, n: str(r.randint(12, 400)), "{v} volunteers help with the planting.",
                   ["How many volunteers work at the {e} garden?", "How many volunteers help the {e} botanical garden?",
                    "How many people volunteer for {e}?", "What is the number of volunteers at the {e} garden?"],
                   "{v} volunteers help at the {e} botanical garden", "{e} 식물원에서 일하는 자원봉사자는 몇 명인가요?",
                   "{e} 식물원에서는 {v}명의 자원봉사자가 일합니다"),
    "seeds": (lambda r, n: str(r.randint(20, 900)), "Its seed bank stores seeds of {v} rare plants.",
              ["How many rare plants are kept in the {e} seed bank?", "How many rare species does the {e} seed bank hold?",
               "For how many rare plants does {e} store seeds?", "What does the {e} seed bank contain?"],
              "The seed bank of the {e} botanical garden stores seeds of {v} rare plants",
              "{e} 식물원의 종자 은행에는 몇 종의 희귀 식물 씨앗이 있나요?",
              "{e} 식물원의 종자 은행에는 {v}종의 희귀 식물 씨앗이 있습니다"),
    "fair": (lambda r, n: r.choice(_MONTHS), "The plant fair takes place every {v}.",
             ["When is the {e} plant fair held?", "In which month does the {e} garden hold its plant fair?",
              "When can I go to the {e} plant fair?", "What month is the {e} plant fair?"],
             "The plant fair of the {e} botanical garden takes place every {v}", "{e} 식물원의 식물 박람회는 언제 열리나요?",
             "{e} 식물원의 식물 박람회는 매년 {v}에 열립니다"),
    "pond": (lambda r, n: n.person(), "The lily pond was designed by {v}.",
             ["Who designed the lily pond at {e}?", "Who laid out the {e} garden's lily pond?",
              "Who created the lily pond of the {e} botanical garden?", "Whose design is the {e} lily pond?"],
             "The lily pond of the {e} botanical garden was designed by {v}", "{e} 식물원의 연못은 누가 설계했나요?",
             "{e} 식물원의 연못은 {v}이(가) 설계했습니다"),
}
_RELEASE_SLOTS = {
    "date": (lambda r, n: f"{r.randint(1, 28)} {r.choice(_MONTHS)} {r.randint(2022, 2027)}",
             "{e} {x} was released on {v}.",
             ["When was {e} {x} released?", "What is the release date of {e} {x}?",
              "When did {e} {x} come out?", "On what date was version {x} of {e} published?"],
             "{e} {x} was released on {v}", "{e} {x}은(는) 언제 출시되었나요?", "{e} {x}은(는) {v}에 출시되었습니다"),
    "python": (lambda r, n: f"3.{r.randint(8, 13)}", "The minimum supported Python version is now {v}.",
               ["What is the oldest Python that {e} {x} supports?", "Which Python version does {e} {x} need at least?",
                "What Python do I need for {e} {x}?", "Does {e} {x} run on old Python, what is the minimum?"],
               "The minimum supported Python version of {e} {x} is {v}", "{e} {x}에 필요한 최소 파이썬 버전은 무엇인가요?",
               "{e} {x}의 최소 지원 파이썬 버전은 {v}입니다"),
    "workers": (lambda r, n: str(r.choice([4, 6, 8, 12, 16])), "The export command can now use up to {v} worker processes.",
                ["How many worker processes can {e} {x} export with?", "How parallel is the export in {e} {x}?",
                 "What is the maximum number of export workers in {e} {x}?", "How many processes can export use in {e} {x}?"],
                "In {e} {x} the export can use up to {v} worker processes", "{e} {x}의 내보내기는 최대 몇 개의 작업 프로세스를 쓰나요?",
                "{e} {x}의 내보내기는 최대 {v}개의 작업 프로세스를 쓸 수 있습니다"),
    "cache": (lambda r, n: f"{r.choice([128, 256, 512, 1024])} MB", "The default cache grew to {v}.",
              ["How big is the default cache in {e} {x}?", "What is the default cache size of {e} {x}?",
               "How much memory does the {e} {x} cache take by default?", "What cache size does {e} {x} start with?"],
              "The default cache of {e} {x} is {v}", "{e} {x}의 기본 캐시 크기는 얼마인가요?", "{e} {x}의 기본 캐시 크기는 {v}입니다"),
    "contributors": (lambda r, n: str(r.randint(8, 90)), "The release contains work from {v} contributors.",
                     ["How many people contributed to {e} {x}?", "How many contributors worked on {e} {x}?",
                      "How many developers took part in {e} {x}?", "What was the number of contributors to {e} {x}?"],
                     "{e} {x} contains work from {v} contributors", "{e} {x}에는 몇 명의 기여자가 참여했나요?",
                     "{e} {x}에는 {v}명의 기여자가 참여했습니다"),
    "manager": (lambda r, n: n.person(), "{v} takes over as release manager for the next version.",
                ["Who is the next release manager of {e}?", "Who will manage the next {e} release?",
                 "Who takes over the {e} releases after {x}?", "Who becomes {e}'s release manager?"],
                "The next release manager of {e} is {v}", "{e}의 다음 릴리스 관리자는 누구인가요?",
                "{e}의 다음 릴리스 관리자는 {v}입니다"),
    "bug": (lambda r, n: str(r.randint(1000, 9999)), "Bug #{v}, a crash when opening an empty archive, is fixed.",
            ["Which bug number fixed the crash on empty archives in {e} {x}?", "What was the issue number of the empty archive crash in {e} {x}?",
             "Which bug about empty archives was closed in {e} {x}?", "What bug number did the empty-archive crash have in {e} {x}?"],
            "The crash when opening an empty archive was bug #{v}", "{e} {x}에서 빈 아카이브 충돌 버그 번호는 무엇인가요?",
            "빈 아카이브를 열 때의 충돌은 버그 #{v}입니다"),
}
# Korean documents: a facility in Korean, its own slots.
_KO_SLOTS = {
    "opened": (lambda r, n: str(r.randint(1990, 2022)), "{e} 도서관은 {v}년에 문을 열었다.",
               ["{e} 도서관은 언제 개관했나요?", "{e} 도서관은 몇 년에 문을 열었나요?", "{e} 도서관의 개관 연도는 언제인가요?",
                "{e} 도서관은 언제부터 운영되었나요?"], "{e} 도서관은 {v}년에 문을 열었습니다"),
    "head": (lambda r, n: n.ko_person(), "현재 관장은 {v}이다.",
             ["{e} 도서관의 관장은 누구인가요?", "{e} 도서관을 이끄는 사람은 누구인가요?", "{e} 도서관 책임자는 누구인가요?",
              "{e} 도서관의 현재 관장은 누구인가요?"], "{e} 도서관의 관장은 {v}입니다"),
    "books": (lambda r, n: f"{r.randint(1, 9)}만 {r.randint(1, 9)}천", "장서는 약 {v} 권이다.",
              ["{e} 도서관에는 책이 몇 권 있나요?", "{e} 도서관의 장서 규모는 어떻게 되나요?", "{e} 도서관이 가진 책은 몇 권인가요?",
               "{e} 도서관 장서 수는 얼마인가요?"], "{e} 도서관의 장서는 약 {v} 권입니다"),
    "seats": (lambda r, n: str(r.randint(20, 200)), "열람실에는 {v}개의 좌석이 있다.",
              ["{e} 도서관 열람실 좌석은 몇 개인가요?", "{e} 도서관 열람실에는 몇 명이 앉을 수 있나요?",
               "{e} 도서관의 열람실 좌석 수는 얼마인가요?", "{e} 도서관 열람실 자리는 몇 석인가요?"],
              "{e} 도서관 열람실에는 {v}개의 좌석이 있습니다"),
    "loans": (lambda r, n: str(r.randint(3, 10)), "회원 1인당 최대 {v}권까지 빌릴 수 있다.",
              ["{e} 도서관에서는 한 번에 몇 권까지 빌릴 수 있나요?", "{e} 도서관의 대출 한도는 몇 권인가요?",
               "{e} 도서관에서 최대 몇 권을 대출할 수 있나요?", "{e} 도서관 회원은 몇 권까지 빌리나요?"],
              "{e} 도서관에서는 1인당 최대 {v}권까지 빌릴 수 있습니다"),
    "days": (lambda r, n: str(r.choice([7, 10, 14, 21])), "대출 기간은 {v}일이다.",
             ["{e} 도서관의 대출 기간은 며칠인가요?", "{e} 도서관에서 책을 며칠 동안 빌릴 수 있나요?",
              "{e} 도서관 대출 기간은 얼마나 되나요?", "{e} 도서관에서 빌린 책은 언제까지 반납하나요?"],
             "{e} 도서관의 대출 기간은 {v}일입니다"),
    "closed": (lambda r, n: r.choice(["월요일", "화요일", "수요일"]), "매주 {v}은 휴관한다.",
               ["{e} 도서관은 무슨 요일에 쉬나요?", "{e} 도서관의 휴관일은 언제인가요?", "{e} 도서관이 문을 닫는 요일은?",
                "{e} 도서관은 어느 요일에 휴관하나요?"], "{e} 도서관은 매주 {v}에 휴관합니다"),
}


def _break_lines(text: str, rng: random.Random) -> str:
    """PDF-like line breaks every 50-80 characters, sometimes with a hyphenated word."""
    out, line = [], ""
    for word in text.split(" "):
        if len(line) + len(word) > rng.randint(50, 80) and line:
            if len(word) > 7 and rng.random() < 0.3:
                cut = len(word) // 2
                out.append(line + " " + word[:cut] + "-")
                line = word[cut:]
                continue
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join(out + [line])


class _Document:
    """One invented document: an entity, its facts (some slots left out), rendered as a chunk."""

    def __init__(self, kind: str, rng: random.Random, names: _Names):
        self.kind = kind
        self.language = "ko" if kind == "library-ko" else "en"
        self.entity = names.ko_place() if kind == "library-ko" else names.place()
        self.version = f"{rng.randint(1, 9)}.{rng.randint(0, 12)}"
        slots = {"garden": _GARDEN_SLOTS, "release": _RELEASE_SLOTS, "library-ko": _KO_SLOTS}[kind]
        chosen = rng.sample(sorted(slots), rng.randint(5, min(7, len(slots) - 1)))
        self.missing = [s for s in sorted(slots) if s not in chosen]  # plausible, unanswerable attributes
        self.slots = slots
        self.values = {slot: slots[slot][0](rng, names) for slot in slots}
        self.facts = {slot: self._format(slots[slot][1], slot) for slot in chosen}  # slot -> sentence
        self.text = self._render(rng)

    def _format(self, template: str, slot: str) -> str:
        return template.format(e=self.entity, v=self.values[slot], x=self.version)

    def questions(self, slot: str, language: str, split: str) -> list[str]:
        spec = self.slots[slot]
        wordings = [spec[4]] if self.language == "en" and language == "ko" else spec[2]
        pool = wordings if len(wordings) == 1 else wordings[0::2] if split == "train" else wordings[1::2]
        return [self._format(w, slot) for w in pool]

    def answer(self, slot: str, language: str) -> str:
        spec = self.slots[slot]
        if self.language == "en" and language == "ko":
            return self._format(spec[5], slot)
        return self._format(spec[3], slot)

    def _render(self, rng: random.Random) -> str:
        sentences = list(self.facts.values())
        sentences += rng.sample(_FILLER[self.language], rng.randint(2, 4))
        rng.shuffle(sentences)
        if self.kind == "release":
            heading = rng.choice(["# {e} {x} release notes", "{e} {x}: what changed", "## Release {x}"])
        elif self.kind == "garden":
            heading = rng.choice(["# The {e} botanical garden", "About the {e} garden", "{e} garden: annual overview"])
        else:
            heading = rng.choice(["{e} 도서관 이용 안내", "# {e} 도서관 소개", "{e} 도서관 운영 보고"])
        heading = heading.format(e=self.entity, x=self.version)
        if rng.random() < 0.35:
            body = "\n".join("- " + s for s in sentences)
        else:
            cut = rng.randint(2, len(sentences) - 2)
            body = " ".join(sentences[:cut]) + "\n\n" + " ".join(sentences[cut:])
        if rng.random() < 0.3:
            body = _break_lines(body, rng)
        # Release notes name the entity only in the heading: make the facts carry it in the body too.
        if self.kind == "release":
            body = f"{self.entity} {self.version} is the latest release. " + body
        elif self.kind == "garden":
            body = f"The {self.entity} botanical garden lies south of the river. " + body
        return f"{heading}\n\n{body}"


def _cite(sentence: str, number: int) -> str:
    return f"{sentence} [{number}]."


def _referring_back(question: str, document: _Document) -> str:
    """The question as a follow-up turn asks it: the entity replaced by "it" ("And when did it open?")."""
    e, x = document.entity, document.version
    if language_of(question) == "ko":
        if document.language == "en":
            return question  # a Korean question about an English document keeps the name it cannot translate
        return "그리고 " + question.replace(f"{e} 도서관", "그 도서관")
    for old, new in ((f"the {e} botanical garden's", "its"), (f"the {e} garden's", "its"),
                     (f"the {e} botanical garden", "it"), (f"the {e} garden", "it"), (f"{e} {x}", "it"),
                     (f"the {e} ", "its "), (f"{e}'s", "its"), (f"at {e}", "there"), (f"for {e}", "for it"),
                     (f"{e} ", "its ")):
        question = question.replace(old, new)
    return "And " + question[0].lower() + question[1:]


def make_reading_examples(count: int, *, seed: int, split: str = "train") -> list[ReadingExample]:
    rng = random.Random(seed)
    names = _Names(rng, split)
    examples = []
    for _ in range(count):
        roll = rng.random()
        korean_docs = rng.random() < 0.25
        kind = "library-ko" if korean_docs else rng.choice(["garden", "release"])
        kinds = [kind, kind] + [rng.choice(["garden", "release", "library-ko"]) for _ in range(rng.randint(1, 3))]
        documents: list[_Document] = []
        for document_kind in kinds:  # the target, a near miss of the same kind, then others; one name each
            document = _Document(document_kind, rng, names)
            while any(d.entity == document.entity for d in documents):
                document = _Document(document_kind, rng, names)
            documents.append(document)
        target = documents[0]
        rng.shuffle(documents)
        sources = [d.text for d in documents]
        number = documents.index(target) + 1
        language = "ko" if korean_docs or rng.random() < 0.15 else "en"
        decline = DECLINE[language]
        slot = rng.choice(sorted(target.facts))
        if roll < 0.58:
            question = rng.choice(target.questions(slot, language, split))
            examples.append(ReadingExample(question, sources, _cite(target.answer(slot, language), number),
                                           language, "single", [target.values[slot]]))
        elif roll < 0.66 and len(target.facts) >= 2:
            # two facts asked at once: the same document split over two sources
            first, second = rng.sample(sorted(target.facts), 2)
            sentences_a = [target.facts[first]] + _FILLER[target.language][:1]
            sentences_b = [target.facts[second]] + _FILLER[target.language][1:2]
            subject = (f"{target.entity} {target.version}" if target.kind == "release" else
                       f"{target.entity} 도서관" if target.kind == "library-ko" else f"The {target.entity} botanical garden")
            part_a, part_b = (subject + ": " + " ".join(sentences_a), subject + ": " + " ".join(sentences_b))
            index_b = rng.choice([i for i in range(len(sources)) if i != number - 1])
            sources[number - 1], sources[index_b] = part_a, part_b
            q1 = rng.choice(target.questions(first, language, split)).rstrip("?")
            q2 = rng.choice(target.questions(second, language, split))
            joiner = ", 그리고 " if language == "ko" else ", and "
            question = q1 + joiner + q2[0].lower() + q2[1:] if language == "en" else q1 + joiner + q2
            answer = (_cite(target.answer(first, language), number) + " " +
                      _cite(target.answer(second, language), index_b + 1))
            examples.append(ReadingExample(question, sources, answer, language, "two-source",
                                           [target.values[first], target.values[second]]))
        elif roll < 0.74 and len(target.facts) >= 2:
            first, second = rng.sample(sorted(target.facts), 2)
            earlier = rng.choice(target.questions(first, language, split))
            earlier_answer = _cite(target.answer(first, language), number)
            follow = _referring_back(rng.choice(target.questions(second, language, split)), target)
            examples.append(ReadingExample(follow, sources, _cite(target.answer(second, language), number),
                                           language, "follow-up", [target.values[second]], [(earlier, earlier_answer)]))
        elif roll < 0.94 and target.missing:
            missing = rng.choice(target.missing)
            question = rng.choice(target.questions(missing, language, split))
            examples.append(ReadingExample(question, sources, decline, language, "near-miss"))
        else:
            question, language = rng.choice(_MEMORY)
            examples.append(ReadingExample(question, sources, DECLINE[language], language, "memory"))
    return examples
