"""Problems found in records, and how they are printed."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # as shown to the editor, relative to the working directory when possible
    line: int  # 1-based
    column: int  # 1-based
    severity: Severity
    message: str  # Chinese, says what is wrong and how to fix it

    def as_text(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"

    def as_github(self) -> str:
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{self.severity} file={self.path},line={self.line},col={self.column}::{message}"


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def format_diagnostics(diagnostics: list[Diagnostic], fmt: str) -> str:
    ordered = sorted(diagnostics)
    if fmt == "json":
        return json.dumps([asdict(d) for d in ordered], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(d.as_github() for d in ordered)
    return "\n".join(d.as_text() for d in ordered)
