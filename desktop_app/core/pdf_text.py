"""PDF text, page by page (pypdf), with pages whose text layer is garbled read again by PDFium or refused."""

from __future__ import annotations

import re

from desktop_app.core.errors import ExtractionError
from desktop_app.core.extract import ExtractedDocument, Page, normalize_text

_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def extract_pdf(data: bytes) -> ExtractedDocument:
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
    pages: list[Page] = []
    warnings: list[str] = []
    second_reader = None
    for number, page in enumerate(page_objects, start=1):
        try:
            text = normalize_text(page.extract_text() or "")
        except Exception as exc:  # one bad page must not lose the others
            warnings.append(f"page {number} skipped: {exc.__class__.__name__}")
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
                warnings.append(f"page {number} skipped: its text layer is garbled ({problem}); "
                                "OCR is not available for it")
                text = ""
        pages.append(Page(number=number, text=text))
    if second_reader is not None:
        second_reader.close()
    if not any(p.text.strip() for p in pages):
        if any("garbled" in w for w in warnings):
            raise ExtractionError("the text layer is garbled on every page (a font without a Unicode map?): "
                                  "nothing indexed rather than garbage")
        raise ExtractionError("no text layer (a scanned PDF?): OCR is not supported")
    return ExtractedDocument(kind="pdf", paged=True, pages=tuple(pages), warnings=tuple(warnings))


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
