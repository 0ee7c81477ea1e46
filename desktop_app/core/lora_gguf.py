"""Write GGUF LoRA adapter files that llama.cpp loads on top of a (quantized) base model.

Layout (what llama.cpp's ``llama_adapter_lora_init`` checks): ``general.type = adapter``,
``adapter.type = lora``, ``adapter.lora.alpha``, and for each adapted weight ``W`` (GGUF shape
``[in, out]``) two float32 tensors ``<W>.lora_a`` (numpy shape ``[r, in]``) and ``<W>.lora_b``
(numpy shape ``[out, r]``): peft's ``lora_A.weight`` and ``lora_B.weight`` as they are.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Mapping

import numpy as np

_ALIGNMENT = 32
_F32 = 0
_UINT32, _FLOAT32, _STRING = 4, 6, 8


def _string(value: str) -> bytes:
    data = value.encode("utf-8")
    return struct.pack("<Q", len(data)) + data


def _kv(key: str, value) -> bytes:
    if isinstance(value, str):
        return _string(key) + struct.pack("<I", _STRING) + _string(value)
    if isinstance(value, float):
        return _string(key) + struct.pack("<I", _FLOAT32) + struct.pack("<f", value)
    if isinstance(value, int):
        return _string(key) + struct.pack("<I", _UINT32) + struct.pack("<I", value)
    raise TypeError(f"unsupported metadata value for {key}: {type(value).__name__}")


def write_lora_gguf(
    path: str | Path,
    *,
    architecture: str,
    alpha: float,
    tensors: Mapping[str, tuple[np.ndarray, np.ndarray]],
    name: str = "",
    description: str = "",
) -> Path:
    """Write ``tensors``: base weight name (e.g. ``blk.0.attn_q.weight``) -> (lora_a [r, in], lora_b [out, r])."""
    path = Path(path)
    metadata: dict = {"general.architecture": architecture, "general.type": "adapter", "adapter.type": "lora",
                      "adapter.lora.alpha": float(alpha)}
    if name:
        metadata["general.name"] = name
    if description:
        metadata["general.description"] = description
    arrays: list[tuple[str, np.ndarray]] = []
    for weight, (lora_a, lora_b) in tensors.items():
        arrays.append((f"{weight}.lora_a", np.ascontiguousarray(lora_a, dtype=np.float32)))
        arrays.append((f"{weight}.lora_b", np.ascontiguousarray(lora_b, dtype=np.float32)))
    header = bytearray(b"GGUF" + struct.pack("<IQQ", 3, len(arrays), len(metadata)))
    for key, value in metadata.items():
        header += _kv(key, value)
    offset = 0
    offsets = []
    for tensor_name, array in arrays:
        offsets.append(offset)
        header += _string(tensor_name) + struct.pack("<I", array.ndim)
        header += b"".join(struct.pack("<Q", dim) for dim in reversed(array.shape))  # GGUF: ne[0] first
        header += struct.pack("<IQ", _F32, offset)
        offset += -(-array.nbytes // _ALIGNMENT) * _ALIGNMENT
    header += b"\x00" * (-len(header) % _ALIGNMENT)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "wb") as out:
        out.write(header)
        for (_, array), start in zip(arrays, offsets):
            out.write(array.tobytes())
            out.write(b"\x00" * (-array.nbytes % _ALIGNMENT))
    tmp.replace(path)
    return path
