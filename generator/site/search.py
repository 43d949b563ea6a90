"""The Pagefind search index: one base index and a small delta, built with Pagefind's *extended* binary.

The extended build segments Chinese, so that 焊接 is found inside
他长期从事焊接技术攻关. Profiles, homes and stories are indexed, each by its
search document (generator.site.searchdocs); listing and top pages are not.

Pagefind re-indexes everything it is given, and every bundle a query touches
costs it a metadata file and an index chunk per word. So the site has ONE base
index (`pagefind/`, where the theme loads pagefind.js and its wasm from), made
by a full build with Pagefind's CLI over the documents written as small HTML
files, and a DELTA (`pagefind-delta/`) holding only the pages changed or added
since the base was made, re-indexed whole by each incremental build through a
long-running `pagefind_extended --service` process (nothing on disk).
`search-bundles.json` at the site root (BundleList) names both, the base pages
the delta supersedes and the delta's pages, by Pagefind's page id; the search
box merges the delta at query time (Pagefind's mergeIndex), drops superseded
base results before loading any fragment, and gives a delta result the rank
its base copy had (the two indexes score on their own statistics). Past
MAX_DELTA_PAGES the base is made again; `--full` always makes it.

Pagefind lists filter values in a random order (a Rust HashMap), so every
bundle is made canonical: two builds of the same pages give byte-identical
bundles. This leans on Pagefind's file formats: its version is pinned
(PAGEFIND_VERSION, tested).
"""

from __future__ import annotations

import base64
import fcntl
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from generator.site.atomic import write_file

BUNDLES_FILE = "search-bundles.json"
BASE = "pagefind/"  # the first base bundle: the theme loads pagefind.js, its wasm and its UI from here
BASE_PARTS_DIR = "pagefind-base"  # the other base bundles, when BASE_PARTS > 1
DELTA = "pagefind-delta/"
# A large base is made by BASE_PARTS runs of Pagefind's CLI side by side (a page's part: shard_of): one run
# over 22,750 documents made the full build at 20,000 workers wait 24-45 s for it after the pages (65-81 s
# against main's 49-55 s), two runs 9-20 s (44-49 s). A second part costs a visitor one more index chunk per
# query word (~5 KB), not more metadata (its list of pages is split too); but a query word missing from one
# part is matched there by a shorter word, as in any index without it (so the delta, too, may add a result
# a full build does not give): a site smaller than SPLIT_BASE_AT pages keeps one base part.
BASE_PARTS = 2
SPLIT_BASE_AT = 10_000


def base_parts(pages: int) -> int:
    """How many parts the base of `pages` indexed pages is made in."""
    return BASE_PARTS if pages >= SPLIT_BASE_AT else 1
# Past this many pages changed since the base was made, the base is made again (and the delta emptied):
# the delta is re-indexed whole by every build, and each of its pages costs the metadata a visitor loads.
MAX_DELTA_PAGES = 500
# Word occurrences per index chunk (Pagefind's default 20,000; a word's list is never split). A query loads
# the metadata once — its list of pages (~6.7 bytes a page gzipped) and of chunks (~14 bytes a chunk) — and
# one chunk per word per base part. At 20,000 workers a 20,000 chunk is ~25 KB, so a long query of seven
# words cost ~350 KB of chunks; at 2,500 a chunk is ~5 KB and the metadata ~37 KB larger (measured with the
# CLI on half the documents: 81 → 100 KB a part; tests/search/payload.py).
INDEX_CHUNK_SIZE = 2500
PAGEFIND_VERSION = "1.5.2"  # pyproject.toml pins it: canonicalize and search.js read its file formats
# files of a bundle that only the first base bundle needs (the UI is loaded from pagefind/)
UI_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
            "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
SIGNATURE = b"pagefind_dcd"
PIPE_BYTES = 1 << 20  # Linux's default limit for a pipe's buffer (/proc/sys/fs/pipe-max-size)


