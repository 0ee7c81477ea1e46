"""Hangul word processor documents: HWP 5 and HWPX, one page per document section."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.errors import ExtractionError
from desktop_app.core.extract import ExtractedDocument, Page, normalize_text


def extract_hwp(path: Path, data: bytes) -> ExtractedDocument:
    """HWP 5 (an OLE file of compressed records) or HWPX (a zip of XML), one page per document section.

    Tables come out as Markdown rows (``| a | b |``), so each row stays one line of the chunk text.
    """
    import zipfile

    from hwp_hwpx_parser import ExtractOptions, Reader
    from hwp_hwpx_parser.models import TableStyle

    is_zip, is_ole = data[:4] == b"PK\x03\x04", data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    if not (is_zip or is_ole):
        raise ExtractionError("not a Hangul (HWP/HWPX) document: neither an HWP 5 nor an HWPX file")
    if is_ole and path.suffix.lower() == ".hwpx" or is_zip and path.suffix.lower() == ".hwp":
        path = _copy_with_suffix(path, data, ".hwpx" if is_zip else ".hwp")
    options = ExtractOptions(table_style=TableStyle.MARKDOWN, paragraph_separator="\n\n")
    try:
        with Reader(path) as reader:
            inner = reader._get_reader()
            if not reader.is_valid:
                raise ExtractionError("damaged or not a Hangul document (no valid HWP/HWPX structure)")
            if reader.is_encrypted:
                raise ExtractionError("password-protected HWP document: this app cannot open it")
            texts = _hwp_section_texts(inner, options)
    except ExtractionError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, IndexError, OSError, EOFError) as exc:
        raise ExtractionError(f"damaged HWP document: {exc.__class__.__name__}: {str(exc)[:120]}") from exc
    except Exception as exc:  # the reader raises ad-hoc exceptions on malformed records
        raise ExtractionError(f"unreadable HWP document: {exc.__class__.__name__}: {str(exc)[:120]}") from exc
    finally:
        if path.name.startswith(".desktop-app-hwp-"):
            path.unlink(missing_ok=True)
    pages = tuple(Page(number, normalize_text(text)) for number, text in enumerate(texts, start=1))
    if not any(p.text.strip() for p in pages):
        raise ExtractionError("no text in the document")
    return ExtractedDocument(kind="hwp", paged=False, pages=pages)


def _hwp_section_texts(reader, options) -> list[str]:
    """The text of each section of the document (the reader's public API only gives all of it at once)."""
    if hasattr(reader, "_iter_sections") and hasattr(reader, "_extract_section_text"):  # HWP 5
        reader._reset_counters()
        return [reader._extract_section_text(reader._read_section(i), options) for i in reader._iter_sections()]
    if hasattr(reader, "_get_section_files") and hasattr(reader, "_extract_section"):  # HWPX
        return [reader._extract_section(name, options) for name in reader._get_section_files()]
    return [reader.extract_text(options)]


def _copy_with_suffix(path: Path, data: bytes, suffix: str) -> Path:
    """The reader tells HWP from HWPX by the name; a file named for the other one is read from a copy."""
    import tempfile

    handle, name = tempfile.mkstemp(prefix=".desktop-app-hwp-", suffix=suffix)
    with open(handle, "wb") as out:
        out.write(data)
    return Path(name)
