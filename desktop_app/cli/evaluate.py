"""Evaluation commands: retrieval, answers, grounding, and the saved runs."""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
import time


class _ProgressBar:
    """A one-line progress bar on stderr (cancel with Ctrl+C)."""

    def __init__(self, label: str):
        self.label = label

    def __call__(self, done: int, total: int) -> None:
        width = 30
        filled = int(width * done / max(1, total))
        if not sys.stderr.isatty() and done < total and done % max(1, total // 10):
            return  # in a log, ten lines are enough
        end = "\n" if done >= total or not sys.stderr.isatty() else ""
        print(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", end=end, file=sys.stderr,
              flush=True)


def evaluate(workspace, args) -> int:
    from desktop_app.core.evaluation.runs import (EvaluationKind, EvaluationRequest, format_table,
                                                  run_evaluation)

    if args.eval_command == "runs":
        with workspace.open_store() as store:
            for run in store.eval_runs.all(args.kind):
                when = time.strftime("%Y-%m-%d %H:%M", time.localtime(run.created_at))
                print(f"#{run.id} {when} {run.kind} {run.label}  {json.dumps(run.settings, ensure_ascii=False)}")
                metrics = [m for m in next(iter(run.summary.values()), {}) if m not in ("queries", "questions")]
                print(format_table(run.summary, metrics))
                print()
        return 0
    if args.eval_command == "retrieval":
        kind = EvaluationKind.RETRIEVAL_BEIR if args.beir else EvaluationKind.RETRIEVAL_QUESTIONS
        request = EvaluationRequest(kind, args.beir or args.questions, k=args.k, split=args.split, limit=args.limit)
    elif args.eval_command == "answers":
        request = EvaluationRequest(EvaluationKind.ANSWERS, args.questions, adapters=_adapters(workspace, args),
                                    max_tokens=args.max_tokens, limit=args.limit, top_k=args.k)
    elif args.eval_command == "qa":
        request = EvaluationRequest(EvaluationKind.QA, args.folder, adapters=_adapters(workspace, args),
                                    max_tokens=args.max_tokens, limit=args.limit, top_k=args.k,
                                    base_only=args.no_adapter)
    else:
        request = EvaluationRequest(EvaluationKind.GROUNDING, adapters=_adapters(workspace, args),
                                    grounding_questions=args.n)
    cancel = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: cancel.set())
    try:
        with contextlib.ExitStack() as resources:
            store = resources.enter_context(workspace.open_store())
            model = None
            if request.kind in (EvaluationKind.ANSWERS, EvaluationKind.GROUNDING, EvaluationKind.QA):
                model = resources.enter_context(workspace.load_chat_model(args.model))
            result = run_evaluation(workspace, request, store=store, embedder=workspace.make_embedder(), model=model,
                                    progress=_ProgressBar(args.eval_command), cancel=cancel)
    finally:
        signal.signal(signal.SIGINT, previous)
    if result.note:
        print(result.note, file=sys.stderr)
    print(format_table(result.summary, result.metrics, first_column=result.first_column))
    print(f"(saved as run #{result.run_id})", file=sys.stderr)
    if getattr(args, "details", None):
        with open(args.details, "w", encoding="utf-8") as out:
            for row in result.details:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 130 if result.cancelled else 0


def _adapters(workspace, args) -> tuple[tuple[str, float], ...]:
    from desktop_app.cli.chat import adapters_from_args

    return tuple(adapters_from_args(workspace, args))
