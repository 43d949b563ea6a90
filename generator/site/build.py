"""`laomo build`: validate, project, render, index, swap in.

Steps (each prints progress in Chinese):

1. validate the public tree; on any error print every problem and write nothing;
2. project it (generator.projection): only shown records and visible honours;
3. photos: re-encode into the content-addressed cache in the user's cache folder (only new ones; cached ones
   are checked before they are copied in, generator.site.photos);
4. in a temporary folder beside the output: the Pagefind index (extended, for
   Chinese), in parts, made in a forked process from each page's search
   document (generator.site.searchdocs) — in a full build it starts here, as
   the documents need only the page model; MkDocs renders the top pages from
   generated Markdown; we render every profile, home, story and listing page
   into the same theme's shells (in 2 processes when there are many);
5. open data, sitemap, robots.txt; wait for the index;
6. swap the folder in, so a failure leaves the previous site untouched.

One build of an output at a time (atomic.BuildLock); a second one waits. Caches and state live in laomo's
folder of the user's cache folder (state.SiteCache), never beside the output.

Incremental builds (generator.site.state): every output belongs to a unit with
a key digesting its inputs. When the previous build of the same output left its
state, only units whose key changed are rendered into the staging folder (pages,
the top pages, photos, open data, sitemap, the parts of the search index that
hold a changed page), and `atomic.commit` moves them in and deletes what is no
longer produced (in the shadow copy of the site, switched in with one exchange) — the result is
byte-identical to a full build. Without a usable
state (first build, other code or theme, `--full`) everything is built and the
whole folder is swapped in.
"""

from __future__ import annotations

import csv
import dataclasses
import errno
import gc
import io
import json
import marshal
import os
import tempfile
import threading
import time
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from generator.diagnostics import Diagnostic
from generator.load.cache import CacheFolderRefused, cache_folder, private_folder
from generator.load.files import display_path
from generator.model.public import Home, Worker
from generator.parallel import map_in_processes
from generator.projection import PublicProjection, project
from generator.site import atomic
from generator.site import state as site_state
from generator.site import studios as studio_pages
from generator.site.charts import build_charts
from generator.site.opendata import FIELD_HELP, HOME_FIELDS, WORKER_FIELDS, _cell, json_row, write_open_data
from generator.site.opendata import _record as open_data_row
from generator.site.pages import DIMENSIONS, Listing, RecordView, SiteModel, StoryView, build_site_model
from generator.site.photos import (
    DerivativeDamaged,
    PhotoError,
    PhotoResult,
    PhotoSet,
    photo_cache,
    place_photos,
    prepare_photos,
)
from generator.site.posters import place_posters
from generator.site.render import Shell, Theme, jsonld, load_mkdocs_config, root_of
from generator.site.search import (
    BUNDLES_FILE,
    Indexer,
    SearchIndexError,
    bundle_files,
    bundle_path,
    bundles_json,
    part_count,
    shard_of,
)
from generator.site.searchdocs import BackgroundIndex, DocumentStore
from generator.site.settings import SettingsError, read_site_settings
from generator.site.share import QrCodes
from generator.site.sitemap import write_sitemap
from generator.site.state import SiteCache, SiteState, digest, linked_ids, record_key, view_bytes
from generator.site.text import Sanitiser, plain_text, summary_text

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
    incremental: bool = False
    rendered: int = 0  # pages rendered this time (the others were unchanged)
    search_parts: int = 0  # parts of the search index (bundles)
    search_rebuilt: int = 0  # parts indexed this time


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


# ——— top pages (MkDocs) ——————————————————————————————————————————————————————


def _front(title: str, description: str, hide: tuple[str, ...] = ("toc",)) -> str:

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
                          workers=model.workers, dims=DIMENSIONS, studios=model.studios)
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
    assert theme.env.loader is not None
    about = theme.env.loader.get_source(theme.env, "laomo/top_about.md")[0]
    put("about/", _front("关于", "劳模馆是什么，内容从哪里来，如何保护个人信息。") + about)
    guide = Path(theme.config.config_file_path).parent / "guide" / "editing.md"
    if guide.is_file():
        put("about/editing/", _front("编辑指南", "工会工作人员如何新增、修改劳模和职工之家记录，以及校验提示的含义。")
            + guide.read_text(encoding="utf-8"))


