"""The build's search stage: the Pagefind index in parts, made beside the page rendering.

`plan_search` shares the indexed pages out into parts (generator.site.search.shard_of) and keys each part by
the keys of its pages; `index_stage` starts indexing the parts whose key changed in a forked process
(searchdocs.BackgroundIndex) and returns at once; `IndexStage.finish` waits for it and moves the new parts
and the list of parts into the staging folder, recording their units in the new state.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.site.incremental import drop_unchanged
from generator.site.result import BuildFailed
from generator.site.search import (
    BUNDLES_FILE,
    SearchIndexError,
    bundle_files,
    bundle_path,
    bundles_json,
    part_count,
    shard_of,
)
from generator.site.searchdocs import BackgroundIndex, DocumentStore
from generator.site.state import Built, SiteState, Unit, UnitKind, digest, environment

# files of a part named by their content: the same name in the site is the same bytes
_CONTENT_NAMED = (".pf_fragment", ".pf_index", ".pf_filter", ".pf_meta")


@dataclass(frozen=True)
class SearchPlan:
    """Which page is in which part, each part's key, and the parts to index again."""

    parts: int
    members: dict[int, list[tuple[str, Any]]]  # part -> (url, what its search document is made from)
    keys: dict[int, bytes]
    rebuild: tuple[int, ...]

    @property
    def indexed(self) -> list[str]:
        return sorted(url for members in self.members.values() for url, _ in members)


def search_unit(part: int) -> Unit:
    return Unit(UnitKind.SEARCH, str(part))


def part_key(parts: int, part: int, members: Sequence[tuple[str, bytes]]) -> bytes:
    """The key of a part: the keys of its pages (url, page key), in url order."""
    return digest("search", environment(), parts, part, list(members))


def plan_search(indexed: Sequence[tuple[str, Any]], page_key: Callable[[Any], bytes],
                previous: SiteState | None) -> SearchPlan:
    """The parts of the index of `indexed` (url, page), a part made again when its key is not the one
    `previous` recorded."""
    ordered = sorted(indexed, key=lambda member: member[0])
    parts = part_count(len(ordered))
    members: dict[int, list[tuple[str, Any]]] = {n: [] for n in range(parts)}
    for url, page in ordered:
        members[shard_of(url, parts)].append((url, page))
    keys = {n: part_key(parts, n, [(url, page_key(page)) for url, page in members[n]]) for n in range(parts)}
    rebuild = tuple(n for n in range(parts)
                    if previous is None or previous.key_of(search_unit(n)) != keys[n])
    return SearchPlan(parts, members, keys, rebuild)


@dataclass(frozen=True)
class IndexResult:
    parts: int
    rebuilt: int
    message: str  # Pagefind's summary, for the build's report


class IndexStage:
    """The parts of `plan.rebuild` being indexed into `index_dir` (a folder MkDocs does not empty)."""

    def __init__(self, plan: SearchPlan, index_dir: Path, document: Callable[[Any], str], jobs: int,
                 store: DocumentStore):
        self.plan, self.index_dir = plan, index_dir
        self._background = (BackgroundIndex(index_dir, [(n, plan.members[n]) for n in plan.rebuild], document,
                                            jobs, store) if plan.rebuild else None)

    def finish(self, tmp: Path, out: Path, previous: SiteState | None, new: SiteState) -> IndexResult:
        """Wait for the index, move its new parts into the staging folder `tmp` and record every part's unit
        and its stored search documents in `new`. Raises BuildFailed when Pagefind failed."""
        plan = self.plan
        try:
            message = self._background.finish() if self._background is not None else "搜索索引无变化"
        except SearchIndexError as exc:
            raise BuildFailed(message=str(exc)) from None
        kept = previous.search_documents if previous is not None else {}
        new.search_documents = {n: kept[n] for n in range(plan.parts) if n not in plan.rebuild and n in kept}
        new.search_documents.update(self._background.keys if self._background is not None else {})
        for n in range(plan.parts):
            unit = search_unit(n)
            if n in plan.rebuild:
                (tmp / bundle_path(n)).parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.index_dir / bundle_path(n), tmp / bundle_path(n))
                made = bundle_files(tmp / bundle_path(n), tmp)
                new.units[unit] = Built(plan.keys[n], tuple(made))
                if previous is not None:
                    drop_unchanged(tmp, out, made, {m for m in made if m.endswith(_CONTENT_NAMED)})
            elif previous is not None:
                new.units[unit] = previous.units[unit]
            # else: a part of another shard (generator.site.shards); a first build indexes every other part
        bundles = bundles_json(plan.parts)
        bundles_unit, bundles_key = Unit(UnitKind.BUNDLES), digest("bundles", bundles)
        new.units[bundles_unit] = Built(bundles_key, (BUNDLES_FILE,))
        if previous is None or previous.key_of(bundles_unit) != bundles_key:
            (tmp / BUNDLES_FILE).write_bytes(bundles)
        return IndexResult(plan.parts, len(plan.rebuild), message)

    def close(self) -> None:
        if self._background is not None:
            self._background.close()


@contextmanager
def index_stage(plan: SearchPlan, index_dir: Path, document: Callable[[Any], str], jobs: int,
                store: DocumentStore) -> Iterator[IndexStage]:
    """Start indexing the parts of `plan.rebuild`; the indexing process is stopped on leaving, whether or not
    `finish` was called (a failed build)."""
    stage = IndexStage(plan, index_dir, document, jobs, store)
    try:
        yield stage
    finally:
        stage.close()
