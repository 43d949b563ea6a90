"""Loading one folder of YAML records: quickly when a file is fine, carefully when it is not."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.diagnostics import Diagnostic
from generator.load.cache import ParseCache, shape_of, stamp_of
from generator.load.files import display_path, list_files
from generator.load.yamlsource import MAX_FILE_BYTES, Positions, quick_parse, read_text, read_text_and_digest
from generator.parallel import cores, map_in_processes

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


def plain_data(text: str, stem: str, refused: frozenset[str]) -> dict[str, Any] | None:
    """Plain data of an ordinary record, not yet checked against its model; None for anything else."""
    data = quick_parse(text)
    if not isinstance(data, dict) or data.get("id") != stem or not refused.isdisjoint(data):
        return None
    return data


def quick_data(text: str, stem: str, model: type[BaseModel], refused: frozenset[str]) -> dict[str, Any] | None:
    """Plain data of an ordinary, valid record; None sends the file down the careful path."""
    data = plain_data(text, stem, refused)
    if data is None:
        return None
    try:
        model.model_validate(data)
    except ValidationError:
        return None
    return data


@dataclass(frozen=True)
class Folder:
    """A folder of records of one model; `refused` are field names no file there may have."""

    name: str
    model: type[BaseModel]
    careful: CarefulLoader
    refused: frozenset[str] = frozenset()


class Read(Enum):
    """What a worker made of a file whose stamp changed, and so what comes with it."""

    UNREADABLE = "unreadable"  # its problems
    CACHED = "cached"  # nothing: the cache knows its content
    DATA = "data"  # (plain data, shape), for the parent to validate
    CAREFUL = "careful"  # the careful loader's (record, positions, problems)


# what the workers need of the folders being loaded: (folder, its cache) by the folder's index
Loading = list[tuple[Folder, ParseCache]]


def _read_and_parse(loading: Loading, job: tuple[int, Path, str]) -> tuple[Read, bytes | None, Any]:
    """Runs in worker processes, for a file whose stamp changed: reads it, and parses it unless the cache
    knows its content. (kind, content digest or None when unreadable, what the kind brings)."""
    index, path, display = job
    folder, cache = loading[index]
    text, content_digest, problems = read_text_and_digest(path, display, MAX_FILE_BYTES)
    if text is None or content_digest is None:
        return Read.UNREADABLE, None, problems
    if cache.get(content_digest) is not None:  # the same bytes as a file parsed before: nothing to parse
        return Read.CACHED, content_digest, None
    data = plain_data(text, path.stem, folder.refused)  # the parent validates it: it needs the model anyway
    if data is not None:
        return Read.DATA, content_digest, (data, shape_of(data))
    return Read.CAREFUL, content_digest, folder.careful(path, text, display)


def _careful_again(loading: Loading,
                   job: tuple[int, Path, str]) -> tuple[BaseModel | None, Positions | None, list[Diagnostic]]:
    """Runs in worker processes, for a file whose plain data its model refused: the careful path."""
    index, path, display = job
    text, problems = read_text(path, display, MAX_FILE_BYTES)
    if text is None:
        return None, None, problems
    return loading[index][0].careful(path, text, display)


def _ignoring_loading(also: Callable[[Any], Any], _loading: Loading, item: Any) -> Any:
    """Work given beside the folders (stories): it needs nothing of them."""
    return also(item)


def _run(loading: Loading, task: tuple[Callable[[Loading, Any], Any], Any]) -> Any:
    function, argument = task
    return function(loading, argument)


class _Plan:
    """One folder's files: those known from the cache by their stamp, and the jobs for the rest."""

    def __init__(self, root: Path, index: int, folder: Folder, digests: Mapping[str, bytes]):
        self.folder = folder
        self.paths, self.problems = list_files(root / folder.name, root, (".yml",))
        self.cache = ParseCache(root / folder.name, folder.model.__name__)
        self.known: list[LoadedFile | None] = []  # None where a job reads the file
        self.jobs: list[tuple[int, Path, str]] = []
        self.stamps: dict[str, tuple[int, int, int, int]] = {}
        folder_display = display_path(root / folder.name)
        folder_path = str(root / folder.name)
        for path in self.paths:
            name = path.name
            display = f"{folder_display}/{name}"
            try:
                self.stamps[name] = stamp = stamp_of(os.stat(os.path.join(folder_path, name)))
            except OSError:
                stamp = None
            known = self.cache.known(name, stamp) if stamp is not None else None
            if known is None:  # touched since it was read (a checkout): perhaps the same bytes
                known = digests.get(f"{folder.name}/{name}")
            data = self.cache.get(known) if known is not None else None
            if known is not None and data is not None:  # content parsed before: not read again
                record = _validated(folder.model, data)
                if record is not None:
                    self.cache.restamp(name, known, stamp)
                    loaded = LoadedFile(path, display, record, None, [], known)
                    loaded.shape = self.cache.shape(known)
                    self.known.append(loaded)
                    continue
            self.known.append(None)
            self.jobs.append((index, path, display))  # read (and parsed, if its content is new) by the workers

    def finish(self, outcomes: Iterator[tuple[Read, bytes | None, Any]]) -> list[LoadedFile]:
        """The folder's files, in order; those whose data the model refused are in `refused`, to be
        loaded carefully (`careful_again`)."""
        pending = iter(self.jobs)
        self.loaded: list[LoadedFile] = []
        self.refused: list[int] = []
        for known in self.known:
            if known is not None:
                self.loaded.append(known)
                continue
            _, path, display = next(pending)
            kind, content_digest, outcome = next(outcomes)
            result = self._outcome(path, display, kind, content_digest, outcome)
            if result is None:
                self.refused.append(len(self.loaded))
                result = LoadedFile(path, display, None, None, [], content_digest)
            self.loaded.append(result)
        return self.loaded

    def careful_again(self, outcomes: Iterator[tuple[BaseModel | None, Positions | None, list[Diagnostic]]]) -> None:
        for position in self.refused:
            old = self.loaded[position]
            record, positions, problems = next(outcomes)
            self.loaded[position] = LoadedFile(old.path, old.display, record, positions, problems, old.digest)
        self.cache.keep_only({result.path.name for result in self.loaded if result.digest is not None})
        self.cache.save()

    def _outcome(self, path: Path, display: str, kind: Read, content_digest: bytes | None,
                 outcome: Any) -> LoadedFile | None:
        """The loaded file; None when the model refuses its data (it is then loaded carefully)."""
        model, cache, name = self.folder.model, self.cache, path.name
        if kind is Read.UNREADABLE:
            return LoadedFile(path, display, None, None, outcome)
        if kind is Read.CAREFUL:
            record, positions, file_problems = outcome
            return LoadedFile(path, display, record, positions, file_problems, content_digest)
        assert content_digest is not None  # the file was read
        if kind is Read.CACHED:
            data, shape = cache.get(content_digest), cache.shape(content_digest)
        else:
            data, shape = outcome
        record = _validated(model, data)
        if record is None:
            return None
        if kind is Read.CACHED:
            cache.restamp(name, content_digest, self.stamps.get(name))
        else:
            cache.put(name, content_digest, data, self.stamps.get(name), shape)
        result = LoadedFile(path, display, record, None, [], content_digest)
        result.shape = shape
        return result


