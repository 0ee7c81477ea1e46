"""Write GGUF LoRA adapter files that llama.cpp loads on top of a (quantized) base model, with the
``gguf`` library's own writer.

Layout (what llama.cpp's ``llama_adapter_lora_init`` checks): ``general.type = adapter``,
``adapter.type = lora``, ``adapter.lora.alpha``, and for each adapted weight ``W`` (GGUF shape
``[in, out]``) two float32 tensors ``<W>.lora_a`` (numpy shape ``[r, in]``) and ``<W>.lora_b``
(numpy shape ``[out, r]``): peft's ``lora_A.weight`` and ``lora_B.weight`` as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

import numpy as np


def write_lora_gguf(
    path: str | Path,
    *,
    architecture: str,
    alpha: float,
    tensors: Mapping[str, tuple[np.ndarray, np.ndarray]],
    name: str = "",
    description: str = "",
) -> Path:
    """Write ``tensors``: base weight name (e.g. ``blk.0.attn_q.weight``) -> (lora_a [r, in], lora_b [out, r]).

    The file appears complete or not at all (written aside, then renamed).
    """
    import gguf

    path = Path(path)
    tmp = path.with_suffix(path.suffix + ".tmp")
    writer = gguf.GGUFWriter(str(tmp), architecture)
    try:
        writer.add_type(gguf.GGUFType.ADAPTER)
        writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
        writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(alpha))
        if name:
            writer.add_name(name)
        if description:
            writer.add_description(description)
        for weight, (lora_a, lora_b) in tensors.items():
            writer.add_tensor(f"{weight}.lora_a", np.ascontiguousarray(lora_a, dtype=np.float32))
            writer.add_tensor(f"{weight}.lora_b", np.ascontiguousarray(lora_b, dtype=np.float32))
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
    finally:
        writer.close()
    tmp.replace(path)
    return path
