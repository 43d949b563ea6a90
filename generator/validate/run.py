"""Validation of the public tree: what `laomo build` runs first. The private tree is in `trees`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic, has_errors
from generator.load.public import PublicLoad, load_public
from generator.validate.public import check_public


@dataclass
class Validation:
    public: PublicLoad
    diagnostics: list[Diagnostic]
    private: object | None = None  # a PrivateLoad, set by validate.trees when a private tree was given

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def validate_public(records: Path) -> Validation:
    public = load_public(records)
    return Validation(public, public.diagnostics + check_public(public))
