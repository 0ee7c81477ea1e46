"""One evaluation use-case for the CLI and the window: run it, save it with the settings that
produced it (model, adapters, embedder, chunking, k), and show it as a table."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Callable, Sequence

from desktop_app.core.adapters import model_width
from desktop_app.core.answering import AnswerOptions, Configuration, four_configurations
from desktop_app.core.embedding import Embedder
from desktop_app.core.errors import AppError
from desktop_app.core.store import EvalRun, Store

Progress = Callable[[int, int], None]

__all__ = ["EvalRun", "EvaluationKind", "EvaluationRequest", "EvaluationResult", "format_table", "run_evaluation"]


class EvaluationKind(str, Enum):
    RETRIEVAL_BEIR = "retrieval-beir"  # a BEIR-layout folder, indexed into its own store
    RETRIEVAL_QUESTIONS = "retrieval-questions"  # a questions file about the user's library
    ANSWERS = "answers"  # questions with reference answers, through the four configurations
    GROUNDING = "grounding"  # held-out synthetic questions: base vs adapter
    QA = "qa"  # a folder of documents and questions, imported and answered end to end

    @property
    def run_kind(self) -> str:
        """The kind under which the run is saved."""
        return "retrieval" if self.value.startswith("retrieval") else self.value


@dataclass(frozen=True)
class EvaluationRequest:
    kind: EvaluationKind
    path: str | None = None  # the BEIR folder, the questions file or the QA set; none for grounding
    adapters: tuple[tuple[str, float], ...] = ()  # for "+adapter"; empty: the first installed one that fits
    k: int = 10  # retrieval cut-off
    split: str = "test"  # BEIR qrels split
    limit: int | None = None  # only the first N queries or questions
    max_tokens: int = 160  # per answer
    top_k: int | None = None  # sources per answer; None: the settings' top-k
    grounding_questions: int = 60
    base_only: bool = False  # answers and QA: no "+adapter" configuration


@dataclass(frozen=True)
class EvaluationResult:
    run_id: int
    summary: dict  # group -> metric -> value
    metrics: list[str]  # the columns worth showing, in order
    first_column: str  # what a group is: "mode" or "configuration"
    note: str = ""  # e.g. how much of a BEIR corpus was indexed or reused
    cancelled: bool = False
    details: tuple = ()  # one record per query or answer, as saved


def run_evaluation(workspace, request: EvaluationRequest, *, store: Store, embedder: Embedder, model=None,
                   progress: Progress | None = None, cancel: threading.Event | None = None) -> EvaluationResult:
    """Run ``request`` and save it in ``store``.

    ``workspace`` (a ``core.workspace.Workspace``) gives the settings and installed adapters;
    ``model`` (a ``core.llm.ChatModel``) is needed for answers and grounding.

    Raises:
        AppError: a model is needed and none is loaded, or the input cannot be read.
    """
    from desktop_app.core.evaluation import answer_eval, grounding_eval, qa_eval, retrieval_eval

    settings = workspace.settings
    facts = {"embedder": embedder.info.identity, "chunk_tokens": settings.chunk_tokens,
             "chunk_overlap": settings.chunk_overlap, "top_k": request.top_k or settings.top_k}
    limited = (lambda items: items[:request.limit]) if request.limit else (lambda items: items)
    note = ""
    try:
        if request.kind is EvaluationKind.RETRIEVAL_BEIR:
            folder = Path(request.path)
            corpus, queries = retrieval_eval.load_beir(folder, split=request.split)
            with Store(retrieval_eval.beir_store_path(workspace.data.root / "eval", folder,
                                                        embedder.info.identity)) as beir_store:
                counts = retrieval_eval.index_corpus(beir_store, embedder, corpus, chunk_tokens=settings.chunk_tokens,
                                                     overlap=settings.chunk_overlap, progress=progress, cancel=cancel)
                summary, details = retrieval_eval.evaluate_retrieval(beir_store, embedder, limited(queries),
                                                                     k=request.k, progress=progress, cancel=cancel,
                                                                     baseline=True)
            note = (f"corpus: {len(corpus)} documents ({counts['indexed']} indexed, {counts['reused']} reused), "
                    f"{len(queries)} queries")
            label = f"beir:{folder.resolve()}"
        elif request.kind is EvaluationKind.RETRIEVAL_QUESTIONS:
            queries = retrieval_eval.load_library_questions(Path(request.path), store)
            summary, details = retrieval_eval.evaluate_retrieval(store, embedder, limited(queries), k=request.k,
                                                                 progress=progress, cancel=cancel)
            label = str(Path(request.path).resolve())
        else:
            if model is None:
                raise AppError("The model is not loaded yet.")
            configurations = _configurations(workspace, request, model)
            facts.update(model=model.name, adapters=[[a.path.name, a.scale] for a in model.active_adapters],
                         configurations={c.name: [[Path(p).name, s] for p, s in c.adapters] for c in configurations})
            if request.kind is EvaluationKind.ANSWERS:
                questions = limited(answer_eval.load_answer_questions(Path(request.path)))
                summary, details = answer_eval.evaluate_answers(
                    model, store, embedder, questions, configurations,
                    options=AnswerOptions(top_k=facts["top_k"], max_tokens=request.max_tokens, temperature=0.0),
                    progress=progress, cancel=cancel)
                label = str(Path(request.path).resolve())
            elif request.kind is EvaluationKind.QA:
                folder = Path(request.path)
                docs, questions = qa_eval.load_qa_set(folder)
                qa_store_path = qa_eval.qa_store_path(workspace.data.root / "eval", folder, embedder.info.identity)
                with Store(qa_store_path) as qa_store:
                    counts = qa_eval.import_documents(qa_store, embedder, docs, chunk_tokens=settings.chunk_tokens,
                                                      chunk_overlap=settings.chunk_overlap, cancel=cancel)
                    summary, details = qa_eval.evaluate_qa(
                        model, qa_store, embedder, limited(questions), configurations,
                        options=AnswerOptions(top_k=facts["top_k"], max_tokens=request.max_tokens, temperature=0.0),
                        progress=progress, cancel=cancel)
                note = (f"{counts['added'] + counts['replaced']} documents imported, {counts['unchanged']} reused; "
                        f"{len(questions)} questions")
                label = f"qa:{folder.resolve()}"
            else:
                summary, details = grounding_eval.evaluate_grounding(
                    model, configurations, count=request.grounding_questions, progress=progress, cancel=cancel)
                label = f"synthetic held-out x{request.grounding_questions}"
    except (OSError, ValueError, KeyError) as exc:
        raise AppError(f"The evaluation input cannot be read: {exc}") from exc
    if request.kind.run_kind == "retrieval":
        facts["k"] = request.k
    run_id = store.eval_runs.save(kind=request.kind.run_kind, label=label, settings=facts, summary=summary,
                                  details=details)
    return EvaluationResult(run_id, summary, _metrics(request), "mode" if request.kind.run_kind == "retrieval"
                            else "configuration", note, cancelled=bool(cancel and cancel.is_set()),
                            details=tuple(details))


def _configurations(workspace, request: EvaluationRequest, model) -> list[Configuration]:
    adapters: Sequence[tuple[str, float]] = request.adapters or workspace.default_adapters(
        model.info.architecture, model_width(model.info))
    if request.kind is EvaluationKind.ANSWERS:
        return four_configurations(adapters)
    base = [Configuration("base", True, ())]
    return base + ([Configuration("+adapter", True, tuple(adapters))] if adapters and not request.base_only else [])


def _metrics(request: EvaluationRequest) -> list[str]:
    from desktop_app.core.evaluation import answer_eval, grounding_eval, qa_eval

    if request.kind.run_kind == "retrieval":
        return ["MRR@10", "nDCG@10", f"Recall@{request.k}", "queries"]
    if request.kind is EvaluationKind.ANSWERS:
        return answer_eval.ANSWER_METRICS + ["questions"]
    if request.kind is EvaluationKind.QA:
        return qa_eval.QA_METRICS + ["questions"]
    return grounding_eval.GROUNDING_METRICS + ["questions"]


def format_table(summary: dict, metrics: list[str], *, first_column: str = "configuration") -> str:
    """A plain-text table: one row per group, one column per metric."""
    width = max([len(first_column)] + [len(g) for g in summary]) + 2
    widths = [max(10, len(m) + 2) for m in metrics]
    header = first_column.ljust(width) + "".join(m.rjust(w) for m, w in zip(metrics, widths))
    lines = [header, "-" * len(header)]
    for group, values in summary.items():
        cells = []
        for metric, cell_width in zip(metrics, widths):
            value = values.get(metric)
            text = "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)
            cells.append(text.rjust(cell_width))
        lines.append(group.ljust(width) + "".join(cells))
    return "\n".join(lines)
