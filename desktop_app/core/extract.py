"""Turn a file into page texts: PDF (per page), plain text (any common encoding), Markdown, HTML,
Hangul word processor files (HWP 5 and HWPX, per section: hwp_text.py), Word, PowerPoint (per
slide), Excel (per sheet), OpenDocument and EPUB files (office_text.py), e-mail (email_text.py) and
RTF; PDFs are read by pdf_text.py.

Every failure is an ``ExtractionError`` whose message is what the user sees next to the file.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from desktop_app.core.errors import ExtractionError
from desktop_app.core.ocr import IMAGE_SUFFIXES, OnPage

TEXT_SUFFIXES = {".txt", ".text", ".log", ".csv", ".tsv", ".rst", ".json", ".yaml", ".yml", ".ini", ".cfg", ".toml"}
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
PDF_SUFFIXES = {".pdf"}
HWP_SUFFIXES = {".hwp", ".hwpx"}
OFFICE_SUFFIXES = {".docx": "docx", ".pptx": "pptx", ".xlsx": "xlsx", ".xlsm": "xlsx", ".odt": "odt", ".odp": "odp",
                   ".ods": "ods", ".epub": "epub"}
OTHER_SUFFIXES = {".rtf": "rtf", ".eml": "email"}
SUPPORTED_SUFFIXES = (TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | PDF_SUFFIXES | HWP_SUFFIXES
                      | set(OFFICE_SUFFIXES) | set(OTHER_SUFFIXES) | IMAGE_SUFFIXES)

# Large plain-text files are split into sections so that no single page text gets huge.
SECTION_CHARS = 200_000
# Plain text and Markdown files above this size are read section by section (``read_section``), so
# memory stays bounded whatever the size; other types above their limit are refused before reading.
STREAM_MIN_BYTES = 8 << 20
SECTION_BYTES = 256 << 10
MAX_WHOLE_TEXT_BYTES = 64 << 20
MAX_PDF_BYTES = 512 << 20
STREAMED_KINDS = ("text", "markdown")


@dataclass(frozen=True)
class Page:
    number: int  # 1-based: the PDF page, or the section of a non-paged file
    text: str


@dataclass(frozen=True)
class TextSection:
    """One section of a streamed text file: bytes ``start_byte`` to ``end_byte`` decoded."""

    number: int  # 1-based
    text: str
    start_byte: int
    end_byte: int  # where the next section starts
    encoding: str
    at_end: bool
    warning: str = ""


@dataclass(frozen=True)
class ExtractedDocument:
    # "pdf", "text", "markdown", "html", "hwp", "rtf", "email", an OFFICE_SUFFIXES kind; "+ocr" when read by OCR
    kind: str
    paged: bool
    pages: tuple[Page, ...]
    warnings: tuple[str, ...] = ()


def kind_of(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return "pdf"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HWP_SUFFIXES:
        return "hwp"
    if suffix in IMAGE_SUFFIXES:
        return "image"
    return OFFICE_SUFFIXES.get(suffix) or OTHER_SUFFIXES.get(suffix)


def location_unit(path: str | Path) -> str:
    """What a paged document's page number counts: "slide", "sheet", "chapter" (EPUB) or "page"."""
    kind = kind_of(Path(path))
    return {"pptx": "slide", "odp": "slide", "xlsx": "sheet", "ods": "sheet", "epub": "chapter"}.get(kind or "", "page")


def is_streamed(path: Path, size: int) -> bool:
    """Whether the file is imported section by section (``read_section``) rather than whole (``extract``)."""
    return size > STREAM_MIN_BYTES and kind_of(path) in STREAMED_KINDS


@contextlib.contextmanager
def _reading() -> Iterator[None]:
    """Turn the ways reading a file fails into the message the user sees."""
    try:
        yield
    except PermissionError as exc:
        raise ExtractionError("permission denied: the file cannot be read") from exc
    except FileNotFoundError as exc:
        raise ExtractionError("the file disappeared before it could be read") from exc
    except IsADirectoryError as exc:
        raise ExtractionError("is a folder, not a file") from exc
    except OSError as exc:
        raise ExtractionError(f"cannot read the file: {exc.strerror or exc}") from exc