class SearchIndexError(RuntimeError):
    """Pagefind failed: not a problem of the records, so the message says what an editor can do."""

    def __str__(self) -> str:
        return (f"站内搜索索引没有建成，网站保持上一次的版本（这不是记录的问题）：{super().__str__()}"
                "\n请再运行一次；仍然出错时，请把这段提示发给负责网站的技术人员。")


def pagefind_binary() -> Path:
    try:
        from pagefind_bin_extended import get_executable  # the extended build: Chinese segmentation
    except ImportError as exc:
        raise SearchIndexError("找不到 Pagefind 扩展版（pagefind[extended]），无法为中文建立搜索索引。"
                               "请安装 pagefind[extended]。") from exc
    return Path(get_executable())


def pagefind_version() -> str:
    try:
        from importlib.metadata import version

        return version("pagefind_bin_extended")
    except Exception:  # noqa: BLE001 - only part of a cache key
        return "?"


# ——— the bundles ————————————————————————————————————————————————————————————


def shard_of(url: str, parts: int) -> int:
    if parts <= 1:
        return 0
    return int.from_bytes(hashlib.blake2b(url.encode("utf-8"), digest_size=8).digest(), "big") % parts


def base_path(part: int) -> str:
    """Site-relative folder of base bundle `part`, with a trailing slash."""
    return BASE if part == 0 else f"{BASE_PARTS_DIR}/{part:02d}/"


