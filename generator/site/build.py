"""`laomo build`: validate, project, plan, render, index, write, swap in.

`build_site` takes the output's lock (atomic.BuildLock: a second build of it waits) and runs the stages in
order, each a module of its own (the words are those of the glossary in generator/site/__init__.py):

1. validate and project the public tree (generator.validate.run, generator.projection); any error: every
   problem is printed and nothing is written;
2. photos re-encoded into the content-addressed cache (generator.site.photos); the page model
   (generator.site.pages);
3. plan (generator.site.plan): every page's unit and key, and the pages whose key changed; which pages go to the
   search index's base or its delta (generator.site.indexing.plan_search);
4. index (indexing.index_stage) in a forked process beside the rendering; render the top pages with MkDocs
   (topdocs) and the other pages on both cores (render_pages); photos placed;
5. write the open data, sitemap and robots.txt (sitefiles); wait for the index;
6. swap the staging folder in — whole (first build, `--full`, other environment) or only the units whose key
   changed (atomic.commit) — so a failure leaves the previous site untouched. Either way the result is
   byte-identical to a full build (tests/site/test_identity.py).

Before all this, the quick path (generator.site.quick) may serve an edit of the free text of a few records.
"""

from __future__ import annotations

import gc
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic
from generator.load.cache import CacheFolderRefused, cache_folder, private_folder
from generator.load.files import display_path
from generator.model.public import Home, Worker
from generator.projection import PublicProjection, project
from generator.site import atomic
from generator.site import state as site_state
from generator.site.charts import build_charts
from generator.site.incremental import files_under, move_rank
from generator.site.indexing import SearchPlan, index_stage, plan_search
from generator.site.pages import Listing, SiteModel, build_site_model
from generator.site.photos import (
    DerivativeDamaged,
    PhotoError,
    PhotoResult,
    photo_cache,
    place_photos,
    prepare_photos,
)
from generator.site.plan import TOP_URLS, PagePlan, plan_pages, plan_photos
from generator.site.quick import NotQuick, quick_rebuild, remember_inputs
from generator.site.render import Theme, load_mkdocs_config
from generator.site.render_pages import RenderState, render_pages
from generator.site.result import BuildFailed, BuildReport, Laps, fault_message
from generator.site.searchdocs import DocumentStore
from generator.site.settings import SettingsError, read_site_settings
from generator.site.shards import SHARD_FILE, Shard
from generator.site.share import QrCodes
from generator.site.sitefiles import write_site_files
from generator.site.state import Inputs, SiteCache, SiteState, Unit
from generator.site.text import Sanitiser
from generator.site.topdocs import render_top_pages

# ——— the build ———————————————————————————————————————————————————————————————


def build_site(records: Path, out: Path, *, jobs: int = 2, cache: Path | None = None,
               echo: Callable[[str], None] = print, full: bool = False, shard: Shard | None = None) -> BuildReport:
    """Build the public site from `records` into `out`. Raises BuildFailed; never leaves a half site.

    With `full`, the previous build's state is ignored: everything is rendered and swapped in. `cache` is
    laomo's cache folder (default: the user's, load.cache.cache_folder); the photo derivatives, the state of
    this site (state.SiteCache) and the output's lock live there, never beside the output. With `shard`, only
    that shard of the site is built, in full and keeping no state (generator.site.shards)."""
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
        _locked_build(records, out, jobs, root, echo, full, report, shard)
    except (CacheFolderRefused, atomic.OutputError, PhotoError) as exc:
        raise BuildFailed(message=str(exc)) from None
    except (OSError, DerivativeDamaged) as exc:
        raise BuildFailed(message=fault_message(exc, out)) from None
    finally:
        lock.release()
    report.seconds = time.perf_counter() - started
    return report


