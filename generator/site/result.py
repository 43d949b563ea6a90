"""What a build gives back: its report, or the failure with every problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import Diagnostic


@dataclass
class BuildReport:
    out: Path
    pages: int = 0
    photos: int = 0
    photos_encoded: int = 0
    search: str = ""
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    incremental: bool = False
    rendered: int = 0  # pages rendered this time (the others were unchanged)
    search_parts: int = 0  # parts of the search index (bundles)
    search_rebuilt: int = 0  # parts indexed this time


class BuildFailed(Exception):
    def __init__(self, diagnostics: list[Diagnostic] | None = None, message: str = ""):
        super().__init__(message)
        self.diagnostics = diagnostics or []
        self.message = message
