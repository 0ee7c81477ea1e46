"""`desktop-app serve`: a real uvicorn server started here, asked with the official openai client."""

import socket
import threading
import time

import pytest

from desktop_app.core.workspace import Workspace
from tests.test_adapters import make_adapter


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, models_dir, qwen_path, default_model_path, gemma_path, e5_dir):
    import uvicorn

    from desktop_app.api import create_app
    from desktop_app.cli import main

    data = tmp_path_factory.mktemp("serve-data")
    (data / "models").mkdir()
    for source in (qwen_path, default_model_path, gemma_path, e5_dir):
        (data / "models" / source.name).symlink_to(source)
    docs = tmp_path_factory.mktemp("serve-docs")
    (docs / "plant.md").write_text("# Quenford plant\n\nThe Quenford desalination plant was commissioned by Maris "
                                   "Okonkwo in 1987 and supplies 140,000 households.\n", encoding="utf-8")
    assert main(["--data-dir", str(data), "ingest", str(docs)]) == 0
    (data / "adapters").mkdir(exist_ok=True)
    make_adapter(qwen_path, data / "adapters" / "terse.gguf", seed=3)
    workspace = Workspace.open(data)
    model = workspace.load_chat_model("qwen2.5-coder-0.5b-instruct")
    port = _free_port()
    config = uvicorn.Config(create_app(workspace, model, token="s3cret"), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}/v1", docs
    running.should_exit = True
    thread.join(timeout=30)
    model.close()


def _client(url, key="s3cret"):
    from openai import OpenAI

    return OpenAI(base_url=url, api_key=key, max_retries=0, timeout=300)


def test_models_list_the_model_and_each_adapter_and_a_token_is_required(server):
    import openai

    url, _ = server
    names = [m.id for m in _client(url).models.list()]
    assert names == ["qwen2.5-coder-0.5b-instruct-q4_k_m", "qwen2.5-coder-0.5b-instruct-q4_k_m+grounded-citations",
                     "qwen2.5-coder-0.5b-instruct-q4_k_m+terse"]  # the shipped adapter and ours
    with pytest.raises(openai.AuthenticationError):
        _client(url, key="wrong").models.list()


def test_an_answer_from_the_library_with_its_sources(server):
    url, docs = server
    reply = _client(url).chat.completions.create(
        model="qwen2.5-coder-0.5b-instruct-q4_k_m", max_tokens=60, temperature=0,
        messages=[{"role": "user", "content": "Who commissioned the Quenford desalination plant?"}])
    extra = reply.model_extra
    assert reply.choices[0].message.content and reply.usage.completion_tokens > 0
    assert extra["sources"][0]["file"] == str(docs / "plant.md") and "Okonkwo" in extra["sources"][0]["text"]


def test_streaming_gives_the_same_answer_piece_by_piece_and_the_sources_last(server):
    url, _ = server
    client = _client(url)
    question = [{"role": "user", "content": "How many households does the Quenford plant supply?"}]
    whole = client.chat.completions.create(model="qwen2.5-coder-0.5b-instruct-q4_k_m", max_tokens=40,
                                           temperature=0, messages=question)
    chunks = list(client.chat.completions.create(model="qwen2.5-coder-0.5b-instruct-q4_k_m", max_tokens=40,
                                                 temperature=0, messages=question, stream=True))
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert len(chunks) > 3 and chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["sources"]
    assert streamed.strip()[:15] == whole.choices[0].message.content.strip()[:15] or whole.model_extra["guard"]


def test_retrieval_off_adapters_and_bad_requests(server):
    import openai

    url, _ = server
    client = _client(url)
    plain = client.chat.completions.create(model="qwen2.5-coder-0.5b-instruct-q4_k_m+terse", max_tokens=20,
                                           messages=[{"role": "user", "content": "Say hello."}],
                                           extra_body={"retrieval": False})
    assert plain.model_extra["sources"] == []
    with pytest.raises(openai.BadRequestError, match="no adapter"):
        client.chat.completions.create(model="x", messages=[{"role": "user", "content": "hi"}],
                                       extra_body={"adapters": [{"name": "missing", "scale": 1}]})
    with pytest.raises(openai.BadRequestError, match="none of 'documents'"):
        client.chat.completions.create(model="x", messages=[{"role": "user", "content": "hi"}],
                                       extra_body={"documents": ["/etc/passwd"]})


def test_binding_beyond_this_machine_needs_a_token():
    from desktop_app.api import ServeError, check_binding

    check_binding("127.0.0.1", None)
    with pytest.raises(ServeError, match="token"):
        check_binding("0.0.0.0", None)
    check_binding("0.0.0.0", "t")
