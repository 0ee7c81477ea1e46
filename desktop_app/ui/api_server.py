"""Tools › Serve the OpenAI API: ``desktop-app serve`` for this data folder, started and stopped from the window.

The server is a child process with its own copy of the model, so the window's chat and the API never
share one llama.cpp context across threads; it answers from the same library with the same settings.
It listens on 127.0.0.1 only (no token needed there); other machines need the command line's
``serve --host … --token …``.
"""

from __future__ import annotations

import socket
import sys

from PySide6.QtCore import QObject, QProcess, QTimer, Signal
from PySide6.QtGui import QAction

from desktop_app.ui.i18n import tr

FIRST_PORT = 8765


def free_port(first: int = FIRST_PORT, tries: int = 50) -> int:
    """The first port from ``first`` that nothing listens on at 127.0.0.1."""
    for port in range(first, first + tries):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise OSError(f"no free port between {first} and {first + tries - 1}")


class ApiServer(QObject):
    """A checkable ``action`` that starts and stops the server; ``stateChanged`` says what it is doing."""

    stateChanged = Signal(str)

    def __init__(self, workspace, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.address = ""
        self.action = QAction(tr("Serve the &OpenAI API"), self, checkable=True)
        self.action.toggled.connect(self._toggled)
        self._process: QProcess | None = None
        self._output = ""
        self._port = 0
        self._probe = QTimer(self, interval=300)
        self._probe.timeout.connect(self._check_listening)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.state() != QProcess.ProcessState.NotRunning

    def _toggled(self, on: bool) -> None:
        if on and not self.running:
            self.start()
        elif not on and self.running:
            self.stop()

    def start(self) -> None:
        try:
            port = free_port()
        except OSError as exc:
            self._failed(str(exc))
            return
        self._port = port
        self.address = f"http://127.0.0.1:{port}/v1"
        self._output = ""
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        process.readyReadStandardOutput.connect(self._read_output)
        process.finished.connect(self._finished)
        self._process = process
        settings = self.workspace.settings  # the window's, command-line choices included
        where = [f"--{name.replace('_', '-')}={value}" for name, value in
                 (("store", settings.store), ("model_server", settings.model_server)) if value]
        process.start(sys.executable, ["-m", "desktop_app", "--data-dir", str(self.workspace.data.root), *where,
                                       "serve", "--host", "127.0.0.1", "--port", str(port)])
        self.stateChanged.emit(tr("Starting the API at {address} (loading the model)…", address=self.address))

    def stop(self) -> None:
        process = self._process
        if process is None:
            return
        self._probe.stop()
        process.finished.disconnect(self._finished)
        process.terminate()  # uvicorn stops on SIGTERM: open requests end, the model is freed
        if not process.waitForFinished(10_000):
            process.kill()
            process.waitForFinished(5_000)
        self._process = None
        self.action.setChecked(False)
        self.stateChanged.emit(tr("The API at {address} is stopped", address=self.address))

    def _read_output(self) -> None:
        if self._process is None:
            return
        self._output = (self._output + bytes(self._process.readAllStandardOutput()).decode("utf-8", "replace"))[-4000:]
        if "Serving " in self._output and "Ctrl+C" in self._output and not self._probe.isActive():
            self._probe.start()  # the model is loaded; uvicorn binds the port next

    def _check_listening(self) -> None:
        try:
            socket.create_connection(("127.0.0.1", self._port), timeout=0.2).close()
        except OSError:
            return
        self._probe.stop()
        self.stateChanged.emit(tr("The API answers at {address} (this machine only)", address=self.address))

    def _finished(self, code: int, _status) -> None:
        self._probe.stop()
        self._process = None
        lines = [line for line in self._output.splitlines() if line.strip()]
        self._failed(lines[-1] if lines else tr("exit code {code}", code=code))

    def _failed(self, why: str) -> None:
        self.action.blockSignals(True)
        self.action.setChecked(False)
        self.action.blockSignals(False)
        self.stateChanged.emit(tr("The API stopped: {reason}", reason=why))
