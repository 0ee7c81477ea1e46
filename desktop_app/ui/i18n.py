"""The window's language: Qt translations compiled from ``resources/i18n/*.ts``.

Every string the window shows goes through ``tr`` (Qt's ``QCoreApplication.translate`` in one
context), with ``{name}`` placeholders filled after translation so a translation may reorder them.
``scripts/update_translations.py`` collects the ``tr`` strings into the .ts files and compiles them.
Answers follow the question's language whatever the window's (core/grounding.py).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from desktop_app.core.paths import translations_dir

CONTEXT = "desktop_app"
LANGUAGES = {"en": "English", "ko": "한국어"}


def tr(text: str, **values) -> str:
    translated = QCoreApplication.translate(CONTEXT, text)
    return translated.format(**values) if values else translated


def translatable(text: str) -> str:
    """Marks a string translated later with ``tr(variable)``: collected into the .ts files, returned as is."""
    return text


def window_language(setting: str) -> str:
    """The language the window uses: the setting, else the system's if there is a translation, else English."""
    if setting in LANGUAGES:
        return setting
    system = QLocale.system().name().split("_")[0]
    return system if system in LANGUAGES else "en"


def install_translation(app, setting: str) -> str:
    """Load the translation for ``setting`` (see ``window_language``) into ``app``; returns the language."""
    language = window_language(setting)
    for old in getattr(app, "_desktop_app_translators", []):
        app.removeTranslator(old)
    app._desktop_app_translators = []
    if language == "en":
        return language
    translator = QTranslator(app)
    if translator.load(str(translations_dir() / f"desktop_app_{language}.qm")):
        app.installTranslator(translator)
        app._desktop_app_translators.append(translator)
        qt_base = QTranslator(app)  # Qt's own dialogs' buttons (OK, Cancel), where Qt ships them
        from PySide6.QtCore import QLibraryInfo

        if qt_base.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt_base)
            app._desktop_app_translators.append(qt_base)
        return language
    return "en"
