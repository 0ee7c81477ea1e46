"""Evaluation runs, saved with the settings that produced them."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from desktop_app.core.store import connection as sqlite
from desktop_app.core.store.dialect import insert_returning_id


@dataclass(frozen=True)
class EvalRun:
    id: int
    kind: str  # 'retrieval', 'answers', 'grounding' or 'qa'
    created_at: float
    label: str
    settings: dict
    summary: dict  # group (mode or configuration) -> metric -> value
    details: list


class EvalRunStore:
    def __init__(self, db):
        self.db = db

    def save(self, *, kind: str, label: str, settings: dict, summary: dict, details: list,
             created_at: float | None = None) -> int:
        with sqlite.transaction(self.db):
            return insert_returning_id(
                self.db, "INSERT INTO eval_runs(kind, created_at, label, settings, summary, details) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (kind, time.time() if created_at is None else created_at, label, json.dumps(settings, ensure_ascii=False), json.dumps(summary),
                 json.dumps(details, ensure_ascii=False)))

    def all(self, kind: str | None = None) -> list[EvalRun]:
        sql = "SELECT id, kind, created_at, label, settings, summary, details FROM eval_runs"
        rows = self.db.execute(sql + (" WHERE kind = ? ORDER BY id" if kind else " ORDER BY id"),
                               (kind,) if kind else ()).fetchall()
        return [EvalRun(r[0], r[1], r[2], r[3], json.loads(r[4]), json.loads(r[5]), json.loads(r[6])) for r in rows]