def _locked_build(records: Path, out: Path, jobs: int, root: Path, echo: Callable[[str], None], full: bool,
                  report: BuildReport, shard: Shard | None) -> None:
    lap = Laps(report)
    site_cache = SiteCache.of(root, records, out)
    site_cache.prepare()
    previous = None if full or shard is not None else site_cache.load(out.resolve())
    scanned = site_state.input_stamps(records)  # before reading: a file changed meanwhile is read again next time
    digests = site_state.input_digests(records, scanned, previous)  # "unchanged" is: the same content
    if previous is not None:
        try:
            if quick_rebuild(records, out, site_cache, previous, Inputs(scanned, digests), jobs, echo, report):
                return
        except NotQuick:
            pass
    lap("state")
    public, projection = _validate_stage(records, out, echo, digests)
    lap("validate")
    photos = _photo_stage(records, projection, root, jobs, echo)
    report.photos_encoded = photos.encoded
    lap("photos")
    model, listings = _model_stage(records, projection, photos)
    gc.freeze()  # keep them out of later collections (and shared, untouched, with forked renderers)
    try:
        _render_and_swap(out, photo_cache(root), site_cache, jobs, echo, report, lap, photos, model, listings,
                         previous, Inputs(scanned, digests, public), shard)
    finally:
        gc.unfreeze()


def _validate_stage(records: Path, out: Path, echo: Callable[[str], None],
                    digests: dict[str, bytes]) -> tuple[Any, PublicProjection]:
    """Validate and project the public tree (`digests`: state.input_digests, so that files whose content was
    read before are not read again); raises BuildFailed on any error (every one listed)."""
    from generator.validate.run import validate_public

    echo(f"校验记录：{display_path(records)} …")
    gc.disable()  # loading makes hundreds of thousands of objects and no cycles worth collecting
    try:
        validation = validate_public(records, digests)
        if any(d.severity == "error" for d in validation.diagnostics):
            raise BuildFailed(validation.diagnostics)
        projection: PublicProjection = project(validation.public.tree)
    finally:
        gc.enable()
    for d in sorted(d for d in validation.diagnostics if d.severity == "warning"):
        echo(d.as_text())
    hidden = len(projection.hidden)
    echo(f"记录有效：展示劳模 {len(projection.workers)} 位、职工之家 {len(projection.homes)} 个、故事 "
         f"{len(projection.stories)} 篇" + (f"（{hidden} 条记录因无可展示的荣誉而不展示）" if hidden else "") + "。")
    try:
        atomic.check_output(out, records)
    except atomic.OutputError as exc:
        raise BuildFailed(message=str(exc)) from None
    return validation.public, projection


def _photo_stage(records: Path, projection: PublicProjection, root: Path, jobs: int,
                 echo: Callable[[str], None]) -> PhotoResult:
    shown: list[Worker | Home] = [*projection.workers.values(), *projection.homes.values()]
    files = {r.photo.file for r in shown if r.photo}
    cache = photo_cache(root)
    echo(f"处理照片 {len(files)} 张（缓存：{display_path(cache)}）…")

    def progress(n: int, total: int) -> None:
        if n == total or n % 200 == 0:
            echo(f"  已转换照片 {n}/{total}")

    photos = prepare_photos(records / "photos", files, cache, jobs=jobs, progress=progress)
    if photos.problems:
        raise BuildFailed([Diagnostic(display_path(records / "photos" / rel), 1, 1, "error", message)
                           for rel, message in sorted(photos.problems.items())])
    return photos


def _model_stage(records: Path, projection: PublicProjection, photos: PhotoResult) -> tuple[SiteModel, list[Listing]]:
    gc.disable()  # tens of thousands of small objects: no collection passes while building them
    try:
        try:
            settings = read_site_settings(records)  # the correction contact of the profiles (laomo.yml)
        except SettingsError as exc:
            raise BuildFailed(message=str(exc)) from None
        model = build_site_model(projection, photos.photos, settings.correction)
        return model, list(model.listings())
    finally:
        gc.enable()


# ——— rendering and swapping in ———————————————————————————————————————————————


