"""User settings: a typed, versioned object persisted as JSON in the data directory."""

from __future__ import annotations

import json
import os
import time
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
    model_server: str = ""  # URL of an OpenAI-compatible server that writes the answers instead of chat_model
    store: str = ""  # a postgresql:// URL of a shared library; empty: store.sqlite3 in the data folder
    embedder: str = ""  # path of a sentence-transformers folder; empty means the bundled default
    n_ctx: int = 4096
    n_threads: int = field(default_factory=default_threads)
    n_gpu_layers: int = 0
    temperature: float = 0.2
    max_answer_tokens: int = 384
    top_k: int = 5
    rerank: bool = False  # the chat model judges the first search results before an answer's sources are kept
    chunk_tokens: int = 200
    chunk_overlap: int = 40
    active_adapters: tuple[tuple[str, float], ...] = ()
    language: str = ""  # of the window: "en", "ko"; empty follows the system locale
    ocr: bool = True  # read scans and images by OCR when importing
    adapters_chosen: bool = False  # the user picked adapters (none, too): the recommended one is not applied

    def with_changes(self, **changes) -> "Settings":
        return replace(self, **changes)

    def with_overrides(self, **values) -> "Settings":
        """These settings with the given ones for this run (from the command line); empty values leave a setting be."""
        return replace(self, **{name: value for name, value in values.items() if value})

    @classmethod
    def load(cls, path: Path) -> "Settings":
        return cls.read(path)[0]

    @classmethod
    def read(cls, path: Path) -> tuple["Settings", str | None]:
        """The settings in ``path`` (defaults where it has none), and what was wrong with the file, if anything.

        A file that is not valid JSON, or holds a value of the wrong type, is kept aside as
        ``settings.json.bad-<time>`` (never silently overwritten); its good values are used.
        """
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(), None
        except (OSError, UnicodeDecodeError) as exc:
            return cls(), f"The settings file {path} cannot be read ({exc}); the defaults apply."
        try:
            raw = json.loads(text)
            if not isinstance(raw, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            return cls(), _set_aside(path, f"is not valid settings ({exc})")
        values, wrong, defaults = {}, [], cls()
        for item in fields(cls):
            if item.name == "version" or item.name not in raw:
                continue
            value = _typed(raw[item.name], getattr(defaults, item.name))
            if value is None:
                wrong.append(f"{item.name}={raw[item.name]!r}")
            else:
                values[item.name] = value
        settings = cls(**values)
        return settings, _set_aside(path, f"had values of the wrong type ({', '.join(wrong)})") if wrong else None

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        os.replace(tmp, path)


def _typed(value, default):
    """``value`` as the type of ``default``, or None when it is not of that type."""
    if isinstance(default, bool):
        return value if isinstance(value, bool) else None
    if isinstance(default, int):
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(default, float):
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if isinstance(default, str):
        return value if isinstance(value, str) else None
    if isinstance(default, tuple):  # active_adapters: [[path, scale], ...]
        try:
            return tuple((str(name), float(scale)) for name, scale in value)
        except (TypeError, ValueError):
            return None
    return None


def _set_aside(path: Path, problem: str) -> str:
    kept = path.with_name(f"{path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        os.replace(path, kept)
    except OSError as exc:
        return f"The settings file {path} {problem}; the defaults apply to those values ({exc.strerror or exc})."
    return f"The settings file {path} {problem}; it was kept as {kept.name} and the defaults apply to those values."
