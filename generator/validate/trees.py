"""Validation of the public and private trees together: what `laomo validate --private` and `report` run."""

from __future__ import annotations

from pathlib import Path

from generator.load.private import load_private
from generator.validate.exposure import check_exposure
from generator.validate.private import check_private
from generator.validate.run import Validation, validate_public, without_collection


def validate_trees(records: Path, private: Path | None) -> Validation:
    with without_collection():
        validation = validate_public(records)
        if private is None:
            return validation
        private_load = load_private(private)
        validation.private = private_load
        validation.diagnostics += private_load.diagnostics + check_private(private_load, validation.public)
        validation.diagnostics += check_exposure(private_load, validation.public)
        return validation
