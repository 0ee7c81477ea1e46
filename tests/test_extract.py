from pathlib import Path

import pytest

from desktop_app.core.errors import ExtractionError
from desktop_app.core.extract import decode_text, extract, html_visible_text
from tests.helpers import make_blank_pdf, make_encrypted_pdf, make_pdf

KOREAN = "회의록: 부산 물류센터의 신규 냉장 창고는 2025년 3월에 완공되었다."


@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("utf-16-le", b""), ("utf-16-be", b""),
    ("cp949", b""), ("euc-kr", b""),
])
def test_korean_text_decodes_in_every_common_encoding(encoding, prefix):
    assert decode_text(prefix + KOREAN.encode(encoding)) == KOREAN


def test_latin1_and_cp1252_text_decode():
    text = "Café crème brûlée, déjà vu — naïve résumé. " * 5
    assert decode_text(text.encode("cp1252")) == text
    assert "Café" in decode_text("Café au lait near the Seine river bank.".encode("latin-1"))


def test_binary_named_txt_is_refused(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes(bytes(range(256)) * 200)
    with pytest.raises(ExtractionError, match="binary"):
        extract(path)


def test_empty_file_is_refused_with_reason(tmp_path):
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    with pytest.raises(ExtractionError, match="empty file"):
        extract(path)


def test_html_keeps_only_visible_text():
    markup = ("<html><head><title>Plant</title><style>p{color:red}</style><script>var secret=1;</script></head>"
              "<body><p>The plant opened in <b>1987</b>.</p><noscript>enable js</noscript></body></html>")
    text = html_visible_text(markup)
    assert "The plant opened in" in text and "1987" in text and "Plant" in text
    assert "secret" not in text and "color" not in text and "enable js" not in text


def test_an_html_tables_row_is_one_line_with_each_value_beside_its_label():
    markup = ("<html><body><h2>Classes</h2><table><tr><th>Class</th><th>Tutor</th><th>Fee</th></tr>"
              "<tr><td>Woodwork</td><td>Sam <b>Brennan</b></td><td>165 pounds</td></tr></table></body></html>")
    lines = html_visible_text(markup).splitlines()
    assert "| Class | Tutor | Fee |" in lines and "| Woodwork | Sam Brennan | 165 pounds |" in lines


def test_pdf_text_is_kept_per_page(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(make_pdf(["First page about apples.", "Second page: the Kestrel turbine.", "Third."]))
    document = extract(path)
    assert document.kind == "pdf" and document.paged
    assert [p.number for p in document.pages] == [1, 2, 3]
    assert "Kestrel" in document.pages[1].text and "Kestrel" not in document.pages[0].text


def test_pdf_encrypted_with_empty_user_password_is_read(tmp_path):
    path = tmp_path / "open.pdf"
    path.write_bytes(make_encrypted_pdf(["Readable secret memo."], user_password=""))
    assert "Readable secret memo" in extract(path).pages[0].text


def test_pdf_encrypted_with_a_password_is_refused(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(make_encrypted_pdf(["Hidden."], user_password="hunter2"))
    with pytest.raises(ExtractionError, match="encrypted PDF"):
        extract(path)


def test_pdf_without_text_layer_is_refused(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_blank_pdf())
    with pytest.raises(ExtractionError, match="no text layer .* OCR found no text"):
        extract(path)


@pytest.mark.parametrize("data,reason", [
    (b"just some bytes that are not a pdf", "not a PDF"),
    (make_pdf(["Some text that will be cut."])[:150], "PDF"),
])
def test_broken_pdfs_are_refused_with_reason(tmp_path, data, reason):
    path = tmp_path / "broken.pdf"
    path.write_bytes(data)
    with pytest.raises(ExtractionError, match=reason):
        extract(path)


def test_unsupported_type_is_refused(tmp_path):
    path = tmp_path / "song.mp3"
    path.write_bytes(b"ID3....")
    with pytest.raises(ExtractionError, match="unsupported"):
        extract(Path(path))


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from desktop_app.core.extract import normalize_text  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=4000))
def test_arbitrary_bytes_decode_or_are_refused_cleanly(data):
    try:
        text = decode_text(data)
    except ExtractionError:
        return
    assert isinstance(text, str)


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=2000),
       encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]))
def test_any_unicode_text_round_trips_through_decoding(text, encoding):
    try:
        decoded = decode_text(text.encode(encoding))
    except ExtractionError:
        return  # e.g. an empty text
    assert normalize_text(decoded) == normalize_text(text)


HWP_DATA = Path(__file__).parent / "data" / "hwp"


