"""Rendering the pages MkDocs does not make: records, stories, listings, facets, studios, and their
search documents (RenderState), in worker processes when there are many (render_pages)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from generator.parallel import map_in_processes
from generator.site import atomic
from generator.site import studios as studio_pages
from generator.site.pages import DIMENSIONS, Listing, RecordView, SiteModel, StoryView
from generator.site.render import Theme, jsonld, root_of
from generator.site.studios import StudioView
from generator.site.text import Sanitiser, plain_text, summary_text

SECTION_LABEL = {"workers": "劳模", "homes": "模范职工之家", "stories": "故事"}
PARALLEL_MIN_PAGES = 400


# ——— page content ————————————————————————————————————————————————————————————


def _cut(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def record_description(r: RecordView) -> str:
    summary = summary_text(r.summary)
    if summary:
        return _cut(summary)
    what = f"{r.unit}{r.position or ''}" if r.kind == "worker" else r.unit
    return _cut(f"{r.name}，{what}，{r.top_honour.year}年获“{r.top_honour.title}”。")


def record_jsonld(r: RecordView, site_url: str, description: str) -> dict:
    address = {"@type": "PostalAddress", "addressCountry": "CN", "addressRegion": r.province}
    if r.city:
        address["addressLocality"] = r.city
    data: dict = {"@context": "https://schema.org", "name": r.name, "url": site_url + r.url,
                  "description": description, "address": address,
                  "award": [f"{h.year}年 {h.title}" for h in r.honours]}
    if r.photo:
        data["image"] = site_url + r.photo.largest[3]
    if r.kind == "worker":
        data["@type"] = "Person"
        data["gender"] = {"男": "Male", "女": "Female"}.get(r.gender or "", None)
        if r.birth_year:
            data["birthDate"] = str(r.birth_year)
        if r.died:
            data["deathDate"] = r.died.isoformat()
        if r.position:
            data["jobTitle"] = r.position
        data["worksFor"] = {"@type": "Organization", "name": r.unit}
        if r.ethnicity:
            data["additionalProperty"] = {"@type": "PropertyValue", "name": "民族", "value": r.ethnicity}
    else:
        data["@type"] = "Organization"
        data["parentOrganization"] = {"@type": "Organization", "name": r.unit}
        if r.dissolved:
            data["dissolutionDate"] = r.dissolved.isoformat()
    return {k: v for k, v in data.items() if v is not None}


@dataclass
class RenderState:
    """What page rendering needs; shared with forked worker processes."""

    theme: Theme
    model: SiteModel
    out: Path
    sanitiser: Sanitiser
    listings: list[Listing]
    stories: dict[str, StoryView] = field(default_factory=dict)
    studios: dict[str, StudioView] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.stories = {s.slug: s for s in self.model.stories}
        self.studios = {s.slug: s for s in self.model.studios}

    @property
    def site_url(self) -> str:
        return self.theme.site_url

    def head(self, url: str, title: str, description: str, og_type: str, photo=None, alt: str = "",
             data: dict | None = None) -> str:
        image = None
        if photo is not None:
            width, height, _, jpeg = photo.largest
            image = {"url": self.site_url + jpeg, "width": width, "height": height, "alt": alt}
        return self.theme.fragment("laomo/head.html", og_type=og_type, title=title, description=description,
                                   absolute_url=self.site_url + url, image=image,
                                   jsonld=jsonld(data) if data else None)

    def write(self, url: str, html: str) -> str:
        folder = os.path.join(self.out, url)
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        atomic.write_file(os.path.join(folder, "index.html"), html.encode("utf-8"))
        return html

    def record(self, r: RecordView) -> str:
        root = root_of(r.url)
        description = record_description(r)
        title = f"{r.name} · {r.top_honour.title}"
        content = self.theme.fragment(
            "laomo/record.html", r=r, root=root, summary_html=Markup(self.sanitiser.inline(r.summary)),
            story_html=Markup(self.sanitiser.markdown(r.story)))
        head = self.head(r.url, title, description, "profile" if r.kind == "worker" else "website", r.photo,
                         r.photo.alt if r.photo else "", record_jsonld(r, self.site_url, description))
        return self.write(r.url, self.theme.page(r.url, title, description, head, content))

    def story(self, s: StoryView) -> str:
        root = root_of(s.url)
        description = plain_text(s.body, 120) or s.title
        content = self.theme.fragment("laomo/story.html", s=s, root=root,
                                      body_html=Markup(self.sanitiser.markdown(s.body)))
        data = {"@context": "https://schema.org", "@type": "Article", "headline": s.title,
                "datePublished": s.date.isoformat(), "url": self.site_url + s.url, "inLanguage": "zh-CN",
                "about": [{"@type": "Person" if self.model.records[i].kind == "worker" else "Organization",
                           "name": self.model.records[i].name, "url": self.site_url + self.model.records[i].url}
                          for i in s.about_ids]}
        head = self.head(s.url, s.title, description, "article", data=data)
        return self.write(s.url, self.theme.page(s.url, s.title, description, head, content))

    def listing_html(self, listing: Listing, browse: bool = False, heading: str = "", intro: str = "") -> str:
        section = {"workers": self.model.workers, "homes": self.model.homes}.get(listing.section)
        facet = listing.facet
        return self.theme.fragment(
            "laomo/listing.html", listing=listing, root=root_of(listing.url), heading=heading or listing.title,
            intro=intro, section_label=SECTION_LABEL[listing.section],
            dim_label=dict(DIMENSIONS)[facet.dim] if facet else "", browse_section=section if browse else None,
            dims=DIMENSIONS)

    def listing(self, index: int) -> None:
        listing = self.listings[index]
        title = listing.facet.title if listing.facet else SECTION_LABEL[listing.section]
        if listing.total_pages > 1:
            title += f"（第 {listing.number} 页）"
        description = f"{listing.title}，共 {listing.total_items} 项。"
        content = self.listing_html(listing)
        head = self.head(listing.url, title, description, "website")
        self.write(listing.url, self.theme.page(listing.url, title, description, head, content))

    def facet_index(self, section_name: str, dim: str) -> None:
        section = self.model.workers if section_name == "workers" else self.model.homes
        url = f"{section_name}/{dim}/"
        label = SECTION_LABEL[section_name]
        dim_label = dict(DIMENSIONS)[dim]
        title = f"按{dim_label}浏览{label}"
        description = f"{title}：共 {len(section.facets[dim])} 项。"
        content = self.theme.fragment("laomo/facets.html", section=section, dim=dim, dim_label=dim_label,
                                      facets=section.facets[dim], section_label=label, root=root_of(url))
        head = self.head(url, title, description, "website")
        self.write(url, self.theme.page(url, title, description, head, content))

    def run(self, job: tuple[str, str]) -> None:
        """Render one page."""
        kind, key = job
        if kind == "record":
            self.record(self.model.records[key])
        elif kind == "story":
            self.story(self.stories[key])
        elif kind == "listing":
            self.listing(int(key))
        elif kind == "facets":
            section, dim = key.split("/")
            self.facet_index(section, dim)
        elif kind in ("studio", "studios"):  # visitors helper: 劳模创新工作室 (generator.site.studios)
            studio_pages.render(self, job)

    def search_document(self, job: tuple[str, str]) -> str:
        """What the search index is given for the page of a record or story (generator.site.searchdocs)."""
        kind, key = job
        return self.record_document(self.model.records[key]) if kind == "record" else self.story_document(
            self.stories[key])

    def record_document(self, r: RecordView) -> str:
        return self.theme.fragment("laomo/search_record.html", r=r, lang=self.theme.language,
                                   summary_html=Markup(self.sanitiser.inline(r.summary)),
                                   story_html=Markup(self.sanitiser.markdown(r.story)))

    def story_document(self, s: StoryView) -> str:
        return self.theme.fragment("laomo/search_story.html", s=s, lang=self.theme.language,
                                   provinces=sorted({self.model.records[i].province for i in s.about_ids}),
                                   body_html=Markup(self.sanitiser.markdown(s.body)))


def _render_chunk(state: RenderState, jobs: list[tuple[str, str]]) -> int:
    for job in jobs:
        state.run(job)
    return len(jobs)


def _yield_to_index() -> None:
    """In a renderer: let the search index go first. Pagefind is the long pole of a full build: it runs
    from the first seconds to the end, while the pages have time to spare (20,000 workers, three
    alternating builds each: 52.5-57.1 s with this, 56.7-60.7 s without)."""
    try:
        os.nice(5)
    except OSError:
        pass


def render_pages(state: RenderState, jobs: list[tuple[str, str]], processes: int,
                 progress: Callable[[int, int], None] | None = None, chunk_size: int = 100) -> None:
    """Render `jobs` (in forked processes when there are many)."""
    total = len(jobs)
    chunks = [jobs[i:i + chunk_size] for i in range(0, total, chunk_size)]
    done = 0
    for n in map_in_processes(_render_chunk, chunks, state, processes if total >= PARALLEL_MIN_PAGES else 1,
                              chunksize=1, initializer=_yield_to_index):
        done += n
        if progress:
            progress(done, total)


def job_url(state: RenderState, job: tuple[str, str]) -> str:
    kind, key = job
    if kind == "record":
        return state.model.records[key].url
    if kind == "story":
        return f"stories/{key}/"
    if kind == "listing":
        return state.listings[int(key)].url
    if kind in ("studio", "studios"):  # visitors helper: 劳模创新工作室
        return studio_pages.job_url(job)
    return f"{key}/"
