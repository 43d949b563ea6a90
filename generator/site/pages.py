"""The page model of the public site: what each page shows, independent of HTML.

`build_site_model(projection, photos)` turns the public projection into views
(one per shown worker, home and story), facets (browse by honour, year, region,
industry) and paginated listings. URLs are relative to the site root, without
a leading slash, and end with '/' (the home page is '').

Heavy work (Markdown of stories) is left to rendering, so the model of 20,000
workers stays cheap to build and can be shared with worker processes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from generator.model.public import Home, Story, VocabEntry, Worker
from generator.projection import PublicProjection
from generator.site.names import initial, pinyin_key, place_free, unique_slugs
from generator.site.photos import PhotoSet
from generator.site.searchterms import honour_label, part_terms, record_terms, story_terms, text_terms
from generator.site.studios import StudioView, build_studios

PER_PAGE = 50
SECTION = {"worker": "workers", "home": "homes"}
LEVEL_RANK = {"national": 0, "ministerial": 1, "provincial": 2, "municipal": 3, "district": 4, "enterprise": 5}
DIMENSIONS = (("honour", "荣誉称号"), ("year", "授予年份"), ("region", "地区"), ("industry", "行业"))
OWNERSHIP_LABEL = {"国有": "国有单位", "集体": "集体单位", "非公": "非公有制单位", "机关事业": "机关事业单位"}
SAME_UNIT_LIMIT = 8  # colleagues named on a profile; more are one search away
DEFAULT_CORRECTION = "请联系所在单位工会。"
DIM_LABEL = dict(DIMENSIONS)


@dataclass(frozen=True)
class Link:
    url: str
    label: str


@dataclass(frozen=True)
class HonourView:
    title: str
    year: int
    authority: str | None
    document: str | None
    level: str
    url: str  # the facet page listing everyone holding this title


@dataclass(frozen=True)
class PhotoView:
    alt: str
    credit: str | None
    variants: tuple[tuple[int, int, str, str], ...]  # (width, height, webp path, jpeg path), smallest first

    def srcset(self, root: str, kind: str) -> str:
        index = 2 if kind == "webp" else 3
        return ", ".join(f"{root}{v[index]} {v[0]}w" for v in self.variants)

    def pick(self, width: int) -> tuple[int, int, str, str]:
        for variant in self.variants:
            if variant[0] >= width:
                return variant
        return self.variants[-1]

    @property
    def largest(self) -> tuple[int, int, str, str]:
        return self.variants[-1]


@dataclass
class RecordView:
    """A shown worker or home, with what listings and its own page need."""

    kind: str  # "worker" | "home"
    id: str
    url: str
    name: str
    sort_key: tuple[tuple[str, int, int], ...]  # dictionary order (names.pinyin_key)
    letter: str
    honours: list[HonourView]
    top_honour: HonourView
    province: str
    city: str | None
    district: str | None
    industry: str | None
    unit: str  # a worker's unit; a home's employer
    position: str | None = None
    gender: str | None = None
    ethnicity: str | None = None
    birth_year: int | None = None
    died: dt.date | None = None
    dissolved: dt.date | None = None
    ownership: str | None = None
    photo: PhotoView | None = None
    summary: str | None = None
    story: str | None = None
    achievements: list[str] = field(default_factory=list)
    studio: dict | None = None
    stories: list[Link] = field(default_factory=list)
    parent: Link | None = None
    children: list[Link] = field(default_factory=list)
    region_links: list[Link] = field(default_factory=list)
    industry_link: Link | None = None
    name_pinyin: str | None = None  # a worker's pinyin override (polyphonic surnames): search terms
    same_unit: list[Link] = field(default_factory=list)  # others of the same unit (workers) or employer (homes)
    same_year: Link | None = None  # the year page of the highest honour
    correction: str = DEFAULT_CORRECTION  # whom to tell of a mistake (laomo.yml site.correction)
    studio_url: str | None = None  # the page of its 劳模创新工作室 (generator.site.studios)

    @property
    def ownership_label(self) -> str:
        return OWNERSHIP_LABEL.get(self.ownership or "", self.ownership or "")

    @property
    def section(self) -> str:
        return SECTION[self.kind]

    @property
    def deceased(self) -> bool:
        return self.died is not None

    @property
    def region_label(self) -> str:
        parts = [self.province]
        for part in (self.city, self.district):
            if part and part != parts[-1]:
                parts.append(part)
        return "".join(parts)

    @property
    def life_span(self) -> str | None:
        """'1950—2024' for a deceased person ('？—2024' when the birth year is unknown)."""
        if self.died is None:
            return None
        born = str(self.birth_year) if self.birth_year else "？"
        return f"{born}—{self.died.year}"

    @property
    def years(self) -> list[int]:
        return sorted({h.year for h in self.honours})

    @property
    def honour_titles(self) -> list[str]:
        """Each title once (ignoring case, like Jinja's `unique`), in the order of the honours."""
        titles: dict[str, str] = {}
        for h in self.honours:
            titles.setdefault(h.title.lower(), h.title)
        return list(titles.values())

    @property
    def latest_year(self) -> int:
        return max(h.year for h in self.honours)

    @property
    def search_terms(self) -> str:
        """Hidden indexed words that find a person by given name, pinyin and initials (searchterms.py)."""
        return record_terms(self.name, self.name_pinyin) if self.kind == "worker" else ""

    @property
    def search_parts(self) -> str:
        """Hidden indexed codes of every part of the unit and position (a home: name and employer), and of
        every honour with its year."""
        honours = [(h.title, h.year) for h in self.honours]
        if self.kind == "worker":
            return part_terms([self.unit, self.position, self.studio["name"] if self.studio else None], honours)
        return part_terms([self.name] if self.unit in self.name else [self.name, self.unit], honours)

    @property
    def search_text(self) -> str:
        """Hidden indexed pairs of characters of the profile's words (a home's name, the unit, position,
        summary, story, achievements, studio), so that a word of them is found however the index and the
        browser segment it (searchterms.py)."""
        return text_terms([self.name if self.kind == "home" else None, self.unit, self.position, self.summary,
                           self.story, *self.achievements, self.studio["name"] if self.studio else None])

    @property
    def search_honour(self) -> str:
        """The highest honour with its year, shown under a search result: 全国劳动模范（2015年）."""
        return honour_label(self.top_honour.title, self.top_honour.year)


@dataclass
class StoryView:
    slug: str
    url: str
    title: str
    date: dt.date
    source: str | None
    body: str
    about: list[Link]
    about_ids: list[str]
    search_terms: str = ""  # hidden indexed names of the people and homes it is about

    @property
    def search_text(self) -> str:
        """Hidden indexed pairs of characters of the title and text (searchterms.text_terms)."""
        return text_terms([self.title, self.body])


@dataclass
class Facet:
    """One value of one browsing dimension, e.g. 荣誉称号 = 全国劳动模范, with its members."""

    section: str  # "workers" | "homes"
    dim: str  # "honour" | "year" | "region" | "industry"
    value: str
    slug: str
    url: str
    members: list[RecordView]
    parent: Facet | None = None  # a city's province
    children: list[Facet] = field(default_factory=list)  # a province's cities

    @property
    def title(self) -> str:
        if self.dim == "year":
            return f"{self.value}年"
        if self.parent is not None:
            return f"{self.parent.value}{self.value}"
        return self.value


@dataclass
class Listing:
    """One page of a paginated list (of records or stories)."""

    url: str
    base_url: str
    title: str
    section: str
    items: list
    number: int
    total_pages: int
    total_items: int
    facet: Facet | None = None

    def page_url(self, n: int) -> str:
        return self.base_url if n == 1 else f"{self.base_url}page/{n}/"

    @property
    def pager(self) -> list[int | None]:
        """Page numbers to offer, None for a gap: 1 … 4 5 [6] 7 8 … 40."""
        if self.total_pages <= 1:
            return []
        wanted = {1, self.total_pages} | {n for n in range(self.number - 2, self.number + 3)
                                          if 1 <= n <= self.total_pages}
        result: list[int | None] = []
        last = 0
        for n in sorted(wanted):
            if n - last > 1:
                result.append(None)
            result.append(n)
            last = n
        return result


@dataclass
class Section:
    """Everything browsable about workers (or homes)."""

    name: str  # "workers" | "homes"
    kind: str  # "worker" | "home"
    records: list[RecordView]
    facets: dict[str, list[Facet]]  # dim -> facets (regions: provinces, with cities as children)

    def all_facets(self) -> Iterable[Facet]:
        for facets in self.facets.values():
            for facet in facets:
                yield facet
                yield from facet.children


@dataclass
class SiteModel:
    workers: Section
    homes: Section
    stories: list[StoryView]
    records: dict[str, RecordView]  # by id, workers and homes
    vocab: dict[str, VocabEntry]
    studios: list[StudioView] = field(default_factory=list)

    def listings(self) -> Iterable[Listing]:
        """Every paginated listing page (the first page of each list included)."""
        for section, label in ((self.workers, "劳模"), (self.homes, "模范职工之家")):
            yield from paginate(section.records, f"{section.name}/", f"全部{label}", section.name)
            for facet in section.all_facets():
                title = f"{facet.title} · {DIM_LABEL[facet.dim]} · {label}"
                yield from paginate(facet.members, facet.url, title, section.name, facet)
        yield from paginate(self.stories, "stories/", "故事", "stories")


def paginate(items: Sequence, base_url: str, title: str, section: str, facet: Facet | None = None,
             per_page: int = PER_PAGE) -> list[Listing]:
    """Pages of about `per_page` items, all of the same size give or take one: 51 items are one page, 80 are
    two of 40 — never a last page holding one person."""
    count = len(items)
    total = max(1, round(count / per_page))
    pages = []
    for n in range(1, total + 1):
        url = base_url if n == 1 else f"{base_url}page/{n}/"
        start, end = (n - 1) * count // total, n * count // total
        pages.append(Listing(url, base_url, title, section, list(items[start:end]), n, total, count, facet))
    return pages


def _level(vocab: dict[str, VocabEntry], title: str) -> str:
    entry = vocab.get(title)
    return entry.level if entry else "enterprise"


def _photo_view(record: Worker | Home, photos: dict[str, PhotoSet]) -> PhotoView | None:
    if record.photo is None or record.photo.file not in photos:
        return None
    found = photos[record.photo.file]
    variants = tuple((v.width, v.height, f"photos/{v.webp}", f"photos/{v.jpeg}") for v in found.variants)
    return PhotoView(record.photo.alt, record.photo.credit, variants)


def _record_view(kind: str, record: Worker | Home, vocab: dict[str, VocabEntry], photos: dict[str, PhotoSet],
                 honour_urls: dict[str, str]) -> RecordView:
    honours = [HonourView(h.title, h.year, h.conferred_by or (vocab[h.title].authority if h.title in vocab else None),
                          h.document, _level(vocab, h.title), honour_urls[h.title]) for h in record.honours]
    top = min(honours, key=lambda h: (LEVEL_RANK.get(h.level, 9), -h.year, h.title))
    override = getattr(record, "name_pinyin", None)
    region = record.region
    # a home is filed under its own name, not the 北京市… its name starts with
    filed = record.name if kind == "worker" else place_free(record.name, [region.province, region.city or "",
                                                                          region.district or ""])
    view = RecordView(
        kind=kind, id=record.id, url=f"{SECTION[kind]}/{record.id}/", name=record.name,
        sort_key=pinyin_key(filed, override), letter=initial(filed, override),
        honours=honours, top_honour=top, province=record.region.province, city=record.region.city,
        name_pinyin=override, district=record.region.district, industry=record.industry,
        photo=_photo_view(record, photos), summary=record.summary, story=record.story,
        achievements=list(record.achievements),
        unit=record.unit if isinstance(record, Worker) else record.employer,
    )
    if isinstance(record, Worker):
        view.position, view.gender, view.ethnicity = record.position, record.gender, record.ethnicity
        view.birth_year, view.died = record.birth_year, record.died
        view.studio = record.studio.model_dump(exclude_none=True) if record.studio else None
    else:
        view.dissolved, view.ownership = record.dissolved, record.ownership
    return view


def _facets(section: str, records: list[RecordView], vocab: dict[str, VocabEntry]) -> dict[str, list[Facet]]:
    groups: dict[str, dict[str, list[RecordView]]] = {dim: defaultdict(list) for dim, _ in DIMENSIONS}
    cities: dict[str, dict[str, list[RecordView]]] = defaultdict(lambda: defaultdict(list))
    for record in records:  # already in pinyin order, so every member list is too
        for title in dict.fromkeys(h.title for h in record.honours):
            groups["honour"][title].append(record)
        for year in record.years:
            groups["year"][str(year)].append(record)
        groups["region"][record.province].append(record)
        if record.city and record.city != record.province:
            cities[record.province][record.city].append(record)
        if record.industry:
            groups["industry"][record.industry].append(record)
    result: dict[str, list[Facet]] = {}
    for dim, _ in DIMENSIONS:
        values = groups[dim]
        if dim == "year":
            slugs = {v: v for v in values}
            order = sorted(values, key=int, reverse=True)
        else:
            slugs = unique_slugs(list(values))
            if dim == "honour":
                order = sorted(values, key=lambda t: (LEVEL_RANK.get(_level(vocab, t), 9), pinyin_key(t)))
            else:
                order = sorted(values, key=lambda v: (-len(values[v]), pinyin_key(v)))
        facets = []
        for value in order:
            facet = Facet(section, dim, value, slugs[value], f"{section}/{dim}/{slugs[value]}/", values[value])
            if dim == "region":
                city_slugs = unique_slugs(list(cities[value]))
                for city in sorted(cities[value], key=lambda c: (-len(cities[value][c]), pinyin_key(c))):
                    facet.children.append(Facet(section, dim, city, city_slugs[city],
                                                f"{facet.url}{city_slugs[city]}/", cities[value][city], parent=facet))
            facets.append(facet)
        result[dim] = facets
    return result


def _link_neighbours(section: Section) -> None:
    """Give each record links to the others of its unit (a home: of its employer) and to the year page of its
    highest honour (同单位, 同年获奖; 同行业 is its industry link)."""
    by_unit: dict[str, list[RecordView]] = defaultdict(list)
    for record in section.records:
        by_unit[record.unit].append(record)
    for members in by_unit.values():
        if len(members) > 1:
            for record in members:
                record.same_unit = [Link(m.url, m.name) for m in members if m is not record][:SAME_UNIT_LIMIT]
    years = {facet.value: facet for facet in section.facets["year"]}
    for record in section.records:
        facet = years.get(str(record.top_honour.year))
        if facet is not None and len(facet.members) > 1:
            record.same_year = Link(facet.url, facet.title)


def _link_facets(section: Section) -> None:
    """Give each record links to its region and industry pages."""
    for province in section.facets["region"]:
        for record in province.members:
            record.region_links = [Link(province.url, province.value)]
        for city in province.children:
            for record in city.members:
                record.region_links.append(Link(city.url, city.value))
    for facet in section.facets["industry"]:
        for record in facet.members:
            record.industry_link = Link(facet.url, facet.value)


def _story_view(story: Story, records: dict[str, RecordView]) -> StoryView:
    ids = [a for a in story.meta.about if a in records]
    terms = story_terms([(records[a].name, records[a].name_pinyin) for a in ids if records[a].kind == "worker"])
    return StoryView(story.slug, f"stories/{story.slug}/", story.meta.title, story.meta.date, story.meta.source,
                     story.body, [Link(records[a].url, records[a].name) for a in ids], ids, terms)


def build_site_model(projection: PublicProjection, photos: dict[str, PhotoSet],
                     correction: str | None = None) -> SiteModel:
    """`correction`: whom visitors tell of a mistake, shown on every profile (laomo.yml `site.correction`)."""
    vocab = projection.vocab
    sections = {}
    records: dict[str, RecordView] = {}
    for kind, source in (("worker", projection.workers), ("home", projection.homes)):
        name = SECTION[kind]
        titles = sorted({h.title for r in source.values() for h in r.honours})
        slugs = unique_slugs(titles)
        honour_urls = {t: f"{name}/honour/{slugs[t]}/" for t in titles}
        views = [_record_view(kind, r, vocab, photos, honour_urls) for r in source.values()]
        views.sort(key=lambda v: (v.sort_key, v.id))
        sections[kind] = Section(name, kind, views, _facets(name, views, vocab))
        _link_facets(sections[kind])
        _link_neighbours(sections[kind])
        if correction:
            for view in views:
                view.correction = correction
        records.update((v.id, v) for v in views)
    for home in projection.homes.values():
        if home.parent and home.parent in records:
            parent, child = records[home.parent], records[home.id]
            child.parent = Link(parent.url, parent.name)
            parent.children.append(Link(child.url, child.name))
    stories = sorted((_story_view(s, records) for s in projection.stories.values()),
                     key=lambda s: (s.date, s.slug), reverse=True)
    for story in stories:  # newest first
        for record_id in story.about_ids:
            records[record_id].stories.append(Link(story.url, story.title))
    studios = build_studios(sections["worker"].records)
    return SiteModel(sections["worker"], sections["home"], stories, records, vocab, studios)
