"""A saved conversation as Markdown (each answer's numbered sources as footnotes) or as JSON."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from desktop_app.core.conversations import StoredMessage, conversation_messages
from desktop_app.core.extract import location_unit
from desktop_app.core.rag import CITATION
from desktop_app.core.store import Conversation, Store

FORMATS = {"markdown": ".md", "json": ".json"}
QUOTE_CHARS = 400  # of each cited passage in a footnote


def export_conversation(store: Store, conversation: Conversation, fmt: str) -> str:
    messages = conversation_messages(store, conversation.id)
    if fmt == "json":
        import json

        return json.dumps(conversation_record(conversation, messages), ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        return conversation_markdown(conversation, messages)
    raise ValueError(f"unknown export format {fmt!r}: choose {', '.join(FORMATS)}")


def format_for(path: Path) -> str:
    """The format a file name asks for: .json is JSON, anything else Markdown."""
    return "json" if path.suffix.lower() == ".json" else "markdown"


def conversation_record(conversation: Conversation, messages: list[StoredMessage]) -> dict:
    return {
        "id": conversation.id, "title": conversation.title,
        "created": _iso(conversation.created_at), "updated": _iso(conversation.updated_at),
        "messages": [{
            "role": m.role, "content": m.content, "model": m.model,
            "adapters": [{"name": name, "scale": scale} for name, scale in m.adapters],
            "stats": m.stats,
            "sources": [{"number": s.number, "doc": s.hit.doc_path, "page": s.hit.page,
                         "location": _location(s.hit.doc_path, s.hit.page), "text": s.hit.text,
                         "cited": s.number in m.cited, "supported": s.number not in m.unsupported}
                        for s in m.sources],
        } for m in messages],
    }


def conversation_markdown(conversation: Conversation, messages: list[StoredMessage]) -> str:
    questions = sum(m.role == "user" for m in messages)
    out = [f"# {conversation.title}", "",
           f"_Exported from desktop-app, {_iso(conversation.updated_at)}; {questions} question(s)._", ""]
    turn = 0
    for message in messages:
        if message.role == "user":
            turn += 1
            out += [f"## {turn}. " + " ".join(message.content.split()), ""]
            continue
        provenance = ", ".join([message.model or "", *(f"{name} x{scale:g}" for name, scale in message.adapters)])
        prefix = f"{turn}-" if turn else "0-"
        body = CITATION.sub(lambda m: f"[^{prefix}{m.group(1)}]" if int(m.group(1)) in message.cited else m.group(0),
                            message.content.strip())
        out += [body, ""]
        if provenance.strip(", "):
            out += [f"<sub>{provenance.strip(', ')}</sub>", ""]
        for source in message.sources:
            if source.number not in message.cited:
                continue
            mark = " ⚠ cited, but this passage does not hold the sentence" if source.number in message.unsupported else ""
            place = Path(source.hit.doc_path).name + _location(source.hit.doc_path, source.hit.page, prefix=", ")
            passage = " ".join(source.hit.text.split())
            passage = passage if len(passage) <= QUOTE_CHARS else passage[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
            out += [f"[^{prefix}{source.number}]: **{place}**{mark}: \u201c{passage}\u201d", ""]
    return "\n".join(out).rstrip() + "\n"


def _location(doc_path: str, page: int | None, *, prefix: str = "") -> str:
    return f"{prefix}{location_unit(doc_path)} {page}" if page is not None else ""


def _iso(timestamp: float) -> str:
    return datetime.datetime.fromtimestamp(timestamp).isoformat(timespec="minutes")


_FILE_UNSAFE = re.compile(r"[^\w\- ]+", re.UNICODE)


def default_file_name(conversation: Conversation, fmt: str) -> str:
    stem = _FILE_UNSAFE.sub("", conversation.title).strip()[:60] or f"conversation-{conversation.id}"
    return stem + FORMATS[fmt]