@pytest.mark.parametrize("name", ["table.hwp", "table.hwpx"])
def test_hwp_and_hwpx_import_with_their_tables_as_rows(name):
    document = extract(HWP_DATA / name)
    assert document.kind == "hwp" and not document.paged
    text = document.pages[0].text
    row = "| 이름 | 국어 | 영어 | 수학 |" if name.endswith("x") else "| LMN | OPQ | STR |"
    assert row in text.splitlines()


def test_hwpx_sections_are_the_locations(tmp_path):
    """Each section of the document is one location ("section 2"), as pages are for a PDF."""
    import zipfile

    source = zipfile.ZipFile(HWP_DATA / "table.hwpx")
    second = source.read("Contents/section0.xml").decode("utf-8").replace("개똥이", "두번째구역")
    path = tmp_path / "two-sections.hwpx"
    with zipfile.ZipFile(path, "w") as out:
        for item in source.infolist():
            out.writestr(item, source.read(item.filename))
        out.writestr("Contents/section1.xml", second)
    pages = extract(path).pages
    assert [p.number for p in pages] == [1, 2]
    assert "개똥이" in pages[0].text and "두번째구역" not in pages[0].text and "두번째구역" in pages[1].text


def test_hwp_named_as_the_other_format_still_imports(tmp_path):
    misnamed = tmp_path / "report.hwp"
    misnamed.write_bytes((HWP_DATA / "table.hwpx").read_bytes())
    assert "개똥이" in extract(misnamed).pages[0].text
    assert not list(tmp_path.parent.glob(".desktop-app-hwp-*"))


@pytest.mark.parametrize("content,message", [
    (b"plain text pretending to be HWP", "not a Hangul"),
    (b"PK\x03\x04" + b"\x00" * 200, "damaged"),
])
def test_broken_hwp_gets_a_clear_message(tmp_path, content, message):
    path = tmp_path / "broken.hwpx"
    path.write_bytes(content)
    with pytest.raises(ExtractionError, match=message):
        extract(path)


def test_a_garbled_text_layer_is_read_by_ocr_or_refused_per_page_not_indexed(tmp_path):
    path = tmp_path / "broken-font.pdf"
    path.write_bytes(make_pdf(["The harbour opened in 1987 with two cranes and a ferry pier.",
                               "This page uses a font whose Unicode map is broken beyond repair."],
                              garbled_pages=frozenset({2})))
    document = extract(path)
    assert "harbour opened in 1987" in document.pages[0].text
    assert "Unicode map is broken" in document.pages[1].text and document.kind == "pdf+ocr"
    assert "page 2 read by OCR" in document.warnings
    without_ocr = extract(path, ocr=False)
    assert "harbour opened in 1987" in without_ocr.pages[0].text and without_ocr.pages[1].text == ""
    assert any("page 2" in w and "garbled" in w for w in without_ocr.warnings)


def test_a_pdf_garbled_on_every_page_says_so_when_ocr_is_off(tmp_path):
    path = tmp_path / "all-broken.pdf"
    path.write_bytes(make_pdf(["Every page of this file uses the broken font map, all of them."],
                              garbled_pages=frozenset({1})))
    with pytest.raises(ExtractionError, match="garbled"):
        extract(path, ocr=False)
    assert "broken font map" in extract(path).pages[0].text


@pytest.mark.parametrize("text,garbled", [
    ("서울 도서관은 매주 월요일에 휴관합니다. 입장료는 무료입니다.", False),
    ("Crème brûlée, déjà vu: the café opened in 1987 near the Seine.", False),
    ("서울 도서관은 매주 월요일에 휴관합니다.".encode("cp949").decode("latin-1"), True),  # EUC-KR read as Latin-1
])
def test_garbled_text_is_told_from_real_text(text, garbled):
    from desktop_app.core.pdf_text import garbled_text

    assert bool(garbled_text(text)) is garbled


def test_a_chunk_knows_the_headings_it_falls_under():
    from desktop_app.core.extract import heading_path

    text = ("# Harbour renewal\n\nThe board met.\n\n## Breakwater\n\nDesigned by Lindqvist.\n\n## Budget\n\n"
            "Cost 3 million.\n\n### Details\n\nDredging first.\n\n# Annex\n\nMaps.")
    where = {phrase: heading_path(text, text.index(phrase)) for phrase in
             ("The board", "Designed", "## Budget", "Dredging", "Maps")}
    assert where == {"The board": "Harbour renewal", "Designed": "Harbour renewal › Breakwater",
                     "## Budget": "Harbour renewal › Budget", "Dredging": "Harbour renewal › Budget › Details",
                     "Maps": "Annex"}
    assert heading_path("Plain text without a heading, and a #hashtag.", 20) == ""