# ——— the build ———————————————————————————————————————————————————————————————


def build_site(records: Path, out: Path, *, jobs: int = 2, cache: Path | None = None,
               echo: Callable[[str], None] = print, full: bool = False) -> BuildReport:
    """Build the public site from `records` into `out`. Raises BuildFailed; never leaves a half site.

    With `full`, the previous build's state is ignored: everything is rendered and swapped in. `cache` is
    laomo's cache folder (default: the user's, load.cache.cache_folder); the photo derivatives, the state of
    this site (state.SiteCache) and the output's lock live there, never beside the output."""
    started = time.perf_counter()
    report = BuildReport(out)
    root = cache or cache_folder()
    try:
        lock = atomic.BuildLock(root, out)
        lock.acquire(lambda: echo(f"另一个 laomo 正在生成 {display_path(out)}，等待它完成…"))
    except CacheFolderRefused as exc:
        raise BuildFailed(message=str(exc)) from None
    except OSError as exc:
        raise BuildFailed(message=fault_message(exc, out)) from None
    try:
        _locked_build(records, out, jobs, root, echo, full, report)
    except (CacheFolderRefused, atomic.OutputError, PhotoError) as exc:
        raise BuildFailed(message=str(exc)) from None
    except (OSError, DerivativeDamaged) as exc:
        raise BuildFailed(message=fault_message(exc, out)) from None
    finally:
        lock.release()
    report.seconds = time.perf_counter() - started
    return report


def fault_message(exc: BaseException, out: Path) -> str:
    """What went wrong with the disk or the folders, in Chinese, and what to do."""
    where = f"（{exc.filename}）" if isinstance(exc, OSError) and exc.filename else ""
    number = exc.errno if isinstance(exc, OSError) else None
    if number in (errno.ENOSPC, errno.EDQUOT):
        return f"磁盘空间不足{where}：网站未能生成。请腾出磁盘空间后重新运行 laomo build。"
    if number in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"没有写入权限{where}：网站未能生成。请检查 {display_path(out)} 所在目录的权限"
                "（或是否为只读文件系统），或用 --out 换一个可写的目录。")
    if number in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR):
        return f"输出路径不可用{where}：路径中有同名的文件或目录。请用 --out 换一个输出目录。"
    if isinstance(exc, DerivativeDamaged):
        return f"照片缓存已损坏（{exc}）：请用 --full 重新构建。"
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
    return f"读写文件时出错{where}：{detail}。网站未能生成，原有网站保持不变。"


def _locked_build(records: Path, out: Path, jobs: int, root: Path, echo: Callable[[str], None], full: bool,
                  report: BuildReport) -> None:
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        report.timings[name] = now - mark
        mark = now

    site_cache = SiteCache.of(root, records, out)
    site_cache.prepare()
    if not full:
        try:
            if quick_rebuild(records, out, site_cache, jobs, echo, report):
                return
        except _NotQuick:
            pass
        mark = time.perf_counter()

    scanned = site_state.input_stamps(records)  # before reading: a file changed meanwhile is read again next time
    _build(records, out, jobs, root, site_cache, echo, report, lap, full, scanned)


