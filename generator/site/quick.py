"""The quick path: only the stories, summaries or achievements of a few records changed, so only their
pages, search parts and open-data rows are made again (byte-identical to a full build)."""

from __future__ import annotations

import csv
import dataclasses
import io
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from generator.load.cache import private_folder
from generator.load.files import display_path
from generator.model.public import Home, Worker
from generator.site import atomic
from generator.site import state as site_state
from generator.site.incremental import drop_unchanged, files_under, move_rank, row_digest
from generator.site.indexing import part_key, search_unit
from generator.site.opendata import HOME_FIELDS, WORKER_FIELDS, _cell, json_row
from generator.site.opendata import _record as open_data_row
from generator.site.pages import SiteModel
from generator.site.plan import page_unit
from generator.site.render import Shell, Theme, load_mkdocs_config
from generator.site.render_pages import RenderState
from generator.site.result import BuildFailed, BuildReport
from generator.site.search import (
    Indexer,
    SearchIndexError,
    bundle_files,
    bundle_path,
    shard_of,
)
from generator.site.searchdocs import DocumentStore
from generator.site.share import QrCodes
from generator.site.state import Built, Inputs, SiteCache, SiteState, Unit, UnitKind, digest, record_key, view_bytes
from generator.site.text import Sanitiser

# ——— the quick path: only stories, summaries or achievements of a few records changed ————————


# the quick path applies when only load.cache.FREE_TEXT changed: fields shown on the record's own page and
# in the open data only
QUICK_MAX_FILES = 50
SECTION_DIR = {"worker": "workers", "home": "homes"}


class NotQuick(Exception):
    """The quick path does not apply: build the usual way."""


def remember_inputs(new: SiteState, inputs: Inputs, model: SiteModel, shown: set[str], site_url: str,
                     indexed: list[str], parts: int) -> None:
    """What quick_rebuild needs from this build (stored with the state)."""
    public = inputs.public
    new.scanned_at, new.inputs = inputs.scanned.taken, inputs.scanned.stamps
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
        raise NotQuick
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.replace(old, new).encode("utf-8"))


def quick_rebuild(records: Path, out: Path, site_cache: SiteCache, jobs: int, echo: Callable[[str], None],  # noqa: C901
                  report: BuildReport) -> bool:
    """Rebuild after edits that only touch the story, summary or achievements of a few workers or homes.

    Those fields appear on the record's own page and in the open data only, so the previous build's
    views stay right for every other page: the edited records' pages are rendered again from their
    previous views with the new text, their open-data rows are replaced in place, and their search
    parts indexed again. Anything else (a file added or removed, any other field, a story, a photo,
    the vocabulary, the code or theme) raises NotQuick and the build takes the usual path. The
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
        raise NotQuick from None
    scanned_at, stamps = site_state.input_stamps(records)
    if stamps.keys() != previous.inputs.keys():
        raise NotQuick
    changed = [rel for rel, stamp in stamps.items()
               if stamp != previous.inputs[rel] or stamp[3] >= previous.scanned_at - site_state.RACY_NS]
    if len(changed) > QUICK_MAX_FILES or any(not rel.startswith(("workers/", "homes/")) for rel in changed):
        raise NotQuick

    models: dict[str, type[Worker] | type[Home]] = {"workers": Worker, "homes": Home}
    edits: list[tuple[str, Worker | Home]] = []  # (file, new record)
    digests, shapes = dict(previous.digests), dict(previous.shapes)
    for rel in sorted(changed):
        folder, name = rel.split("/", 1)
        if "/" in name or not name.endswith(".yml"):
            raise NotQuick
        path = records / folder / name
        text, problems = read_text(path, display_path(path), MAX_FILE_BYTES)
        if text is None:
            raise NotQuick
        new_digest = content_digest(text.encode("utf-8"))
        if new_digest == previous.digests.get(rel):
            continue  # touched, not changed
        data = quick_data(text, Path(name).stem, models[folder], PRIVATE_FIELD_NAMES)
        if data is None or shapes.get(rel) is None or shape_of(data) != shapes[rel]:
            raise NotQuick  # invalid, or more than its free text changed
        edits.append((rel, models[folder].model_validate(data)))
        digests[rel] = new_digest
    views_by_id = site_cache.load_views(previous) if edits else {}
    if views_by_id is None or any(record.id not in views_by_id for _, record in edits):
        raise NotQuick  # a record that is not shown: leave it to the usual path

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
                raise NotQuick from None
            views[record.id] = (old_view, dataclasses.replace(
                old_view, story=record.story, summary=record.summary, achievements=list(record.achievements)))
        pickled = {rid: view_bytes(view) for rid, (_, view) in views.items()}
        keys = {rid: record_key(view, pickled[rid], shown) for rid, (_, view) in views.items()}
        parts = previous.parts
        touched = sorted({shard_of(view.url, parts) for rid, (_, view) in views.items()
                          if new.key_of(page_unit(view.url)) != keys[rid]})
        store = DocumentStore(site_cache.documents)
        documents: dict[int, dict[str, str]] = {}
        for n in touched:
            found = store.load(n, previous.search_documents.get(n, b""))
            if found is None:
                raise NotQuick  # the documents of a part are not those of this site's index
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
                unit = page_unit(view.url)
                if new.key_of(unit) == keys[record_id]:
                    continue
                if Theme.shell_key(view.url) not in previous.shells:
                    raise NotQuick
                state.record(view)
                documents[shard_of(view.url, parts)][view.url] = state.record_document(view)
                changed_urls[view.url] = keys[record_id]
                new.units[unit] = Built(keys[record_id], (f"{view.url}index.html",))
                new.view_overrides[record_id] = pickled[record_id]
                # the open data: the row replaced in place
                site_url = previous.site_url
                old_row, new_row = open_data_row(old_view, site_url), open_data_row(view, site_url)
                new.rows[record_id] = (keys[record_id], row_digest(new_row))
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
                data_unit = Unit(UnitKind.DATA)
                new.units[data_unit] = Built(digest(*parts_data), previous.units[data_unit].files)
            # the search parts holding an edited page
            old_part_files: set[str] = set()
            for n in touched:
                members = [(url, new.units[page_unit(url)].key) for url in previous.indexed
                           if shard_of(url, parts) == n]
                new.units[search_unit(n)] = Built(part_key(parts, n, members), ())
                old_part_files.update(previous.units[search_unit(n)].files)
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
            new.units[search_unit(n)] = Built(new.units[search_unit(n)].key, tuple(made))
            drop_unchanged(tmp, out_resolved, made, {m for m in made if m.endswith(
                (".pf_fragment", ".pf_index", ".pf_filter", ".pf_meta"))})
        new_part_files = {f for n in touched for f in new.units[search_unit(n)].files}
        moves = sorted(files_under(tmp), key=move_rank)
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
