"""PDF text, page by page (pypdf); pages whose text layer is garbled are read again by PDFium, and
pages with no usable text layer (scans) by OCR."""

from __future__ import annotations

import re

from desktop_app.core.errors import ExtractionError
from desktop_app.core.extract import ExtractedDocument, Page, normalize_text
from desktop_app.core.ocr import OnPage, read_image, render_pdf_page, unread_note

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# A page with less text than this (a scan, perhaps stamped with a page number) is read by OCR.
_MIN_TEXT_LAYER_CHARS = 20


def extract_pdf(data: bytes, *, ocr: bool = True, on_page: OnPage | None = None) -> ExtractedDocument:
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF-" not in data[:1024]:
        raise ExtractionError("not a PDF file (no PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise ExtractionError("encrypted PDF: it needs a password, which this app does not ask for")
            except (FileNotDecryptedError, NotImplementedError) as exc:
                raise ExtractionError(f"encrypted PDF that cannot be opened: {exc}") from exc
        page_objects = list(reader.pages)
    except ExtractionError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError, AssertionError, ZeroDivisionError) as exc:
        raise ExtractionError(f"damaged or truncated PDF: {exc.__class__.__name__}: {str(exc)[:120]}") from exc
    except Exception as exc:  # pypdf raises many ad-hoc exceptions on malformed input
        raise ExtractionError(f"unreadable PDF: {exc.__class__.__name__}: {str(exc)[:120]}") from exc
    if not page_objects:
        raise ExtractionError("the PDF has no pages")
    texts: list[str] = []
    warnings: list[str] = []
    unreadable: list[int] = []  # 0-based pages with no usable text layer: OCR reads them
    second_reader = None
    for number, page in enumerate(page_objects, start=1):
        try:
            text = normalize_text(page.extract_text() or "")
        except Exception as exc:  # one bad page must not lose the others
            warnings.append(f"page {number}: its text layer could not be read ({exc.__class__.__name__})")
            text = ""
        problem = garbled_text(text, korean_font=_uses_korean_font(page))
        if problem:
            if second_reader is None:
                second_reader = _PdfiumText(data)
            retry = normalize_text(second_reader.page_text(number - 1))
            if retry.strip() and not garbled_text(retry, korean_font=_uses_korean_font(page)):
                text = retry
                warnings.append(f"page {number}: read with pdfium (pypdf's text was garbled: {problem})")
            else:
                warnings.append(f"page {number}: its text layer is garbled ({problem})")
                text = ""
        if sum(not c.isspace() for c in text) < _MIN_TEXT_LAYER_CHARS:
            unreadable.append(number - 1)
        texts.append(text)
    if second_reader is not None:
        second_reader.close()
    kind = "pdf"
    if unreadable and ocr:
        ocr_read = _ocr_pages(data, unreadable, texts, warnings, on_page)
        if ocr_read:
            kind = "pdf+ocr"
            warnings.append(f"{_page_list(ocr_read)} read by OCR")
    pages = [Page(number=number, text=text) for number, text in enumerate(texts, start=1)]
    if not any(p.text.strip() for p in pages):
        if any("garbled" in w for w in warnings):
            raise ExtractionError("the text layer is garbled on every page (a font without a Unicode map?) "
                                  f"{_ocr_state(ocr)}: nothing indexed rather than garbage")
        raise ExtractionError(f"no text layer (a scanned PDF?) {_ocr_state(ocr)}")
    return ExtractedDocument(kind=kind, paged=True, pages=tuple(pages), warnings=tuple(warnings))


