"""The command line is a contract: these run the real ``desktop-app`` in a subprocess."""

import json
import os
import subprocess
import sys

import pytest

from tests.helpers import make_pdf


def run_cli(data_dir, *args, check=True, timeout=300):
    env = dict(os.environ, HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1")
    result = subprocess.run([sys.executable, "-m", "desktop_app", "--data-dir", str(data_dir), *args],
                            capture_output=True, text=True, timeout=timeout, env=env)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def docs(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "report.pdf").write_bytes(make_pdf(["The orchard report lists apple varieties.",
                                                  "The Kestrel turbine delivered 42 megawatts during the spring trial."]))
    (folder / "quenford.md").write_text(
        "Plant history\n\nThe Quenford desalination plant was commissioned in 1987 by the engineer Maris Okonkwo.",
        encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n garbage")
    return folder


def test_ingest_search_list_remove(data_dir, docs):
    out = run_cli(data_dir, "ingest", str(docs)).stdout
    assert "[1/3]" in out and "Done: 2 added, 0 replaced, 0 unchanged, 1 skipped" in out
    assert "skipped" in out and "broken.pdf" in out

    hits = [json.loads(line) for line in
            run_cli(data_dir, "search", "Kestrel turbine megawatts", "--k", "2", "--json").stdout.splitlines()]
    assert hits[0]["doc"] == str(docs / "report.pdf") and hits[0]["page"] == 2
    assert set(hits[0]) >= {"doc", "page", "score", "text"}

    again = run_cli(data_dir, "ingest", str(docs)).stdout
    assert "2 unchanged" in again

    listing = run_cli(data_dir, "docs", "list").stdout
    assert "report.pdf" in listing and "quenford.md" in listing
    run_cli(data_dir, "docs", "remove", str(docs / "report.pdf"))
    assert "report.pdf" not in run_cli(data_dir, "docs", "list").stdout
    assert run_cli(data_dir, "docs", "remove", str(docs / "nope.pdf"), check=False).returncode == 1


def test_ask_answers_with_numbered_sources(data_dir, docs):
    run_cli(data_dir, "ingest", str(docs))
    result = run_cli(data_dir, "ask", "Who commissioned the Quenford desalination plant?", "--json")
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert "Okonkwo" in answer["answer"]
    assert answer["sources"][0]["number"] == 1 and answer["sources"][0]["doc"].endswith("quenford.md")
    assert answer["adapters"] == []  # no adapter measured better than none with the default model (README)
    assert {c["number"] for c in answer["citations"]} == set(answer["cited"]) and answer["cited"]
    assert all(c["supported"] for c in answer["citations"]) and answer["unsupported"] == []
    timings = answer["timings"]
    assert timings["prompt_s"] > 0 and timings["retrieval_s"] > 0 and timings["prompt_tokens"] > 0
    assert timings["total_s"] >= timings["prompt_s"] + timings["generation_s"]

    plain = run_cli(data_dir, "ask", "Who commissioned the Quenford desalination plant?", "--no-save").stdout
    assert "Sources:" in plain and "quenford.md" in plain


def test_ask_without_retrieval_has_no_sources(data_dir):
    result = run_cli(data_dir, "ask", "What is 2 + 2?", "--no-rag", "--json", "--max-tokens", "16")
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["sources"] == [] and answer["answer"]


def test_a_bad_model_file_gives_a_clear_error_not_a_traceback(data_dir, tmp_path):
    bogus = tmp_path / "bogus.gguf"
    bogus.write_bytes(b"nope" * 100)
    result = run_cli(data_dir, "ask", "hi", "--no-rag", "--model", str(bogus), check=False)
    assert result.returncode == 1 and "not a GGUF file" in result.stderr and "Traceback" not in result.stderr


def test_the_core_imports_no_qt():
    code = ("import sys, desktop_app.cli, desktop_app.core.workspace, desktop_app.core.ingest, "
            "desktop_app.core.retrieval, desktop_app.core.llm, desktop_app.core.rag; "
            "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'; "
            "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_korean_cp949_file_is_found_by_a_korean_query(data_dir, tmp_path):
    memo = tmp_path / "memo.txt"
    memo.write_bytes("회의록: 부산 물류센터의 신규 냉장 창고는 2025년 3월에 완공되었다.\n담당자는 김서연 팀장이다.\n".encode("cp949"))
    run_cli(data_dir, "ingest", str(memo))
    hits = [json.loads(line) for line in run_cli(data_dir, "search", "냉장 창고 완공", "--json").stdout.splitlines()]
    assert hits and "냉장 창고는" in hits[0]["text"] and "김서연" in hits[0]["text"]


def test_with_the_shipped_adapter_the_answer_states_and_cites_the_fact(data_dir, docs):
    run_cli(data_dir, "ingest", str(docs))
    listed = run_cli(data_dir, "adapters", "list").stdout
    assert "grounded-citations" in listed and "qwen2" in listed
    result = run_cli(data_dir, "ask", "Who commissioned the Quenford desalination plant?", "--adapter",
                     "grounded-citations", "--model", "qwen2.5-coder-0.5b-instruct", "--json", "--temperature", "0")
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert "Okonkwo" in answer["answer"] and answer["adapters"] == [["grounded-citations.gguf", 1.0]]
    cited = [s for s in answer["sources"] if s["number"] in answer["cited"]]
    assert cited and cited[0]["doc"].endswith("quenford.md")


def test_settings_are_changed_from_the_command_line_booleans_included(tmp_path):
    data = tmp_path / "data"
    out = run_cli(data, "settings", "ocr=false", "top_k=7", "model_server=http://127.0.0.1:9/v1").stdout
    assert "ocr = False" in out and "top_k = 7" in out and "model_server = http://127.0.0.1:9/v1" in out
    assert "ocr = True" in run_cli(data, "settings", "ocr=on").stdout
    refused = run_cli(data, "settings", "ocr=maybe", check=False)
    assert refused.returncode != 0 and "expected true or false" in refused.stderr