@dataclass(frozen=True)
class BundleList:
    """What search-bundles.json tells the search box (theme/assets/laomo/search.js): the base bundles, the
    delta bundle (or none), the base pages the delta supersedes (changed or removed since the base was
    made) and the url of each delta page, both by Pagefind's page id — so that results are sorted out
    before any fragment is loaded."""

    base: tuple[str, ...]
    delta: str | None = None
    superseded: dict[str, str] = field(default_factory=dict)  # base page id -> url
    delta_pages: dict[str, str] = field(default_factory=dict)  # delta page id -> url

    def json(self) -> bytes:
        return (json.dumps({"base": list(self.base), "delta": self.delta,
                            "superseded": dict(sorted(self.superseded.items())),
                            "delta_pages": dict(sorted(self.delta_pages.items()))},
                           ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


# ——— the Pagefind service ————————————————————————————————————————————————————


class _Service:
    """A minimal client of `pagefind --service` (the protocol of the `pagefind` Python package,
    without its 0.1 s sleep per answer): base64 JSON messages separated by commas."""

    def __init__(self) -> None:
        self.errors = tempfile.TemporaryFile()
        self.process = subprocess.Popen([str(pagefind_binary()), "--service"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.errors, bufsize=PIPE_BYTES,
                                        env=_pagefind_env())
        for pipe in (self.process.stdin, self.process.stdout):
            try:  # a part's documents and files are megabytes: fewer, larger writes and context switches
                fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)  # type: ignore[union-attr]
            except (AttributeError, OSError):
                pass
        self.next_id = 0
        self.buffer = b""

    def _stderr(self) -> str:
        try:
            self.errors.seek(0)
            return self.errors.read().decode("utf-8", "replace")[-2000:]
        except OSError:
            return ""

    def send(self, payload: dict) -> None:
        self.next_id += 1
        message = json.dumps({"message_id": self.next_id, "payload": payload}, ensure_ascii=False)
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(base64.b64encode(message.encode("utf-8")) + b",")
        except BrokenPipeError:
            self.process.wait()
            raise SearchIndexError("Pagefind 意外退出：" + self._stderr()) from None

    def receive(self) -> dict:
        # a buffered pipe (bufsize > 0): read1 returns what has arrived without waiting for a full buffer
        assert self.process.stdin is not None and isinstance(self.process.stdout, io.BufferedReader)
        try:
            self.process.stdin.flush()
        except BrokenPipeError:
            self.process.wait()
            raise SearchIndexError("Pagefind 意外退出：" + self._stderr()) from None
        if b"," not in self.buffer:
            pieces = [self.buffer]
            while True:  # large answers (GetFiles) arrive in many chunks: look for the end in each new one only
                chunk = self.process.stdout.read1(1 << 20)
                if not chunk:
                    self.process.wait()
                    raise SearchIndexError("Pagefind 意外退出：" + self._stderr())
                pieces.append(chunk)
                if b"," in chunk:
                    break
            self.buffer = b"".join(pieces)
        message, _, self.buffer = self.buffer.partition(b",")
        try:
            payload = json.loads(base64.b64decode(message))["payload"]
        except (ValueError, KeyError) as exc:
            raise SearchIndexError(f"无法理解 Pagefind 的输出：{message[:200]!r}") from exc
        if payload.get("type") == "Error":
            raise SearchIndexError("建立搜索索引失败：" + str(payload.get("message", payload))[:2000])
        return payload

    def call(self, payload: dict) -> dict:
        self.send(payload)
        return self.receive()

    def close(self) -> None:
        if self.process.stdin:
            try:
                self.process.stdin.close()
            except OSError:
                pass
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        self.errors.close()


def _index_files(service: _Service, entries: Sequence[tuple[str, str]]) -> dict[str, bytes]:
    """A bundle's files (path -> bytes) of `entries` (site-relative url, its search document)."""
    index_id = service.call({"type": "NewIndex", "config": None})["index_id"]
    waiting = 0
    for url, document in sorted(entries):
        service.send({"type": "AddFile", "index_id": index_id, "url": "/" + url, "file_path": None,
                      "file_contents": document})
        waiting += 1
        if waiting == 64:  # keep the pipes moving: collect answers as we go
            for _ in range(waiting):
                service.receive()
            waiting = 0
    for _ in range(waiting):
        service.receive()
    # the files come back through the pipe (Pagefind's own WriteFiles answers before its writes are
    # finished) and are written here, canonical
    answer = service.call({"type": "GetFiles", "index_id": index_id})
    service.call({"type": "DeleteIndex", "index_id": index_id})
    files = {f["path"]: base64.b64decode(f["content"]) for f in answer.get("files", [])}
    if "pagefind-entry.json" not in files:
        raise SearchIndexError("Pagefind 没有给出索引。")
    return files


def _fragment_url(data: bytes, name: str) -> str:
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    try:
        url = json.loads(data[len(SIGNATURE):])["url"] if data.startswith(SIGNATURE) else None
    except (ValueError, KeyError, TypeError):
        url = None
    if not isinstance(url, str) or not url.startswith("/"):
        raise SearchIndexError(f"Pagefind 文件格式不认识：{name}")
    return url[1:]


def _page_id(name: str) -> str:
    return name.rsplit("/", 1)[-1].removesuffix(".pf_fragment")


class Indexer:
    """One `pagefind --service` process for small bundles (the delta), started at once and its Chinese
    dictionary loaded while the documents are made; `index` writes a bundle and returns url -> page id."""

    def __init__(self) -> None:
        self.service = _Service()
        self.failures: list[BaseException] = []
        self.warming = threading.Thread(target=self._warm, daemon=True)
        self.warming.start()

    def _warm(self) -> None:
        try:
            index_id = self.service.call({"type": "NewIndex", "config": None})["index_id"]
            self.service.call({"type": "AddFile", "index_id": index_id, "url": "/", "file_path": None,
                               "file_contents": '<html lang="zh-CN"><body data-pagefind-body><p>劳动模范</p>'
                                                '</body></html>'})
            self.service.call({"type": "DeleteIndex", "index_id": index_id})
        except BaseException as exc:  # noqa: BLE001 - raised again by index()
            self.failures.append(exc)

    def index(self, entries: Sequence[tuple[str, str]], target: Path) -> dict[str, str]:
        self.warming.join()
        if self.failures:
            raise self.failures[0]
        files = canonicalize(_index_files(self.service, entries), primary=False)
        write_bundle(files, target)
        return {_fragment_url(data, name): _page_id(name) for name, data in files.items()
                if name.startswith("fragment/")}

    def close(self) -> None:
        if self.warming.is_alive():
            self.service.process.kill()
            self.warming.join(timeout=30)
        self.service.close()


def _pagefind_env() -> dict[str, str]:
    """The environment of Pagefind: none of the caller's PAGEFIND_* settings (they would change the index a
    build makes), and the chunk size."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("PAGEFIND_")}
    env["PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"] = str(INDEX_CHUNK_SIZE)
    return env


def make_folders(urls: Iterable[str], work: Path) -> None:
    """The folder of each url's document, in the order given: Pagefind's CLI takes the pages in the order it
    finds them (the order the folders were made in), and so numbers them."""
    source = work / "documents"
    for url in urls:
        if ".." in Path(url).parts or Path(url).is_absolute():
            raise SearchIndexError(f"搜索索引的网址不安全：{url}")
        (source / url).mkdir(parents=True, exist_ok=True)


def write_documents(entries: Iterable[tuple[str, str]], work: Path) -> None:
    """The search documents (url, document) as the small HTML files BaseRun indexes, into folders make_folders
    made."""
    source = work / "documents"
    for url, document in entries:
        (source / url / "index.html").write_text(document, encoding="utf-8")


class BaseRun:
    """One run of Pagefind's CLI over the search documents written in `work` (write_documents) — it parses
    them on every core, and writes the bundle itself: nothing passes a pipe — into the bundle folder
    `target`. `wait` makes the bundle canonical and returns url -> page id."""

    def __init__(self, target: Path, work: Path, primary: bool):
        self.target, self.primary = target, primary
        source = work / "documents"
        self.errors = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [str(pagefind_binary()), "--site", str(source), "--output-path", str(target), "--silent"],
            cwd=work, env=_pagefind_env(), stdin=subprocess.DEVNULL, stdout=self.errors, stderr=self.errors)

    def wait(self) -> dict[str, str]:
        code = self.process.wait()
        self.errors.seek(0)
        said = self.errors.read().decode("utf-8", "replace")[-2000:]
        self.errors.close()
        if code != 0 or not (self.target / "pagefind-entry.json").is_file():
            raise SearchIndexError(f"Pagefind 出错（退出码 {code}）：{said}")
        canonicalize_folder(self.target, self.primary)
        ids = {}
        for path in (self.target / "fragment").iterdir():
            ids[_fragment_url(path.read_bytes(), path.name)] = _page_id(path.name)
        return ids

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


# ——— canonical bundles ———————————————————————————————————————————————————————
# Pagefind's binary files are gzip of b"pagefind_dcd" + CBOR. Filter files list each
# value with its pages, in HashMap order; the meta file lists the filter files by hash.


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise ValueError("CBOR integer too large")


class _Float(float):
    """A float that remembers the bytes it was read from (re-encoded unchanged)."""

    raw: bytes


def cbor_decode(data: bytes, at: int = 0):
    """(value, next offset) of the CBOR item at `at` (the subset Pagefind writes)."""
    first = data[at]
    major, info = first >> 5, first & 31
    at += 1
    if major == 7:
        if info in (20, 21, 22):
            return {20: False, 21: True, 22: None}[info], at
        size = {25: 2, 26: 4, 27: 8}.get(info)
        if size is None:
            raise ValueError(f"unsupported CBOR simple value {info}")
        value = _Float(0.0)
        value.raw = data[at - 1:at + size]
        return value, at + size
    if info < 24:
        n = info
    elif info <= 27:
        size = 1 << (info - 24)
        n = int.from_bytes(data[at:at + size], "big")
        at += size
    else:
        raise ValueError("indefinite-length CBOR is not used by Pagefind")
    if major == 0:
        return n, at
    if major == 1:
        return -1 - n, at
    if major == 2:
        return bytes(data[at:at + n]), at + n
    if major == 3:
        return data[at:at + n].decode("utf-8"), at + n
    if major == 4:
        items = []
        for _ in range(n):
            item, at = cbor_decode(data, at)
            items.append(item)
        return items, at
    if major == 5:
        mapping = {}
        for _ in range(n):
            key, at = cbor_decode(data, at)
            mapping[key], at = cbor_decode(data, at)
        return mapping, at
    raise ValueError(f"unsupported CBOR major type {major}")


def cbor_encode(value) -> bytes:
    if value is None:
        return b"\xf6"
    if value is True:
        return b"\xf5"
    if value is False:
        return b"\xf4"
    if isinstance(value, _Float):
        return value.raw
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(cbor_encode(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(cbor_encode(k) + cbor_encode(v) for k, v in value.items())
    raise TypeError(f"cannot encode {type(value).__name__} as CBOR")


def _read_pf(data: bytes, name: str):
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if not data.startswith(SIGNATURE):
        raise SearchIndexError(f"Pagefind 文件格式不认识：{name}")
    value, end = cbor_decode(data, len(SIGNATURE))
    if end != len(data):
        raise SearchIndexError(f"Pagefind 文件格式不认识：{name}")
    return value


def _pf_bytes(value) -> bytes:
    return gzip.compress(SIGNATURE + cbor_encode(value), compresslevel=6, mtime=0)


def _name(language: str, content: bytes, length: int) -> str:
    return f"{language}_{hashlib.sha256(content).hexdigest()[:length]}"


def canonicalize(files: dict[str, bytes], primary: bool = True) -> dict[str, bytes]:
    """A bundle's files (path -> bytes) with filter and meta files in a fixed order (values sorted), named by
    their content; without the UI files when it is not the primary bundle."""
    files = dict(files)
    entry = json.loads(files["pagefind-entry.json"])
    for language, info in sorted(entry["languages"].items()):
        meta_name = f"pagefind.{info['hash']}.pf_meta"
        meta = _read_pf(files.pop(meta_name), meta_name)
        # [version, pages, index chunks, filters [[name, hash]…], sorts [[name, pages]…]]
        renamed = []
        for name, old_hash in meta[3]:
            old = f"filter/{old_hash}.pf_filter"
            chunk = _read_pf(files.pop(old), old)  # [filter name, [[value, [pages…]]…]]
            chunk[1] = sorted(([value, sorted(pages)] for value, pages in chunk[1]), key=lambda v: v[0])
            data = _pf_bytes(chunk)
            new_hash = _name(language, data, 7)
            files[f"filter/{new_hash}.pf_filter"] = data
            renamed.append([name, new_hash])
        meta[3] = sorted(renamed, key=lambda f: f[0])
        if len(meta) > 4 and isinstance(meta[4], list):
            meta[4] = sorted(meta[4], key=lambda s: s[0])
        data = _pf_bytes(meta)
        info["hash"] = _name(language, data, 13)
        files[f"pagefind.{info['hash']}.pf_meta"] = data
    files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if not primary:
        for name in UI_FILES:
            files.pop(name, None)
    return {name: data for name, data in files.items() if not name.startswith("playground/")}


def canonicalize_folder(bundle: Path, primary: bool) -> None:
    """`canonicalize` on a bundle written by Pagefind's CLI: only its entry, metadata and filter files are read."""
    small = {"pagefind-entry.json": (bundle / "pagefind-entry.json").read_bytes()}
    small.update({path.name: path.read_bytes() for path in bundle.glob("pagefind.*.pf_meta")})
    if (bundle / "filter").is_dir():
        small.update({f"filter/{path.name}": path.read_bytes() for path in (bundle / "filter").iterdir()})
    made = canonicalize(small, primary=True)
    for name in small.keys() - made.keys():
        (bundle / name).unlink()
    for name, data in made.items():
        if small.get(name) != data:
            write_file(bundle / name, data)
    if not primary:
        for name in UI_FILES:
            (bundle / name).unlink(missing_ok=True)
    shutil.rmtree(bundle / "playground", ignore_errors=True)


def write_bundle(files: dict[str, bytes], target: Path) -> None:
    made: set[Path] = set()
    for name, data in sorted(files.items()):
        path = target / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            raise SearchIndexError(f"Pagefind 给出的文件名不安全：{name}")
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        write_file(path, data)


def bundle_files(bundle: Path, site: Path) -> list[str]:
    """Site-relative paths of every file of a written bundle."""
    prefix = str(bundle.relative_to(site))
    return sorted(os.path.normpath(os.path.join(prefix, os.path.relpath(folder, bundle), name))
                  for folder, _, names in os.walk(bundle) for name in names)
