"""The quick path: only the stories, summaries or achievements of a few records changed, so only their
pages, search parts and open-data rows are made again (byte-identical to a full build)."""

from __future__ import annotations

import csv
import dataclasses
import io
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.load.cache import private_folder
from generator.load.files import display_path
from generator.model.public import Home, Worker
from generator.site import atomic
from generator.site import search as search_index
from generator.site import state as site_state
from generator.site.incremental import files_under, move_rank, row_digest
from generator.site.indexing import (
    DELTA_UNIT,
    bundle_list,
    delta_key,
    staged_bundle,
    write_bundle_list,
)
from generator.site.opendata import HOME_FIELDS, WORKER_FIELDS, _cell, json_row
from generator.site.opendata import _record as open_data_row
from generator.site.pages import RecordView, Section, SiteModel
from generator.site.plan import page_unit
from generator.site.render import Shell, Theme, load_mkdocs_config
from generator.site.render_pages import RenderState
from generator.site.result import BuildFailed, BuildReport
from generator.site.search import DELTA, MAX_DELTA_PAGES, Indexer, SearchIndexError
from generator.site.searchdocs import DocumentStore
from generator.site.share import QrCodes
from generator.site.state import (
    Built,
    Inputs,
    SiteCache,
    SiteState,
    Unit,
    UnitKind,
    digest,
    record_key,
    view_bytes,
)
from generator.site.text import Sanitiser

# ——— the quick path: only stories, summaries or achievements of a few records changed ————————


# the quick path applies when only load.cache.FREE_TEXT changed: fields shown on the record's own page and
# in the open data only
QUICK_MAX_FILES = 50
SECTION_DIR = {"worker": "workers", "home": "homes"}


class NotQuick(Exception):
    """The quick path does not apply: build the usual way."""


def remember_inputs(new: SiteState, inputs: Inputs, model: SiteModel, shown: set[str], site_url: str,
                     indexed: list[str]) -> None:
    """What quick_rebuild needs from this build (stored with the state)."""
    public = inputs.public
    new.scanned_at, new.inputs, new.digests = inputs.scanned.taken, inputs.scanned.stamps, inputs.digests
    new.shapes = {f"{SECTION_DIR[kind]}/{key}.yml": source.shape for (kind, key), source in public.sources.items()
                  if kind in SECTION_DIR and source.shape is not None}
    new.views_token = ""  # written by save_views once the build is in place
    new.shown = tuple(sorted(shown))
    new.order = {"workers": [r.id for r in model.workers.records], "homes": [r.id for r in model.homes.records]}
    new.indexed, new.site_url = tuple(indexed), site_url


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


@dataclass(frozen=True)
class Edit:
    """A record file whose free text only changed: its view before, and with the new text."""

    rel: str  # below the records folder
    before: RecordView
    after: RecordView


def quick_rebuild(records: Path, out: Path, site_cache: SiteCache, previous: SiteState, inputs: Inputs, jobs: int,
                  echo: Callable[[str], None], report: BuildReport) -> bool:
    """Rebuild after edits that only touch the story, summary or achievements of a few workers or homes.

    Those fields appear on the record's own page and in the open data only, so the previous build's
    views stay right for every other page: the edited records' pages are rendered again from their
    previous views with the new text, their open-data rows are replaced in place, and their search
    parts indexed again. Anything else (a file added or removed, any other field, a story, a photo,
    the vocabulary, the code or theme) raises NotQuick and the build takes the usual path; False means
    there is no previous build to start from. A file is changed when its content is (`inputs.digests`),
    whatever its stamp. The result is the same, byte for byte, as that of a full build
    (tests/site/test_incremental.py, tests/site/test_identity.py).
    """
    started = time.perf_counter()
    out_resolved = out.resolve()
    if not previous.inputs or not previous.views_token:
        return False
    try:
        atomic.check_output(out, records)
    except atomic.OutputError:
        raise NotQuick from None
    scanned = inputs.scanned
    changed = _changed_files(inputs, previous)
    records_edited, digests = _read_edits(records, changed, previous, inputs.digests)
    edits = _edited_views(site_cache, previous, records_edited)
    new = dataclasses.replace(previous, units=dict(previous.units), rows=dict(previous.rows), digests=digests,
                              view_overrides=dict(previous.view_overrides), inputs=scanned.stamps,
                              scanned_at=scanned.taken)
    with atomic.staging(out_resolved) as tmp:
        rendered, delta = _render_edits(edits, previous, new, site_cache, tmp, out_resolved, report)
        moves = sorted(files_under(tmp), key=move_rank)
        deletes = sorted(previous.files() - new.files())  # the previous delta's files not in the new one
        if moves or deletes:
            new.marker = atomic.new_token()
            atomic.commit(tmp, out_resolved, moves, deletes, previous.files(), new.marker)
        site_cache.save(new)
    report.incremental = True
    report.pages, report.photos = previous.pages, previous.photos
    report.rendered, report.search_parts = rendered, search_index.base_parts(len(new.search_base)) + (1 if new.search_delta else 0)
    report.search_rebuilt = 1 if delta is not None else 0
    report.timings["quick"] = time.perf_counter() - started
    # said only now: until here the usual build may take over, and it says "校验记录" itself
    echo(f"校验记录：{display_path(records)} …（与上次构建相比只有 {len(changed)} 个文件有改动）")
    echo(f"只改动了 {len(edits)} 条记录的事迹、简介或主要成果：重新生成页面 {rendered} 个、"
         + (f"增量搜索索引 {delta} 页。" if delta is not None else "搜索索引无需重建。"))
    return True


