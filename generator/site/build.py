"""`laomo build`: validate, project, render, index, swap in.

Steps (each prints progress in Chinese):

1. validate the public tree; on any error print every problem and write nothing;
2. project it (generator.projection): only shown records and visible honours;
3. photos: re-encode into the content-addressed cache (only new ones);
4. in a temporary folder beside the output: MkDocs renders the top pages from
   generated Markdown; we render every profile, home, story and listing page
   into the same theme's shells (in 2 processes when there are many);
5. open data, sitemap, robots.txt; the Pagefind index (extended, for Chinese);
6. swap the folder in, so a failure leaves the previous site untouched.
"""

from __future__ import annotations

import gc
import multiprocessing
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from generator.diagnostics import Diagnostic
from generator.load.files import display_path
from generator.projection import PublicProjection, project
from generator.site import atomic
from generator.site.charts import build_charts
from generator.site.opendata import FIELD_HELP, write_open_data
from generator.site.pages import DIMENSIONS, Listing, RecordView, SiteModel, StoryView, build_site_model
from generator.site.photos import copy_photos, prepare_photos
from generator.site.render import Theme, jsonld, load_mkdocs_config, root_of
from generator.site.search import SearchIndexError, build_index
from generator.site.sitemap import write_sitemap
from generator.site.text import Sanitiser, plain_text

TOP_URLS = ("", "workers/", "homes/", "stories/", "stats/", "data/", "about/")
SECTION_LABEL = {"workers": "劳模", "homes": "模范职工之家", "stories": "故事"}
PARALLEL_MIN_PAGES = 400


@dataclass
class BuildReport:
    out: Path
    pages: int = 0
    photos: int = 0
    photos_encoded: int = 0
    search: str = ""
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


class BuildFailed(Exception):
    def __init__(self, diagnostics: list[Diagnostic] | None = None, message: str = ""):
        super().__init__(message)
        self.diagnostics = diagnostics or []
        self.message = message


def _validate(records: Path):
    from generator.validate.run import validate_public

    validation = validate_public(records)
    return validation.public, validation.diagnostics


# ——— page content ————————————————————————————————————————————————————————————


