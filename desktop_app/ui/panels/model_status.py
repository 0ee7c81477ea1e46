"""The status bar's model facts: the model (or what is loading), the adapters, the device and the
speed of the last answer. Everything it shows comes from the model worker's signal payloads."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QStatusBar

from desktop_app.ui.i18n import tr


class ModelStatus:
    def __init__(self, bar: QStatusBar):
        self.model_label = QLabel(tr("Model: loading…"))
        self.adapter_label = QLabel(tr("Adapters: none"))
        self.speed_label = QLabel("")
        self.device_label = QLabel("")
        for widget in (self.model_label, self.adapter_label, self.speed_label, self.device_label):
            bar.addWidget(widget)

    def loading(self, name: str) -> None:
        self.model_label.setText(tr("Model: loading {name}…", name=name))

    def loaded(self, facts) -> None:
        """``facts``: the ``workers.ModelFacts`` of the model now loaded (None: none is)."""
        self.model_label.setText(tr("Model: {name}", name=facts.name) if facts else tr("Model: none"))
        if facts:
            device = tr("GPU ({layers} layers)", layers=facts.gpu_layers) if facts.gpu_layers else "CPU"
            self.device_label.setText(tr("{device}, {threads} threads, ctx {n_ctx}", device=device,
                                         threads=facts.threads, n_ctx=facts.n_ctx))

    def adapters(self, active: list) -> str:
        """Show the active (path, scale) pairs; returns the text shown."""
        text = ", ".join(f"{Path(p).stem} ×{s:g}" for p, s in active)
        self.adapter_label.setText(tr("Adapters: {names}", names=text) if text else tr("Adapters: none"))
        return text

    def speed(self, stats) -> None:
        if stats:
            self.speed_label.setText(f"{stats.tokens_per_s:.1f} tok/s, TTFT {stats.time_to_first_token_s:.2f} s")
