"""Incremental builds: the key of each output (what it is made from), and which staged files need not move."""

from __future__ import annotations

import marshal
import os
from collections.abc import Set as AbstractSet
from pathlib import Path

from generator.site import studios as studio_pages
from generator.site.opendata import _record as open_data_row
from generator.site.pages import SiteModel
from generator.site.render_pages import RenderState
from generator.site.search import (
    BUNDLES_FILE,
)
from generator.site.state import SiteState, digest, linked_ids, record_key

# ——— keys: what each output is made from ————————————————————————————————————


def _facet_summary(facet) -> tuple:
    if facet is None:
        return ()
    parent = (facet.parent.value, facet.parent.url) if facet.parent is not None else None
    return (facet.section, facet.dim, facet.value, facet.slug, facet.url, parent,
            [(c.value, c.slug, c.url, len(c.members)) for c in facet.children])


def page_keys(state: RenderState, jobs: list[tuple[str, str]], shown: set[str],
              pickled: dict[str, bytes]) -> dict[tuple[str, str], bytes]:
    """The key of every generated page: a digest of the views it is rendered from (`pickled`: view_bytes of
    every record's view)."""
    model = state.model
    record_keys = {rid: record_key(r, pickled[rid], shown) for rid, r in model.records.items()}
    story_keys = {}
    for s in model.stories:
        about = [(i, model.records[i].kind, model.records[i].name, model.records[i].url,
                  model.records[i].province) for i in s.about_ids]
        story_keys[s.slug] = digest("story", repr(s), about, [(i, i in shown) for i in linked_ids(s.body)])
    keys: dict[tuple[str, str], bytes] = {}
    studio_keys = studio_pages.page_keys(model.studios)  # visitors helper: 劳模创新工作室
    for job in jobs:
        kind, key = job
        if kind == "record":
            keys[job] = record_keys[key]
        elif kind == "story":
            keys[job] = story_keys[key]
        elif kind in ("studio", "studios"):
            keys[job] = studio_keys[job]
        elif kind == "listing":
            listing = state.listings[int(key)]
            items = [story_keys[i.slug] if listing.section == "stories" else record_keys[i.id] for i in listing.items]
            keys[job] = digest("listing", listing.url, listing.base_url, listing.title, listing.section,
                               listing.number, listing.total_pages, listing.total_items,
                               _facet_summary(listing.facet), items)
        else:
            section_name, dim = key.split("/")
            section = model.workers if section_name == "workers" else model.homes
            keys[job] = digest("facets", key, [(_facet_summary(f), len(f.members)) for f in section.facets[dim]])
    return keys


def row_digest(row: dict) -> bytes:
    try:
        return digest(marshal.dumps(row, 2))
    except ValueError:
        return digest(repr(row))


def open_data_key(model: SiteModel, site_url: str, record_keys: dict[str, bytes], previous: SiteState | None,
                  rows: dict[str, tuple[bytes, bytes]], made: dict[str, dict]) -> bytes:
    """Digest of the open data's rows; a row is made again (into `made`) only when its record's page key
    changed."""
    old = previous.rows if previous is not None else {}
    parts: list[str | bytes] = [site_url]
    for section in (model.workers, model.homes):
        for r in section.records:
            page_key = record_keys[r.id]
            cached = old.get(r.id)
            if cached is not None and cached[0] == page_key:
                row = cached[1]
            else:
                made[r.id] = open_data_row(r, site_url)
                row = row_digest(made[r.id])
            rows[r.id] = (page_key, row)
            parts.append(row)
        parts.append(section.name)
    return digest(*parts)


def files_under(folder: Path) -> list[str]:
    found = []
    for directory, _, names in os.walk(folder):
        for name in names:
            found.append(os.path.relpath(os.path.join(directory, name), folder))
    return sorted(found)


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        return a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def drop_unchanged(tmp: Path, out: Path, names: list[str], by_name: AbstractSet[str] = frozenset()) -> None:
    """Staged files identical to the site's own need not be moved: remove them from staging.
    Names in `by_name` are named by their content (the same name is the same bytes)."""
    for name in names:
        staged, current = tmp / name, out / name
        if (name in by_name and current.exists()) or _same_file(staged, current):
            staged.unlink()


_MOVE_ORDER = ("photos/", "pagefind-base/", "pagefind-delta/", "pagefind/", "data/")


def move_rank(name: str) -> tuple[int, str]:
    """Order of the moves into a live site: what pages refer to first, the list of bundles last."""
    for rank, prefix in enumerate(_MOVE_ORDER):
        if name.startswith(prefix):
            return rank, name
    if name == BUNDLES_FILE:
        return len(_MOVE_ORDER) + 2, name
    return len(_MOVE_ORDER) + 1, name
