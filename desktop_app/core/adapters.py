"""GGUF LoRA adapters: discovery, description and validation against a base model."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from desktop_app.core.errors import AdapterError
from desktop_app.core.gguf_info import GGUFFormatError, GGUFInfo, read_gguf_info


@dataclass(frozen=True)
class AdapterInfo:
    path: Path
    name: str
    architecture: str
    alpha: float | None
    rank: int | None
    targets: tuple[str, ...]  # adapted weight kinds, e.g. ("attn_q", "attn_v")
    layers: int
    size_bytes: int
    description: str
    width: int | None = None  # the hidden size of the model it was made for (896 for a 0.5B Qwen)

    def summary(self) -> str:
        rank = f"rank {self.rank}" if self.rank else "rank ?"
        alpha = f"alpha {self.alpha:g}" if self.alpha is not None else "alpha ?"
        return f"{self.name} ({self.architecture}, {rank}, {alpha}, {', '.join(self.targets) or 'no tensors'})"


def describe_adapter(path: str | Path) -> AdapterInfo:
    """Raises:
        AdapterError: unreadable, not GGUF, or not a LoRA adapter.
    """
    path = Path(path)
    try:
        info = read_gguf_info(path)
    except GGUFFormatError as exc:
        raise AdapterError(f"Cannot use adapter {path.name}: {exc}") from exc
    if info.file_type != "adapter" or str(info.metadata.get("adapter.type", "lora")) != "lora":
        raise AdapterError(f"{path.name} is not a LoRA adapter (general.type is '{info.file_type}')")
    pairs = _lora_pairs(info)
    if not pairs:
        raise AdapterError(f"{path.name} holds no LoRA tensors")
    ranks = {a.shape[1] for a, _ in pairs.values() if len(a.shape) == 2}
    targets = sorted({name.split(".")[2] for name in pairs if name.count(".") >= 3})
    layers = len({name.split(".")[1] for name in pairs if name.startswith("blk.")})
    alpha = info.metadata.get("adapter.lora.alpha")
    return AdapterInfo(
        path=path,
        name=str(info.metadata.get("general.name") or path.stem),
        architecture=info.architecture,
        alpha=float(alpha) if alpha is not None else None,
        rank=ranks.pop() if len(ranks) == 1 else None,
        targets=tuple(targets),
        layers=layers,
        size_bytes=info.file_size,
        description=str(info.metadata.get("general.description", "")),
        width=max((a.shape[0] for base, (a, _) in pairs.items() if base.endswith("attn_q.weight")), default=None),
    )


def model_width(info: GGUFInfo) -> int | None:
    """The hidden size of a model (``<arch>.embedding_length``), None when the file does not say."""
    width = info.metadata.get(f"{info.architecture}.embedding_length")
    return int(width) if width is not None else None


def _lora_pairs(info: GGUFInfo) -> dict:
    by_name = {t.name: t for t in info.tensors}
    pairs = {}
    for name, tensor in by_name.items():
        if name.endswith(".lora_a"):
            base = name[: -len(".lora_a")]
            partner = by_name.get(base + ".lora_b")
            if partner is not None:
                pairs[base] = (tensor, partner)
    return pairs


def check_adapter_fits(adapter_path: str | Path, base: GGUFInfo) -> None:
    """Refuse an adapter whose architecture or tensor shapes do not match the base model.

    Raises:
        AdapterError: says what does not fit.
    """
    adapter_path = Path(adapter_path)
    description = describe_adapter(adapter_path)
    if description.architecture and description.architecture != base.architecture:
        raise AdapterError(
            f"{adapter_path.name} was made for a '{description.architecture}' model; the loaded model is "
            f"'{base.architecture}' ({base.name})."
        )
    info = read_gguf_info(adapter_path)
    for weight_name, (lora_a, lora_b) in _lora_pairs(info).items():
        weight = base.tensor(weight_name)
        if weight is None:
            raise AdapterError(f"{adapter_path.name} adapts {weight_name}, which the loaded model "
                               f"({base.name}) does not have.")
        if len(lora_a.shape) != 2 or len(lora_b.shape) != 2 or len(weight.shape) != 2:
            raise AdapterError(f"{adapter_path.name}: {weight_name} has tensors of unexpected rank.")
        if lora_a.shape[0] != weight.shape[0] or lora_b.shape[1] != weight.shape[1]:
            raise AdapterError(
                f"{adapter_path.name} does not fit the loaded model ({base.name}): {weight_name} is "
                f"{weight.shape[0]}x{weight.shape[1]}, the adapter expects {lora_a.shape[0]}x{lora_b.shape[1]}."
            )
        if lora_a.shape[1] != lora_b.shape[0]:
            raise AdapterError(f"{adapter_path.name} is corrupt: {weight_name} has mismatched LoRA ranks.")


def discover_adapters(folders: Iterable[Path]) -> tuple[list[AdapterInfo], list[tuple[Path, str]]]:
    """Adapters in ``folders`` (not recursive), and files that looked like adapters but are unusable."""
    found: list[AdapterInfo] = []
    problems: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.gguf")):
            real = path.resolve()
            if real in seen:
                continue
            seen.add(real)
            try:
                found.append(describe_adapter(path))
            except AdapterError as exc:
                problems.append((path, str(exc)))
    return found, problems
