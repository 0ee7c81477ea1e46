"""Synthetic training and test examples that teach a chat model to answer from numbered sources,
cite them as [n], and say "The documents do not say." when they do not hold the answer.

Every fact is invented (names, places, numbers are generated), so the model cannot answer from
memory: it must read the sources. Train and test sets use disjoint name pools.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass

ABSTAIN = "The documents do not say."

_SYLLABLES_TRAIN = "ka ro mi ten sul var ost bel dra fin gor hal ith jor kel lum nor pra quin rast".split()
_SYLLABLES_TEST = "za ve plo tur ame sko byr cen dul eph gav hux ivo jem kor lyx mab nev oda pyr".split()
_FIRST_TRAIN = "Maris Ilse Tomas Renata Kofi Anika Jonas Leila Pavel Sofia Mateo Yara Dmitri Hana Oskar Priya".split()
_FIRST_TEST = "Ines Bruno Chiara Emeka Farah Goran Helga Idris Jana Kenji Lucia Milo Nadia Omar Petra Rafael".split()

# (document sentence, question, answer) templates; {name} is an invented proper noun.
FACT_TEMPLATES = [
    ("The {name} bridge was completed in {year}.", "When was the {name} bridge completed?",
     "The {name} bridge was completed in {year}"),
    ("The {name} plant was commissioned by the engineer {person}.", "Who commissioned the {name} plant?",
     "The {name} plant was commissioned by the engineer {person}"),
    ("The {name} reservoir holds {number} million cubic metres of water.",
     "How much water does the {name} reservoir hold?", "The {name} reservoir holds {number} million cubic metres"),
    ("{person} has led the {name} institute since {year}.", "Who leads the {name} institute?",
     "{person} has led the {name} institute since {year}"),
    ("The {name} turbine delivered {number} megawatts during its trial.",
     "How many megawatts did the {name} turbine deliver?", "The {name} turbine delivered {number} megawatts"),
    ("The town of {name} has {number} thousand inhabitants.", "How many people live in {name}?",
     "{name} has {number} thousand inhabitants"),
    ("The {name} festival takes place every year in {month}.", "When does the {name} festival take place?",
     "The {name} festival takes place every year in {month}"),
    ("The {name} library owns {number} thousand books.", "How many books does the {name} library own?",
     "The {name} library owns {number} thousand books"),
    ("Ships from {name} harbour sail mainly to {place}.", "Where do ships from {name} harbour sail to?",
     "Ships from {name} harbour sail mainly to {place}"),
    ("The {name} mine produced {number} tonnes of copper last year.",
     "How much copper did the {name} mine produce last year?", "The {name} mine produced {number} tonnes of copper"),
]
FILLER_SENTENCES = [
    "Visitors are asked to register at the front desk.", "The site is closed on public holidays.",
    "A new parking area opened in the spring.", "Guided tours are available on request.",
    "The annual report is published every March.", "Local schools often visit the site.",
]
_MEMORY_QUESTIONS = [
    ("What is the capital of Peru?", "Lima"), ("Who wrote Hamlet?", "Shakespeare"),
    ("What is the boiling point of water in Celsius?", "100"), ("How many legs does a spider have?", "eight"),
    ("What is the largest planet in the solar system?", "Jupiter"), ("Who painted the Mona Lisa?", "Leonardo"),
    ("What is the chemical symbol of gold?", "Au"), ("In which year did the Second World War end?", "1945"),
]
_MONTHS = "January February March April May June July August September October November December".split()


@dataclass(frozen=True)
class GroundingExample:
    question: str
    sources: list[str]  # texts, numbered 1..n in order
    answer: str  # the target answer, with [n] citations or the abstention
    answer_source: int | None  # 1-based number of the source that holds the answer; None: unanswerable
    key_fact: str  # the value that a correct answer must contain ("" when unanswerable)


class NamePool:
    def __init__(self, rng: random.Random, syllables: list[str], first_names: list[str]):
        self.rng, self.syllables, self.first_names = rng, syllables, first_names

    def place(self) -> str:
        return "".join(self.rng.sample(self.syllables, self.rng.randint(2, 3))).capitalize()

    def person(self) -> str:
        return f"{self.rng.choice(self.first_names)} {self.place()}"


def invent_fact(rng: random.Random, names: NamePool, template=None):
    sentence, question, answer = template or rng.choice(FACT_TEMPLATES)
    values = {"name": names.place(), "person": names.person(), "year": str(rng.randint(1890, 2024)),
              "number": str(rng.randint(3, 950)), "month": rng.choice(_MONTHS), "place": names.place()}
    key = next((values[k] for k in ("person", "year", "number", "month", "place") if "{" + k + "}" in answer), "")
    return sentence.format(**values), question.format(**values), answer.format(**values), key


def _document(rng: random.Random, names: NamePool, facts: list) -> str:
    """A source like a retrieved chunk: a heading, a few facts, some filler, in shuffled order."""
    sentences = [sentence for sentence, _, _, _ in facts] + rng.sample(FILLER_SENTENCES, rng.randint(1, 3))
    rng.shuffle(sentences)
    heading = rng.choice(["Notes on {n}", "{n} annual report", "About {n}", "{n}: overview", ""]).format(n=names.place())
    return (heading + "\n\n" if heading else "") + " ".join(sentences)


def make_examples(count: int, *, seed: int, split: str = "train", unanswerable_share: float = 0.25
                  ) -> list[GroundingExample]:
    """Each example: 2-4 sources of 1-4 facts each (plus filler), a question about one fact of one
    source, or (``unanswerable_share``) a question no source answers."""
    rng = random.Random(seed)
    names = NamePool(rng, *((_SYLLABLES_TRAIN, _FIRST_TRAIN) if split == "train" else (_SYLLABLES_TEST, _FIRST_TEST)))
    examples = []
    for _ in range(count):
        n_sources = rng.randint(2, 4)
        facts_per_source = [[invent_fact(rng, names) for _ in range(rng.randint(1, 4))] for _ in range(n_sources)]
        documents = [_document(rng, names, facts) for facts in facts_per_source]
        if rng.random() < unanswerable_share:
            if rng.random() < 0.4:
                question, _ = rng.choice(_MEMORY_QUESTIONS)
            else:
                question = invent_fact(rng, names)[1]  # about an entity no source mentions
            examples.append(GroundingExample(question, documents, ABSTAIN, None, ""))
            continue
        target = rng.randrange(n_sources)
        _, question, answer, key = rng.choice(facts_per_source[target])
        examples.append(GroundingExample(question, documents, f"{answer} [{target + 1}].", target + 1, key))
    return examples


def save_jsonl(examples: list[GroundingExample], path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for example in examples:
            out.write(json.dumps(asdict(example), ensure_ascii=False) + "\n")


def load_jsonl(path) -> list[GroundingExample]:
    with open(path, encoding="utf-8") as handle:
        return [GroundingExample(**json.loads(line)) for line in handle if line.strip()]
