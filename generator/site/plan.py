"""The build's plan: every page laomo renders with its url and key, and which of them to render this time.

A page is a *job* (kind, name) of generator.site.render_pages; its output is the unit `Unit(PAGE, url)`, keyed
by incremental.page_keys — the same keys whether the build is full (nothing is unchanged) or incremental.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.site import studios as studio_pages
from generator.site.incremental import page_keys
from generator.site.pages import DIMENSIONS
from generator.site.photos import PhotoSet
from generator.site.render_pages import RenderState, job_url
from generator.site.state import Built, SiteState, Unit, UnitKind, view_bytes

Job = tuple[str, str]  # (kind, name): what render_pages.RenderState.run renders
TOP_URLS = ("", "workers/", "homes/", "stories/", "stats/", "data/", "about/")  # MkDocs renders these


def page_unit(url: str) -> Unit:
    return Unit(UnitKind.PAGE, url)


@dataclass(frozen=True)
class PagePlan:
    jobs: list[Job]
    urls: dict[Job, str]
    keys: dict[Job, bytes]
    todo: list[Job]  # the jobs whose key is not the previous build's
    views: dict[str, bytes]  # record id -> its view's bytes (state.view_bytes), kept for the quick path

    @property
    def indexed(self) -> list[tuple[str, Job]]:
        """(url, job) of the pages in the search index."""
        return [(self.urls[job], job) for job in self.jobs if job[0] in ("record", "story")]

    @property
    def page_urls(self) -> list[str]:
        """Every page of the site, in the sitemap's order."""
        return list(TOP_URLS) + [self.urls[job] for job in self.jobs]


def plan_pages(state: RenderState, shown: set[str], previous: SiteState | None, new: SiteState) -> PagePlan:
    """Every page's job, url and key (recorded in `new`), and those to render."""
    model = state.model
    jobs: list[Job] = [("record", rid) for rid in model.records]
    jobs += [("story", s.slug) for s in model.stories]
    jobs += [("listing", str(i)) for i, listing in enumerate(state.listings) if listing.url not in TOP_URLS]
    jobs += [("facets", f"{section.name}/{dim}") for section in (model.workers, model.homes)
             for dim, _ in DIMENSIONS]
    jobs += studio_pages.studio_jobs(model.studios)  # visitors helper: 劳模创新工作室
    urls = {job: job_url(state, job) for job in jobs}
    views = {rid: view_bytes(view) for rid, view in model.records.items()}
    keys = page_keys(state, jobs, shown, views)
    todo = []
    for job in jobs:
        unit = page_unit(urls[job])
        new.units[unit] = Built(keys[job], (f"{urls[job]}index.html",))
        if previous is None or previous.key_of(unit) != keys[job]:
            todo.append(job)
    return PagePlan(jobs, urls, keys, todo, views)


def plan_photos(photos: dict[str, PhotoSet], previous: SiteState | None, new: SiteState) -> tuple[list[PhotoSet], int]:
    """The photos whose derivatives are not in the site yet (each `Unit(PHOTO, digest)`, recorded in `new`),
    and how many derivative files the site has."""
    count = 0
    to_place: list[PhotoSet] = []
    for photo in sorted({p.digest: p for p in photos.values()}.values(), key=lambda p: p.digest):
        names = tuple(f"photos/{name}" for name in photo.files())
        count += len(names)
        unit, key = Unit(UnitKind.PHOTO, photo.digest), photo.digest.encode()
        new.units[unit] = Built(key, names)
        if previous is None or previous.key_of(unit) != key:
            to_place.append(photo)
    return to_place, count
