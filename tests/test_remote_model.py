"""The remote generation backend against a real llama.cpp server (llama-cpp-python's ``[server]`` extra, on the
same llama.cpp build), started here with the bundled 0.5B and the shipped adapter served as ``<model>+<adapter>``."""

import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from desktop_app.core.errors import AdapterError, ModelLoadError
from desktop_app.core.llm import Message
from desktop_app.core.paths import bundled_adapters_dir
from desktop_app.core.remote_llm import RemoteChatModel
from tests.test_cli import docs, run_cli  # noqa: F401  (docs: the fixture)
from tests.test_gui import collect_qt_garbage_on_the_main_thread  # noqa: F401  (autouse)

MODEL = "qwen2.5-0.5b"
ADAPTER = bundled_adapters_dir() / "grounded-citations.gguf"
MESSAGES = [Message("system", "Answer from the sources. Cite like [1]."),
            Message("user", "Sources:\n[1] The new eastern breakwater was designed by the firm Lindqvist & Abara, "
                            "and it opened in 2023.\n\nQuestion: Who designed the eastern breakwater?")]


@pytest.fixture(scope="module")
def server(tmp_path_factory, qwen_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    common = {"model": str(qwen_path), "n_ctx": 4096, "n_threads": 2, "verbose": False, "logits_all": False}
    config = tmp_path_factory.mktemp("llama-server") / "config.json"
    config.write_text(json.dumps({"host": "127.0.0.1", "port": port, "models": [
        {**common, "model_alias": MODEL},
        {**common, "model_alias": f"{MODEL}+grounded-citations", "lora_path": str(ADAPTER)},
    ]}))
    process = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--config_file", str(config)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"llama.cpp's server did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.3)
    yield url
    process.terminate()
    process.wait(timeout=30)


def test_the_server_model_and_its_adapter_answer_exactly_as_the_local_model_does(server, qwen):
    remote = RemoteChatModel(server)
    assert remote.model == MODEL and remote.server_adapters() == ["grounded-citations"]
    options = {"temperature": 0.0, "max_tokens": 48}
    local_base = qwen.complete(MESSAGES, **options)
    with qwen.adapters_applied([(str(ADAPTER), 1.0)]):
        local_adapted = qwen.complete(MESSAGES, **options)
    remote_base = remote.complete(MESSAGES, **options)
    with remote.adapters_applied([(str(ADAPTER), 1.0)]):
        assert [a.path.stem for a in remote.active_adapters] == ["grounded-citations"]
        remote_adapted = remote.complete(MESSAGES, **options)
    assert remote.active_adapters == ()
    assert local_base != local_adapted  # the adapter changes the answer...
    assert (remote_base, remote_adapted) == (local_base, local_adapted)  # ...on the server exactly as here
    assert "Lindqvist" in remote_adapted and "[1]" in remote_adapted


def test_streaming_reports_its_speed_and_stop_ends_the_request(server):
    remote = RemoteChatModel(server, model=MODEL)
    pieces = list(remote.stream(MESSAGES, temperature=0.0, max_tokens=32))
    stats = remote.last_stats
    assert len(pieces) > 1 and stats.completion_tokens >= len(pieces) - 1 and stats.prompt_tokens > 20
    assert 0 < stats.time_to_first_token_s < stats.total_s and stats.tokens_per_s > 0 and not stats.cancelled
    cancel = threading.Event()
    received = []
    for piece in remote.stream([Message("user", "Count from 1 to 200, one number per line.")], max_tokens=400,
                               cancel=cancel):
        received.append(piece)
        if len(received) == 3:
            cancel.set()
    assert len(received) == 3 and remote.last_stats.cancelled


def test_what_the_server_cannot_do_is_refused_with_a_clear_message(server):
    remote = RemoteChatModel(server)
    with pytest.raises(AdapterError, match="does not offer the adapter 'style-pirate'.*it offers: grounded-citations"):
        remote.set_adapters([("/adapters/style-pirate.gguf", 1.0)])
    with pytest.raises(AdapterError, match="scale it loaded it with"):
        remote.set_adapters([(str(ADAPTER), 0.5)])
    with pytest.raises(ModelLoadError, match="has no model 'llama-70b'.*it offers"):
        RemoteChatModel(server, model="llama-70b")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        nobody = probe.getsockname()[1]
    with pytest.raises(ModelLoadError, match="No OpenAI-compatible model server answers"):
        RemoteChatModel(f"http://127.0.0.1:{nobody}")


def test_ask_with_model_server_answers_from_the_library_with_the_servers_adapter(server, data_dir, docs):
    run_cli(data_dir, "ingest", str(docs))
    listed = run_cli(data_dir, "--model-server", server, "adapters", "list").stdout
    assert listed.startswith(f"grounded-citations\tserved as {MODEL}+grounded-citations by {server}")
    result = run_cli(data_dir, "--model-server", server, "ask", "Who commissioned the Quenford plant?",
                     "--adapter", "grounded-citations", "--json", "--no-save")
    answer = json.loads(result.stdout)
    assert "Okonkwo" in answer["answer"] and "[1]" in answer["answer"], answer
    assert answer["sources"][0]["doc"].endswith("quenford.md")
    assert answer["model"] == f"{MODEL} @ {server}" and answer["adapters"][0][0] == "grounded-citations"


def test_the_window_streams_answers_from_the_model_server(qtbot, server, data_dir, docs):
    from PySide6.QtCore import Qt

    from desktop_app.core.workspace import Workspace
    from desktop_app.ui.main_window import MainWindow

    run_cli(data_dir, "ingest", str(docs))
    workspace = Workspace.open(data_dir)
    workspace.save_settings(workspace.settings.with_changes(model_server=server))
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model_ready, timeout=120_000)
    assert window.controller.model_facts.name == f"{MODEL} @ {server}"
    # the window fills the menu when the load's signal reaches it, which can be after model_ready turns true
    qtbot.waitUntil(lambda: list(window.adapter_menu.controls) == ["grounded-citations"], timeout=10_000)
    check, _scale = window.adapter_menu.controls["grounded-citations"]
    with qtbot.waitSignal(window.controller.model_worker.adaptersChanged, timeout=30_000) as applied:
        check.setChecked(True)
    assert applied.args[0] == [("grounded-citations", 1.0)]
    tokens = []
    window.controller.model_worker.token.connect(tokens.append)
    window.chat.question_edit.setPlainText("Who commissioned the Quenford plant?")
    with qtbot.waitSignal(window.answerShown, timeout=300_000) as done:
        qtbot.keyClick(window.chat.question_edit, Qt.Key_Return)
    answer = done.args[0]
    assert len(tokens) > 1 and answer.model == f"{MODEL} @ {server}" and "Okonkwo" in answer.text
    assert [Path(path).name for path, _ in answer.adapters] == ["grounded-citations"]
    assert answer.stats.time_to_first_token_s > 0 and answer.stats.tokens_per_s > 0
    assert answer.sources and answer.sources[0].hit.doc_path.endswith("quenford.md")
    window.close()
