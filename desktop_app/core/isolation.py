"""Run document parsing in a separate process, with a time and memory limit per file.

A file that makes a parser loop, explode in memory or crash the interpreter costs one worker
process, not the app: the worker is replaced and the file reported as skipped.

The worker is a plain ``python -m desktop_app.core.isolation`` child talking length-prefixed
pickles over its stdin/stdout, so it never re-imports the app's own ``__main__`` (as
multiprocessing's spawn would) and holds no copy of the parent's threads or model (as fork would).
"""

from __future__ import annotations

import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from pathlib import Path

from desktop_app.core.errors import ExtractionError
from desktop_app.core.extract import (
    ExtractedDocument,
    TextSection,
    extract,
    read_section,
)
from desktop_app.core.ocr import OnPage

DEFAULT_TIMEOUT_S = 120.0
DEFAULT_MEMORY_BYTES = 3 << 30
_LENGTH = struct.Struct("<Q")


def _send(stream, value) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def _receive(stream):
    header = stream.read(_LENGTH.size)
    if len(header) < _LENGTH.size:
        raise EOFError
    (length,) = _LENGTH.unpack(header)
    data = stream.read(length)
    if len(data) < length:
        raise EOFError
    return pickle.loads(data)


def _serve(memory_bytes: int) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ImportError, ValueError, OSError):
        pass
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a parser that prints must not corrupt the reply stream
    while True:
        try:
            request = _receive(requests)
        except EOFError:
            return  # the app went away
        if request is None:
            return
        try:
            if request[0] == "section":
                _, path, start_byte, number, encoding = request
                reply = ("ok", read_section(Path(path), start_byte=start_byte, number=number, encoding=encoding))
            else:
                _, path, ocr = request
                reply = ("ok", extract(Path(path), ocr=ocr,
                                       on_page=lambda done, total: _send(replies, ("progress", done, total))))
        except ExtractionError as exc:
            reply = ("error", str(exc))
        except MemoryError:
            reply = ("error", "the parser ran out of memory on this file")
        except RecursionError:
            reply = ("error", "the file is nested too deeply to parse")
        except Exception as exc:  # a parser bug on odd input: report it, keep the worker
            reply = ("error", f"parser failure: {exc.__class__.__name__}: {str(exc)[:150]}")
        try:
            _send(replies, reply)
        except MemoryError:
            _send(replies, ("error", "the text of this file is too large to pass back"))


class IsolatedExtractor:
    """``extract`` (and ``read_section``) in a worker process; call ``close`` (or use as a context manager) when done.

    ``timeout_s`` bounds a file, or each page of one read by OCR (a long scan reports every page).
    """

    def __init__(self, *, timeout_s: float = DEFAULT_TIMEOUT_S, memory_bytes: int = DEFAULT_MEMORY_BYTES,
                 ocr: bool = True):
        self.timeout_s = timeout_s
        self.ocr = ocr
        self.memory_bytes = memory_bytes
        self._process: subprocess.Popen | None = None
        self._replies: queue.Queue | None = None

    def _start(self) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [
            str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")])))
        self._process = subprocess.Popen(
            [sys.executable, "-m", "desktop_app.core.isolation", str(self.memory_bytes)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self._replies = queue.Queue()
        threading.Thread(target=self._read_replies, args=(self._process, self._replies), daemon=True,
                         name="parser-replies").start()

    @staticmethod
    def _read_replies(process: subprocess.Popen, replies: queue.Queue) -> None:
        while True:
            try:
                replies.put(_receive(process.stdout))
            except (EOFError, OSError, pickle.UnpicklingError, ValueError):
                replies.put(None)  # the worker died
                return

    def _stop(self, *, kill: bool) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if not kill:
            try:
                _send(process.stdin, None)
                process.stdin.close()
                process.wait(timeout=5)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                kill = True
        if kill or process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def __call__(self, path: Path, *, on_page: OnPage | None = None) -> ExtractedDocument:
        return self._ask(("extract", str(path), self.ocr), on_page)

    def read_section(self, path: Path, *, start_byte: int = 0, number: int = 1,
                     encoding: str | None = None) -> TextSection:
        """``extract.read_section`` in the worker process."""
        return self._ask(("section", str(path), start_byte, number, encoding))

    def _ask(self, request, on_page: OnPage | None = None):
        if self._process is None or self._process.poll() is not None:
            self._stop(kill=True)
            try:
                self._start()
            except OSError as exc:
                self._process = None
                raise ExtractionError(f"the parser process cannot be started: {exc.strerror or exc}") from exc
        try:
            _send(self._process.stdin, request)
            reply = self._replies.get(timeout=self.timeout_s)
            while reply is not None and reply[0] == "progress":
                if on_page is not None:
                    on_page(reply[1], reply[2])
                reply = self._replies.get(timeout=self.timeout_s)
        except queue.Empty:
            self._stop(kill=True)
            raise ExtractionError(f"parsing took longer than {self.timeout_s:.0f} s and was stopped") from None
        except (OSError, ValueError):
            reply = None
        if reply is None:
            code = self._process.wait(timeout=10) if self._process else None
            self._stop(kill=True)
            raise ExtractionError(f"the parser crashed on this file (exit code {code})")
        status, payload = reply
        if status == "error":
            raise ExtractionError(payload)
        return payload

    def abort(self) -> None:
        """Kill the parser process now, from any thread: the file in hand fails at once (used at shutdown)."""
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()

    def close(self) -> None:
        self._stop(kill=False)

    def __enter__(self) -> "IsolatedExtractor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


if __name__ == "__main__":
    _serve(int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_MEMORY_BYTES)
