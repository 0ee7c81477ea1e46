"""Documents that are zip archives of XML: Word (DOCX: python-docx), PowerPoint (PPTX: python-pptx,
one page per slide, speaker notes included), Excel (XLSX: openpyxl, one page per sheet, a row per
line), OpenDocument text, presentations and spreadsheets (ODT, ODP, ODS: odfpy, the same way) and
EPUB books (ebooklib, one page per chapter).

Headings become Markdown headings and tables ``| a | b |`` rows, so a chunk keeps the heading it
sits under and each table row stays one line. The archive is checked before any library opens it:
a damaged zip, or one whose parts expand past ``MAX_EXPANDED_BYTES`` (a zip bomb), is refused with
its reason.
"""

from __future__ import annotations

import io
import re
import zipfile

from desktop_app.core.errors import ExtractionError
from desktop_app.core.extract import ExtractedDocument, Page, normalize_text, sections_of

MAX_EXPANDED_BYTES = 512 << 20
MAX_CELLS = 2_000_000  # per workbook: a sheet of a million filled rows is data, not a document
_NAMES = {"docx": "a Word (DOCX)", "pptx": "a PowerPoint (PPTX)", "xlsx": "an Excel (XLSX)",
          "odt": "an OpenDocument text (ODT)", "odp": "an OpenDocument presentation (ODP)",
          "ods": "an OpenDocument spreadsheet (ODS)", "epub": "an EPUB"}
_MAIN_PART = {"docx": "word/document.xml", "pptx": "ppt/presentation.xml", "xlsx": "xl/workbook.xml",
              "odt": "content.xml", "odp": "content.xml", "ods": "content.xml", "epub": "META-INF/container.xml"}
_HEADING = re.compile(r"^(?:Heading|제목)\s*(\d)$", re.IGNORECASE)


def extract_office(kind: str, data: bytes) -> ExtractedDocument:
    _check_archive(kind, data)
    try:
        if kind == "docx":
            document = ExtractedDocument(kind=kind, paged=False, pages=sections_of(normalize_text(_docx_text(data))))
        elif kind == "pptx":
            document = ExtractedDocument(kind=kind, paged=True, pages=_pptx_pages(data))
        elif kind == "xlsx":
            document = ExtractedDocument(kind=kind, paged=True, pages=_xlsx_pages(data))
        elif kind == "epub":
            document = ExtractedDocument(kind=kind, paged=True, pages=_epub_pages(data))
        elif kind == "odt":
            document = ExtractedDocument(kind=kind, paged=False, pages=sections_of(normalize_text(_odt_text(data))))
        else:
            document = ExtractedDocument(kind=kind, paged=True, pages=_odf_pages(kind, data))
    except ExtractionError:
        raise
    except Exception as exc:  # the libraries raise whatever their XML parsing meets
        raise ExtractionError(f"damaged document: not readable as {_NAMES[kind]} file: "
                              f"{exc.__class__.__name__}: {str(exc)[:120]}") from exc
    if not any(page.text.strip() for page in document.pages):
        raise ExtractionError("no text in the document")
    return document


