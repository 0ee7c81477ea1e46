"""Word, PowerPoint and Excel files, made here by the libraries that read them, and hostile archives."""

import io
import zipfile
from pathlib import Path

import pytest

from desktop_app.core.errors import ExtractionError
from desktop_app.core.extract import extract, location_unit
from desktop_app.core.isolation import IsolatedExtractor


def make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Harbour renewal", level=1)
    document.add_paragraph("The harbour board met on 3 May 2026.")
    document.add_heading("Breakwater", level=2)
    document.add_paragraph("The new eastern breakwater was designed by Lindqvist & Abara.")
    document.add_paragraph("Dredging starts in June", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Item", "Cost"
    table.rows[1].cells[0].text, table.rows[1].cells[1].text = "Pilot boat", "2.3 million euro"
    document.add_paragraph("부산 물류센터의 신규 냉장 창고는 2025년 3월에 완공되었다.")
    document.save(path)
    return path


def make_pptx(path: Path) -> Path:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    first = deck.slides.add_slide(deck.slide_layouts[1])
    first.shapes.title.text = "Quarterly review"
    first.placeholders[1].text = "Revenue grew 12 percent"
    second = deck.slides.add_slide(deck.slide_layouts[5])
    second.shapes.title.text = "Staffing"
    table = second.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(4), Inches(1)).table
    table.cell(0, 0).text, table.cell(0, 1).text = "Team", "Head count"
    table.cell(1, 0).text, table.cell(1, 1).text = "Support", "14"
    second.notes_slide.notes_text_frame.text = "Mention the hiring freeze ends in October."
    deck.save(path)
    return path


def make_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    budget = workbook.active
    budget.title = "Budget"
    budget.append(["Item", "Amount"])
    budget.append(["Dredging", 1_200_000])
    budget.append([None, None])
    budget.append(["Pilot boat", 2_300_000])
    staff = workbook.create_sheet("Staff")
    staff.append(["Name", "Role"])
    staff.append(["Helle Vinter", "Programme lead"])
    workbook.save(path)
    return path


def test_docx_keeps_headings_lists_tables_and_korean(tmp_path):
    document = extract(make_docx(tmp_path / "minutes.docx"))
    text = "\n".join(page.text for page in document.pages)
    assert document.kind == "docx" and not document.paged
    assert "# Harbour renewal" in text and "## Breakwater" in text
    assert "- Dredging starts in June" in text
    assert "| Pilot boat | 2.3 million euro |" in text
    assert "냉장 창고" in text
    assert text.index("Harbour renewal") < text.index("Lindqvist") < text.index("Pilot boat")


def test_pptx_is_one_page_per_slide_with_tables_and_notes(tmp_path):
    path = make_pptx(tmp_path / "review.pptx")
    document = extract(path)
    assert document.kind == "pptx" and document.paged
    assert [page.number for page in document.pages] == [1, 2]
    assert document.pages[0].text.startswith("# Quarterly review") and "Revenue grew 12 percent" in document.pages[0].text
    assert "| Support | 14 |" in document.pages[1].text
    assert "Notes: Mention the hiring freeze ends in October." in document.pages[1].text
    assert location_unit(path) == "slide"


def test_xlsx_is_one_page_per_sheet_a_row_per_line(tmp_path):
    path = make_xlsx(tmp_path / "budget.xlsx")
    document = extract(path)
    assert document.paged and [page.number for page in document.pages] == [1, 2]
    assert document.pages[0].text.splitlines() == ["# Budget", "| Item | Amount |", "| Dredging | 1200000 |",
                                                   "| Pilot boat | 2300000 |"]
    assert "| Helle Vinter | Programme lead |" in document.pages[1].text
    assert location_unit(path) == "sheet"


def test_a_zip_bomb_is_refused_before_any_library_opens_it(tmp_path, monkeypatch):
    import desktop_app.core.office_text as office

    monkeypatch.setattr(office, "MAX_EXPANDED_BYTES", 4 << 20)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (8 << 20) + b"</w:document>")
    path = tmp_path / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 64 << 10
    with pytest.raises(ExtractionError, match="expand to 8 MB, past the limit"):
        extract(path)


@pytest.mark.parametrize("name,content,reason", [
    ("truncated.docx", None, "damaged document: not readable as a Word"),
    ("renamed.xlsx", b"just some text, not a workbook", "not an Excel \\(XLSX\\) file \\(not a zip archive\\)"),
    ("old.pptx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "encrypted or old binary"),
    ("empty-zip.docx", "zip", "no word/document.xml"),
])
def test_damaged_office_files_get_a_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    if content is None:
        path.write_bytes(make_docx(tmp_path / "whole.docx").read_bytes()[:3000])
    elif content == "zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "nothing here")
    else:
        path.write_bytes(content)
    with pytest.raises(ExtractionError, match=reason):
        extract(path)


def test_office_files_are_read_in_the_isolated_parser(tmp_path):
    with IsolatedExtractor() as isolated:
        document = isolated(make_pptx(tmp_path / "review.pptx"))
    assert "Quarterly review" in document.pages[0].text


def test_an_office_folder_is_imported_and_cited_by_slide_and_sheet(tmp_path, store, embedder):
    from desktop_app.core.ingest import Importer
    from desktop_app.core.rag import Source
    from desktop_app.core.retrieval import retrieve

    folder = tmp_path / "office"
    folder.mkdir()
    make_docx(folder / "minutes.docx"), make_pptx(folder / "review.pptx"), make_xlsx(folder / "budget.xlsx")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with IsolatedExtractor() as extractor:
        summary = Importer(store, embedder, extractor=extractor).run([folder])
    assert summary.counts["added"] == 3, summary.outcomes
    assert any("broken.docx" in str(outcome) and "damaged" in str(outcome) for outcome in summary.outcomes)
    slide = retrieve(store, embedder, "When does the hiring freeze end?", k=1)[0]
    assert (slide.doc_name, slide.page) == ("review.pptx", 2)
    assert Source(1, slide).label == "[1] review.pptx, slide 2"
    sheet = retrieve(store, embedder, "Who is the programme lead?", k=1)[0]
    assert Source(1, sheet).label == "[1] budget.xlsx, sheet 2"
    heading = retrieve(store, embedder, "Who designed the breakwater?", k=1)[0]
    assert heading.doc_name == "minutes.docx" and heading.page is None and "Lindqvist" in heading.text
