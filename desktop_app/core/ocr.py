"""Text from scans and photos by OCR: RapidOCR (PP-OCR models on ONNX Runtime) with the models its package ships.

The bundled recognition model (PP-OCRv6 small) reads English and other Latin-script text, Chinese and
Japanese; it has no Hangul. Regions the model cannot read (Korean, handwriting) come out as a few stray
characters; they are dropped and counted, so a page is reported as partly unread instead of indexed
as garbage.
"""

from __future__ import annotations

import functools
import io
import logging
from dataclasses import dataclass
from typing import Callable

from desktop_app.core.errors import ExtractionError

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}
# Scanned pages are rendered at this resolution for OCR: small print stays legible, a page stays ~3 s.
RENDER_DPI = 200
MAX_IMAGE_PIXELS = 60_000_000  # about a 300 dpi A2 poster; beyond it PIL's decompression-bomb guard
MAX_FRAMES = 500
# A region whose text is shorter than this many characters per unit of its width-to-height ratio was
# not read: Latin print gives about 1.5-2.5, a Korean line read by a model without Hangul about 0.1.
_MIN_CHARS_PER_ASPECT = 0.35

_MIN_CONTRAST = 48  # grey levels between a page's darkest and lightest pixel below which it is blank

OnPage = Callable[[int, int], None]  # (pages done, pages in all)


@dataclass(frozen=True)
class OcrText:
    text: str
    regions: int  # text regions the detector found
    unread: int  # of those, regions whose recognition came out as stray characters


def read_image(image) -> OcrText:
    """The text of a PIL image, in reading order: lines top to bottom, regions on a line left to right."""
    import numpy as np

    darkest, lightest = image.convert("L").getextrema()
    if lightest - darkest < _MIN_CONTRAST:
        return OcrText("", 0, 0)  # a blank page: nothing to find, and the detector costs ~0.3 s
    result = _engine()(np.asarray(image.convert("RGB")))
    if result.boxes is None or result.txts is None:
        return OcrText("", 0, 0)
    regions, unread = [], 0
    for box, text in zip(result.boxes, result.txts):
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        width, height = max(xs) - min(xs), max(1.0, max(ys) - min(ys))
        if len(text.strip()) < _MIN_CHARS_PER_ASPECT * width / height:
            unread += 1
            continue
        regions.append((min(ys), max(ys), min(xs), text.strip()))
    return OcrText(_reading_order(regions), len(result.txts), unread)


@functools.cache
def _engine():
    """The process's one RapidOCR engine, loaded on first use (about 1 s) and kept."""
    try:
        from rapidocr import RapidOCR
    except ImportError as exc:
        raise ExtractionError("OCR is not installed (the rapidocr package is missing)") from exc
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return RapidOCR(params={"Global.log_level": "error"})


def _reading_order(regions: list[tuple[float, float, float, str]]) -> str:
    """Regions (top, bottom, left, text) joined into lines: a region whose middle lies within the
    current line's height continues it."""
    lines: list[list[tuple[float, str]]] = []
    line_bottom = -1.0
    for top, bottom, left, text in sorted(regions):
        if lines and (top + bottom) / 2 < line_bottom:
            lines[-1].append((left, text))
            line_bottom = max(line_bottom, bottom)
        else:
            lines.append([(left, text)])
            line_bottom = bottom
    return "\n".join(" ".join(text for _, text in sorted(line)) for line in lines)


def unread_note(number: int, page: OcrText, *, unit: str = "page") -> str | None:
    """The warning for a page with regions OCR could not read, or None."""
    if not page.unread:
        return None
    return (f"{unit} {number}: {page.unread} of {page.regions} text regions could not be read by OCR "
            "(its model reads Latin script, Chinese and Japanese, not Korean or handwriting)")


def extract_image(data: bytes, *, on_page: OnPage | None = None):
    """A PNG, JPEG, TIFF (every frame a page), BMP or WebP file read by OCR."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    from desktop_app.core.extract import ExtractedDocument, Page, normalize_text

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        image = Image.open(io.BytesIO(data))
        frames = getattr(image, "n_frames", 1)
    except Image.DecompressionBombError as exc:
        raise ExtractionError(f"the image is too large to read ({exc})") from exc
    except UnidentifiedImageError as exc:
        raise ExtractionError("not a readable image: damaged, or in a format that cannot be read") from exc
    except (OSError, ValueError) as exc:
        raise ExtractionError(f"not a readable image: {str(exc)[:120]}") from exc
    if frames > MAX_FRAMES:
        raise ExtractionError(f"the image has {frames} frames; at most {MAX_FRAMES} are read")
    pages, warnings = [], []
    try:
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            read = read_image(frame)
            pages.append(Page(number=number, text=normalize_text(read.text)))
            if note := unread_note(number, read):
                warnings.append(note)
            if on_page is not None:
                on_page(number, frames)
    except Image.DecompressionBombError as exc:
        raise ExtractionError(f"the image is too large to read ({exc})") from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise ExtractionError(f"damaged image: {str(exc)[:120]}") from exc
    if not any(page.text.strip() for page in pages):
        raise ExtractionError("OCR found no text it could read in the image" +
                              (" (regions in a script its model does not read, such as Korean)" if warnings else ""))
    return ExtractedDocument(kind="image+ocr", paged=True, pages=tuple(pages), warnings=tuple(warnings))


def render_pdf_page(document, index: int):
    """Page ``index`` of a pypdfium2 document as a PIL image at ``RENDER_DPI``."""
    page = document[index]
    try:
        return page.render(scale=RENDER_DPI / 72).to_pil()
    finally:
        page.close()