def _ocr_pages(data: bytes, indexes: list[int], texts: list[str], warnings: list[str],
               on_page: OnPage | None) -> list[int]:
    """Read ``indexes`` by OCR into ``texts`` where OCR finds more than the text layer had; the pages read."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except Exception as exc:  # PDFium cannot open what pypdf could: nothing to render
        warnings.append(f"the scanned pages could not be rendered for OCR ({exc.__class__.__name__})")
        return []
    read = []
    try:
        for done, index in enumerate(indexes, start=1):
            try:
                page = read_image(render_pdf_page(document, index))
            except ExtractionError as exc:  # OCR itself is missing: no page can be read
                warnings.append(f"{exc}: pages without a text layer were not read")
                break
            except Exception as exc:  # one page that fails to render or read must not lose the others
                warnings.append(f"page {index + 1}: OCR failed ({exc.__class__.__name__})")
                page = None
            if page is not None:
                text = normalize_text(page.text)
                if len(text.strip()) > len(texts[index].strip()):
                    texts[index] = text
                    read.append(index + 1)
                if note := unread_note(index + 1, page):
                    warnings.append(note)
            if on_page is not None:
                on_page(done, len(indexes))
    finally:
        document.close()
    return read


def _ocr_state(ocr: bool) -> str:
    return "and OCR found no text it could read" if ocr else "and OCR is turned off in Settings"


def _page_list(numbers: list[int]) -> str:
    """"page 3", "pages 1-30" or "pages 2, 5, 9" (ranges collapsed)."""
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    runs, start = [], numbers[0]
    for previous, current in zip(numbers, numbers[1:] + [None]):
        if current != previous + 1:
            runs.append(f"{start}-{previous}" if previous > start else str(start))
            start = current
    return "pages " + ", ".join(runs)


# Code points that never belong in text a person wrote: the private use area (a font's own glyph
# numbers leaking through), U+FFFD, and control characters other than line breaks and tabs.
_NOT_TEXT = re.compile(r"[\ue000-\uf8ff\ufffd\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# EUC-KR/CP949 bytes read as Latin-1 ("ÇѱÛ"): runs of accented capitals and symbols no language writes.
_LATIN1_MOJIBAKE = re.compile(r"[\u00a1-\u00ff]{3,}")
_KOREAN_FONT = re.compile(rb"KSC|KSCms|UniKS|Korea1|Batang|Gulim|Dotum|Gungsuh|Malgun|HYGothic|HYMyeongJo|"
                          rb"Hancom|HCR|NanumGothic|NanumMyeongjo|#B9#D9#C5#C1|#B1#BC#B8#B2", re.IGNORECASE)


def garbled_text(text: str, *, korean_font: bool = False) -> str | None:
    """Why ``text`` looks like a broken extraction rather than what the page shows, or None."""
    letters = [c for c in text if not c.isspace()]
    if len(letters) < 20:
        return None
    odd = len(_NOT_TEXT.findall(text))
    if odd / len(letters) > 0.2:
        return f"{odd / len(letters):.0%} of its characters are unassigned or control code points"
    mojibake = sum(len(m) for m in _LATIN1_MOJIBAKE.findall(text))
    if mojibake / len(letters) > 0.3:
        return "it reads as Korean bytes decoded as Latin-1"
    if korean_font and not _HANGUL.search(text) and sum(c.isascii() for c in letters) / len(letters) < 0.5:
        return "the page uses a Korean font but no Hangul came out"
    return None


def _uses_korean_font(page) -> bool:
    try:
        fonts = page["/Resources"]["/Font"]
        names = b" ".join(str(fonts[key].get_object().get("/BaseFont", "")).encode("utf-8", "replace")
                          + b" " + str(fonts[key].get_object().get("/Encoding", "")).encode("utf-8", "replace")
                          for key in fonts)
    except Exception:  # no or odd resources: nothing to tell
        return False
    return bool(_KOREAN_FONT.search(names))


class _PdfiumText:
    """The second text extractor (PDFium, through pypdfium2), opened only for pages pypdf garbles."""

    def __init__(self, data: bytes):
        import pypdfium2

        try:
            self._document = pypdfium2.PdfDocument(data)
        except Exception:  # PDFium cannot open what pypdf could: no second opinion
            self._document = None

    def page_text(self, index: int) -> str:
        if self._document is None:
            return ""
        try:
            page = self._document[index]
            text_page = page.get_textpage()
            try:
                return text_page.get_text_range()
            finally:
                text_page.close()
                page.close()
        except Exception:
            return ""

    def close(self) -> None:
        if self._document is not None:
            self._document.close()
