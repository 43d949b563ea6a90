"""The build's search stage: one base index and a small delta (generator.site.search), made beside the pages.

`plan_search` compares each indexed page's key with the one it had when the base was made (the state's
`search_base`): the pages that differ, or are new, go to the delta, and the base copies of the changed ones
are superseded. A first build, `--full`, a page removed (a record deleted or hidden: none of its words may stay
in the site's files) or more than MAX_DELTA_PAGES changed pages make the base again (and no delta). `index_stage` starts indexing in a forked process (searchdocs.BackgroundIndex) and returns at
once; `IndexStage.finish` waits for it, moves the new bundles into the staging folder, writes
search-bundles.json and records the units and the manifest (which page is in which index, by page id) in the
new state.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.site import search as search_index
from generator.site.incremental import drop_unchanged
from generator.site.result import BuildFailed
from generator.site.search import (
    BUNDLES_FILE,
    DELTA,
    MAX_DELTA_PAGES,
    BundleList,
    SearchIndexError,
    base_path,
    bundle_files,
    shard_of,
)
from generator.site.searchdocs import BackgroundIndex, DocumentStore
from generator.site.state import Built, SiteState, Unit, UnitKind, digest, environment

# files of a bundle named by their content: the same name in the site is the same bytes
CONTENT_NAMED = (".pf_fragment", ".pf_index", ".pf_filter", ".pf_meta")
BASE_UNIT = Unit(UnitKind.SEARCH, "base")
DELTA_UNIT = Unit(UnitKind.SEARCH, "delta")
BUNDLES_UNIT = Unit(UnitKind.BUNDLES)

Manifest = dict[str, tuple[bytes, str]]  # url -> (page key, Pagefind's page id) of the pages of one index


@dataclass(frozen=True)
class SearchPlan:
    """The indexed pages, whether the base is made again, and the pages of the delta."""

    pages: dict[str, Any]  # url -> what its search document is made from
    keys: dict[str, bytes]  # url -> page key
    base: bool  # the base index is made again (then the delta is empty)
    delta: tuple[str, ...]  # urls of the pages in the delta, sorted
    reindex_delta: bool  # the delta is not the previous build's
    base_parts: tuple[int, ...]  # the base's parts this build makes (all; a shard's own: generator.site.shards)

    def base_members(self) -> dict[int, list[tuple[str, Any]]]:
        """Part -> (url, page) of the base's parts this build makes; a part without pages is not made."""
        members: dict[int, list[tuple[str, Any]]] = {}
        for url, page in self.pages.items():
            part = shard_of(url, search_index.base_parts(len(self.pages)))
            if part in self.base_parts:
                members.setdefault(part, []).append((url, page))
        return dict(sorted(members.items()))

    @property
    def indexed(self) -> list[str]:
        return sorted(self.pages)

    @property
    def base_key(self) -> bytes:
        return base_key(self.keys)

    @property
    def delta_key(self) -> bytes:
        return delta_key({url: self.keys[url] for url in self.delta})


def base_key(keys: Mapping[str, bytes]) -> bytes:
    return digest("search-base", environment(), search_index.base_parts(len(keys)), sorted(keys.items()))


def delta_key(keys: Mapping[str, bytes]) -> bytes:
    return digest("search-delta", environment(), sorted(keys.items()))


def changed_since_base(keys: Mapping[str, bytes], base: Manifest) -> tuple[list[str], list[str]]:
    """(pages whose key is not the one they had in the base, or new; base pages no longer indexed)."""
    changed = sorted(url for url, key in keys.items() if url not in base or base[url][0] != key)
    removed = sorted(url for url in base if url not in keys)
    return changed, removed


def plan_search(indexed: Sequence[tuple[str, Any]], page_key: Callable[[Any], bytes],
                previous: SiteState | None) -> SearchPlan:
    """What to index of `indexed` (url, page), given what `previous` (None: a full build) indexed."""
    pages = dict(sorted(indexed, key=lambda member: member[0]))
    keys = {url: page_key(page) for url, page in pages.items()}
    base = previous.search_base if previous is not None and previous.key_of(BASE_UNIT) is not None else {}
    changed, removed = changed_since_base(keys, base)
    # a page leaving the site (a record removed or hidden) leaves no word in the base: made again
    if not base or removed or len(changed) > MAX_DELTA_PAGES:
        return SearchPlan(pages, keys, True, (), False, tuple(range(search_index.base_parts(len(pages)))))
    delta = tuple(changed)
    reindex = bool(delta) and (previous is None or previous.key_of(DELTA_UNIT) != delta_key(
        {url: keys[url] for url in delta}))
    return SearchPlan(pages, keys, False, delta, reindex, ())


def bundle_list(base_urls: Iterable[str], base: Manifest, delta: Manifest, indexed: Sequence[str]) -> BundleList:
    """search-bundles.json for a base of `base_urls` (`base`: those of them this build knows the page ids of)
    and a delta holding `indexed` between them. The base's parts without pages are not listed (nor made)."""
    now = set(indexed)
    superseded = {page_id: url for url, (_, page_id) in base.items() if url in delta or url not in now}
    urls = list(base_urls)
    parts = sorted({shard_of(url, search_index.base_parts(len(urls))) for url in urls})
    return BundleList(tuple(base_path(n) for n in parts), DELTA if delta else None, superseded,
                      {page_id: url for url, (_, page_id) in delta.items()})