def _render_and_swap(out: Path, cache: Path, site_cache: SiteCache, jobs: int, echo: Callable[[str], None],
                     report: BuildReport, lap: Callable[[str], None], prepared: PhotoResult, model: SiteModel,
                     listings: list[Listing], previous: SiteState | None, inputs: Inputs, shard: Shard | None) -> None:
    """Plan, render, index, write and swap in: everything written goes into a staging folder that is swapped
    (or, for an incremental build, committed) in only when complete."""
    out = out.resolve()
    report.incremental = previous is not None
    new = SiteState(site_state.environment())
    photos = prepared.photos
    counts = {"workers": len(model.workers.records), "homes": len(model.homes.records),
              "stories": len(model.stories), "honours": sum(len(r.honours) for r in model.records.values())}
    charts = build_charts(model)
    lap("model")

    def unchanged(unit: Unit, key: bytes) -> bool:
        return previous is not None and previous.key_of(unit) == key

    with atomic.staging(out) as tmp, _beside(out, "docs") as docs_name, _beside(out, "search") as index_name:
        docs, index_dir = Path(docs_name), Path(index_name)
        config = load_mkdocs_config(docs, tmp)  # the index is staged apart: MkDocs empties `tmp`
        theme = Theme(config, config.theme.get_env(), None, None)
        theme.qr_codes = QrCodes(private_folder(cache.parent / "qr"))
        shown = set(model.records) | {s.slug for s in model.stories}
        state = RenderState(theme, model, tmp, Sanitiser(shown), listings)
        plan = plan_pages(state, shown, previous, new)
        search = plan_search(plan.indexed, plan.keys.__getitem__, previous)
        if shard is not None:
            plan, search, whole = shard.share(plan, search)
        lap("keys")
        with index_stage(search, index_dir, state.search_document, DocumentStore(site_cache.documents)) as index:
            render_top_pages(state, docs, tmp, out, counts, charts, plan.urls, previous, new, unchanged, echo)
            lap("mkdocs")
            to_place, report.photos = plan_photos(photos, previous, new)
            if shard is not None:
                to_place = [photo for photo in to_place if shard.owns(photo.digest)]
            placing = _Background(lambda: place_photos(to_place, cache, tmp / "photos", prepared.originals))
            _render(state, plan, search, previous is None, jobs, echo)
            report.pages, report.rendered = len(plan.jobs) + len(TOP_URLS) + 1, len(plan.todo)
            lap("pages")
            write_site_files(model, plan, theme.site_url, tmp, previous, new)  # while the index is finished
            lap("data")
            remember_inputs(new, inputs, model, shown, theme.site_url, search.indexed)
            new.pages, new.photos = report.pages, report.photos
            placing.join()
            indexed = index.finish(tmp, out, previous, new)
        report.search, report.search_parts, report.search_rebuilt = indexed.message, indexed.bundles, indexed.rebuilt
        lap("search")
        if shard is not None:
            (tmp / SHARD_FILE).write_bytes(shard.manifest(whole))
            atomic.swap_in(tmp, out)  # part of a site: no state to keep for an incremental build
            lap("swap")
            return
        new.marker = atomic.new_token()
        if previous is None:
            atomic.swap_in(tmp, out, token=new.marker)
        else:
            moves = sorted(files_under(tmp), key=move_rank)
            atomic.commit(tmp, out, moves, sorted(previous.files() - new.files()), previous.files(), new.marker)
        new.views_token = site_cache.save_views(plan.views)
        site_cache.save(new)
        lap("swap")


def _beside(out: Path, what: str) -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix=f".{out.name}.{what}-", dir=out.parent)


def _render(state: RenderState, plan: PagePlan, search: SearchPlan, first: bool, jobs: int,
            echo: Callable[[str], None]) -> None:
    if first:
        echo(f"生成页面 {len(plan.todo)} 个（个人、职工之家、故事、分类列表），同时建立搜索索引"
             "（Pagefind 扩展版，支持中文分词）…")
    else:
        index = ("重建基础索引" if search.base else
                 f"自基础索引建成以来有变化的 {len(search.delta)} 页放入增量索引" if search.delta else "无需重建")
        echo(f"增量生成：页面共 {len(plan.jobs)} 个，其中 {len(plan.todo)} 个有变化需重新生成；搜索索引{index}。")
    step = max(1000, len(plan.todo) // 10)
    last = 0

    def progress(n: int, total: int) -> None:
        nonlocal last
        if n == total or n - last >= step:
            last = n
            echo(f"  已生成 {n}/{total}")

    render_pages(state, plan.todo, jobs, progress)  # their shells were made with the top pages


class _Background:
    """`work` in a thread (the photos are copied while the pages render); `join` raises what it raised."""

    def __init__(self, work: Callable[[], object]):
        self._failure: list[BaseException] = []

        def run() -> None:
            try:
                work()
            except BaseException as exc:  # noqa: BLE001 - raised again by join
                self._failure.append(exc)

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def join(self) -> None:
        self._thread.join()
        if self._failure:
            raise self._failure[0]