def _changed_files(inputs: Inputs, previous: SiteState) -> list[str]:
    """The files whose content is not the previous build's; NotQuick unless they are a few worker and home
    files."""
    if inputs.scanned.stamps.keys() != previous.inputs.keys() or inputs.digests.keys() != previous.digests.keys():
        raise NotQuick
    changed = [rel for rel, known in inputs.digests.items() if known != previous.digests[rel]]
    if len(changed) > QUICK_MAX_FILES or any(not rel.startswith(("workers/", "homes/")) for rel in changed):
        raise NotQuick
    return changed


def _read_edits(records: Path, changed: list[str], previous: SiteState,
                digests_now: dict[str, bytes]) -> tuple[list[tuple[str, Worker | Home]], dict[str, bytes]]:
    """(file, new record) of each changed file, and the content digests of all files; NotQuick when one is
    invalid, more than its free text changed, or it changed again since it was digested."""
    from generator.load.cache import shape_of
    from generator.load.folder import quick_data
    from generator.load.yamlsource import MAX_FILE_BYTES, read_text_and_digest
    from generator.model.common import PRIVATE_FIELD_NAMES

    models: dict[str, type[Worker] | type[Home]] = {"workers": Worker, "homes": Home}
    edits: list[tuple[str, Worker | Home]] = []
    digests = dict(digests_now)
    for rel in sorted(changed):
        folder, name = rel.split("/", 1)
        if "/" in name or not name.endswith(".yml"):
            raise NotQuick
        path = records / folder / name
        text, new_digest, _ = read_text_and_digest(path, display_path(path), MAX_FILE_BYTES)
        if text is None or new_digest is None or new_digest != digests_now.get(rel):
            raise NotQuick  # written to while this build runs: the usual path reads it again
        data = quick_data(text, Path(name).stem, models[folder], PRIVATE_FIELD_NAMES)
        shape = previous.shapes.get(rel)
        if data is None or shape is None or shape_of(data) != shape:
            raise NotQuick  # invalid, or more than its free text changed
        edits.append((rel, models[folder].model_validate(data)))
        digests[rel] = new_digest
    return edits, digests


def _edited_views(site_cache: SiteCache, previous: SiteState, edited: list[tuple[str, Worker | Home]]) -> list[Edit]:
    """Each edited record's previous view, and the view with its new free text."""
    if not edited:
        return []
    views_by_id = site_cache.load_views(previous)
    if views_by_id is None or any(record.id not in views_by_id for _, record in edited):
        raise NotQuick  # a record that is not shown: leave it to the usual path
    edits = []
    for rel, record in edited:
        try:
            before = site_state.load_view(views_by_id[record.id])
        except ValueError:
            from generator.load.cache import discard

            discard(site_cache.views_file, "内容与预期不符")
            raise NotQuick from None
        after = dataclasses.replace(before, story=record.story, summary=record.summary,
                                    achievements=list(record.achievements))
        edits.append(Edit(rel, before, after))
    return sorted(edits, key=lambda edit: edit.after.id)


def _views_only(theme: Theme, tmp: Path, shown: set[str]) -> RenderState:
    """A renderer of pages from their views alone: its model holds no record, story or listing."""
    empty = SiteModel(Section("workers", "worker", [], {}), Section("homes", "home", [], {}), [], {}, {})
    return RenderState(theme, empty, tmp, Sanitiser(shown), [])