def write_bundle_list(bundles: BundleList, tmp: Path, previous: SiteState | None, new: SiteState) -> None:
    data = bundles.json()
    key = digest("bundles", data)
    new.units[BUNDLES_UNIT] = Built(key, (BUNDLES_FILE,))
    if previous is None or previous.key_of(BUNDLES_UNIT) != key:
        (tmp / BUNDLES_FILE).write_bytes(data)


def stage_bundle(index_dir: Path, folder: str, tmp: Path, out: Path, previous: SiteState | None) -> tuple[str, ...]:
    """Move a bundle made in `index_dir` into the staging folder; its site-relative files."""
    (tmp / folder).parent.mkdir(parents=True, exist_ok=True)
    os.replace(index_dir / folder, tmp / folder)
    return staged_bundle(tmp, folder, out, previous)


def staged_bundle(tmp: Path, folder: str, out: Path, previous: SiteState | None) -> tuple[str, ...]:
    """The site-relative files of a bundle in the staging folder; those already in the site are not moved again."""
    made = bundle_files(tmp / folder, tmp)
    if previous is not None:
        drop_unchanged(tmp, out, made, {m for m in made if m.endswith(CONTENT_NAMED)})
    return tuple(made)


@dataclass(frozen=True)
class IndexResult:
    bundles: int  # bundles of the index (base parts and the delta)
    rebuilt: int  # bundles made this time
    message: str  # for the build's report


class IndexStage:
    """The bundles of `plan` being indexed into `index_dir` (a folder MkDocs does not empty)."""

    def __init__(self, plan: SearchPlan, index_dir: Path, document: Callable[[Any], str], store: DocumentStore):
        self.plan, self.index_dir = plan, index_dir
        base = plan.base_members() if plan.base else {}
        delta = [(url, plan.pages[url]) for url in plan.delta] if plan.reindex_delta else []
        self._background = BackgroundIndex(index_dir, base, delta, document, store) if base or delta else None

    def finish(self, tmp: Path, out: Path, previous: SiteState | None, new: SiteState) -> IndexResult:
        """Wait for the index, move its new bundles into the staging folder `tmp` and record their units, the
        manifest and the stored delta documents in `new`. Raises BuildFailed when Pagefind failed."""
        plan = self.plan
        try:
            made = self._background.finish() if self._background is not None else None
        except SearchIndexError as exc:
            raise BuildFailed(message=str(exc)) from None
        rebuilt = 0
        if plan.base:
            files = [f for n in plan.base_members() for f in stage_bundle(self.index_dir, base_path(n), tmp, out,
                                                                            previous)]
            new.units[BASE_UNIT] = Built(plan.base_key, tuple(files))
            ids = made.base if made is not None else {}
            missing = [url for part in plan.base_members().values() for url, _ in part if url not in ids]
            if missing:
                raise BuildFailed(message=str(SearchIndexError(f"Pagefind 没有索引这些页面：{'、'.join(missing[:5])}")))
            new.search_base = {url: (plan.keys[url], ids[url]) for url in ids}
            rebuilt += len(plan.base_members())
        else:
            assert previous is not None  # a first build makes the base
            new.units[BASE_UNIT] = previous.units[BASE_UNIT]
            new.search_base = previous.search_base
        if plan.reindex_delta:
            assert made is not None
            new.units[DELTA_UNIT] = Built(plan.delta_key, stage_bundle(self.index_dir, DELTA, tmp, out, previous))
            new.search_delta = {url: (plan.keys[url], made.delta[url]) for url in plan.delta}
            new.search_documents = made.delta_documents
            rebuilt += 1
        elif plan.delta:
            assert previous is not None
            new.units[DELTA_UNIT] = previous.units[DELTA_UNIT]
            new.search_delta, new.search_documents = previous.search_delta, previous.search_documents
        base_urls = plan.pages if plan.base else new.search_base  # a shard knows the ids of its own parts only
        bundles = bundle_list(base_urls, new.search_base, new.search_delta, plan.indexed)
        write_bundle_list(bundles, tmp, previous, new)
        message = made.message if made is not None else "搜索索引无变化"
        return IndexResult(len(bundles.base) + (1 if bundles.delta else 0), rebuilt, message)

    def close(self) -> None:
        if self._background is not None:
            self._background.close()


@contextmanager
def index_stage(plan: SearchPlan, index_dir: Path, document: Callable[[Any], str],
                store: DocumentStore) -> Iterator[IndexStage]:
    """Start indexing what `plan` says; the indexing process is stopped on leaving, whether or not `finish`
    was called (a failed build)."""
    stage = IndexStage(plan, index_dir, document, store)
    try:
        yield stage
    finally:
        stage.close()
