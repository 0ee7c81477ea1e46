"""End-to-end answer evaluation, as a user meets the app: a folder of documents is imported with
the app's own importer into its own store, each question goes through the app's own retrieval and
answering (guards and citation checks included), and the answer is scored.

A set is a folder with ``docs/`` and ``questions.jsonl``; each line holds ``question``, ``answer``
(a list of acceptable key facts, or null when no document holds the answer), ``doc`` and ``kind``.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from desktop_app.core.answering import AnswerOptions, Configuration
from desktop_app.core.embedding import Embedder
from desktop_app.core.evaluation.answer_eval import answer_each
from desktop_app.core.evaluation.metrics import contains_reference, strip_citations
from desktop_app.core.draft_review import review_draft
from desktop_app.core.grounding import abstains, check_citations
from desktop_app.core.terms import language_of
from desktop_app.core.llm import ChatModel
from desktop_app.core.rag import Answer, Source
from desktop_app.core.retrieval import Hit
from desktop_app.core.store import Store

Progress = Callable[[int, int], None]
QA_METRICS = ["right_and_cited", "declined_ok", "wrong_decline", "wrong_answer", "unsupported_cite",
              "invented_cite", "language_ok", "ttft_s", "tok_per_s"]


@dataclass(frozen=True)
class QAQuestion:
    question: str
    answers: tuple[str, ...]  # acceptable key facts; empty: no document holds the answer
    doc: str | None
    kind: str

    @property
    def answerable(self) -> bool:
        return bool(self.answers)

    @property
    def language(self) -> str:
        return language_of(self.question)


def load_qa_set(folder: Path) -> tuple[Path, list[QAQuestion]]:
    docs = folder / "docs"
    if not docs.is_dir() or not (folder / "questions.jsonl").is_file():
        raise ValueError(f"{folder} is not a QA set: it needs docs/ and questions.jsonl")
    questions = []
    for line in (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            questions.append(QAQuestion(record["question"], tuple(record.get("answer") or ()), record.get("doc"),
                                        record.get("kind", "")))
    return docs, questions


def qa_store_path(eval_dir: Path, folder: Path, embedder_identity: str) -> Path:
    """One store per set and embedder (the import is reused while its files are unchanged)."""
    digest = hashlib.sha256(f"{Path(folder).resolve()}\n{embedder_identity}".encode()).hexdigest()[:10]
    return eval_dir / f"qa-{Path(folder).name}-{digest}.sqlite3"


def import_documents(store: Store, embedder: Embedder, docs: Path, *, chunk_tokens: int, chunk_overlap: int,
                     cancel: threading.Event | None = None) -> dict[str, int]:
    from desktop_app.core.extract import extract
    from desktop_app.core.ingest import Importer

    importer = Importer(store, embedder, extractor=extract, chunk_tokens=chunk_tokens, chunk_overlap=chunk_overlap)
    return importer.run([docs], cancel=cancel).counts


def score_qa(answer: Answer, question: QAQuestion) -> dict:
    text = strip_citations(answer.text)
    declined = answer.guard == "no-match" or abstains(answer.text)
    stats = answer.stats
    row = {"declined": declined, "language_ok": language_of(answer.text) == question.language,
           "unsupported_cite": bool(answer.unsupported),
           "invented_cite": any(not c.exists for c in answer.checks),
           "ttft_s": stats.time_to_first_token_s if stats else None,
           "tok_per_s": stats.tokens_per_s if stats and stats.completion_tokens > 1 else None}
    if not question.answerable:
        row["declined_ok"] = declined
        return row
    correct = not declined and any(contains_reference(text, reference) for reference in question.answers)
    supported_cited = [s for s in answer.sources if s.number in answer.cited and s.number not in answer.unsupported]
    cited_right = any(
        Path(s.hit.doc_path).name == question.doc or any(contains_reference(s.hit.text, r) for r in question.answers)
        for s in supported_cited)
    row.update(right_and_cited=correct and cited_right, wrong_decline=declined, wrong_answer=not declined and not correct)
    return row


def _mean(rows: Sequence[dict], metric: str) -> float | None:
    values = [r[metric] for r in rows if r.get(metric) is not None]
    return round(sum(float(v) for v in values) / len(values), 4) if values else None


def summarise_qa(rows: Sequence[dict]) -> dict:
    summary = {m: v for m in QA_METRICS if (v := _mean(rows, m)) is not None}
    summary["questions"] = len(rows)
    return summary


def evaluate_qa(
    model: ChatModel,
    store: Store,
    embedder: Embedder,
    questions: Sequence[QAQuestion],
    configurations: Sequence[Configuration],
    *,
    options: AnswerOptions = AnswerOptions(temperature=0.0, max_tokens=160),
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> tuple[dict, list]:
    """Every question through every configuration; the summary has a row per configuration and
    one per configuration and language ("base [ko]")."""
    def record(configuration: Configuration, question: QAQuestion, answer: Answer) -> dict:
        return {"configuration": configuration.name, "question": question.question,
                "expected": list(question.answers), "answer": answer.text, "guard": answer.guard,
                "withheld": answer.withheld, "cited": list(answer.cited), "citations_placed": answer.citations_placed,
                "searched_as": answer.searched_as,
                "unsupported": list(answer.unsupported), "sources": [Path(s.hit.doc_path).name for s in answer.sources],
                "source_texts": [s.hit.text for s in answer.sources],
                **score_qa(answer, question), "language": question.language, "kind": question.kind, "doc": question.doc}

    rows_by_configuration = answer_each(model, store, embedder, questions, configurations, options=options,
                                        record=record, progress=progress, cancel=cancel)
    summary: dict = {}
    for name, rows in rows_by_configuration.items():
        summary[name] = summarise_qa(rows)
        for language in sorted({r["language"] for r in rows}):
            summary[f"{name} [{language}]"] = summarise_qa([r for r in rows if r["language"] == language])
    return summary, [row for rows in rows_by_configuration.values() for row in rows]


# Guards decided before or during generation: reviewing the draft again cannot change them.
_DECIDED_BEFORE_REVIEW = ("no-match", "repetition", "wrong-script")


def review_again(rows: Sequence[dict], embedder: Embedder | None = None) -> list[dict]:
    """The saved answers of a run (``evaluate_qa``'s rows), each model draft reviewed again with
    today's ``review_draft`` against the same sources and scored again: what a change to the
    checks does to every answer, without generating anything (answers are greedy, so a re-run
    would give the same drafts). Rows saved before source texts were kept are returned as they are;
    so is a second look (``answering._second_look``) whose first draft still declines: its second
    draft is not saved. ``embedder``: the run's, for the checks that rank sentences by meaning."""
    out = []
    for row in rows:
        if "source_texts" not in row or row["guard"] in _DECIDED_BEFORE_REVIEW:
            out.append(dict(row))
            continue
        question = QAQuestion(row["question"], tuple(row["expected"]), row.get("doc"), row.get("kind", ""))
        texts = row["source_texts"]
        review = review_draft(question.question, row["withheld"] or row["answer"], texts, documents=row["sources"],
                              closest=embedder.closest if embedder is not None else None)
        if row["guard"] == "second-look" and review.guard is None and abstains(review.text):
            out.append(dict(row))  # declined again: the answer from the first source alone stands as it was judged
            continue
        sources = tuple(Source(number, Hit(0, name, None, 0, 0, 0, text, 0.0, None, None, None))
                        for number, (name, text) in enumerate(zip(row["sources"], texts), start=1))
        answer = Answer(question=question.question, text=review.text, sources=sources, stats=None, model="",
                        checks=check_citations(review.text, texts, question.question, row["sources"]), withheld=review.withheld,
                        guard=review.guard, citations_placed=review.citations_placed)
        scored = score_qa(answer, question)
        scored.update({k: row[k] for k in ("ttft_s", "tok_per_s") if k in row})  # the speed of the saved run
        out.append({**row, "answer": answer.text, "guard": answer.guard, "withheld": answer.withheld,
                    "cited": list(answer.cited), "citations_placed": answer.citations_placed,
                    "unsupported": list(answer.unsupported), **scored})
    return out