def _render_edits(edits: list[Edit], previous: SiteState, new: SiteState, site_cache: SiteCache, tmp: Path,
                  out: Path, report: BuildReport) -> tuple[int, int | None]:
    """The pages, open-data rows and search delta of the edits whose page key changed, into `tmp`; how many
    pages were rendered and how many pages the delta now holds (None: it was not indexed again)."""
    shown = set(previous.shown)
    pickled = {edit.after.id: view_bytes(edit.after) for edit in edits}
    keys = {edit.after.id: record_key(edit.after, pickled[edit.after.id], shown) for edit in edits}
    edits = [edit for edit in edits if new.key_of(page_unit(edit.after.url)) != keys[edit.after.id]]
    # the delta: the previous one's pages and the edited ones, each unless it is again as it is in the base
    indexed = set(previous.indexed)
    page_keys = {url: key for url, (key, _) in previous.search_delta.items()}
    page_keys.update({edit.after.url: keys[edit.after.id] for edit in edits if edit.after.url in indexed})
    delta = {url: key for url, key in sorted(page_keys.items())
             if url not in previous.search_base or previous.search_base[url][0] != key}
    if len(delta) > MAX_DELTA_PAGES:
        raise NotQuick  # the usual path makes the base again
    reindex = (delta_key(delta) if delta else None) != previous.key_of(DELTA_UNIT)  # None: no delta
    store = DocumentStore(site_cache.documents)
    documents: dict[str, str] = {}
    if reindex and previous.search_delta:
        found = store.load(previous.search_documents)
        if found is None:
            raise NotQuick  # the stored documents are not those of this site's delta
        documents = {url: document for url, document in found.items() if url in delta}
    indexer = Indexer() if reindex and delta else None  # Pagefind starts while the pages render
    try:
        if edits:
            with tempfile.TemporaryDirectory(prefix=f".{out.name}.docs-", dir=out.parent) as docs:
                config = load_mkdocs_config(Path(docs), tmp)
                theme = Theme(config, config.theme.get_env(), None, None)
                theme.qr_codes = QrCodes(private_folder(site_cache.folder.parent.parent / "qr"))
                theme.restore_shells({k: Shell(list(v)) for k, v in previous.shells.items()})
                state = _views_only(theme, tmp, shown)
                for edit in edits:
                    view, key = edit.after, keys[edit.after.id]
                    if Theme.shell_key(view.url) not in previous.shells:
                        raise NotQuick
                    state.record(view)
                    if view.url in delta:
                        documents[view.url] = state.record_document(view)
                    new.units[page_unit(view.url)] = Built(key, (f"{view.url}index.html",))
                    new.view_overrides[view.id] = pickled[view.id]
                    _replace_row(edit, key, previous, new, tmp, out)
            data_unit = Unit(UnitKind.DATA)
            rows: list[str | bytes] = [previous.site_url]
            for section in ("workers", "homes"):
                rows += [new.rows[i][1] for i in previous.order[section]]
                rows.append(section)
            new.units[data_unit] = Built(digest(*rows), previous.units[data_unit].files)
        if not reindex:
            report.search = "搜索索引无变化"
            return len(edits), None
        if indexer is not None:
            if documents.keys() != delta.keys():
                raise NotQuick
            ids = indexer.index(sorted(documents.items()), tmp / DELTA)
            new.units[DELTA_UNIT] = Built(delta_key(delta), staged_bundle(tmp, DELTA, out, previous))
            new.search_delta = {url: (key, ids[url]) for url, key in delta.items()}
            new.search_documents = store.save(documents)
        else:
            new.units.pop(DELTA_UNIT, None)
            new.search_delta, new.search_documents = {}, b""
        write_bundle_list(bundle_list(new.search_base, new.search_base, new.search_delta, previous.indexed), tmp,
                          previous, new)
        report.search = f"增量索引 {len(delta)} 页"
    except SearchIndexError as exc:
        raise BuildFailed(message=str(exc)) from None
    finally:
        if indexer is not None:
            indexer.close()
    return len(edits), len(delta)


def _replace_row(edit: Edit, key: bytes, previous: SiteState, new: SiteState, tmp: Path, out: Path) -> None:
    """The edited record's open-data rows replaced in place (JSON and CSV)."""
    site_url, view = previous.site_url, edit.after
    old_row, new_row = open_data_row(edit.before, site_url), open_data_row(view, site_url)
    new.rows[view.id] = (key, row_digest(new_row))
    if old_row == new_row:
        return
    fields = WORKER_FIELDS if view.kind == "worker" else HOME_FIELDS
    for name, old_text, new_text in (
            (f"data/{view.section}.json", json_row(old_row), json_row(new_row)),
            (f"data/{view.section}.csv", _csv_row(old_row, fields), _csv_row(new_row, fields))):
        source = tmp / name if (tmp / name).exists() else out / name
        _splice(source, tmp / name, old_text, new_text)