def _cut(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def record_description(r: RecordView) -> str:
    summary = plain_text(r.summary)
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

    def __post_init__(self) -> None:
        self.stories = {s.slug: s for s in self.model.stories}

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

    def write(self, url: str, html: str) -> None:
        path = self.out / url / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")

    def record(self, r: RecordView) -> None:
        root = root_of(r.url)
        description = record_description(r)
        title = f"{r.name} · {r.top_honour.title}"
        content = self.theme.fragment(
            "laomo/record.html", r=r, root=root, summary_html=Markup(self.sanitiser.inline(r.summary)),
            story_html=Markup(self.sanitiser.markdown(r.story)))
        head = self.head(r.url, title, description, "profile" if r.kind == "worker" else "website", r.photo,
                         r.photo.alt if r.photo else "", record_jsonld(r, self.site_url, description))
        self.write(r.url, self.theme.page(r.url, title, description, head, content))

    def story(self, s: StoryView) -> None:
        root = root_of(s.url)
        description = plain_text(s.body, 120) or s.title
        provinces = sorted({self.model.records[i].province for i in s.about_ids})
        content = self.theme.fragment("laomo/story.html", s=s, root=root, provinces=provinces,
                                      body_html=Markup(self.sanitiser.markdown(s.body)))
        data = {"@context": "https://schema.org", "@type": "Article", "headline": s.title,
                "datePublished": s.date.isoformat(), "url": self.site_url + s.url, "inLanguage": "zh-CN",
                "about": [{"@type": "Person" if self.model.records[i].kind == "worker" else "Organization",
                           "name": self.model.records[i].name, "url": self.site_url + self.model.records[i].url}
                          for i in s.about_ids]}
        head = self.head(s.url, s.title, description, "article", data=data)
        self.write(s.url, self.theme.page(s.url, s.title, description, head, content))

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


_STATE: RenderState | None = None


def _render_chunk(jobs: list[tuple[str, str]]) -> int:
    assert _STATE is not None
    for job in jobs:
        _STATE.run(job)
    return len(jobs)


def render_pages(state: RenderState, jobs: list[tuple[str, str]], processes: int,
                 progress: Callable[[int, int], None] | None = None) -> None:
    global _STATE
    _STATE = state
    total = len(jobs)
    chunks = [jobs[i:i + 250] for i in range(0, total, 250)]
    done = 0
    use_fork = processes > 1 and total >= PARALLEL_MIN_PAGES and "fork" in multiprocessing.get_all_start_methods()
    try:
        if use_fork:
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                for n in pool.imap_unordered(_render_chunk, chunks):
                    done += n
                    if progress:
                        progress(done, total)
        else:
            for chunk in chunks:
                done += _render_chunk(chunk)
                if progress:
                    progress(done, total)
    finally:
        _STATE = None


# ——— top pages (MkDocs) ——————————————————————————————————————————————————————


def _front(title: str, description: str, hide: tuple[str, ...] = ("toc",)) -> str:
    import json

    hidden = "".join(f"\n  - {h}" for h in hide)
    return f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ndescription: {json.dumps(description, ensure_ascii=False)}\nhide:{hidden}\n---\n\n"


def _raw(html: str) -> str:
    """An HTML fragment as one raw block Markdown leaves alone (no blank line inside)."""
    lines = [line for line in html.splitlines() if line.strip()]
    return '<div class="laomo-raw">\n' + "\n".join(lines) + "\n</div>\n"


def write_top_markdown(state: RenderState, docs: Path, counts: dict, charts) -> None:
    model, theme = state.model, state.theme
    docs.mkdir(parents=True, exist_ok=True)
    recent = sorted(model.workers.records, key=lambda r: (-r.latest_year, r.sort_key))[:8]

    def put(url: str, text: str) -> None:
        path = docs / url / "index.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    home = theme.fragment("laomo/top_home.html", root="", counts=counts, recent=recent, stories=model.stories[:5],
                          workers=model.workers, dims=DIMENSIONS)
    put("", _front("劳模馆", theme.config.site_description or "") + _raw(home))
    first = {listing.url: listing for listing in state.listings if listing.number == 1 and listing.facet is None}
    intros = {
        "workers": "全国和各省市劳动模范、先进工作者、五一劳动奖章获得者、优秀工会工作者。",
        "homes": "获得模范职工之家、模范职工小家称号的基层工会。",
        "stories": "劳模和职工之家的先进事迹与纪念文章。",
    }
    for name in ("workers", "homes", "stories"):
        listing = first[f"{name}/"]
        body = state.listing_html(listing, browse=name != "stories", heading=SECTION_LABEL[name],
                                  intro=intros[name])
        put(f"{name}/", _front(SECTION_LABEL[name], intros[name]) + _raw(body))
    stats = theme.fragment("laomo/top_stats.html", root="../", counts=counts, charts=charts)
    put("stats/", _front("数据图表", "劳模和模范职工之家所获荣誉的统计图表：按年度、省份、称号、性别和行业。") + _raw(stats))
    data = theme.fragment("laomo/top_data.html", root="../", counts=counts, fields=FIELD_HELP)
    put("data/", _front("开放数据", "本站全部公开记录的 CSV 和 JSON 文件。") + _raw(data))
    about = theme.env.loader.get_source(theme.env, "laomo/top_about.md")[0]
    put("about/", _front("关于", "劳模馆是什么，内容从哪里来，如何保护个人信息。") + about)


# ——— the build ———————————————————————————————————————————————————————————————


def default_cache(out: Path) -> Path:
    return out.resolve().parent / ".cache" / "photos"


def build_site(records: Path, out: Path, *, jobs: int = 2, cache: Path | None = None,
               echo: Callable[[str], None] = print) -> BuildReport:
    """Build the public site from `records` into `out`. Raises BuildFailed; never leaves a half site."""
    started = time.perf_counter()
    report = BuildReport(out)
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        report.timings[name] = now - mark
        mark = now

    echo(f"校验记录：{display_path(records)} …")
    public, diagnostics = _validate(records)
    if any(d.severity == "error" for d in diagnostics):
        raise BuildFailed(diagnostics)
    warnings = [d for d in diagnostics if d.severity == "warning"]
    for d in sorted(warnings):
        echo(d.as_text())
    projection: PublicProjection = project(public.tree)
    hidden = len(projection.hidden)
    echo(f"记录有效：展示劳模 {len(projection.workers)} 位、职工之家 {len(projection.homes)} 个、故事 "
         f"{len(projection.stories)} 篇" + (f"（{hidden} 条记录因无可展示的荣誉而不展示）" if hidden else "") + "。")
    lap("validate")
    try:
        atomic.check_output(out, records)
    except atomic.OutputError as exc:
        raise BuildFailed(message=str(exc)) from None

    cache = cache or default_cache(out)
    files = {r.photo.file for r in [*projection.workers.values(), *projection.homes.values()] if r.photo}
    echo(f"处理照片 {len(files)} 张（缓存：{display_path(cache)}）…")

    def photo_progress(n: int, total: int) -> None:
        if n == total or n % 200 == 0:
            echo(f"  已转换照片 {n}/{total}")

    photos = prepare_photos(records / "photos", files, cache, jobs=jobs, progress=photo_progress)
    if photos.problems:
        raise BuildFailed([Diagnostic(display_path(records / "photos" / rel), 1, 1, "error", message)
                           for rel, message in sorted(photos.problems.items())])
    report.photos_encoded = photos.encoded
    lap("photos")

    gc.disable()  # tens of thousands of small objects: no collection passes while building them
    try:
        model = build_site_model(projection, photos.photos)
        listings = list(model.listings())
    finally:
        gc.enable()
    gc.freeze()  # keep them out of later collections (and shared, untouched, with forked renderers)
    try:
        _render_and_swap(out, cache, jobs, echo, report, lap, photos.photos, model, listings)
    finally:
        gc.unfreeze()
    report.seconds = time.perf_counter() - started
    return report


