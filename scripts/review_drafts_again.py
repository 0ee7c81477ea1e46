"""Review the saved drafts of answer-evaluation runs again with today's checks, and show what changes.

Answers are generated at temperature 0, so a change to the checks after generation (``review_draft``)
changes only the decisions this script shows; run it on every saved run before a full re-run:

    desktop-app eval qa resources/eval/qa-dev --no-adapter --details dev.jsonl
    .venv/bin/python scripts/review_drafts_again.py dev.jsonl [more.jsonl ...] [--data-dir D]

With ``--data-dir``, that data dir's embedder ranks sentences by meaning, as the app does; without
it, the checks that need an embedder are left out.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from desktop_app.core.evaluation.qa_eval import QA_METRICS, review_again, summarise_qa
from desktop_app.core.evaluation.runs import format_table
from desktop_app.core.workspace import Workspace

_OUTCOMES = ("right_and_cited", "declined_ok", "wrong_decline", "wrong_answer")


def _outcome(row: dict) -> str:
    return next((name for name in _OUTCOMES if row.get(name)), "other")


def _summary(rows: list[dict]) -> dict:
    summary = {"all": summarise_qa(rows)}
    for language in sorted({r["language"] for r in rows}):
        summary[f"[{language}]"] = summarise_qa([r for r in rows if r["language"] == language])
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("details", nargs="+", help="--details files of `desktop-app eval qa`")
    parser.add_argument("--data-dir", type=Path, help="the data dir of the runs: its embedder ranks sentences")
    args = parser.parse_args()
    embedder = Workspace.open(args.data_dir).make_embedder() if args.data_dir else None
    metrics = [m for m in QA_METRICS if m not in ("ttft_s", "tok_per_s")] + ["questions"]
    for path in args.details:
        rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
        again = review_again(rows, embedder)
        print(f"== {path}")
        for before, after in zip(rows, again):
            if (_outcome(before), before["guard"]) != (_outcome(after), after["guard"]):
                print(f"  {_outcome(before)} ({before['guard']}) -> {_outcome(after)} ({after['guard']}): "
                      f"{after['question']}\n      {after['answer'][:160]!r}")
        print("saved:\n" + format_table(_summary(rows), metrics, first_column="set"))
        print("reviewed again:\n" + format_table(_summary(again), metrics, first_column="set") + "\n")


if __name__ == "__main__":
    main()
