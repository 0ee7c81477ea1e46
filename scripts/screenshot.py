"""Take the README screenshot from the real app: import sample documents, ask, capture the screen.

Run under a virtual X display (Debian: xvfb, imagemagick; fonts-noto-cjk for Korean):
    Xvfb :98 -screen 0 1400x900x24 & DISPLAY=:98 .venv/bin/python scripts/screenshot.py resources/screenshot.png
    DISPLAY=:98 .venv/bin/python scripts/screenshot.py resources/screenshot-ko.png ko   # the Korean window
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scripts.sample_pdf import make_pdf  # noqa: E402


def main(out: str, language: str = "en") -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_app.core.workspace import Workspace
    from desktop_app.ui.i18n import install_translation
    from desktop_app.ui.main_window import MainWindow

    work = Path(tempfile.mkdtemp())
    docs = work / "Plant documents"
    docs.mkdir()
    (docs / "kestrel-trial.pdf").write_bytes(make_pdf([
        "Kestrel wind farm: spring trial report, prepared for the regional grid operator.",
        "The Kestrel turbine delivered 42 megawatts during the spring trial, above the 38 MW target.",
        "Maintenance: blade inspection is due every 6 months; the gearbox oil every 12 months."]))
    (docs / "quenford-history.md").write_text(
        "# Quenford desalination plant\n\nThe Quenford plant was commissioned in 1987 by the engineer Maris Okonkwo. "
        "It supplies 140,000 households and runs on reverse osmosis since its 2009 refit.\n", encoding="utf-8")
    (docs / "busan-memo.txt").write_text(
        "회의록: 부산 물류센터의 신규 냉장 창고는 2025년 3월에 완공되었다. 담당자는 김서연 팀장이다.\n", encoding="utf-8")
    app = QApplication.instance() or QApplication([])
    install_translation(app, language)
    window = MainWindow(Workspace.open(work / "data"))
    window.resize(1360, 860)
    window.show()

    def capture() -> None:
        QTimer.singleShot(600, lambda: (subprocess.run(["import", "-window", "root", "-crop", "1360x860+0+0", out],
                                                       check=True), app.quit()))

    def ask(_summary) -> None:
        window.tabs.setCurrentIndex(1)
        if language == "ko":  # a Korean question, with the defaults
            window.ask("부산 물류센터의 신규 냉장 창고는 언제 완공되었나요?")
            return
        for path, (check, _scale) in window.adapter_menu.controls.items():
            if path.endswith("grounded-citations.gguf"):
                check.setChecked(True)  # the shipped adapter: answers cite [n]
        window.ask("How many megawatts did the Kestrel turbine deliver in the trial?")

    window.importShown.connect(ask)
    window.answerShown.connect(lambda _answer: capture())
    QTimer.singleShot(500, lambda: window.import_paths([str(docs)]))
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "resources/screenshot.png", *sys.argv[2:3])