def extract(path: Path, *, ocr: bool = True, on_page: OnPage | None = None) -> ExtractedDocument:
    """The whole file at once; for files ``is_streamed`` says are large, see ``read_section``.

    ``ocr``: read images, and PDF pages without a text layer, by OCR; ``on_page(done, total)`` follows it.
    """
    kind = kind_of(path)
    if kind is None:
        raise ExtractionError(f"unsupported file type '{path.suffix or '(none)'}'")
    if kind == "image" and not ocr:
        raise ExtractionError("an image, and OCR is turned off in Settings")
    with _reading():
        size = path.stat().st_size
        limit = MAX_PDF_BYTES if kind == "pdf" else MAX_WHOLE_TEXT_BYTES
        if size > limit:
            advice = ("it is imported section by section" if kind in STREAMED_KINDS
                      else "split it into smaller files")
            raise ExtractionError(f"too large to read at once ({size / 2**20:.0f} MB; the limit for this type is "
                                  f"{limit / 2**20:.0f} MB): {advice}")
        data = path.read_bytes()
    if not data:
        raise ExtractionError("empty file (0 bytes)")
    if kind == "pdf":
        from desktop_app.core.pdf_text import extract_pdf

        return extract_pdf(data, ocr=ocr, on_page=on_page)
    if kind == "image":
        from desktop_app.core.ocr import extract_image

        return extract_image(data, on_page=on_page)
    if kind == "hwp":
        from desktop_app.core.hwp_text import extract_hwp

        return extract_hwp(path, data)
    if kind in OFFICE_SUFFIXES.values():
        from desktop_app.core.office_text import extract_office

        return extract_office(kind, data)
    if kind == "email":
        from desktop_app.core.email_text import extract_email

        return extract_email(data)
    if kind == "rtf":
        return _extract_rtf(data)
    text = decode_text(data)
    if kind == "html":
        text = html_visible_text(text)
    pages = sections_of(normalize_text(text))
    if not pages:
        raise ExtractionError("no text in the file")
    return ExtractedDocument(kind=kind, paged=False, pages=pages)


def _extract_rtf(data: bytes) -> ExtractedDocument:
    from striprtf.striprtf import rtf_to_text

    if not data.lstrip()[:5] == b"{\\rtf":
        raise ExtractionError("not an RTF document (no {\\rtf header)")
    try:  # RTF is 7-bit text; its code page (\ansicpg949 ...) decodes the \'xx escapes
        text = rtf_to_text(data.decode("latin-1"), errors="replace")
    except Exception as exc:
        raise ExtractionError(f"damaged RTF document: {exc.__class__.__name__}: {str(exc)[:120]}") from exc
    pages = sections_of(normalize_text(text))
    if not pages:
        raise ExtractionError("no text in the document")
    return ExtractedDocument(kind="rtf", paged=False, pages=pages)


_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
HEADING_SEPARATOR = " › "


def heading_path(text: str, position: int) -> str:
    """The Markdown headings that ``position`` of ``text`` falls under (a heading starting there
    included), outermost first ("Budget › Dental wing"), as DOCX, ODT and Markdown text carries them;
    "" when none precedes it."""
    path: list[tuple[int, str]] = []
    for match in _HEADING.finditer(text):
        if match.start() > position:
            break
        level = len(match.group(1))
        path = [(lvl, title) for lvl, title in path if lvl < level] + [(level, match.group(2).strip())]
    return HEADING_SEPARATOR.join(title for _, title in path)


def normalize_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text.replace("\ufeff", "")


