"""SHA-256 of a file, read in blocks: content identity for imports and bundled models."""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: Path, *, block: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(block):
            digest.update(chunk)
    return digest.hexdigest()
