"""A minimal valid PDF with one line of text per page, for tests, benchmarks and screenshots."""

from __future__ import annotations


# A font whose Unicode map sends every printable ASCII code to the private use area: the way a PDF
# with a broken CID font (common in Korean PDFs) extracts as garbage whatever the reader.
_GARBLING_CMAP = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Garble def "
                  b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfrange <20> <7E> <E020> endbfrange "
                  b"endcmap CMapName currentdict /CMap defineresource pop end end")


def make_pdf(pages: list[str], *, garbled_pages: frozenset[int] = frozenset()) -> bytes:
    """A valid PDF with one line of Helvetica text per page (Latin-1 text only).

    ``garbled_pages`` (1-based) use a font whose text layer maps to meaningless code points.
    """
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    cmap = add(b"<< /Length %d >>\nstream\n" % len(_GARBLING_CMAP) + _GARBLING_CMAP + b"\nendstream")
    garbling_font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >>" % cmap)
    pages_id = len(pages) * 2 + 4
    page_ids = []
    for number, text in enumerate(pages, start=1):
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")
        stream = b"BT /F1 12 Tf 72 720 Td (" + escaped + b") Tj ET"
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>"
            % (pages_id, content, garbling_font if number in garbled_pages else font)))
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    assert add(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(page_ids)) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)
