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

The stages, each a module of its own: result (BuildReport, BuildFailed), render_pages (RenderState: the
pages and their search documents; render_pages on both cores), topdocs (the top pages' Markdown for
MkDocs), incremental (the key of each output; staged files that need not move), quick (the quick path for
an edit of free text only). This module orders them and swaps the result in.
"""

from __future__ import annotations

import errno
import gc
import os
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.load.cache import CacheFolderRefused, cache_folder, private_folder
from generator.load.files import display_path
from generator.model.public import Home, Worker
from generator.projection import PublicProjection, project
from generator.site import atomic
from generator.site import state as site_state
from generator.site import studios as studio_pages
from generator.site.charts import build_charts
from generator.site.incremental import drop_unchanged, files_under, move_rank, open_data_key, page_keys
from generator.site.opendata import write_open_data
from generator.site.pages import DIMENSIONS, Listing, SiteModel, build_site_model
from generator.site.photos import (
    DerivativeDamaged,
    PhotoError,
    PhotoResult,
    PhotoSet,
    photo_cache,
    place_photos,
    prepare_photos,
)
from generator.site.quick import NotQuick, quick_rebuild, remember_inputs
from generator.site.render import Theme, load_mkdocs_config
from generator.site.render_pages import RenderState, job_url, render_pages
from generator.site.result import BuildFailed, BuildReport
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
from generator.site.settings import SettingsError, read_site_settings
from generator.site.share import QrCodes
from generator.site.sitemap import write_sitemap
from generator.site.state import SiteCache, SiteState, digest, view_bytes
from generator.site.text import Sanitiser
from generator.site.topdocs import render_top_pages

TOP_URLS = ("", "workers/", "homes/", "stories/", "stats/", "data/", "about/")


def _validate(records: Path):
    from generator.validate.run import validate_public

    validation = validate_public(records)
    return validation.public, validation.diagnostics


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
        except NotQuick:
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


# ——— rendering and swapping in ———————————————————————————————————————————————


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
        urls = {job: job_url(state, job) for job in jobs_list}

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
            render_top_pages(state, docs, tmp, out_resolved, counts, charts, urls, previous, new, unchanged, echo)
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
            remember_inputs(new, inputs, model, shown, theme.site_url, [url for url, _ in indexed], parts)
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
                    drop_unchanged(tmp, out_resolved, made,
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
            moves = sorted(files_under(tmp), key=move_rank)
            deletes = sorted(previous.files() - new.files())
            atomic.commit(tmp, out_resolved, moves, deletes, previous.files())
            report.rendered = len(todo)
        new.marker = site_state.marker_stamp(out_resolved)
        new.views_token = site_cache.save_views(views)
        site_cache.save(new)
        lap("swap")
