"""Answer evaluation across configurations (retrieval on/off, adapters on/off): ROUGE-L, BLEU,
correctness, citation accuracy, abstention on unanswerable questions, time to first token, tokens/s."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

from desktop_app.core.answering import AnswerOptions, Configuration, answer_question
from desktop_app.core.embedding import Embedder
from desktop_app.core.grounding import abstains
from desktop_app.core.evaluation.metrics import bleu, contains_reference, rouge_l, strip_citations
from desktop_app.core.llm import ChatModel
from desktop_app.core.rag import Answer
from desktop_app.core.store import Store

Progress = Callable[[int, int], None]
ANSWER_METRICS = ["correct", "citation_acc", "ROUGE-L", "BLEU", "abstain_ok", "false_abstain", "ttft_s", "tok_per_s"]


@dataclass(frozen=True)
class AnswerQuestion:
    question: str
    reference: str | None  # None: the documents do not hold the answer
    doc: str | None = None  # file name or path of the document that holds it
    page: int | None = None

    @property
    def answerable(self) -> bool:
        return self.reference is not None


def load_answer_questions(path: Path) -> list[AnswerQuestion]:
    questions = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                questions.append(AnswerQuestion(record["question"], record.get("reference"), record.get("doc"),
                                                record.get("page")))
    return questions


def cites_right_source(answer: Answer, question: AnswerQuestion) -> bool:
    """An answer cites correctly when a source it cites holds the reference (or is the expected
    document and page)."""
    for source in answer.sources:
        if source.number not in answer.cited:
            continue
        if contains_reference(source.hit.text, question.reference):
            return True
        if question.doc and (source.hit.doc_path == question.doc or Path(source.hit.doc_path).name == question.doc):
            if question.page is None or source.hit.page == question.page:
                return True
    return False


def score_answer(answer: Answer, question: AnswerQuestion) -> dict:
    text = strip_citations(answer.text)
    stats = answer.stats
    row = {"ttft_s": stats.time_to_first_token_s if stats else None,
           "tok_per_s": stats.tokens_per_s if stats else None, "abstained": abstains(text)}
    if question.answerable:
        row.update({"correct": contains_reference(text, question.reference),
                    "citation_acc": cites_right_source(answer, question) if answer.used_retrieval else None,
                    "ROUGE-L": rouge_l(text, question.reference), "BLEU": bleu(text, question.reference),
                    "false_abstain": row["abstained"]})
    else:
        row["abstain_ok"] = row["abstained"]
    return row


def summarise(rows: Sequence[dict]) -> dict:
    summary = {}
    for metric in ANSWER_METRICS:
        values = [r[metric] for r in rows if r.get(metric) is not None]
        if values:
            summary[metric] = round(sum(float(v) for v in values) / len(values), 4)
    summary["questions"] = len(rows)
    return summary


def answer_each(
    model: ChatModel,
    store: Store,
    embedder: Embedder,
    questions: Sequence,
    configurations: Sequence[Configuration],
    *,
    options: AnswerOptions,
    record: Callable[[Configuration, object, Answer], dict],
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> dict[str, list[dict]]:
    """Every question (anything with ``.question``) through every configuration, its adapters
    applied for the run and the previous ones restored after; ``record`` turns each answer into
    the row kept for it. Returns configuration name -> rows."""
    rows_by_configuration: dict[str, list[dict]] = {}
    total, done = len(questions) * len(configurations), 0
    for configuration in configurations:
        rows = rows_by_configuration[configuration.name] = []
        with model.adapters_applied(configuration.adapters):
            for question in questions:
                if cancel is not None and cancel.is_set():
                    break
                answer = answer_question(model, store, embedder, question.question, cancel=cancel,
                                         options=replace(options, use_retrieval=configuration.use_retrieval))
                rows.append(record(configuration, question, answer))
                done += 1
                if progress is not None:
                    progress(done, total)
    return rows_by_configuration


def evaluate_answers(
    model: ChatModel,
    store: Store,
    embedder: Embedder,
    questions: Sequence[AnswerQuestion],
    configurations: Sequence[Configuration],
    *,
    options: AnswerOptions = AnswerOptions(temperature=0.0, max_tokens=160),
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> tuple[dict, list]:
    """Every question through every configuration. Returns (summary: configuration -> metric -> mean, details)."""
    def record(configuration: Configuration, question: AnswerQuestion, answer: Answer) -> dict:
        return {"configuration": configuration.name, "question": question.question, "reference": question.reference,
                "answer": answer.text, "cited": list(answer.cited), **score_answer(answer, question)}

    rows = answer_each(model, store, embedder, questions, configurations, options=options, record=record,
                       progress=progress, cancel=cancel)
    return {name: summarise(r) for name, r in rows.items()}, [row for r in rows.values() for row in r]