def _build(records: Path, out: Path, jobs: int, root: Path, site_cache: SiteCache, echo: Callable[[str], None],
           report: BuildReport, lap: Callable[[str], None], full: bool, scanned: tuple) -> None:
    echo(f"校验记录：{display_path(records)} …")
    gc.disable()  # loading makes hundreds of thousands of objects and no cycles worth collecting
    try:
        public, diagnostics = _validate(records)
        if any(d.severity == "error" for d in diagnostics):
            raise BuildFailed(diagnostics)
        projection: PublicProjection = project(public.tree)
    finally:
        gc.enable()
    warnings = [d for d in diagnostics if d.severity == "warning"]
    for d in sorted(warnings):
        echo(d.as_text())
    hidden = len(projection.hidden)
    echo(f"记录有效：展示劳模 {len(projection.workers)} 位、职工之家 {len(projection.homes)} 个、故事 "
         f"{len(projection.stories)} 篇" + (f"（{hidden} 条记录因无可展示的荣誉而不展示）" if hidden else "") + "。")
    lap("validate")
    try:
        atomic.check_output(out, records)
    except atomic.OutputError as exc:
        raise BuildFailed(message=str(exc)) from None

    shown: list[Worker | Home] = [*projection.workers.values(), *projection.homes.values()]
    files = {r.photo.file for r in shown if r.photo}
    cache = photo_cache(root)
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
        # the correction contact of the profiles (visitors helper: laomo.yml site.correction)
        try:
            settings = read_site_settings(records)
        except SettingsError as exc:
            raise BuildFailed(message=str(exc)) from None
        model = build_site_model(projection, photos.photos, settings.correction)
        listings = list(model.listings())
    finally:
        gc.enable()
    gc.freeze()  # keep them out of later collections (and shared, untouched, with forked renderers)
    try:
        _render_and_swap(out, cache, site_cache, jobs, echo, report, lap, photos, model, listings, full,
                         (scanned, public))
    finally:
        gc.unfreeze()


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
    for job in jobs:
        kind, key = job
        if kind == "record":
            keys[job] = record_keys[key]
        elif kind == "story":
            keys[job] = story_keys[key]
        elif kind in ("studio", "studios"):  # visitors helper: 劳模创新工作室
            keys[job] = studio_pages.page_key(job, model.studios)
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


def _row_digest(row: dict) -> bytes:
    try:
        return digest(marshal.dumps(row, 2))
    except ValueError:
        return digest(repr(row))


def open_data_key(model: SiteModel, site_url: str, record_keys: dict[str, bytes], previous: SiteState | None,
                  rows: dict[str, tuple[bytes, bytes]], made: dict[str, dict]) -> bytes:
    """Digest of the open data's rows; a row is made again (into `made`) only when its record's page key
    changed."""
    old = previous.rows if previous is not None else {}
    parts = [site_url]
    for section in (model.workers, model.homes):
        for r in section.records:
            page_key = record_keys[r.id]
            cached = old.get(r.id)
            if cached is not None and cached[0] == page_key:
                row = cached[1]
            else:
                made[r.id] = open_data_row(r, site_url)
                row = _row_digest(made[r.id])
            rows[r.id] = (page_key, row)
            parts.append(row)
        parts.append(section.name)
    return digest(*parts)


# ——— rendering and swapping in ———————————————————————————————————————————————


def _walk(folder: Path) -> list[str]:
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


def _drop_unchanged(tmp: Path, out: Path, names: list[str], by_name: AbstractSet[str] = frozenset()) -> None:
    """Staged files identical to the site's own need not be moved: remove them from staging.
    Names in `by_name` are named by their content (the same name is the same bytes)."""
    for name in names:
        staged, current = tmp / name, out / name
        if (name in by_name and current.exists()) or _same_file(staged, current):
            staged.unlink()


_MOVE_ORDER = ("photos/", "pagefind-parts/", "pagefind/", "data/")


def _move_rank(name: str) -> tuple[int, str]:
    """Order of the moves into a live site: what pages refer to first, the list of bundles last."""
    for rank, prefix in enumerate(_MOVE_ORDER):
        if name.startswith(prefix):
            return rank, name
    if name == BUNDLES_FILE:
        return len(_MOVE_ORDER) + 2, name
    return len(_MOVE_ORDER) + 1, name


