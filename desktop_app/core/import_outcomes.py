"""What an import reports: each file's outcome, progress over files and within a long one, the summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["added", "replaced", "unchanged", "skipped"]


@dataclass(frozen=True)
class FileOutcome:
    path: str
    status: Status
    reason: str = ""
    chunks: int = 0
    pages: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class ImportProgress:
    done: int  # files finished, this one included
    total: int
    outcome: FileOutcome
    elapsed_s: float

    @property
    def eta_s(self) -> float | None:
        if self.done == 0 or self.done >= self.total:
            return None
        return self.elapsed_s / self.done * (self.total - self.done)


@dataclass(frozen=True)
class FileProgress:
    """How far a long file has got: sent after each section of a streamed one, each page read by OCR."""

    path: str
    bytes_done: int
    bytes_total: int
    chunks: int
    elapsed_s: float
    ocr_pages: tuple[int, int] | None = None  # (read, to read) while pages are read by OCR

    @property
    def fraction(self) -> float:
        if self.ocr_pages is not None:
            return self.ocr_pages[0] / max(1, self.ocr_pages[1])
        return min(1.0, self.bytes_done / max(1, self.bytes_total))

    @property
    def eta_s(self) -> float | None:
        return self.elapsed_s / self.fraction * (1 - self.fraction) if 0 < self.fraction < 1 else None


@dataclass
class ImportSummary:
    outcomes: list[FileOutcome] = field(default_factory=list)
    cancelled: bool = False

    def of(self, status: Status) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def counts(self) -> dict[str, int]:
        return {s: len(self.of(s)) for s in ("added", "replaced", "unchanged", "skipped")}
