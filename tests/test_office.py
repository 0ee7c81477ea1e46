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


def test_a_folder_of_every_format_is_imported_and_cited_by_its_location(tmp_path, store, embedder):
    from desktop_app.core.ingest import Importer
    from desktop_app.core.rag import Source
    from desktop_app.core.retrieval import retrieve
    from tests.test_ocr import page_image, scanned_pdf

    folder = tmp_path / "office"
    folder.mkdir()
    make_docx(folder / "minutes.docx"), make_pptx(folder / "review.pptx"), make_xlsx(folder / "budget.xlsx")
    make_odt(folder / "clinic.odt"), make_ods(folder / "stock.ods"), make_odp(folder / "ferry.odp")
    make_epub(folder / "stories.epub"), make_eml(folder / "inspection.eml")
    (folder / "memo.rtf").write_bytes(b"{\\rtf1\\ansi\\deff0 The archive moves to the east wing in May.\\par}")
    (folder / "drill.pdf").write_bytes(scanned_pdf([["Quarterly fire drill report",
                                                     "The fire drill on 9 October took 4 minutes 10 seconds."]]))
    page_image(["Notice on the door", "The bakery on Mill Street opens at 6:30 on Sundays."]).convert("RGB").save(
        folder / "photo.jpg", quality=85)
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with IsolatedExtractor() as extractor:
        summary = Importer(store, embedder, extractor=extractor).run([folder])
    assert summary.counts["added"] == 11, summary.outcomes
    assert any("broken.docx" in str(outcome) and "damaged" in str(outcome) for outcome in summary.outcomes)
    slide = retrieve(store, embedder, "When does the hiring freeze end?", k=1)[0]
    assert (slide.doc_name, slide.page) == ("review.pptx", 2)
    assert Source(1, slide).label == "[1] review.pptx, slide 2 › Staffing"  # the slide title
    sheet = retrieve(store, embedder, "Who is the programme lead?", k=1)[0]
    assert Source(1, sheet).label == "[1] budget.xlsx, sheet 2 › Staff"  # the sheet name
    heading = retrieve(store, embedder, "Who designed the breakwater?", k=1)[0]
    assert heading.doc_name == "minutes.docx" and heading.page is None and "Lindqvist" in heading.text
    assert Source(1, heading).label == "[1] minutes.docx › Harbour renewal"  # the heading its chunk starts under
    scan = retrieve(store, embedder, "How long did the fire drill take?", k=1)[0]
    assert Source(1, scan).label == "[1] drill.pdf, page 1" and "4 minutes 10 seconds" in scan.text
    photo = retrieve(store, embedder, "When does the bakery on Mill Street open on Sundays?", k=1)[0]
    assert Source(1, photo).label == "[1] photo.jpg, page 1" and "6:30" in photo.text
    assert {d.name: d.kind for d in store.documents()}["photo.jpg"] == "image+ocr"


def _odf_row(values):
    from odf.table import TableCell, TableRow
    from odf.text import P

    row = TableRow()
    for value in values:
        cell = TableCell()
        cell.addElement(P(text=value))
        row.addElement(cell)
    return row


def make_odt(path: Path) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.table import Table
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Clinic budget"))
    document.text.addElement(P(text="The diabetes programme is led by Helle Vinter."))
    table = Table(name="Costs")
    table.addElement(_odf_row(("Dental wing", "6.8 million")))
    document.text.addElement(table)
    document.save(str(path))
    return path


def make_ods(path: Path) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table

    document = OpenDocumentSpreadsheet()
    for name, rows in (("Inventory", [("Item", "Count"), ("Pallets", "120")]), ("Suppliers", [("Name",), ("Hollis Marine",)])):
        sheet = Table(name=name)
        for values in rows:
            sheet.addElement(_odf_row(values))
        document.spreadsheet.addElement(sheet)
    document.save(str(path))
    return path


def make_odp(path: Path) -> Path:
    from odf.draw import Frame, Page, TextBox
    from odf.opendocument import OpenDocumentPresentation
    from odf.style import MasterPage, PageLayout
    from odf.text import P

    document = OpenDocumentPresentation()
    layout = PageLayout(name="layout")
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="master", pagelayoutname=layout)
    document.masterstyles.addElement(master)
    for words in ("Opening: the ferry timetable", "The night ferry leaves at 23:40"):
        page = Page(masterpagename=master)
        frame = Frame(width="20cm", height="3cm", x="1cm", y="1cm")
        box = TextBox()
        box.addElement(P(text=words))
        frame.addElement(box)
        page.addElement(frame)
        document.presentation.addElement(page)
    document.save(str(path))
    return path


