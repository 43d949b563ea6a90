"""Loading one folder of YAML records: quickly when a file is fine, carefully when it is not."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.diagnostics import Diagnostic
from generator.load.cache import ParseCache, digest, shape_of, stamp_of
from generator.load.files import display_path, list_files
from generator.load.yamlsource import MAX_FILE_BYTES, Positions, quick_parse, read_text

PARALLEL_FROM = 2000  # below this, starting worker processes costs more than it saves

# (path, text, display) -> (record, positions, problems): the slow path with line numbers
CarefulLoader = Callable[[Path, str, str], tuple[BaseModel | None, Positions | None, list[Diagnostic]]]


class LoadedFile:
    """One record file after loading: the record when valid, positions when already known."""

    __slots__ = ("path", "display", "record", "positions", "problems", "digest", "shape")

    def __init__(self, path: Path, display: str, record: BaseModel | None,
                 positions: Positions | None, problems: list[Diagnostic], digest: bytes | None = None):
        self.path, self.display, self.record = path, display, record
        self.positions, self.problems = positions, problems
        self.digest = digest  # of the file's content (see cache.digest), when it was read or known
        self.shape: bytes | None = None  # cache.shape_of its data, for a valid record


def map_files(function: Callable[..., Any], items: list[Any], *extra: Any,
              parallel_from: int = PARALLEL_FROM) -> list[Any]:
    """`function(item, *extra)` for each item, on every core when there are at least `parallel_from`."""
    cores = os.cpu_count() or 1
    if len(items) < parallel_from or cores < 2:
        return [function(item, *extra) for item in items]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=cores, mp_context=context) as pool:
        chunk = max(1, len(items) // (cores * 4))
        return list(pool.map(function, items, *[[e] * len(items) for e in extra], chunksize=chunk))


def quick_data(text: str, stem: str, model: type[BaseModel], refused: frozenset[str]) -> dict | None:
    """Plain data of an ordinary, valid record; None sends the file down the careful path."""
    data = quick_parse(text)
    if not isinstance(data, dict) or data.get("id") != stem or not refused.isdisjoint(data):
        return None
    try:
        model.model_validate(data)
    except ValidationError:
        return None
    return data


def _parse_one(job: tuple[Path, str, str], model: type[BaseModel], refused: frozenset[str],
               careful: CarefulLoader) -> tuple[str, Any]:
    """Runs in worker processes: returns plain data (cheap to send back) or the careful result."""
    path, text, display = job
    data = quick_data(text, path.stem, model, refused)
    if data is not None:
        return "data", data
    return "careful", careful(path, text, display)


# the parse cache of the folder being loaded, for the workers (forked: a copy, read only, never pickled)
_CACHE: ParseCache | None = None


def _read_and_parse(job: tuple[Path, str], model: type[BaseModel], refused: frozenset[str],
                    careful: CarefulLoader) -> tuple[str, bytes | None, Any]:
    """Runs in worker processes, for a file whose stamp changed: reads it, and parses it unless the cache
    knows its content. (kind, content digest, what the kind needs): ("unreadable", None, problems),
    ("cached", digest, None), ("data", digest, (data, shape)) or ("careful", digest, careful result)."""
    path, display = job
    text, problems = read_text(path, display, MAX_FILE_BYTES)
    if text is None:
        return "unreadable", None, problems
    content_digest = digest(text.encode("utf-8"))
    if _CACHE is not None and _CACHE.get(path.name, content_digest) is not None:
        return "cached", content_digest, None
    kind, outcome = _parse_one((path, text, display), model, refused, careful)
    if kind == "data":
        return kind, content_digest, (outcome, shape_of(outcome))
    return kind, content_digest, outcome


def load_folder(root: Path, folder: str, model: type[BaseModel], careful: CarefulLoader,
                refused: frozenset[str] = frozenset()) -> tuple[list[LoadedFile], list[Diagnostic]]:
    global _CACHE
    paths, problems = list_files(root / folder, root, (".yml",))
    folder_display = display_path(root / folder)
    cache = ParseCache(root / folder, model.__name__)
    results: list[LoadedFile | None] = []
    jobs: list[tuple[Path, str]] = []
    digests: dict[str, bytes] = {}
    stamps: dict[str, tuple[int, int, int, int]] = {}
    folder_path = str(root / folder)
    for path in paths:
        name = path.name
        display = f"{folder_display}/{name}"
        try:
            stamps[name] = stamp = stamp_of(os.stat(os.path.join(folder_path, name)))
        except OSError:
            stamp = None
        known = cache.get_by_stamp(name, stamp) if stamp is not None else None
        if known is not None:  # not touched since its content was read: no need to read it again
            digests[name] = known[0]
            record = _validated(model, known[1])
            if record is not None:
                results.append(LoadedFile(path, display, record, None, []))
                continue
        results.append(None)
        jobs.append((path, display))  # read (and parsed, if its content is new) by the workers
    _CACHE = cache
    try:
        outcomes = iter(map_files(_read_and_parse, jobs, model, refused, careful))
    finally:
        _CACHE = None
    pending = iter(jobs)
    loaded: list[LoadedFile] = []
    for result in results:
        if result is not None:
            result.digest = digests.get(result.path.name)
            result.shape = cache.shape(result.path.name) if result.record is not None else None
            loaded.append(result)
            continue
        path, display = next(pending)
        name = path.name
        kind, content_digest, outcome = next(outcomes)
        if kind == "unreadable":
            loaded.append(LoadedFile(path, display, None, None, outcome))
            continue
        digests[name] = content_digest
        if kind == "cached":
            record = _validated(model, cache.get(name, content_digest))
            if record is not None:
                if name in stamps:
                    cache.restamp(name, stamps[name])
                result = LoadedFile(path, display, record, None, [])
                result.shape = cache.shape(name)
            else:  # cached data the model no longer accepts: parse it again, here
                text, read_problems = read_text(path, display, MAX_FILE_BYTES)
                if text is None:
                    loaded.append(LoadedFile(path, display, None, None, read_problems))
                    continue
                kind, outcome = _parse_one((path, text, display), model, refused, careful)
                if kind == "data":
                    outcome = (outcome, shape_of(outcome))
        if kind == "data":
            data, shape = outcome
            cache.put(name, content_digest, data, stamps.get(name), shape)
            result = LoadedFile(path, display, model.model_validate(data), None, [])
            result.shape = shape
        elif kind == "careful":
            record, positions, file_problems = outcome
            result = LoadedFile(path, display, record, positions, file_problems)
        result.digest = content_digest
        loaded.append(result)
    cache.keep_only(set(digests))
    cache.save()
    return loaded, problems


def _validated(model: type[BaseModel], data: Any) -> BaseModel | None:
    try:
        return model.model_validate(data)
    except ValidationError:
        return None
