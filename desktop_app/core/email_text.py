"""E-mail messages (.eml, the standard library's parser): the headers a reader looks for, the body
(the plain-text part, else the HTML part's visible text) and the names of the attachments."""

from __future__ import annotations

from desktop_app.core.errors import ExtractionError
from desktop_app.core.extract import ExtractedDocument, html_visible_text, normalize_text, sections_of

HEADERS = ("Subject", "From", "To", "Cc", "Date")


def extract_email(data: bytes) -> ExtractedDocument:
    from email import policy
    from email.parser import BytesParser

    try:
        message = BytesParser(policy=policy.default).parsebytes(data)
        headers = [f"{name}: {' '.join(str(message[name]).split())}" for name in HEADERS if message.get(name)]
        if not headers:
            raise ExtractionError("not an e-mail message (no Subject, From, To or Date header)")
        body = message.get_body(preferencelist=("plain", "html"))
        text = "" if body is None else str(body.get_content())
        if body is not None and body.get_content_type() == "text/html":
            text = html_visible_text(text)
        attachments = [part.get_filename() for part in message.iter_attachments() if part.get_filename()]
    except ExtractionError:
        raise
    except Exception as exc:  # malformed headers and encodings raise from deep inside the parser
        raise ExtractionError(f"damaged e-mail message: {exc.__class__.__name__}: {str(exc)[:120]}") from exc
    parts = ["\n".join(headers), text.strip()]
    if attachments:
        parts.append("Attachments: " + ", ".join(attachments))
    return ExtractedDocument(kind="email", paged=False, pages=sections_of(normalize_text("\n\n".join(p for p in parts if p))))