def _render_and_swap(out: Path, cache: Path, jobs: int, echo: Callable[[str], None], report: BuildReport,
                     lap: Callable[[str], None], photos: dict, model: SiteModel, listings: list[Listing]) -> None:
    """Steps 4–6: everything written goes into a staging folder that is swapped in only when complete."""
    charts = build_charts(model)
    counts = {"workers": len(model.workers.records), "homes": len(model.homes.records),
              "stories": len(model.stories),
              "honours": sum(len(r.honours) for r in model.records.values())}
    lap("model")

    out_resolved = out.resolve()
    with atomic.staging(out_resolved) as tmp, tempfile.TemporaryDirectory(
            prefix=f".{out_resolved.name}.docs-", dir=out_resolved.parent) as docs_name:
        docs = Path(docs_name)
        config = load_mkdocs_config(docs, tmp)
        theme = Theme(config, config.theme.get_env(), None, None)
        shown = set(model.records) | {s.slug for s in model.stories}
        state = RenderState(theme, model, tmp, Sanitiser(shown), listings)
        write_top_markdown(state, docs, counts, charts)
        echo("生成首页、索引、图表等顶层页面（MkDocs）…")
        theme.run_mkdocs()
        lap("mkdocs")

        report.photos = copy_photos(photos.values(), cache, tmp / "photos")
        jobs_list: list[tuple[str, str]] = [("record", rid) for rid in model.records]
        jobs_list += [("story", s.slug) for s in model.stories]
        jobs_list += [("listing", str(i)) for i, listing in enumerate(listings)
                      if listing.url not in TOP_URLS]
        jobs_list += [("facets", f"{section.name}/{dim}") for section in (model.workers, model.homes)
                      for dim, _ in DIMENSIONS]
        for job_url in {_job_url(state, job) for job in jobs_list}:
            theme.shell(job_url)
        echo(f"生成页面 {len(jobs_list)} 个（个人、职工之家、故事、分类列表）…")
        step = max(1000, len(jobs_list) // 10)
        last = [0]

        def page_progress(n: int, total: int) -> None:
            if n == total or n - last[0] >= step:
                last[0] = n
                echo(f"  已生成 {n}/{total}")

        render_pages(state, jobs_list, jobs, page_progress)
        report.pages = len(jobs_list) + len(TOP_URLS) + 1
        lap("pages")

        write_open_data(model, tmp, theme.site_url)
        sitemap_urls = list(TOP_URLS) + [_job_url(state, job) for job in jobs_list]
        write_sitemap(tmp, theme.site_url, sitemap_urls)
        (tmp / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {theme.site_url}sitemap.xml\n",
                                        encoding="utf-8")
        lap("data")
        echo("建立搜索索引（Pagefind 扩展版，支持中文分词）…")
        try:
            report.search = build_index(tmp)
        except SearchIndexError as exc:
            raise BuildFailed(message=str(exc)) from None
        lap("search")
        atomic.swap_in(tmp, out_resolved)
        lap("swap")


def _job_url(state: RenderState, job: tuple[str, str]) -> str:
    kind, key = job
    if kind == "record":
        return state.model.records[key].url
    if kind == "story":
        return f"stories/{key}/"
    if kind == "listing":
        return state.listings[int(key)].url
    return f"{key}/"
