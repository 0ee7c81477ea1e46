"""The window's responsiveness: time to a shown window (idle and with every core busy), and the
longest stall of the GUI thread while a folder imports and while an answer streams.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/benchmark_ui.py

The GUI tests check behaviour; timings live here (docs/benchmarks.md), never in timed tests.
"""

from __future__ import annotations

import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STARTUP = """
import sys, time
started = time.perf_counter()
from PySide6.QtWidgets import QApplication
app = QApplication([])
from desktop_app.core.workspace import Workspace
from desktop_app.ui.main_window import MainWindow
window = MainWindow(Workspace.open(sys.argv[1]))
window.show()
app.processEvents()
print(time.perf_counter() - started)
window.close()
"""


def _hog(stop) -> None:
    while not stop.is_set():
        pass


def startup_seconds(data_dir: str, runs: int) -> list[float]:
    """Interpreter start to a shown window, in a fresh process each time (what a user waits for)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", STARTUP, data_dir], check=True, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
    return times


class TickMonitor:
    """A 20 ms timer on the GUI thread: the longest gap between ticks is the longest freeze."""

    def __init__(self):
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._tick)
        self.last = None
        self.longest_gap = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        if self.last is not None:
            self.longest_gap = max(self.longest_gap, now - self.last)
        self.last = now

    def __enter__(self):
        self.timer.start()
        return self

    def __exit__(self, *exc):
        self.timer.stop()


def stalls(data_dir: str) -> dict[str, float]:
    from PySide6.QtCore import QEventLoop, QMimeData, QPoint, Qt, QTimer, QUrl
    from PySide6.QtGui import QDropEvent
    from PySide6.QtWidgets import QApplication

    from desktop_app.core.workspace import Workspace
    from desktop_app.ui.main_window import MainWindow
    from scripts.sample_pdf import make_pdf

    app = QApplication.instance() or QApplication([])
    window = MainWindow(Workspace.open(data_dir))
    window.show()

    def wait_for(signal, timeout_s=600):
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(int(timeout_s * 1000), loop.quit)
        loop.exec()

    while not window.model_ready:
        app.processEvents()
        time.sleep(0.02)
    window.controller.index_worker.embedder.get().load()
    folder = Path(tempfile.mkdtemp())
    for index in range(20):
        (folder / f"report{index}.pdf").write_bytes(make_pdf([f"Turbine {index} delivered {index * 3} megawatts."] * 3))
        (folder / f"notes{index}.md").write_text("# Notes\n\n" + "The orchard report lists apples. " * 200,
                                                 encoding="utf-8")
    results = {}
    with TickMonitor() as ticks:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(folder))])
        window.dropEvent(QDropEvent(QPoint(5, 5), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier))
        wait_for(window.importShown)
    results["import of 40 files"] = ticks.longest_gap
    with TickMonitor() as ticks:
        window.ask("How many megawatts did turbine 7 deliver?")
        wait_for(window.answerShown)
    results["a streamed answer"] = ticks.longest_gap
    window.close()
    return results


def main() -> int:
    with tempfile.TemporaryDirectory() as data:
        idle = startup_seconds(data, 5)
        stop = multiprocessing.Event()
        hogs = [multiprocessing.Process(target=_hog, args=(stop,), daemon=True) for _ in range(os.cpu_count() or 2)]
        for hog in hogs:
            hog.start()
        try:
            busy = startup_seconds(data, 5)
        finally:
            stop.set()
            for hog in hogs:
                hog.join()
        print("| process start to a shown window, median of 5 | seconds |")
        print("| --- | --- |")
        print(f"| idle | {statistics.median(idle):.2f} |")
        print(f"| every core busy ({len(hogs)} spinning processes) | {statistics.median(busy):.2f} |")
        print()
        print("| longest GUI-thread stall (20 ms timer) | ms |")
        print("| --- | --- |")
        for label, gap in stalls(data).items():
            print(f"| during {label} | {gap * 1000:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
