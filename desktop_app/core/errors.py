"""Errors a user can act on. Each message says what went wrong and what to do."""


class AppError(Exception):
    """Base class: its message is shown to the user as is."""


class StoreError(AppError):
    """The SQLite store cannot be opened, migrated or written."""


class StoreUnusable(StoreError):
    """The store file is damaged or not a store at all; it can be set aside and a new one started."""


class StoreBusy(StoreError):
    """Another process holds the store's write lock for too long."""


class EmbedderMismatch(StoreError):
    """The store was built with another embedder than the one asked for."""


class ModelLoadError(AppError):
    """A GGUF model file cannot be loaded (missing, truncated, not GGUF, too large)."""


class ModelServerError(AppError):
    """The remote model server failed or broke off during an answer."""


class AdapterError(AppError):
    """A LoRA adapter file is unreadable or does not fit the loaded model."""


class ExtractionError(AppError):
    """A document cannot be turned into text; the reason is user-facing."""
