"""User settings: a typed, versioned object persisted as JSON in the data directory."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

SETTINGS_VERSION = 1


def default_threads() -> int:
    """Threads for llama.cpp generation.

    llama.cpp collapses (40x slower) when its threads outnumber free cores, so leave one core for
    the UI and the embedder on machines with more than two, and never exceed the core count.
    """
    cores = os.cpu_count() or 2
    return cores if cores <= 2 else max(2, min(cores - 1, 8))


@dataclass(frozen=True)
class Settings:
    version: int = SETTINGS_VERSION
    chat_model: str = ""  # path of a GGUF file; empty means the bundled default
    embedder: str = ""  # path of a sentence-transformers folder; empty means the bundled default
    n_ctx: int = 4096
    n_threads: int = field(default_factory=default_threads)
    n_gpu_layers: int = 0
    temperature: float = 0.2
    max_answer_tokens: int = 384
    top_k: int = 5
    chunk_tokens: int = 200
    chunk_overlap: int = 40
    active_adapters: tuple[tuple[str, float], ...] = ()

    def with_changes(self, **changes) -> "Settings":
        return replace(self, **changes)

    @classmethod
    def load(cls, path: Path) -> "Settings":
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known and k != "version"}
        if "active_adapters" in values:
            values["active_adapters"] = tuple((str(n), float(s)) for n, s in values["active_adapters"])
        try:
            return cls(**values)
        except TypeError:
            return cls()

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        os.replace(tmp, path)
