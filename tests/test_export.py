"""Exporting a saved conversation: Markdown with footnoted sources, JSON, the command line."""

import json

from desktop_app.cli import main
from desktop_app.core.export import export_conversation
from desktop_app.core.store import SavedSource, Store


def _saved_chat(store: Store, folder) -> int:
    conversation = store.conversations.create("Harbour questions")
    store.conversations.add_exchange(
        conversation.id, question="Who designed the eastern breakwater?",
        answer="The firm Lindqvist & Abara designed it [1]. It cost 9 million euro [2].",
        model="qwen2.5-coder-1.5b-instruct", adapters=(("grounded-citations", 0.5),), used_retrieval=True, stats={},
        sources=[SavedSource(1, 11, str(folder / "harbour.pptx"), 2, 1, 0, 60,
                             0.9, "The new eastern breakwater, designed by the firm Lindqvist & Abara, opened in May."),
                 SavedSource(2, 12, str(folder / "budget.pdf"), 4, 1, 0, 40, 0.5, "The pilot boat cost 2.3 million euro."),
                 SavedSource(3, 13, str(folder / "notes.md"), None, 1, 0, 20, 0.1, "Unrelated passage.")])
    store.conversations.add_exchange(
        conversation.id, question="And when did it open?", answer="It opened in May [1].", model="qwen2.5-coder-1.5b-instruct",
        adapters=(), used_retrieval=True, stats={},
        sources=[SavedSource(1, 11, str(folder / "harbour.pptx"), 2, 1, 0, 60,
                             0.9, "The new eastern breakwater, designed by the firm Lindqvist & Abara, opened in May.")])
    return conversation.id


def test_markdown_numbers_each_answers_sources_as_footnotes_and_marks_unsupported_ones(store, tmp_path):
    _saved_chat(store, tmp_path)
    text = export_conversation(store, store.conversations.all()[0], "markdown")
    assert text.startswith("# Harbour questions\n")
    assert "## 1. Who designed the eastern breakwater?" in text and "## 2. And when did it open?" in text
    assert "designed it [^1-1]. It cost 9 million euro [^1-2]." in text and "It opened in May [^2-1]." in text
    assert '[^1-1]: **harbour.pptx, slide 2**: \u201cThe new eastern breakwater' in text
    assert "[^1-2]: **budget.pdf, page 4** ⚠ cited, but this passage does not hold the sentence" in text
    assert "notes.md" not in text  # retrieved, never cited
    assert "grounded-citations x0.5" in text


def test_json_keeps_every_message_and_source(store, tmp_path):
    _saved_chat(store, tmp_path)
    record = json.loads(export_conversation(store, store.conversations.all()[0], "json"))
    assert [m["role"] for m in record["messages"]] == ["user", "assistant", "user", "assistant"]
    sources = record["messages"][1]["sources"]
    assert [(s["number"], s["location"], s["cited"], s["supported"]) for s in sources] == [
        (1, "slide 2", True, True), (2, "page 4", True, False), (3, "", False, True)]


def test_export_from_the_command_line_never_overwrites(tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "export"]) == 2
    assert "no saved conversations" in capsys.readouterr().err
    with Store(data / "store.sqlite3") as store:
        chat_id = _saved_chat(store, tmp_path)
    assert main(["--data-dir", str(data), "conversations"]) == 0
    assert f"{chat_id}" in capsys.readouterr().out
    out = tmp_path / "chat.json"
    assert main(["--data-dir", str(data), "export", str(chat_id), "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["title"] == "Harbour questions"
    assert main(["--data-dir", str(data), "export", "-o", str(out)]) == 2
    assert "exists" in capsys.readouterr().err
    assert main(["--data-dir", str(data), "export", "999"]) == 2
    assert main(["--data-dir", str(data), "export"]) == 0
    assert capsys.readouterr().out.startswith("# Harbour questions")
