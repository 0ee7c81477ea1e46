"""One place that turns a data directory and settings into the things the clients need.

The CLI, the tests and the GUI's workers all go through a ``Workspace``: it opens the store,
finds (and on first use assembles) the bundled models, and resolves user-given model paths.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import time
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.adapters import AdapterInfo, discover_adapters
from desktop_app.core.embedding import Embedder
from desktop_app.core.errors import AdapterError, AppError
from desktop_app.core.embedders import BUNDLED_EMBEDDERS, bundled_embedder, bundled_embedder_dir, default_embedder
from desktop_app.core.models import BUNDLED_CHAT_MODELS, DEFAULT_CHAT_MODEL, ensure_bundled_model
from desktop_app.core.paths import DataDir, bundled_adapters_dir
from desktop_app.core.settings import Settings
from desktop_app.core.store import Store


@dataclass
class Workspace:
    data: DataDir
    settings: Settings
    settings_problem: str | None = None  # what was wrong with settings.json at start (the file was kept aside)

    @classmethod
    def open(cls, data_dir: str | Path | None = None) -> "Workspace":
        data = DataDir.resolve(data_dir)
        try:
            data.ensure()
        except OSError as exc:
            raise AppError(f"The data folder {data.root} cannot be created: {exc.strerror or exc}. "
                           "Choose another one with --data-dir or DESKTOP_APP_DATA_DIR.") from exc
        settings, problem = Settings.read(data.settings)
        if problem:
            logging.getLogger(__name__).warning(problem)
        return cls(data, settings, problem)

    def save_settings(self, settings: Settings) -> None:
        """Use ``settings`` from now on and keep them for the next start.

        Raises:
            AppError: the settings file cannot be written (they still apply to this session).
        """
        self.settings = settings
        try:
            settings.save(self.data.settings)
        except OSError as exc:
            raise AppError(f"The settings cannot be saved in {self.data.settings}: {exc.strerror or exc}. "
                           "They apply until the app closes.") from exc

    @property
    def store_location(self) -> Path | str:
        """Where the library lives: the data folder's SQLite file, or the ``store`` setting's PostgreSQL URL."""
        return self.settings.store or self.data.store

    def open_store(self, *, read_only: bool = False) -> Store:
        return Store(self.store_location, read_only=read_only)

    def set_aside_store(self) -> Path:
        """Rename an unusable store (and its WAL files) out of the way, keeping it; returns its new name."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        kept = self.data.store.with_name(f"{self.data.store.name}.unusable-{stamp}")
        try:
            for suffix in ("", "-wal", "-shm"):
                source = Path(f"{self.data.store}{suffix}")
                if source.exists():
                    os.replace(source, f"{kept}{suffix}")
        except OSError as exc:
            raise AppError(f"The store {self.data.store} cannot be moved aside: {exc.strerror or exc}") from exc
        return kept

    def setup_logging(self, name: str = "desktop-app") -> Path | None:
        """Log to ``logs/<name>.log`` in the data folder; None (console only) where that cannot be written."""
        log_file = self.data.logs / f"{name}.log"
        try:
            handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=2_000_000, backupCount=3,
                                                           encoding="utf-8")
        except OSError as exc:
            logging.getLogger(__name__).warning("no log file (%s): logging to the console only", exc.strerror or exc)
            return None
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root = logging.getLogger()
        if not any(isinstance(h, logging.handlers.RotatingFileHandler) and h.baseFilename == str(log_file)
                   for h in root.handlers):
            root.addHandler(handler)
        root.setLevel(logging.INFO)
        return log_file

    # --- models ------------------------------------------------------------------------------

    def chosen_embedder(self) -> str:
        """The embedder the user wants: a bundled one's name or a sentence-transformers folder."""
        return self.settings.embedder or default_embedder()

    def indexed_embedder(self) -> str | None:
        """The embedder the library was indexed with (None for an empty library).

        The store records where it came from (a bundled name or a folder); a library indexed before
        that was recorded is matched to a bundled embedder by the identity's name.
        """
        if not self.settings.store and not self.data.store.exists():
            return None
        with self.open_store(read_only=True) as store:
            identity, source = store.embedder_identity, store.embedder_source
        if identity is None:
            return None
        if source:
            return source
        name = identity.rsplit("/", 1)[0]
        return name if bundled_embedder(name) else self.settings.embedder or None

    def embedder_dir(self, choice: str | None = None) -> Path:
        """The folder of ``choice``, else of the embedder the library needs: the one it was indexed
        with (until a re-index with another one completes), else the chosen one."""
        choice = choice or self.indexed_embedder() or self.chosen_embedder()
        if bundled_embedder(choice):
            return bundled_embedder_dir(choice, models_dir=self.data.models)
        return Path(choice).expanduser()

    def make_embedder(self, choice: str | None = None) -> Embedder:
        choice = choice or self.indexed_embedder() or self.chosen_embedder()
        bundled = bundled_embedder(choice)
        return Embedder(self.embedder_dir(choice), source=choice, precision=bundled.precision if bundled else "float32",
                        engine=bundled.engine if bundled else None)

    def embedder_choices(self) -> list[tuple[str, str]]:
        """(name or folder, description) of the bundled embedders and the chosen folder, if any."""
        choices = [(e.name, e.description) for e in BUNDLED_EMBEDDERS]
        if self.settings.embedder and not bundled_embedder(self.settings.embedder):
            choices.append((self.settings.embedder, "sentence-transformers folder"))
        return choices

    def chat_model_path(self, explicit: str | Path | None = None) -> Path:
        """The GGUF to load: ``explicit``, else the settings' choice, else the bundled default.

        A bundled model may be named by its key (e.g. ``gemma-3-270m``).
        """
        choice = str(explicit or self.settings.chat_model or "")
        for bundled in BUNDLED_CHAT_MODELS:
            if choice in (bundled.key, bundled.file_name):
                return ensure_bundled_model(bundled, self.data.models)
        if choice:
            return Path(choice).expanduser().resolve()
        return ensure_bundled_model(DEFAULT_CHAT_MODEL, self.data.models)

    def available_chat_models(self) -> list[Path]:
        """The bundled models (assembled) and every other GGUF model in the data dir's models folder."""
        paths = [ensure_bundled_model(m, self.data.models) for m in BUNDLED_CHAT_MODELS]
        for path in sorted(self.data.models.glob("*.gguf")):
            if path not in paths:
                paths.append(path)
        return paths

    def load_chat_model(self, explicit: str | Path | None = None):
        """The local GGUF model, or with ``settings.model_server`` the server's model (``explicit`` names one)."""
        from desktop_app.core.llm import ChatModel

        if self.settings.model_server:
            from desktop_app.core.remote_llm import RemoteChatModel

            return RemoteChatModel(self.settings.model_server, model=str(explicit) if explicit else None,
                                   n_ctx=self.settings.n_ctx)
        return ChatModel(self.chat_model_path(explicit), n_ctx=self.settings.n_ctx,
                         n_threads=self.settings.n_threads, n_gpu_layers=self.settings.n_gpu_layers)

    # --- adapters ----------------------------------------------------------------------------

    def adapter_folders(self) -> list[Path]:
        return [bundled_adapters_dir(), self.data.adapters]

    def adapters(self) -> tuple[list[AdapterInfo], list[tuple[Path, str]]]:
        return discover_adapters(self.adapter_folders())

    def adapters_for(self, architecture: str, width: int | None = None) -> list[AdapterInfo]:
        """The installed adapters made for models of ``architecture`` (and hidden size ``width``)."""
        return [a for a in self.adapters()[0] if a.architecture == architecture
                and (width is None or a.width is None or a.width == width)]

    def recommended_adapters(self, model_path: str | Path) -> list[tuple[str, float]]:
        """The bundled adapter measured best with this bundled model (on unless the user chose
        otherwise); none for any other model."""
        name = Path(model_path).name
        for bundled in BUNDLED_CHAT_MODELS:
            if name == bundled.file_name and bundled.recommended_adapter:
                adapter = bundled_adapters_dir() / bundled.recommended_adapter
                return [(str(adapter.resolve()), 1.0)] if adapter.exists() else []
        return []

    def initial_adapters(self, model_path: str | Path) -> list[tuple[str, float]]:
        """The adapters a freshly loaded model starts with: the user's last choice, else the recommended."""
        settings = self.settings
        if settings.adapters_chosen or settings.active_adapters:
            return list(settings.active_adapters)
        return self.recommended_adapters(model_path)

    def default_adapters(self, architecture: str, width: int | None = None) -> list[tuple[str, float]]:
        """What "+adapter" means when the user names none: the first installed adapter that fits."""
        fitting = self.adapters_for(architecture, width)
        return [(str(fitting[0].path), 1.0)] if fitting else []

    def resolve_adapter(self, name_or_path: str) -> Path:
        """An adapter by file path, file name, stem, or metadata name.

        Raises:
            AdapterError: no such adapter.
        """
        candidate = Path(name_or_path).expanduser()
        if candidate.suffix == ".gguf" and candidate.exists():
            return candidate.resolve()
        found, _ = self.adapters()
        for adapter in found:
            if name_or_path in (adapter.name, adapter.path.name, adapter.path.stem):
                return adapter.path.resolve()
        names = ", ".join(sorted(a.path.stem for a in found)) or "none installed"
        raise AdapterError(f"No adapter named '{name_or_path}' (available: {names}).")
