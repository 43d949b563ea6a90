"""What the search index is given, and indexing it beside the page rendering.

Pagefind is not given the pages but a *search document* per indexed page
(`theme/laomo/search_record.html`, `search_story.html`): the words a visitor
may search for, the hidden search words, filters and result metadata, without
the theme's frame, headings, labels and repetitions. It is made from the same
views as the page, so it does not wait for the page: in a full build the index
is started as soon as the page model exists, while MkDocs runs and the pages
render.

`BackgroundIndex` makes the documents and hands them to Pagefind in a forked
process, so that neither the documents nor Pagefind take turns with the
rendering in this one: the base's to Pagefind's CLI as small HTML files on a
memory file system (generator.site.search.BaseRun), the delta's to a Pagefind
service (search.Indexer). The delta's documents are kept in a `DocumentStore`
beside the build state: the quick path of a rebuild re-indexes the delta from
them, adding the documents of the edited records.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from generator.load.cache import read_json, write_json
from generator.site.search import (
    DELTA,
    BaseRun,
    Indexer,
    SearchIndexError,
    base_path,
    make_folders,
    write_documents,
)

Member = tuple[str, object]  # (site-relative url, what `document` makes its search document from)


def documents_digest(documents: dict[str, str]) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for url in sorted(documents):
        h.update(url.encode("utf-8") + b"\x00" + documents[url].encode("utf-8") + b"\x00")
    return h.digest()


def _documents_ok(saved: object) -> bool:
    return (isinstance(saved, list) and len(saved) == 2 and isinstance(saved[0], str) and isinstance(saved[1], dict)
            and all(isinstance(v, str) for v in saved[1].values()))


class DocumentStore:
    """The delta's documents, one JSON file [digest, {url: search document}] in the site's folder of the cache
    (state.SiteCache). The build state keeps their digest, so a file left by another (or failed) build is
    never taken for this site's, nor one whose documents do not give that digest."""

    def __init__(self, folder: Path):
        self.folder = folder

    @property
    def _path(self) -> Path:
        return self.folder / "delta.json"

    def save(self, documents: dict[str, str]) -> bytes:
        key = documents_digest(documents)
        write_json(self._path, [key.hex(), documents])
        return key

    def load(self, key: bytes) -> dict[str, str] | None:
        saved = read_json(self._path, _documents_ok)
        if saved is None or saved[0] != key.hex():
            return None
        if documents_digest(saved[1]) != key:
            from generator.load.cache import discard

            discard(self._path, "内容与其摘要不符")
            return None
        return saved[1]


def _failure_text(exc: BaseException) -> str:
    if isinstance(exc, SearchIndexError):
        return str(exc.args[0]) if exc.args else ""
    return f"{type(exc).__name__}: {exc}"


class Made(NamedTuple):
    """What the forked process made: url -> page id in the base (empty if not made) and in the delta."""

    base: dict[str, str]
    delta: dict[str, str]
    delta_documents: bytes  # digest of the delta's documents in the store
    message: str


def _scratch() -> tempfile.TemporaryDirectory[str]:
    """Where the base's documents are written for Pagefind's CLI: a memory file system when there is one
    (tens of thousands of small files, deleted at once)."""
    shm = Path("/dev/shm")
    where = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    return tempfile.TemporaryDirectory(prefix="laomo-search-", dir=where)


def _write_half(members: Sequence[Member], document: Callable[[Any], str], work: Path) -> None:
    write_documents(((url, document(source)) for url, source in members), work)


def _write_documents(members: Sequence[Member], document: Callable[[Any], str], work: Path) -> None:
    """Make and write the documents of `members`, half of them in a forked process: making them is the longest
    step before Pagefind can start."""
    make_folders((url for url, _ in members), work)
    half = len(members) // 2
    context = multiprocessing.get_context("fork")
    helper = context.Process(target=_write_half, args=(members[half:], document, work), daemon=True)
    helper.start()
    try:
        _write_half(members[:half], document, work)
    finally:
        helper.join()
    if helper.exitcode != 0:
        raise SearchIndexError(f"生成搜索文档的进程意外退出（退出码 {helper.exitcode}）。")


def _index(connection, out: Path, part: int, base: Sequence[Member] | None, delta: Sequence[Member],
           document: Callable[[Any], str], store: DocumentStore | None) -> None:
    """In a forked process: make the documents of base part `part` (None: the base is not made) and of the
    delta, index them, report Made (or the failure)."""
    os.setpgid(0, 0)  # a group of its own with its Pagefind processes: close() stops them all
    try:
        indexer = Indexer() if delta else None  # its dictionary loads while the base's documents are made
        try:
            base_ids: dict[str, str] = {}
            if base is not None:
                with _scratch() as work:
                    _write_documents(base, document, Path(work))
                    run = BaseRun(out / base_path(part), Path(work), primary=part == 0)
                    try:
                        base_ids = run.wait()
                    finally:
                        run.kill()
            delta_ids: dict[str, str] = {}
            key = b""
            if indexer is not None:
                documents = {url: document(source) for url, source in delta}
                delta_ids = indexer.index(sorted(documents.items()), out / DELTA)
                if store is not None:
                    key = store.save(documents)
        finally:
            if indexer is not None:
                indexer.close()
        connection.send(("ok", Made(base_ids, delta_ids, key, "")))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        connection.send(("error", _failure_text(exc)))
    finally:
        connection.close()


class _Forked:
    """One forked process of `_index`, in a process group of its own."""

    def __init__(self, *args: Any):
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)
        # not a daemon: it forks a helper of its own (_write_documents); close() stops it and its group
        self.process = context.Process(target=_index, args=(sender, *args), daemon=False)
        self.process.start()
        sender.close()
        self.pid = self.process.pid or 0
        try:
            os.setpgid(self.pid, self.pid)  # as the child does: whichever comes first
        except OSError:
            pass

    def result(self) -> Made:
        try:
            status, made = self.receiver.recv()
        except (EOFError, OSError):
            self.process.join()
            raise SearchIndexError(f"建立搜索索引的进程意外退出（退出码 {self.process.exitcode}）。") from None
        self.process.join()
        if status != "ok":
            raise SearchIndexError(made)
        return made

    def close(self) -> None:
        if self.process.is_alive():
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except OSError:
                self.process.kill()
        self.process.join()
        self.receiver.close()


class BackgroundIndex:
    """Index the base's parts (`base`: part -> its members; none when the base is not made) and the delta
    (`delta`) into `out`, in forked processes — one per base part, each making its own documents, so that all
    start at once; `finish` waits for them."""

    def __init__(self, out: Path, base: Mapping[int, Sequence[Member]], delta: Sequence[Member],
                 document: Callable[[Any], str], store: DocumentStore | None = None):
        parts: list[tuple[int, Sequence[Member] | None]] = list(base.items()) or [(0, None)]
        self._forked = [_Forked(out, n, part, delta if i == 0 else [], document, store)
                        for i, (n, part) in enumerate(parts)]
        self.indexed_base = bool(base)

    def finish(self) -> Made:
        """Wait for the index; raises SearchIndexError when it failed."""
        made = [forked.result() for forked in self._forked]
        base = {url: page for m in made for url, page in m.base.items()}
        said = ([f"基础索引 {len(base)} 页"] if self.indexed_base else []) + (
            [f"增量索引 {len(made[0].delta)} 页"] if made[0].delta else [])
        return Made(base, made[0].delta, made[0].delta_documents, "，".join(said) or "搜索索引无变化")

    def close(self) -> None:
        """Stop them if they still run (a failed build), with their Pagefind processes."""
        for forked in self._forked:
            forked.close()
