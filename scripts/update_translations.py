"""Collect the window's strings into resources/i18n/desktop_app_<lang>.ts and compile the .qm files.

    .venv/bin/python scripts/update_translations.py          # update the .ts files, compile them
    .venv/bin/python scripts/update_translations.py --check  # fail if a string lacks a translation

The strings are the literal first arguments of ``tr(...)`` and ``translatable(...)`` under
desktop_app/ui/, and the texts the core hands the window to show (guard notes, model
descriptions). Translations are edited in the .ts files (Qt Linguist opens them); a string that
disappeared from the code is dropped, a new one is added unfinished.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop_app.ui.i18n import CONTEXT, LANGUAGES  # noqa: E402

I18N = ROOT / "resources" / "i18n"


def source_strings() -> list[str]:
    found: dict[str, None] = {}
    for path in sorted((ROOT / "desktop_app" / "ui").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("tr", "translatable")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found[node.args[0].value] = None
    from desktop_app.core.embedders import BUNDLED_EMBEDDERS
    from desktop_app.core.grounding import GUARD_NOTES
    from desktop_app.core.models import BUNDLED_CHAT_MODELS

    for text in [*GUARD_NOTES.values(), *(e.description for e in BUNDLED_EMBEDDERS),
                 *(m.description for m in BUNDLED_CHAT_MODELS)]:
        found[text] = None
    return list(found)


def read_ts(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    translations = {}
    for message in ET.parse(path).getroot().iter("message"):
        translation = message.find("translation")
        if translation is not None and translation.text and translation.get("type") != "unfinished":
            translations[message.findtext("source")] = translation.text
    return translations


def write_ts(path: Path, language: str, sources: list[str], translations: dict[str, str]) -> None:
    root = ET.Element("TS", version="2.1", language=language)
    context = ET.SubElement(root, "context")
    ET.SubElement(context, "name").text = CONTEXT
    for source in sources:
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = source
        translation = ET.SubElement(message, "translation")
        if source in translations:
            translation.text = translations[source]
        else:
            translation.set("type", "unfinished")
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                    + ET.tostring(root, encoding="unicode") + "\n", encoding="utf-8")


def lrelease() -> Path:
    tool = Path(sys.executable).with_name("pyside6-lrelease")
    return tool if tool.exists() else Path("pyside6-lrelease")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report strings without a translation")
    args = parser.parse_args()
    sources = source_strings()
    missing = 0
    for language in LANGUAGES:
        if language == "en":
            continue
        ts = I18N / f"desktop_app_{language}.ts"
        translations = read_ts(ts)
        untranslated = [s for s in sources if s not in translations]
        missing += len(untranslated)
        for text in untranslated:
            print(f"{language}: no translation for {text!r}")
        if args.check:
            continue
        write_ts(ts, language, sources, translations)
        subprocess.run([str(lrelease()), "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)
        print(f"{ts.relative_to(ROOT)}: {len(sources) - len(untranslated)} of {len(sources)} strings translated")
    return 1 if args.check and missing else 0


if __name__ == "__main__":
    sys.exit(main())