def sections_of(text: str) -> tuple[Page, ...]:
    """A long text as numbered sections of about ``SECTION_BYTES``, cut at paragraph breaks."""
    if not text.strip():
        return ()
    sections: list[Page] = []
    start = 0
    while start < len(text):
        end = min(start + SECTION_CHARS, len(text))
        if end < len(text):
            cut = text.rfind("\n", start + SECTION_CHARS // 2, end)
            if cut == -1:
                cut = text.rfind(" ", start + SECTION_CHARS // 2, end)
            end = cut + 1 if cut != -1 else end
        piece = text[start:end]
        if piece.strip():
            sections.append(Page(number=len(sections) + 1, text=piece))
        start = end
    return tuple(sections)


def read_section(path: Path, *, start_byte: int = 0, number: int = 1, encoding: str | None = None) -> TextSection:
    """Read and decode about ``SECTION_BYTES`` of a text file from ``start_byte``, cut after a line end.

    The first call (``encoding`` None) detects the encoding on the file's first MB; later calls pass
    the ``encoding`` and ``end_byte`` of the section before. Memory stays bounded by the section size,
    and an import can resume at any section's ``end_byte``.

    Raises:
        ExtractionError: the file cannot be read, or its first section is not text.
    """
    with _reading(), open(path, "rb") as handle:
        if encoding is None:
            sample = handle.read(1 << 20)
            if not sample:
                raise ExtractionError("empty file (0 bytes)")
            encoding, bom_length = detect_encoding(sample, complete=False)
            start_byte = max(start_byte, bom_length)
        handle.seek(start_byte)
        raw = handle.read(SECTION_BYTES)
        at_end = not handle.peek(1)
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    text = decoder.decode(raw, final=at_end)
    pending = len(decoder.getstate()[0])
    consumed = len(raw) - pending
    if not at_end:
        cut = _section_cut(text)
        if cut == len(text) and text.endswith("\r"):
            cut -= 1  # keep a CR LF line end in one section
        if cut < len(text):
            tail = text[cut:]
            try:
                tail_bytes = tail.encode(encoding)
            except UnicodeEncodeError:
                tail_bytes = None
            if "\ufffd" not in tail and tail_bytes is not None and raw[:consumed].endswith(tail_bytes):
                text, consumed = text[:cut], consumed - len(tail_bytes)
    warning = ""
    if _looks_binary(text[:65536]):
        if number == 1:
            raise ExtractionError("binary data, not text (wrong file extension?)")
        text, warning = "", f"section {number} looks like binary data and was skipped"
    elif "\ufffd" in text:
        warning = f"section {number}: bytes that are not {encoding} were replaced"
    return TextSection(number=number, text=normalize_text(text), start_byte=start_byte,
                       end_byte=start_byte + consumed, encoding=encoding, at_end=at_end, warning=warning)


def _section_cut(text: str) -> int:
    """Where to end a section: after its last line end (or space) in the second half, else at its end."""
    for separator in ("\n", " "):
        cut = text.rfind(separator, len(text) // 2)
        if cut != -1:
            return cut + 1
    return len(text)


def detect_encoding(data: bytes, *, complete: bool) -> tuple[str, int]:
    """The encoding of text bytes, and the length of their byte order mark: BOMs, BOM-less UTF-16,
    UTF-8, then legacy code pages (cp949, Latin-1, ...). ``complete`` False when ``data`` is the
    start of a longer file and may end mid-character.

    Raises:
        ExtractionError: the bytes are binary, not text.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    utf16 = _bomless_utf16(data[:65536])
    if utf16:
        return utf16, 0
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=complete)
        return "utf-8", 0
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:65536]:
        raise ExtractionError("binary data, not text (wrong file extension?)")
    return _legacy_encoding(data, complete=complete), 0


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def decode_text(data: bytes) -> str:
    """Decode bytes of unknown encoding (see ``detect_encoding``).

    Raises:
        ExtractionError: the bytes are binary, not text.
    """
    encoding, bom_length = detect_encoding(data, complete=True)
    try:
        text = data[bom_length:].decode(encoding)
    except UnicodeDecodeError:  # a BOM or a UTF-16 guess that the rest of the bytes belie
        if b"\x00" in data[:65536] and not encoding.startswith("utf-16"):
            raise ExtractionError("binary data, not text (wrong file extension?)") from None
        text = data.decode(_legacy_encoding(data, complete=True), errors="replace")
    if _looks_binary(text[:65536]):
        raise ExtractionError("binary data, not text (wrong file extension?)")
    return text


def _bomless_utf16(sample: bytes) -> str | None:
    if len(sample) < 4:
        return None
    even_zero = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd_zero = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd_zero > 0.3 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.3 and odd_zero < 0.05:
        return "utf-16-be"
    return None


def _legacy_encoding(data: bytes, *, complete: bool) -> str:
    """The legacy code page ``data`` decodes in; ``complete`` False when ``data`` may end mid-character."""

    def decodes(encoding: str, sample: bytes) -> str | None:
        try:
            return codecs.getincrementaldecoder(encoding)().decode(sample, final=complete)
        except (UnicodeDecodeError, LookupError):
            return None

    # Korean first: cp949 is a superset of EUC-KR, and a clean decode yielding Hangul is decisive.
    korean = decodes("cp949", data)
    if korean is not None and len(_HANGUL.findall(korean[:20000])) >= 2:
        return "cp949"
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is not None and best.encoding:
        candidates = [best.encoding]
        if best.encoding in _LATIN_VARIANTS:
            candidates.insert(0, "cp1252")  # on short samples the Latin code pages are a coin toss
        for encoding in candidates:
            if decodes(encoding, data) is not None:
                return encoding
    return "latin-1"


_LATIN_VARIANTS = {
    "cp1250", "cp1254", "cp1257", "cp437", "cp775", "cp850", "latin_1", "iso8859_2", "iso8859_4", "iso8859_9", "iso8859_10",
    "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "mac_latin2", "mac_roman",
}


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")  # not tab, line ends, form feed, escape


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    controls = len(_CONTROL_CHARACTERS.findall(text))
    return controls / len(text) > 0.05


_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")


def html_visible_text(markup: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(_INVISIBLE_TAGS):
        tag.decompose()
    for row in soup.find_all("tr"):  # a table's row on one line, as in Markdown: each value beside its label
        cells = [cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"], recursive=False)]
        row.replace_with(soup.new_string("\n| " + " | ".join(cells) + " |\n"))
    body = soup.get_text("\n")
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in body.splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return f"{title}\n\n{text}" if title and not text.startswith(title) else text
