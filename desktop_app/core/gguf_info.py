"""Read a GGUF file's header: metadata and tensor shapes, without loading any weights.

Used to check model and adapter files before llama.cpp sees them, and to list what they are.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.errors import AppError

GGUF_MAGIC = b"GGUF"
_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
_STRING, _ARRAY = 8, 9
_MAX_STRING = 64 << 20
_KEPT_ARRAY_ITEMS = 64  # long arrays (a vocabulary) are skipped, their length kept


class GGUFFormatError(AppError):
    """The file is not a readable GGUF file."""


@dataclass(frozen=True)
class TensorInfo:
    name: str
    shape: tuple[int, ...]  # GGUF order: ne[0] (input size of a weight) first
    type_id: int


@dataclass(frozen=True)
class GGUFInfo:
    path: Path
    version: int
    metadata: dict
    tensors: tuple[TensorInfo, ...]
    file_size: int

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", ""))

    @property
    def file_type(self) -> str:
        return str(self.metadata.get("general.type", "model"))

    @property
    def name(self) -> str:
        return str(self.metadata.get("general.name") or self.path.stem)

    @property
    def chat_template(self) -> str | None:
        value = self.metadata.get("tokenizer.chat_template")
        return value if isinstance(value, str) else None

    def tensor(self, name: str) -> TensorInfo | None:
        for tensor in self.tensors:
            if tensor.name == name:
                return tensor
        return None


class _Reader:
    def __init__(self, handle, size: int):
        self.handle = handle
        self.size = size

    def read(self, n: int) -> bytes:
        data = self.handle.read(n)
        if len(data) != n:
            raise GGUFFormatError("the file is truncated (it ends inside its header)")
        return data

    def scalar(self, fmt: str):
        return struct.unpack(fmt, self.read(struct.calcsize(fmt)))[0]

    def string(self) -> str:
        length = self.scalar("<Q")
        if length > _MAX_STRING or length > self.size:
            raise GGUFFormatError("corrupt header (impossible string length)")
        return self.read(length).decode("utf-8", errors="replace")

    def value(self, type_id: int):
        if type_id in _SCALARS:
            return self.scalar(_SCALARS[type_id])
        if type_id == _STRING:
            return self.string()
        if type_id == _ARRAY:
            item_type = self.scalar("<I")
            count = self.scalar("<Q")
            if count > self.size:
                raise GGUFFormatError("corrupt header (impossible array length)")
            if item_type in _SCALARS and count > _KEPT_ARRAY_ITEMS:
                self.read(struct.calcsize(_SCALARS[item_type]) * count)
                return ("array", count)
            items = [self.value(item_type) for _ in range(count)]
            return items if count <= _KEPT_ARRAY_ITEMS else ("array", count)
        raise GGUFFormatError(f"corrupt header (unknown value type {type_id})")


def read_gguf_info(path: str | Path) -> GGUFInfo:
    """Raises:
        GGUFFormatError: missing, unreadable, not GGUF, or a damaged header.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        handle = open(path, "rb")
    except FileNotFoundError as exc:
        raise GGUFFormatError(f"{path} does not exist") from exc
    except OSError as exc:
        raise GGUFFormatError(f"{path} cannot be read: {exc.strerror or exc}") from exc
    with handle:
        reader = _Reader(handle, size)
        if size < 24 or reader.read(4) != GGUF_MAGIC:
            raise GGUFFormatError(f"{path.name} is not a GGUF file")
        version = reader.scalar("<I")
        if version not in (2, 3):
            raise GGUFFormatError(f"{path.name} uses GGUF version {version}, which is not supported")
        tensor_count = reader.scalar("<Q")
        kv_count = reader.scalar("<Q")
        if tensor_count > size or kv_count > size:
            raise GGUFFormatError(f"{path.name} has a corrupt header")
        metadata = {}
        for _ in range(kv_count):
            key = reader.string()
            metadata[key] = reader.value(reader.scalar("<I"))
        tensors = []
        for _ in range(tensor_count):
            name = reader.string()
            n_dims = reader.scalar("<I")
            if n_dims > 8:
                raise GGUFFormatError(f"{path.name} has a corrupt tensor table")
            shape = tuple(reader.scalar("<Q") for _ in range(n_dims))
            type_id = reader.scalar("<I")
            reader.scalar("<Q")  # offset
            tensors.append(TensorInfo(name, shape, type_id))
    return GGUFInfo(path=path, version=version, metadata=metadata, tensors=tuple(tensors), file_size=size)
