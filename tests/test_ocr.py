"""Scans and photos read by OCR (RapidOCR and its bundled models), made here as real images and image-only PDFs."""

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from desktop_app.core.errors import ExtractionError
from desktop_app.core.extract import extract
from desktop_app.core.ingest import Importer
from desktop_app.core.isolation import IsolatedExtractor
from desktop_app.core.retrieval import retrieve

PAGES = [
    ["Harbour renewal, progress report", "The harbour board met on 3 May 2026 and approved the budget.",
     "Dredging of the inner basin starts in June."],
    ["The new eastern breakwater was designed by Lindqvist & Abara.", "It is 1,240 metres long and protects",
     "thirty-six berths against the winter storms."],
]
KOREAN_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def page_image(lines: list[str], *, extra: list[tuple[str, ImageFont.FreeTypeFont]] = ()) -> Image.Image:
    """An A4 page at 150 dpi with ``lines`` printed on it, slightly rotated and blurred like a scan."""
    font = ImageFont.load_default(size=30)
    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    y = 140
    for line in lines:
        draw.text((120, y), line, font=font, fill=0)
        y += 60
    for line, other_font in extra:
        draw.text((120, y), line, font=other_font, fill=0)
        y += 60
    return image.rotate(0.5, fillcolor=255).filter(ImageFilter.GaussianBlur(0.5))


def scanned_pdf(pages: list[list[str]]) -> bytes:
    images = [page_image(lines) for lines in pages]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", resolution=150, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def test_a_scanned_pdf_is_read_page_by_page_with_progress_and_found_by_search(tmp_path, store, embedder):
    path = tmp_path / "harbour-scan.pdf"
    path.write_bytes(scanned_pdf(PAGES))
    progress = []
    with IsolatedExtractor(timeout_s=60) as extractor:
        summary = Importer(store, embedder, extractor=extractor).run([path], on_file_progress=progress.append)
    outcome = summary.outcomes[0]
    assert outcome.status == "added" and outcome.pages == 2, outcome
    assert "pages 1-2 read by OCR" in outcome.reason
    assert [p.ocr_pages for p in progress] == [(1, 2), (2, 2)]
    document = store.document_by_path(path)
    assert document.kind == "pdf+ocr"
    hits = retrieve(store, embedder, "Who designed the eastern breakwater?", k=3)
    assert hits[0].page == 2 and "Lindqvist" in hits[0].text and "Abara" in hits[0].text


def test_a_pdf_with_text_pages_and_a_scanned_page_reads_only_the_scan_by_ocr(tmp_path):
    from pypdf import PdfReader, PdfWriter

    from tests.helpers import make_pdf

    writer = PdfWriter()
    for part in (make_pdf(["The harbour opened in 1987 with two cranes and a ferry pier."]), scanned_pdf(PAGES[1:])):
        writer.append(PdfReader(io.BytesIO(part)))
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "mixed.pdf"
    path.write_bytes(buffer.getvalue())
    document = extract(path)
    assert document.kind == "pdf+ocr" and "page 2 read by OCR" in document.warnings
    assert "two cranes" in document.pages[0].text and "Lindqvist" in document.pages[1].text


def test_images_are_read_by_ocr_and_a_tiff_keeps_its_pages(tmp_path):
    png = tmp_path / "notice.png"
    page_image(PAGES[0]).save(png)
    document = extract(png)
    assert document.kind == "image+ocr" and document.paged
    assert "3 May 2026" in document.pages[0].text and "Dredging" in document.pages[0].text
    first, second = page_image(PAGES[0]), page_image(PAGES[1])
    tiff = tmp_path / "fax.tiff"
    first.save(tiff, save_all=True, append_images=[second], compression="tiff_deflate")
    pages = extract(tiff).pages
    assert [p.number for p in pages] == [1, 2] and "Lindqvist" in pages[1].text
    jpeg = tmp_path / "photo.jpg"
    first.convert("RGB").save(jpeg, quality=80)
    assert "harbour board" in extract(jpeg).pages[0].text


def test_lines_come_out_in_reading_order(tmp_path):
    path = tmp_path / "order.png"
    page_image(["First line at the top of the page.", "Second line under it.", "Third line at the end."]).save(path)
    text = extract(path).pages[0].text
    assert text.index("First") < text.index("Second") < text.index("Third")


@pytest.mark.skipif(not KOREAN_FONT.exists(), reason="needs a font with Hangul (Noto Sans CJK) to print Korean")
def test_korean_that_the_model_cannot_read_is_reported_not_indexed_as_garbage(tmp_path):
    korean = ImageFont.truetype(str(KOREAN_FONT), 30)
    path = tmp_path / "bilingual.png"
    page_image(PAGES[1][:1], extra=[("서울 시립 도서관은 2019년에 문을 열었으며 입장료는 3,000원이다.", korean)]).save(path)
    document = extract(path)
    assert "Lindqvist" in document.pages[0].text
    assert document.pages[0].text.count("\n") == 0  # the Korean line's stray characters were dropped
    assert any("could not be read by OCR" in w and "not Korean" in w for w in document.warnings)


def test_with_ocr_turned_off_scans_and_images_are_refused_with_the_reason(tmp_path):
    pdf, png = tmp_path / "scan.pdf", tmp_path / "photo.png"
    pdf.write_bytes(scanned_pdf(PAGES[:1]))
    page_image(PAGES[0]).save(png)
    with pytest.raises(ExtractionError, match="no text layer .* OCR is turned off"):
        extract(pdf, ocr=False)
    with IsolatedExtractor(ocr=False) as extractor, pytest.raises(ExtractionError, match="OCR is turned off"):
        extractor(png)


@pytest.mark.parametrize("name, data, message", [
    ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 50, "not a readable image"),
    ("empty-page.png", None, "OCR found no text"),
    ("huge.png", "bomb", "too large to read"),
])
def test_bad_images_get_a_clear_reason(tmp_path, name, data, message):
    path = tmp_path / name
    if data is None:
        Image.new("L", (800, 600), 255).save(path)
    elif data == "bomb":
        Image.new("1", (12_000, 12_000), 1).save(path)  # 144 megapixels that compress to a few kilobytes
    else:
        path.write_bytes(data)
    with IsolatedExtractor(timeout_s=60) as extractor, pytest.raises(ExtractionError, match=message):
        extractor(path)
