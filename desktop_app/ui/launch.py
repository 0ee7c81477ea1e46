"""Start the window fast: Qt first, the models load behind it on worker threads."""

from __future__ import annotations

import logging
import sys


def launch_gui(data_dir: str | None = None, *, model_server: str | None = None, store: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop_app.core.errors import AppError
    from desktop_app.core.workspace import Workspace

    from PySide6.QtGui import QIcon

    from desktop_app.core.paths import icons_dir

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Desktop Assistant")
    app.setOrganizationName("desktop-app")
    app.setDesktopFileName("desktop-app")
    app.setWindowIcon(QIcon(str(icons_dir() / "desktop-app.svg")))
    from desktop_app.ui.i18n import install_translation, tr

    try:
        workspace = Workspace.open(data_dir)
        workspace.settings = workspace.settings.with_overrides(model_server=model_server, store=store)
    except (AppError, OSError) as exc:
        install_translation(app, "")
        QMessageBox.critical(None, tr("Cannot start"), str(exc))
        return 1
    install_translation(app, workspace.settings.language)
    log_file = workspace.setup_logging("app")

    def log_unhandled(kind, value, tb):
        logging.getLogger("desktop_app").error("unhandled error", exc_info=(kind, value, tb))
        where = tr("Details are in {file}.", file=log_file) if log_file else tr("Details were printed to the console.")
        QMessageBox.warning(None, tr("Unexpected error"), f"{value}\n\n{where}")

    sys.excepthook = log_unhandled
    window = open_main_window(workspace)
    if window is None:
        return 1
    window.show()
    return app.exec()


def open_main_window(workspace):
    """The main window; a damaged store is offered to be set aside (kept) rather than blocking every start."""
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.core.errors import AppError, StoreUnusable
    from desktop_app.ui.i18n import tr
    from desktop_app.ui.main_window import MainWindow

    try:
        return MainWindow(workspace)
    except StoreUnusable as exc:
        answer = QMessageBox.question(
            None, tr("Library file unusable"),
            f"{exc}\n\n" + tr("Set it aside and start with an empty library? The old file is kept next to it, "
                               "renamed; nothing is deleted."), QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes)
        if answer != QMessageBox.Yes:
            return None
        try:
            kept = workspace.set_aside_store()
            window = MainWindow(workspace)
        except AppError as again:
            QMessageBox.critical(None, tr("Cannot start"), str(again))
            return None
        QMessageBox.information(None, tr("Library file set aside"), tr(
            "The old library file is kept as {kept}. Import your documents again to rebuild the library.", kept=kept))
        return window
    except AppError as exc:
        QMessageBox.critical(None, tr("Cannot start"), str(exc))
        return None