def make_epub(path: Path) -> Path:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("desktop-app-test")
    book.set_title("Harbour stories")
    book.set_language("en")
    chapters = []
    for number, body in enumerate(("<h1>Arrival</h1><p>The pilot boat met us at dawn.</p>",
                                   "<h1>The storm</h1><p>The lighthouse keeper was Maris Okonkwo.</p>"), start=1):
        chapter = epub.EpubHtml(title=f"Chapter {number}", file_name=f"chapter{number}.xhtml", lang="en")
        chapter.content = f"<html><body>{body}</body></html>"
        book.add_item(chapter)
        chapters.append(chapter)
    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = chapters
    epub.write_epub(str(path), book)
    return path


def make_eml(path: Path) -> Path:
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = "창고 점검 일정", "Mina Park <mina@example.org>", "ops@example.org"
    message["Date"] = "Tue, 03 Mar 2026 09:15:00 +0900"
    message.set_content("부산 물류센터 냉장 창고 점검은 3월 12일 오전 10시에 시작합니다.")
    message.add_attachment(b"%PDF-1.4 fake", maintype="application", subtype="pdf", filename="checklist.pdf")
    path.write_bytes(bytes(message))
    return path


def test_opendocument_text_sheets_and_slides(tmp_path):
    text = extract(make_odt(tmp_path / "budget.odt"))
    assert not text.paged and text.pages[0].text.splitlines()[0] == "# Clinic budget"
    assert "| Dental wing | 6.8 million |" in text.pages[0].text and "Helle Vinter" in text.pages[0].text
    sheets = extract(make_ods(tmp_path / "stock.ods"))
    assert sheets.paged and [p.text.splitlines()[0] for p in sheets.pages] == ["# Inventory", "# Suppliers"]
    assert "| Pallets | 120 |" in sheets.pages[0].text and location_unit("stock.ods") == "sheet"
    slides = extract(make_odp(tmp_path / "ferry.odp"))
    assert [p.number for p in slides.pages] == [1, 2] and "23:40" in slides.pages[1].text
    assert location_unit("ferry.odp") == "slide"


def test_epub_is_one_page_per_chapter(tmp_path):
    book = extract(make_epub(tmp_path / "stories.epub"))
    chapters = [page for page in book.pages if "pilot boat" in page.text or "lighthouse" in page.text]
    assert book.paged and len(chapters) == 2 and "Maris Okonkwo" in chapters[1].text
    assert location_unit("stories.epub") == "chapter"


def test_rtf_with_a_korean_code_page(tmp_path):
    path = tmp_path / "memo.rtf"
    korean = "냉장 창고".encode("cp949")
    escaped = "".join(f"\\'{byte:02x}" for byte in korean)
    path.write_bytes(("{\\rtf1\\ansi\\ansicpg949\\deff0{\\fonttbl{\\f0 Batang;}}\\f0 Memo: the "
                      + escaped + " opened in March 2025.\\par Second line\\par}").encode("ascii"))
    text = extract(path).pages[0].text
    assert "Memo: the 냉장 창고 opened in March 2025." in text and "Second line" in text


def test_email_headers_body_and_attachment_names(tmp_path):
    text = extract(make_eml(tmp_path / "inspection.eml")).pages[0].text
    assert text.startswith("Subject: 창고 점검 일정\nFrom: Mina Park <mina@example.org>")
    assert "3월 12일 오전 10시" in text and "Attachments: checklist.pdf" in text


def test_not_an_email_and_not_an_rtf_get_a_reason(tmp_path):
    (tmp_path / "plain.eml").write_text("just words without any header line\n", encoding="utf-8")
    (tmp_path / "fake.rtf").write_text("plain text named rtf", encoding="utf-8")
    with pytest.raises(ExtractionError, match="not an e-mail message"):
        extract(tmp_path / "plain.eml")
    with pytest.raises(ExtractionError, match="not an RTF document"):
        extract(tmp_path / "fake.rtf")


def test_the_window_names_slides_sheets_and_chapters(qapp):
    from desktop_app.core.retrieval import Hit
    from desktop_app.ui.chat_view import location_text

    def hit(path, page):
        return Hit(chunk_id=1, doc_path=path, page=page, section=1, start_char=0, end_char=4, text="text",
                   score=1.0, vector_rank=1, keyword_rank=None, vector_distance=0.1)

    assert [location_text(hit(p, 2)) for p in ("deck.pptx", "book.xlsx", "novel.epub", "report.pdf")] == [
        ", slide 2", ", sheet 2", ", chapter 2", ", p. 2"]
    assert location_text(hit("notes.docx", None)) == ""


def test_a_slides_bullets_are_list_items_not_one_wrapped_sentence(tmp_path):
    from pptx import Presentation

    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "The array this year"
    body = slide.placeholders[1].text_frame
    body.text = "The school buys the power at 12 pence per kWh"
    body.add_paragraph().text = "Inverter replaced in June under warranty"
    deck.save(tmp_path / "solar.pptx")
    text = extract(tmp_path / "solar.pptx").pages[0].text
    assert text.splitlines() == ["# The array this year", "- The school buys the power at 12 pence per kWh",
                                 "- Inverter replaced in June under warranty"]