def load_folders(root: Path, folders: list[Folder], also: Callable[[Any], Any] | None = None,
                 also_items: Sequence[Any] = (), digests: Mapping[str, bytes] | None = None,
                 ) -> tuple[list[tuple[list[LoadedFile], list[Diagnostic]]], list[Any]]:
    """Each folder's files, loaded together on every core with `also(item)` for each of `also_items`
    (independent work, such as stories): one pool of workers, busy until the last file. `digests`: content
    digests of files (by path below `root`) the caller knows; such a file whose content is cached is not read."""
    plans = [_Plan(root, index, folder, digests or {}) for index, folder in enumerate(folders)]
    tasks: list[tuple[Callable[[Loading, Any], Any], Any]] = [(_read_and_parse, job) for plan in plans
                                                             for job in plan.jobs]
    if also is not None:
        tasks += [(partial(_ignoring_loading, also), item) for item in also_items]
    loading: Loading = [(plan.folder, plan.cache) for plan in plans]
    jobs = cores()
    outcomes = map_in_processes(_run, tasks, loading, jobs, parallel_from=PARALLEL_FROM)
    loaded = [(plan.finish(outcomes), plan.problems) for plan in plans]
    extra = list(outcomes)
    again: list[tuple[Callable[[Loading, Any], Any], Any]] = [
        (_careful_again, (index, plan.loaded[position].path, plan.loaded[position].display))
        for index, plan in enumerate(plans) for position in plan.refused]
    refused_outcomes = map_in_processes(_run, again, loading, jobs, parallel_from=PARALLEL_FROM)
    for plan in plans:
        plan.careful_again(refused_outcomes)
    return loaded, extra


def _validated(model: type[BaseModel], data: Any) -> BaseModel | None:
    try:
        return model.model_validate(data)
    except ValidationError:
        return None
