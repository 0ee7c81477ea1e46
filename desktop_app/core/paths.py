"""Every path the app uses comes from here.

The data directory holds the store, settings, logs and assembled models. It is the platform's
user data folder unless ``DESKTOP_APP_DATA_DIR`` (or the CLI's ``--data-dir``) says otherwise.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_ENV = "DESKTOP_APP_DATA_DIR"
APP_NAME = "desktop-app"
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def default_data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser().resolve()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class DataDir:
    root: Path

    @classmethod
    def resolve(cls, explicit: str | os.PathLike[str] | None = None) -> "DataDir":
        root = Path(explicit).expanduser().resolve() if explicit else default_data_dir()
        return cls(root)

    def ensure(self) -> "DataDir":
        for folder in (self.root, self.models, self.adapters, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
        return self

    @property
    def store(self) -> Path:
        return self.root / "store.sqlite3"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def models(self) -> Path:
        return self.root / "models"

    @property
    def adapters(self) -> Path:
        return self.root / "adapters"


def _shipped(package: str, source_folder: str) -> Path:
    """A folder shipped with the app: package data of ``package`` in an installed wheel, else the
    top-level ``source_folder`` of a source checkout (or an editable install)."""
    installed = Path(__file__).resolve().parents[1] / package
    return installed if installed.is_dir() else PROJECT_ROOT / source_folder


def bundled_adapters_dir() -> Path:
    """The adapters shipped with the app (``models/adapters`` in the source tree)."""
    return _shipped("shipped_models", "models") / "adapters"


def icons_dir() -> Path:
    """The app's icons (``resources/icons`` in the source tree)."""
    return _shipped("shipped_resources", "resources") / "icons"


def translations_dir() -> Path:
    """The window's compiled translations (``resources/i18n`` in the source tree)."""
    return _shipped("shipped_resources", "resources") / "i18n"
