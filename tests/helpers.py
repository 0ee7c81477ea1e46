"""Test inputs the tests make themselves: small real PDFs, text in various encodings."""

from __future__ import annotations

from scripts.sample_pdf import make_pdf  # noqa: F401  (re-exported for the tests)


def make_encrypted_pdf(pages: list[str], *, user_password: str) -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(pages))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_blank_pdf(page_count: int = 2) -> bytes:
    """A PDF whose pages have no text layer, like a scan."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(page_count):
        writer.add_blank_page(width=612, height=792)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
