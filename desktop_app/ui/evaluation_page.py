"""The Evaluation window: saved runs, a chart per run and over time, and new runs with progress."""

from __future__ import annotations

import time

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QFileDialog, QHBoxLayout, QLabel,
                               QProgressBar, QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from desktop_app.core.store import EvalRun
from desktop_app.ui.i18n import tr, translatable

RUN_COLUMNS = ["#", translatable("When"), translatable("Kind"), translatable("Data"), translatable("Model / adapters"),
               translatable("Embedder")]


class EvaluationWindow(QDialog):
    requestRun = Signal(str, str)  # kind ("retrieval-questions", "retrieval-beir", "answers", "qa", "grounding"), path

    def __init__(self, store, controller, checked_adapters, parent=None):
        """``controller``: the ``AppController`` that runs evaluations on the model worker;
        ``checked_adapters()``: the adapters ticked in the menu, used for "+adapter"."""
        super().__init__(parent)
        self.store = store
        self.controller = controller
        self.checked_adapters = checked_adapters
        self.setWindowTitle(tr("Evaluation"))
        self.resize(1200, 760)
        self.runs: list[EvalRun] = []
        self.table = QTableWidget(0, len(RUN_COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(c) for c in RUN_COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self.show_selected)
        self.metric_box = QComboBox()
        self.metric_box.currentTextChanged.connect(lambda _text: self.show_selected())
        self.run_chart = QChartView()
        self.run_chart.setRenderHint(QPainter.Antialiasing)
        self.trend_chart = QChartView()
        self.trend_chart.setRenderHint(QPainter.Antialiasing)
        self.progress = QProgressBar()
        self.progress.hide()
        self.status = QLabel()
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(controller.stop_answer)
        self.requestRun.connect(self._run)
        model = controller.model_worker
        model.evalProgress.connect(self.on_progress)
        model.evalFinished.connect(self.on_finished)
        model.evalFailed.connect(self.on_failed)
        buttons = QHBoxLayout()
        for label, kind in ((tr("Retrieval: questions file…"), "retrieval-questions"),
                            (tr("Retrieval: BEIR folder…"), "retrieval-beir"),
                            (tr("Answers: questions file…"), "answers"), (tr("Answers end to end: QA folder…"), "qa"),
                            (tr("Grounding (adapter vs base)"), "grounding")):
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, k=kind: self.start(k))
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.progress)
        buttons.addWidget(self.cancel_button)
        charts = QSplitter(Qt.Horizontal)
        charts.addWidget(self.run_chart)
        charts.addWidget(self.trend_chart)
        metric_row = QHBoxLayout()
        metric_row.addWidget(QLabel(tr("Metric:")))
        metric_row.addWidget(self.metric_box)
        metric_row.addStretch(1)
        metric_row.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        splitter = QSplitter(Qt.Vertical)
        splitter.addWidget(self.table)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.addLayout(metric_row)
        lower_layout.addWidget(charts, 1)
        splitter.addWidget(lower)
        splitter.setSizes([250, 500])
        layout.addWidget(splitter, 1)
        self.refresh()

    # --- runs --------------------------------------------------------------------------------

    def refresh(self, select_id: int | None = None) -> None:
        self.runs = list(reversed(self.store.eval_runs.all()))
        self.table.setRowCount(len(self.runs))
        for row, run in enumerate(self.runs):
            settings = run.settings
            model = settings.get("model", "—")
            adapters = settings.get("configurations") or settings.get("adapters")
            if isinstance(adapters, dict):
                adapters = sorted({name for pairs in adapters.values() for name, _ in pairs})
            model_text = f"{model}" + (f" + {', '.join(map(str, adapters))}" if adapters else "")
            cells = [str(run.id), time.strftime("%Y-%m-%d %H:%M", time.localtime(run.created_at)), run.kind,
                     run.label, model_text, settings.get("embedder", "—")]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if self.runs:
            index = next((i for i, r in enumerate(self.runs) if r.id == select_id), 0)
            self.table.selectRow(index)

    def selected_run(self) -> EvalRun | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        return self.runs[min(rows)] if rows else None

    def show_selected(self) -> None:
        run = self.selected_run()
        if run is None:
            return
        metrics = [m for m in next(iter(run.summary.values()), {}) if m not in ("queries", "questions")]
        if [self.metric_box.itemText(i) for i in range(self.metric_box.count())] != metrics:
            self.metric_box.blockSignals(True)
            current = self.metric_box.currentText()
            self.metric_box.clear()
            self.metric_box.addItems(metrics)
            if current in metrics:
                self.metric_box.setCurrentText(current)
            self.metric_box.blockSignals(False)
        metric = self.metric_box.currentText() or (metrics[0] if metrics else "")
        self.run_chart.setChart(self._bar_chart(run, metric))
        self.trend_chart.setChart(self._trend_chart(run.kind, metric))

    def _bar_chart(self, run: EvalRun, metric: str) -> QChart:
        chart = QChart()
        chart.setTitle(tr("Run #{id} ({kind}): {metric}", id=run.id, kind=run.kind, metric=metric))
        bars = QBarSet(metric)
        groups = list(run.summary)
        values = [float(run.summary[g].get(metric) or 0.0) for g in groups]
        bars.append(values)
        series = QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append(groups)
        axis_y = QValueAxis()
        axis_y.setRange(0, max([1.0] + values) * 1.1)
        chart.addAxis(axis_x, Qt.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        chart.legend().hide()
        return chart

    def _trend_chart(self, kind: str, metric: str) -> QChart:
        chart = QChart()
        chart.setTitle(tr("{metric} over {kind} runs", metric=metric, kind=kind))
        same_kind = [r for r in reversed(self.runs) if r.kind == kind]
        groups = sorted({g for r in same_kind for g in r.summary})
        top = 1.0
        axis_x = QValueAxis()
        axis_x.setLabelFormat("#%d")
        axis_y = QValueAxis()
        for group in groups:
            line = QLineSeries()
            line.setName(group)
            for run in same_kind:
                value = run.summary.get(group, {}).get(metric)
                if value is not None:
                    line.append(run.id, float(value))
                    top = max(top, float(value))
            chart.addSeries(line)
        chart.addAxis(axis_x, Qt.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignLeft)
        for series in chart.series():
            series.attachAxis(axis_x)
            series.attachAxis(axis_y)
        ids = [r.id for r in same_kind] or [0]
        axis_x.setRange(min(ids) - 0.5, max(ids) + 0.5)
        axis_x.setTickCount(min(10, max(2, len(ids))))
        axis_y.setRange(0, top * 1.1)
        return chart

    # --- new runs ----------------------------------------------------------------------------

    def start(self, kind: str) -> None:
        path = ""
        if kind in ("retrieval-questions", "answers"):
            path, _ = QFileDialog.getOpenFileName(self, tr("Questions file"), "", tr("JSON lines") + " (*.jsonl);;" + tr("All files") + " (*)")
        elif kind == "retrieval-beir":
            path = QFileDialog.getExistingDirectory(self, tr("BEIR folder"))
        elif kind == "qa":
            path = QFileDialog.getExistingDirectory(self, tr("QA folder (docs/ and questions.jsonl)"))
        if kind != "grounding" and not path:
            return
        self.run_started(kind)
        self.requestRun.emit(kind, path)

    def _run(self, kind: str, path: str) -> None:
        from desktop_app.core.evaluation.runs import EvaluationKind, EvaluationRequest

        self.controller.requestEvaluation.emit(EvaluationRequest(
            EvaluationKind(kind), path or None, adapters=tuple(self.checked_adapters())))

    def run_started(self, kind: str) -> None:
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.status.setText(tr("Running {kind}…", kind=kind))

    def on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.status.setText(f"{done}/{total}")

    def on_finished(self, run_id: int) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.status.setText(tr("Saved run #{id}", id=run_id))
        self.refresh(select_id=run_id)

    def on_failed(self, message: str) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.status.setText(message)
