"""Private field names and private-looking values anywhere under records/ (`laomo validate`) or in the added
lines of a pull request (`laomo scan-diff`).

The field names are read from the private model, so a field added there is looked for at once. This module is
therefore on the staff side of the import contracts: the public build never imports it, `laomo validate` and
`laomo scan-diff` do (pyproject.toml, [tool.importlinter], says why that edge is allowed).
"""

from __future__ import annotations

import dataclasses
import functools
import re
import typing
from pathlib import Path

from pydantic import BaseModel

from generator.diagnostics import Diagnostic
from generator.load.files import display_path
from generator.load.yamlsource import MAX_FILE_BYTES
from generator.model.private import PrivateTree
from generator.model.public import PublicTree
from generator.parallel import cores, map_in_processes
from generator.privacyscan import key_pattern, scan_text
from generator.validate.layout import check_layout, text_files


def _field_names(model: type[BaseModel], seen: set[type[BaseModel]]) -> set[str]:
    """Every field name (as written in YAML: the alias when there is one) of `model` and the models in it."""
    if model in seen:
        return set()
    seen.add(model)
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names.add(info.alias or name)
        for inner in _types_in(info.annotation):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                names |= _field_names(inner, seen)
    return names


def _types_in(annotation: object) -> typing.Iterator[object]:
    yield annotation
    for argument in typing.get_args(annotation):
        yield from _types_in(argument)


@functools.cache
def private_keys() -> frozenset[str]:
    """Keys only private records have, at any depth (`name`, `year`, `date` … are public too: not these)."""
    return frozenset(_field_names(PrivateTree, set()) - _field_names(PublicTree, set()))


@functools.cache
def private_key_pattern() -> re.Pattern[str]:
    return key_pattern(private_keys())


PARALLEL_FROM = 2000  # files; below this a second process costs more than it saves
CHUNK = 500


def scan_records(records: Path) -> list[Diagnostic]:
    """Every private key and private-looking value in the text files under `records` (links not followed)."""
    paths = [str(path) for path in text_files(records)]
    chunks = [paths[i:i + CHUNK] for i in range(0, len(paths), CHUNK)]
    problems: list[Diagnostic] = []
    jobs = cores() if len(paths) >= PARALLEL_FROM else 1
    for found in map_in_processes(_scan_files, chunks, None, jobs):
        problems += [dataclasses.replace(d, path=display_path(Path(d.path))) for d in found]
    return problems


def _scan_files(_context: None, paths: list[str]) -> list[Diagnostic]:
    """Runs in worker processes for a large tree: findings named by the file's full path."""
    problems: list[Diagnostic] = []
    for path in paths:
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError:
            continue  # the loader or the layout check reports what cannot be read
        if b"\0" in data[:8192]:
            continue  # not text (the layout check names files that do not belong)
        markdown = path.lower().endswith((".md", ".markdown"))
        problems += scan_text(path, data.decode("utf-8", errors="replace"), private_key_pattern(), markdown)
    return problems


def check_records_edges(records: Path, known: list[Diagnostic]) -> list[Diagnostic]:
    """What `laomo validate` adds to the record checks: the layout of the tree and the privacy scan, less
    what `known` (the loader's problems) already says of the same line (a private field in a record)."""
    said = {(d.path, d.line) for d in known if d.severity == "error"}
    return [d for d in check_layout(records) + scan_records(records) if (d.path, d.line) not in said]
