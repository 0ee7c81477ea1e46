"""Run document parsing in a separate process, with a time and memory limit per file.

A file that makes a parser loop, explode in memory or crash the interpreter costs one worker
process, not the app: the worker is replaced and the file reported as skipped.
"""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

from desktop_app.core.errors import ExtractionError
from desktop_app.core.extract import ExtractedDocument, extract

DEFAULT_TIMEOUT_S = 120.0
DEFAULT_MEMORY_BYTES = 3 << 30


def _worker(conn, memory_bytes: int) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ImportError, ValueError, OSError):
        pass
    while True:
        try:
            path = conn.recv()
        except (EOFError, OSError):
            return  # the app went away
        if path is None:
            return
        try:
            conn.send(("ok", extract(Path(path))))
        except ExtractionError as exc:
            conn.send(("error", str(exc)))
        except MemoryError:
            conn.send(("error", "the parser ran out of memory on this file"))
        except RecursionError:
            conn.send(("error", "the file is nested too deeply to parse"))
        except Exception as exc:  # a parser bug on odd input: report it, keep the worker
            conn.send(("error", f"parser failure: {exc.__class__.__name__}: {str(exc)[:150]}"))


class IsolatedExtractor:
    """``extract`` in a worker process; call ``close`` (or use as a context manager) when done."""

    def __init__(self, *, timeout_s: float = DEFAULT_TIMEOUT_S, memory_bytes: int = DEFAULT_MEMORY_BYTES):
        self.timeout_s = timeout_s
        self.memory_bytes = memory_bytes
        self._context = mp.get_context("spawn")  # no fork: the parent may hold threads and a model
        self._process = None
        self._conn = None

    def _start(self) -> None:
        parent, child = self._context.Pipe()
        self._process = self._context.Process(target=_worker, args=(child, self.memory_bytes), daemon=True,
                                              name="document-parser")
        self._process.start()
        child.close()
        self._conn = parent

    def _stop(self, *, kill: bool) -> None:
        if self._process is None:
            return
        if kill:
            self._process.kill()
        else:
            try:
                self._conn.send(None)
            except OSError:
                pass
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(timeout=5)
        self._conn.close()
        self._process = self._conn = None

    def __call__(self, path: Path) -> ExtractedDocument:
        if self._process is None or not self._process.is_alive():
            self._start()
        try:
            self._conn.send(str(path))
            if not self._conn.poll(self.timeout_s):
                self._stop(kill=True)
                raise ExtractionError(f"parsing took longer than {self.timeout_s:.0f} s and was stopped")
            status, payload = self._conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            code = self._process.exitcode if self._process else None
            self._stop(kill=True)
            raise ExtractionError(f"the parser crashed on this file (exit code {code})") from exc
        if status == "error":
            raise ExtractionError(payload)
        return payload

    def close(self) -> None:
        self._stop(kill=False)

    def __enter__(self) -> "IsolatedExtractor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
