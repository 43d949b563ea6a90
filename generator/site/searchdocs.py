"""What the search index is given, and indexing it beside the page rendering.

Pagefind is not given the pages but a *search document* per indexed page
(`theme/laomo/search_record.html`, `search_story.html`): the words a visitor
may search for, the hidden search words, filters and result metadata, without
the theme's frame, headings, labels and repetitions. It is made from the same
views as the page, so it does not wait for the page: in a full build the index
is started as soon as the page model exists, while MkDocs runs and the pages
render.

`BackgroundIndex` makes the documents of the parts to index and hands them to
Pagefind (generator.site.search.Indexer) in a forked process, so that neither
the documents nor Pagefind's pipe traffic take turns with the rendering in this
one. Each part's documents are kept in a `DocumentStore` beside the build state:
the quick path of a rebuild re-indexes a part from them, replacing only the
documents of the edited records.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from generator.load.cache import read_json, write_json
from generator.site.search import Indexer, SearchIndexError

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
    """One JSON file per part: [digest, {url: search document}], in the site's folder of the cache
    (state.SiteCache). The build state keeps each part's digest, so a file left by another (or failed) build
    is never taken for this site's, nor one whose documents do not give that digest."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, part: int) -> Path:
        return self.folder / f"{part:02d}.json"

    def save(self, part: int, documents: dict[str, str]) -> bytes:
        key = documents_digest(documents)
        write_json(self._path(part), [key.hex(), documents])
        return key

    def load(self, part: int, key: bytes) -> dict[str, str] | None:
        saved = read_json(self._path(part), _documents_ok)
        if saved is None or saved[0] != key.hex():
            return None
        if documents_digest(saved[1]) != key:
            from generator.load.cache import discard

            discard(self._path(part), "内容与其摘要不符")
            return None
        return saved[1]


def _failure_text(exc: BaseException) -> str:
    if isinstance(exc, SearchIndexError):
        return str(exc.args[0]) if exc.args else ""
    return f"{type(exc).__name__}: {exc}"


def _index_parts(connection, out: Path, parts: Sequence[tuple[int, Sequence[Member]]],
                 document: Callable[[Any], str], jobs: int, store: DocumentStore | None) -> None:
    """In the forked process: make each part's documents, index them, report (message, {part: digest})."""
    try:
        indexer = Indexer(out, jobs)
        keys: dict[int, bytes] = {}
        try:
            for part, members in parts:
                documents = {url: document(source) for url, source in members}
                indexer.submit(part, sorted(documents.items()))
                if store is not None:
                    keys[part] = store.save(part, documents)
            message = indexer.finish()
        finally:
            indexer.close()
        connection.send(("ok", message, keys))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        connection.send(("error", _failure_text(exc), {}))
    finally:
        connection.close()


class BackgroundIndex:
    """Index `parts` (part number, members) into `out` in a forked process; `finish` waits for it."""

    def __init__(self, out: Path, parts: Sequence[tuple[int, Sequence[Member]]], document: Callable[[Any], str],
                 jobs: int = 2, store: DocumentStore | None = None):
        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=_index_parts, args=(sender, out, parts, document, jobs, store),
                                       daemon=True)
        self.process.start()
        sender.close()
        self.keys: dict[int, bytes] = {}

    def finish(self) -> str:
        """Wait for the index; raises SearchIndexError when it failed."""
        try:
            status, message, keys = self._receiver.recv()
        except (EOFError, OSError):
            self.process.join()
            raise SearchIndexError(f"建立搜索索引的进程意外退出（退出码 {self.process.exitcode}）。") from None
        self.process.join()
        if status != "ok":
            raise SearchIndexError(message)
        self.keys = keys
        return message

    def close(self) -> None:
        """Stop it if it still runs (a failed build); its Pagefind processes end with their input."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self._receiver.close()