def _render_and_swap(out: Path, cache: Path, site_cache: SiteCache, jobs: int, echo: Callable[[str], None],  # noqa: C901
                     report: BuildReport, lap: Callable[[str], None], prepared: PhotoResult, model: SiteModel,
                     listings: list[Listing], full: bool, inputs: tuple) -> None:
    """Steps 4–6: everything written goes into a staging folder that is swapped (or, for an incremental
    build, committed) in only when complete."""
    charts = build_charts(model)
    counts = {"workers": len(model.workers.records), "homes": len(model.homes.records),
              "stories": len(model.stories),
              "honours": sum(len(r.honours) for r in model.records.values())}
    out_resolved = out.resolve()
    previous = None if full else site_cache.load(out_resolved)
    photos = prepared.photos
    report.incremental = previous is not None
    new = SiteState(site_state.environment())
    lap("model")

    def unchanged(unit: str, key: bytes) -> bool:
        return previous is not None and previous.units.get(unit, (None,))[0] == key

    with atomic.staging(out_resolved) as tmp, tempfile.TemporaryDirectory(
            prefix=f".{out_resolved.name}.docs-", dir=out_resolved.parent) as docs_name, tempfile.TemporaryDirectory(
            prefix=f".{out_resolved.name}.search-", dir=out_resolved.parent) as index_name:
        docs, index_dir = Path(docs_name), Path(index_name)  # the index is staged apart: MkDocs empties `tmp`
        config = load_mkdocs_config(docs, tmp)
        theme = Theme(config, config.theme.get_env(), None, None)
        theme.qr_codes = QrCodes(private_folder(cache.parent / "qr"))
        shown = set(model.records) | {s.slug for s in model.stories}
        state = RenderState(theme, model, tmp, Sanitiser(shown), listings)

        jobs_list: list[tuple[str, str]] = [("record", rid) for rid in model.records]
        jobs_list += [("story", s.slug) for s in model.stories]
        jobs_list += [("listing", str(i)) for i, listing in enumerate(listings)
                      if listing.url not in TOP_URLS]
        jobs_list += [("facets", f"{section.name}/{dim}") for section in (model.workers, model.homes)
                      for dim, _ in DIMENSIONS]
        jobs_list += studio_pages.studio_jobs(model.studios)  # visitors helper: 劳模创新工作室
        urls = {job: _job_url(state, job) for job in jobs_list}

        # the search index in parts, each a stable share of the indexed pages (generator.site.search)
        indexed = sorted((urls[job], job) for job in jobs_list if job[0] in ("record", "story"))
        parts = part_count(len(indexed))
        members: dict[int, list[tuple[str, tuple[str, str]]]] = {n: [] for n in range(parts)}
        for url, job in indexed:
            members[shard_of(url, parts)].append((url, job))
        store = DocumentStore(site_cache.documents)
        background: BackgroundIndex | None = None
        try:
            if previous is None:  # every part is indexed: start now, beside MkDocs and the pages
                background = BackgroundIndex(index_dir, sorted(members.items()), state.search_document, jobs, store)
            _render_top_pages(state, docs, tmp, out_resolved, counts, charts, urls, previous, new, unchanged, echo)
            lap("mkdocs")

            # photos: content-addressed files, checked and copied from the cache (by a thread, while the pages
            # are keyed)
            photo_count = 0
            to_place: list[PhotoSet] = []
            for photo in sorted({p.digest: p for p in photos.values()}.values(), key=lambda p: p.digest):
                names = tuple(f"photos/{name}" for name in photo.files())
                photo_count += len(names)
                unit = f"photo:{photo.digest}"
                new.units[unit] = (photo.digest.encode(), names)
                if not unchanged(unit, photo.digest.encode()):
                    to_place.append(photo)
            report.photos = photo_count
            photo_failure: list[BaseException] = []

            def place_changed_photos() -> None:
                try:
                    place_photos(to_place, cache, tmp / "photos", prepared.originals)
                except BaseException as exc:  # noqa: BLE001 - raised again below
                    photo_failure.append(exc)

            photo_thread = threading.Thread(target=place_changed_photos, daemon=True)
            photo_thread.start()

            # pages: only those whose key changed
            views = {rid: view_bytes(view) for rid, view in model.records.items()}  # kept for the quick path
            keys = page_keys(state, jobs_list, shown, views)
            todo: list[tuple[str, str]] = []
            for job in jobs_list:
                unit = f"page:{urls[job]}"
                new.units[unit] = (keys[job], (f"{urls[job]}index.html",))
                if not unchanged(unit, keys[job]):
                    todo.append(job)
            # only the parts holding a changed page are indexed again
            part_keys = {n: digest("search", site_state.environment(), parts, n,
                                   [(url, keys[job]) for url, job in members[n]]) for n in range(parts)}
            rebuild = [n for n in range(parts) if not unchanged(f"search:{n}", part_keys[n])]
            if previous is not None and rebuild:
                background = BackgroundIndex(index_dir, [(n, members[n]) for n in rebuild], state.search_document,
                                             jobs, store)
            report.search_parts, report.search_rebuilt = parts, len(rebuild)
            lap("keys")
            if previous is None:
                echo(f"生成页面 {len(todo)} 个（个人、职工之家、故事、分类列表），同时建立搜索索引"
                     f"（Pagefind 扩展版，支持中文分词，{parts} 个分卷）…")
            else:
                echo(f"增量生成：页面共 {len(jobs_list)} 个，其中 {len(todo)} 个有变化需重新生成；"
                     f"搜索索引 {parts} 个分卷中重建 {len(rebuild)} 个。")
            step = max(1000, len(todo) // 10)
            last = [0]

            def page_progress(n: int, total: int) -> None:
                if n == total or n - last[0] >= step:
                    last[0] = n
                    echo(f"  已生成 {n}/{total}")

            render_pages(state, todo, jobs, page_progress)  # their shells were made with the top pages
            report.pages = len(jobs_list) + len(TOP_URLS) + 1
            report.rendered = len(todo)
            place_posters(model, photos, cache, theme.site_url, tmp, jobs, new, unchanged)  # visitors helper
            lap("pages")

            # open data, sitemap, robots.txt (while the last parts of the index are built)
            rows: dict[str, tuple[bytes, bytes]] = {}
            record_keys = {key: keys[("record", key)] for key in model.records}
            made_rows: dict[str, dict] = {}
            data_key = open_data_key(model, theme.site_url, record_keys, previous, rows, made_rows)
            new.rows = rows
            if unchanged("data", data_key):
                new.units["data"] = previous.units["data"]  # type: ignore[union-attr]
            else:
                written = write_open_data(model, tmp, theme.site_url, made_rows)
                new.units["data"] = (data_key, tuple(str(p.relative_to(tmp)) for p in written))
            sitemap_urls = list(TOP_URLS) + [urls[job] for job in jobs_list]
            sitemap_key = digest("sitemap", theme.site_url, sitemap_urls)
            if unchanged("sitemap", sitemap_key):
                new.units["sitemap"] = previous.units["sitemap"]  # type: ignore[union-attr]
            else:
                written = write_sitemap(tmp, theme.site_url, sitemap_urls)
                new.units["sitemap"] = (sitemap_key, tuple(str(p.relative_to(tmp)) for p in written))
            robots = f"User-agent: *\nAllow: /\nSitemap: {theme.site_url}sitemap.xml\n"
            robots_key = digest("robots", robots)
            new.units["robots"] = (robots_key, ("robots.txt",))
            if not unchanged("robots", robots_key):
                (tmp / "robots.txt").write_text(robots, encoding="utf-8")
            lap("data")
            _remember_inputs(new, inputs, model, shown, theme.site_url, [url for url, _ in indexed], parts)
            new.pages, new.photos = report.pages, report.photos
            photo_thread.join()
            if photo_failure:
                raise photo_failure[0]
            report.search = background.finish() if background is not None else "搜索索引无变化"
            kept = previous.search_documents if previous is not None else {}
            new.search_documents = {n: kept[n] for n in range(parts) if n not in rebuild and n in kept}
            new.search_documents.update(background.keys if background is not None else {})
        except SearchIndexError as exc:
            raise BuildFailed(message=str(exc)) from None
        finally:
            if background is not None:
                background.close()
        for n in range(parts):
            unit = f"search:{n}"
            if n in rebuild:
                (tmp / bundle_path(n)).parent.mkdir(parents=True, exist_ok=True)
                os.replace(index_dir / bundle_path(n), tmp / bundle_path(n))
                made = bundle_files(tmp / bundle_path(n), tmp)
                new.units[unit] = (part_keys[n], tuple(made))
                if previous is not None:
                    _drop_unchanged(tmp, out_resolved, made,
                                    {m for m in made if m.endswith((".pf_fragment", ".pf_index", ".pf_filter",
                                                                    ".pf_meta"))})
            else:
                new.units[unit] = previous.units[unit]  # type: ignore[union-attr]
        bundles = bundles_json(parts)
        bundles_key = digest("bundles", bundles)
        new.units["bundles"] = (bundles_key, (BUNDLES_FILE,))
        if not unchanged("bundles", bundles_key):
            (tmp / BUNDLES_FILE).write_bytes(bundles)
        lap("search")

        if previous is None:
            atomic.swap_in(tmp, out_resolved)
        else:
            moves = sorted(_walk(tmp), key=_move_rank)
            deletes = sorted(previous.files() - new.files())
            atomic.commit(tmp, out_resolved, moves, deletes, previous.files())
            report.rendered = len(todo)
        new.marker = site_state.marker_stamp(out_resolved)
        new.views_token = site_cache.save_views(views)
        site_cache.save(new)
        lap("swap")


def _render_top_pages(state: RenderState, docs: Path, tmp: Path, out: Path, counts: dict, charts, urls: dict,
                      previous: SiteState | None, new: SiteState, unchanged: Callable[[str, bytes], bool],
                      echo: Callable[[str], None]) -> None:
    """The top pages (MkDocs), only when their Markdown changed; and the theme's shells for every page."""
    theme = state.theme
    write_top_markdown(state, docs, counts, charts)
    docs_key = digest("mkdocs", *[(name, (docs / name).read_bytes()) for name in _walk(docs)])
    needed_shells = {Theme.shell_key(url) for url in urls.values()}
    if unchanged("mkdocs", docs_key) and previous is not None and needed_shells <= set(previous.shells):
        theme.restore_shells({k: Shell(list(v)) for k, v in previous.shells.items()})
        new.units["mkdocs"] = previous.units["mkdocs"]
    else:
        echo("生成首页、索引、图表等顶层页面（MkDocs）…")
        theme.run_mkdocs()  # into the empty staging folder (MkDocs empties it first)
        for name in ("sitemap.xml", "sitemap.xml.gz"):  # ours replaces MkDocs' own
            (tmp / name).unlink(missing_ok=True)
        made = _walk(tmp)
        new.units["mkdocs"] = (docs_key, tuple(made))
        if previous is not None:
            _drop_unchanged(tmp, out, made)
    for url in urls.values():
        theme.shell(url)
    new.shells = {k: tuple(v.pieces) for k, v in theme.shells().items()}


def _job_url(state: RenderState, job: tuple[str, str]) -> str:
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


# ——— the quick path: only stories, summaries or achievements of a few records changed ————————


# the quick path applies when only load.cache.FREE_TEXT changed: fields shown on the record's own page and
# in the open data only
QUICK_MAX_FILES = 50
SECTION_DIR = {"worker": "workers", "home": "homes"}


class _NotQuick(Exception):
    """The quick path does not apply: build the usual way."""


def _remember_inputs(new: SiteState, inputs: tuple, model: SiteModel, shown: set[str], site_url: str,
                     indexed: list[str], parts: int) -> None:
    """What quick_rebuild needs from this build (stored with the state)."""
    (scanned_at, stamps), public = inputs
    new.scanned_at, new.inputs = scanned_at, stamps
    new.digests = {f"{SECTION_DIR[kind]}/{key}.yml": source.digest for (kind, key), source in public.sources.items()
                   if kind in SECTION_DIR and source.digest is not None}
    new.shapes = {f"{SECTION_DIR[kind]}/{key}.yml": source.shape for (kind, key), source in public.sources.items()
                  if kind in SECTION_DIR and source.shape is not None}
    new.views_token = ""  # written by save_views once the build is in place
    new.shown = tuple(sorted(shown))
    new.order = {"workers": [r.id for r in model.workers.records], "homes": [r.id for r in model.homes.records]}
    new.indexed = tuple(indexed)
    new.parts, new.site_url = parts, site_url


def _csv_row(row: dict, fields: list[tuple[str, str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([_cell(row.get(name)) for name, _ in fields])
    return buffer.getvalue()


def _splice(path: Path, target: Path, old: str, new: str) -> None:
    text = path.read_bytes().decode("utf-8")
    if text.count(old) != 1:
        raise _NotQuick
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.replace(old, new).encode("utf-8"))


def quick_rebuild(records: Path, out: Path, site_cache: SiteCache, jobs: int, echo: Callable[[str], None],  # noqa: C901
                  report: BuildReport) -> bool:
    """Rebuild after edits that only touch the story, summary or achievements of a few workers or homes.

    Those fields appear on the record's own page and in the open data only, so the previous build's
    views stay right for every other page: the edited records' pages are rendered again from their
    previous views with the new text, their open-data rows are replaced in place, and their search
    parts indexed again. Anything else (a file added or removed, any other field, a story, a photo,
    the vocabulary, the code or theme) raises _NotQuick and the build takes the usual path. The
    result is the same, byte for byte, as that of a full build (tests/site/test_incremental.py).
    """
    from generator.load.cache import digest as content_digest
    from generator.load.cache import shape_of
    from generator.load.folder import quick_data
    from generator.load.yamlsource import MAX_FILE_BYTES, read_text
    from generator.model.common import PRIVATE_FIELD_NAMES

    started = time.perf_counter()
    out_resolved = out.resolve()
    previous = site_cache.load(out_resolved)
    if previous is None or not previous.inputs or not previous.views_token:
        return False
    try:
        atomic.check_output(out, records)
    except atomic.OutputError:
        raise _NotQuick from None
    scanned_at, stamps = site_state.input_stamps(records)
    if stamps.keys() != previous.inputs.keys():
        raise _NotQuick
    changed = [rel for rel, stamp in stamps.items()
               if stamp != previous.inputs[rel] or stamp[3] >= previous.scanned_at - site_state.RACY_NS]
    if len(changed) > QUICK_MAX_FILES or any(not rel.startswith(("workers/", "homes/")) for rel in changed):
        raise _NotQuick

    models: dict[str, type[Worker] | type[Home]] = {"workers": Worker, "homes": Home}
    edits: list[tuple[str, Worker | Home]] = []  # (file, new record)
    digests, shapes = dict(previous.digests), dict(previous.shapes)
    for rel in sorted(changed):
        folder, name = rel.split("/", 1)
        if "/" in name or not name.endswith(".yml"):
            raise _NotQuick
        path = records / folder / name
        text, problems = read_text(path, display_path(path), MAX_FILE_BYTES)
        if text is None:
            raise _NotQuick
        new_digest = content_digest(text.encode("utf-8"))
        if new_digest == previous.digests.get(rel):
            continue  # touched, not changed
        data = quick_data(text, Path(name).stem, models[folder], PRIVATE_FIELD_NAMES)
        if data is None or shapes.get(rel) is None or shape_of(data) != shapes[rel]:
            raise _NotQuick  # invalid, or more than its free text changed
        edits.append((rel, models[folder].model_validate(data)))
        digests[rel] = new_digest
    views_by_id = site_cache.load_views(previous) if edits else {}
    if views_by_id is None or any(record.id not in views_by_id for _, record in edits):
        raise _NotQuick  # a record that is not shown: leave it to the usual path

    new = dataclasses.replace(previous, units=dict(previous.units), rows=dict(previous.rows), digests=digests,
                              view_overrides=dict(previous.view_overrides), inputs=stamps, scanned_at=scanned_at,
                              search_documents=dict(previous.search_documents))
    shown = set(previous.shown)
    changed_urls: dict[str, bytes] = {}
    touched: list[int] = []
    with atomic.staging(out_resolved) as tmp, tempfile.TemporaryDirectory(
            prefix=f".{out_resolved.name}.docs-", dir=out_resolved.parent) as docs_name:
        views = {}
        for _, record in edits:
            try:
                old_view = site_state.load_view(views_by_id[record.id])
            except ValueError:
                from generator.load.cache import discard

                discard(site_cache.views_file, "内容与预期不符")
                raise _NotQuick from None
            views[record.id] = (old_view, dataclasses.replace(
                old_view, story=record.story, summary=record.summary, achievements=list(record.achievements)))
        pickled = {rid: view_bytes(view) for rid, (_, view) in views.items()}
        keys = {rid: record_key(view, pickled[rid], shown) for rid, (_, view) in views.items()}
        parts = previous.parts
        touched = sorted({shard_of(view.url, parts) for rid, (_, view) in views.items()
                          if new.units.get(f"page:{view.url}", (None,))[0] != keys[rid]})
        store = DocumentStore(site_cache.documents)
        documents: dict[int, dict[str, str]] = {}
        for n in touched:
            found = store.load(n, previous.search_documents.get(n, b""))
            if found is None:
                raise _NotQuick  # the documents of a part are not those of this site's index
            documents[n] = found
        indexer = Indexer(tmp, jobs=1) if touched else None  # Pagefind starts while the pages render
        try:
            if views:
                config = load_mkdocs_config(Path(docs_name), tmp)
                theme = Theme(config, config.theme.get_env(), None, None)
                theme.qr_codes = QrCodes(private_folder(site_cache.folder.parent.parent / "qr"))
                theme.restore_shells({k: Shell(list(v)) for k, v in previous.shells.items()})
                stub = dataclasses.make_dataclass("Model", ["stories", "records"])([], {})
                state = RenderState(theme, stub, tmp, Sanitiser(shown), [])
            for record_id, (old_view, view) in sorted(views.items()):
                unit = f"page:{view.url}"
                if new.units.get(unit, (None,))[0] == keys[record_id]:
                    continue
                if Theme.shell_key(view.url) not in previous.shells:
                    raise _NotQuick
                state.record(view)
                documents[shard_of(view.url, parts)][view.url] = state.record_document(view)
                changed_urls[view.url] = keys[record_id]
                new.units[unit] = (keys[record_id], (f"{view.url}index.html",))
                new.view_overrides[record_id] = pickled[record_id]
                # the open data: the row replaced in place
                site_url = previous.site_url
                old_row, new_row = open_data_row(old_view, site_url), open_data_row(view, site_url)
                new.rows[record_id] = (keys[record_id], _row_digest(new_row))
                if old_row != new_row:
                    fields = WORKER_FIELDS if view.kind == "worker" else HOME_FIELDS
                    for name, old_text, new_text in (
                            (f"data/{view.section}.json", json_row(old_row), json_row(new_row)),
                            (f"data/{view.section}.csv", _csv_row(old_row, fields), _csv_row(new_row, fields))):
                        source = tmp / name if (tmp / name).exists() else out_resolved / name
                        _splice(source, tmp / name, old_text, new_text)
            if changed_urls:
                parts_data: list = [previous.site_url]
                for section in ("workers", "homes"):
                    parts_data += [new.rows[i][1] for i in previous.order[section]]
                    parts_data.append(section)
                new.units["data"] = (digest(*parts_data), previous.units["data"][1])
            # the search parts holding an edited page
            old_part_files: set[str] = set()
            for n in touched:
                members = [(url, new.units[f"page:{url}"][0]) for url in previous.indexed
                           if shard_of(url, parts) == n]
                new.units[f"search:{n}"] = (digest("search", site_state.environment(), parts, n, members), ())
                old_part_files.update(previous.units[f"search:{n}"][1])
                assert indexer is not None
                indexer.submit(n, sorted(documents[n].items()))
                new.search_documents[n] = store.save(n, documents[n])
            report.search = indexer.finish() if indexer is not None else "搜索索引无变化"
        except SearchIndexError as exc:
            raise BuildFailed(message=str(exc)) from None
        finally:
            if indexer is not None:
                indexer.close()
        for n in touched:
            made = bundle_files(tmp / bundle_path(n), tmp)
            new.units[f"search:{n}"] = (new.units[f"search:{n}"][0], tuple(made))
            _drop_unchanged(tmp, out_resolved, made, {m for m in made if m.endswith(
                (".pf_fragment", ".pf_index", ".pf_filter", ".pf_meta"))})
        new_part_files = {f for n in touched for f in new.units[f"search:{n}"][1]}
        moves = sorted(_walk(tmp), key=_move_rank)
        deletes = sorted(old_part_files - new_part_files)
        if moves or deletes:
            atomic.commit(tmp, out_resolved, moves, deletes, previous.files())
        new.marker = site_state.marker_stamp(out_resolved)
        site_cache.save(new)
    report.incremental = True
    report.pages, report.photos = previous.pages, previous.photos
    report.rendered, report.search_parts, report.search_rebuilt = len(changed_urls), parts, len(touched)
    report.timings["quick"] = time.perf_counter() - started
    # said only now: until here the usual build may take over, and it says "校验记录" itself
    echo(f"校验记录：{display_path(records)} …（与上次构建相比只有 {len(changed)} 个文件有改动）")
    echo(f"只改动了 {len(edits)} 条记录的事迹、简介或主要成果：重新生成页面 {len(changed_urls)} 个、"
         f"搜索索引分卷 {len(touched)} 个。")
    return True
