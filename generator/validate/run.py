"""Validation of the public tree: what `laomo build` runs first. The private tree is in `trees`."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Mapping
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


@contextlib.contextmanager
def without_collection() -> Iterator[None]:
    """Loading makes hundreds of thousands of objects and no reference cycles worth collecting; the
    collector's passes over them took half of the time of validating 20,000 records. They are frozen
    at the end: the first collection after would otherwise go over all of them (0.3 s at that size)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def validate_public(records: Path, digests: Mapping[str, bytes] | None = None) -> Validation:
    """`digests`: content digests of files below `records` the caller knows (load.public.PublicLoad)."""
    with without_collection():
        public = load_public(records, digests)
        return Validation(public, public.diagnostics + check_public(public))
