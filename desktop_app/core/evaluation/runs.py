"""Evaluation runs saved in the store with the settings that produced them."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from desktop_app.core import db as sqlite
from desktop_app.core.store import Store


@dataclass(frozen=True)
class EvalRun:
    id: int
    kind: str
    created_at: float
    label: str
    settings: dict
    summary: dict  # group (mode or configuration) -> metric -> value
    details: list


def save_run(store: Store, *, kind: str, label: str, settings: dict, summary: dict, details: list) -> int:
    with sqlite.transaction(store.db):
        return store.db.execute(
            "INSERT INTO eval_runs(kind, created_at, label, settings, summary, details) VALUES (?, ?, ?, ?, ?, ?)",
            (kind, time.time(), label, json.dumps(settings, ensure_ascii=False), json.dumps(summary),
             json.dumps(details, ensure_ascii=False))).lastrowid


def list_runs(store: Store, kind: str | None = None) -> list[EvalRun]:
    sql = "SELECT id, kind, created_at, label, settings, summary, details FROM eval_runs"
    rows = store.db.execute(sql + (" WHERE kind = ? ORDER BY id" if kind else " ORDER BY id"),
                            (kind,) if kind else ()).fetchall()
    return [EvalRun(r[0], r[1], r[2], r[3], json.loads(r[4]), json.loads(r[5]), json.loads(r[6])) for r in rows]


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