def _check_archive(kind: str, data: bytes) -> None:
    name = _NAMES[kind]
    if data[:4] != b"PK\x03\x04":
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise ExtractionError(f"not {name} file: an encrypted or old binary Office document "
                                  "(save it as .docx/.pptx/.xlsx without a password)")
        raise ExtractionError(f"not {name} file (not a zip archive)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise ExtractionError(f"damaged document: not readable as {name} file ({exc})") from exc
    expanded = sum(member.file_size for member in members)
    if expanded > MAX_EXPANDED_BYTES:
        raise ExtractionError(f"refused: its parts expand to {expanded / 2**20:.0f} MB, past the limit of "
                              f"{MAX_EXPANDED_BYTES / 2**20:.0f} MB (a zip bomb or a document of mostly media)")
    if _MAIN_PART[kind] not in names:
        raise ExtractionError(f"not {name} document: the archive has no {_MAIN_PART[kind]}")


def _table_rows(rows) -> list[str]:
    lines = []
    for cells in rows:
        values = [" ".join(str(value).split()) for value in cells]
        if any(values):
            lines.append("| " + " | ".join(values) + " |")
    return lines


def _docx_text(data: bytes) -> str:
    import docx
    from docx.table import Table

    document = docx.Document(io.BytesIO(data))
    blocks: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            rows = _table_rows([cell.text for cell in row.cells] for row in block.rows)
            if rows:
                blocks.append("\n".join(rows))
            continue
        text = block.text.strip()
        if not text:
            continue
        style = block.style.name if block.style is not None else ""
        heading = _HEADING.match(style)
        if heading or style == "Title":
            blocks.append("#" * (int(heading.group(1)) if heading else 1) + " " + text)
        elif style.startswith("List"):
            blocks.append("- " + text)
        else:
            blocks.append(text)
    return "\n\n".join(blocks)


def _pptx_pages(data: bytes) -> tuple[Page, ...]:
    from pptx import Presentation

    pages = []
    for number, slide in enumerate(Presentation(io.BytesIO(data)).slides, start=1):
        lines = []
        title = slide.shapes.title
        if title is not None and title.has_text_frame and title.text_frame.text.strip():
            lines.append("# " + title.text_frame.text.strip())
        for shape in slide.shapes:
            if title is not None and shape.shape_id == title.shape_id:
                continue
            lines.extend(_shape_lines(shape))
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
            notes = slide.notes_slide.notes_text_frame.text.strip()
            if notes:
                lines.append("Notes: " + notes)
        pages.append(Page(number, normalize_text("\n".join(lines))))
    return tuple(pages)


def _shape_lines(shape) -> list[str]:
    if getattr(shape, "shape_type", None) is not None and hasattr(shape, "shapes"):  # a group
        return [line for inner in shape.shapes for line in _shape_lines(inner)]
    if getattr(shape, "has_table", False) and shape.has_table:
        return _table_rows([cell.text for cell in row.cells] for row in shape.table.rows)
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        paragraphs = [paragraph_text for paragraph in shape.text_frame.paragraphs
                      if (paragraph_text := "".join(run.text for run in paragraph.runs).strip())]
        # several paragraphs of one text box are its bullets: a list, not lines of one wrapped sentence
        return ["- " + paragraph for paragraph in paragraphs] if len(paragraphs) > 1 else paragraphs
    return []


def _xlsx_pages(data: bytes) -> tuple[Page, ...]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    pages, cells = [], 0
    try:
        for number, sheet in enumerate(workbook.worksheets, start=1):
            lines = [f"# {sheet.title}"]
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
                if cells > MAX_CELLS:
                    raise ExtractionError(f"refused: more than {MAX_CELLS:,} cells; export the part to search as CSV")
                lines.extend(_table_rows([["" if value is None else value for value in row]]))
            pages.append(Page(number, normalize_text("\n".join(lines) if len(lines) > 1 else "")))
    finally:
        workbook.close()
    return tuple(pages)


def _epub_pages(data: bytes) -> tuple[Page, ...]:
    import ebooklib
    from ebooklib import epub

    from desktop_app.core.extract import html_visible_text

    book = epub.read_epub(io.BytesIO(data), {"ignore_ncx": True})
    chapters = []
    for item_id, _ in book.spine:
        item = book.get_item_with_id(item_id)
        if item is not None and item.get_type() == ebooklib.ITEM_DOCUMENT:
            text = normalize_text(html_visible_text(item.get_content().decode("utf-8", errors="replace")))
            if text.strip():
                chapters.append(text)
    return tuple(Page(number, text) for number, text in enumerate(chapters, start=1))


def _odf_lines(element) -> list[str]:
    """Headings, paragraphs, list items and table rows of an OpenDocument element, in order."""
    from odf import teletype

    lines: list[str] = []
    for node in element.childNodes:
        name = getattr(node, "qname", (None, None))[1]
        if name == "h":
            level = int(node.getAttribute("outlinelevel") or 1)
            lines.append("#" * min(level, 6) + " " + teletype.extractText(node).strip())
        elif name == "p":
            lines.append(teletype.extractText(node).strip())
        elif name == "table-row":
            lines.extend(_table_rows([[teletype.extractText(cell) for cell in node.childNodes
                                       if getattr(cell, "qname", (None, None))[1] == "table-cell"]]))
        elif name is not None:
            lines.extend(_odf_lines(node))
    return [line for line in lines if line.strip("# ")]


def _odt_text(data: bytes) -> str:
    from odf.opendocument import load

    return "\n\n".join(_odf_lines(load(io.BytesIO(data)).text))


def _odf_pages(kind: str, data: bytes) -> tuple[Page, ...]:
    from odf import draw, table
    from odf.opendocument import load

    document = load(io.BytesIO(data))
    if kind == "odp":
        parts = [(None, part) for part in document.presentation.getElementsByType(draw.Page)]
    else:
        parts = [(part.getAttribute("name"), part) for part in document.spreadsheet.getElementsByType(table.Table)]
    pages = []
    for number, (title, part) in enumerate(parts, start=1):
        lines = ([f"# {title}"] if title else []) + _odf_lines(part)
        pages.append(Page(number, normalize_text("\n".join(lines))))
    return tuple(pages)
