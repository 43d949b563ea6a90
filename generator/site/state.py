"""What the previous build of a site produced, so that the next one renders only what changed.

Every output of the build belongs to one *unit* (a page, a photo, the open data,
the MkDocs top pages, one part of the search index …). A unit has a *key*: a
digest of everything its files are made from. When a unit's key is the same as
in the previous build, its files in the site are still right and are left alone;
otherwise the unit is rendered again into the staging folder.

Keys are digests of the page model (`repr` of the views, which covers every
field a template can reach), never of times or paths, so they depend only on the
inputs; the code, the theme and the versions of the libraries that render pages
form the *environment* digest — when it changes, everything is rebuilt.

The state lives in laomo's cache folder (`SiteCache`: the user's cache folder, owner
only, keyed by the absolute paths of the records and of the output, so a fresh clone
at the same path finds it again), never in a tree a pull request can write. It is
JSON, checked field by field when read (`from_json`); the views kept for the quick
path are pickles read by `load.cache.SafeUnpickler`, which builds only the view
classes of `generator.site.pages`. It is trusted only for the very folder it was
written for, still carrying the marker of the build it describes (atomic.read_token: a random
token each build writes, kept in the state — so the site and the state restored
together in CI are known again, and a site built since, or an older copy, is not). Anything that fails a check is dropped with one line and the build goes
on as a first build.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import io
import os
import pickle
import re
import time
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, NamedTuple

# RACY_NS is read here by build (and set by the tests that trust file stamps at once)
from generator.load.cache import RACY_NS as RACY_NS
from generator.load.cache import (
    file_digest,
    loads_safely,
    private_folder,
    read_json,
    read_pickle,
    stamp_of,
    write_json,
    write_pickle,
    write_private,
)
from generator.parallel import cores, map_in_processes
from generator.site import atomic

FORMAT = 11
# Besides the records, output is made of: this package's files, the theme and mkdocs.yml beside it (render.REPO),
# and these distributions. Their digest is the environment part of every key.
_PACKAGE = Path(__file__).resolve().parents[1]
_ENV_PATHS = (_PACKAGE, _PACKAGE.parent / "theme", _PACKAGE.parent / "mkdocs.yml")
_ENV_DISTRIBUTIONS = ("Jinja2", "MkDocs", "mkdocs-material", "pagefind_bin_extended", "pagefind", "pypinyin",
                      "markdown-it-py", "Markdown", "OpenCC", "Pillow", "segno", "nh3", "MarkupSafe")
_RECORD_LINK = re.compile(r"(?:workers|homes|stories)/([a-z0-9][a-z0-9-]*[a-z0-9])")

def digest(*parts: object) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        h.update(b"\x00")
    return h.digest()


def view_bytes(view: object) -> bytes:
    """A view's pickle with no shared references, so equal views give equal bytes however their objects are
    shared: what its page key is made from, and what the quick path restores it from."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo
    pickler.dump(view)
    return buffer.getvalue()


def record_key(view: Any, pickled: bytes, shown: set[str]) -> bytes:
    """The key of a record's page: its view (`view_bytes`) and which of the records its text links to are shown."""
    return digest("record", pickled, [(i, i in shown) for i in linked_ids(view.summary, view.story)])


def environment_files(roots: tuple[Path, ...] = _ENV_PATHS) -> list[Path]:
    """Every file under `roots` (compiled bytecode aside: it follows its source)."""
    found: list[Path] = []
    for root in roots:
        if root.is_file():
            found.append(root)
        elif root.is_dir():
            found += (p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                      and p.suffix != ".pyc")
    return sorted(found)


def environment_digest(roots: tuple[Path, ...] = _ENV_PATHS,
                       distributions: tuple[str, ...] = _ENV_DISTRIBUTIONS) -> str:
    """Digest of everything besides the records that the output depends on: the files under `roots` (by
    their path below the folder holding the package) and the versions of `distributions`."""
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.blake2b(digest_size=16)
    h.update(f"laomo-site-state-{FORMAT}".encode())
    base = _PACKAGE.parent
    for path in environment_files(roots):
        name = str(path.relative_to(base)) if path.is_relative_to(base) else str(path)
        h.update(f"{name}\x00{path.stat().st_size}\x00".encode())
        h.update(path.read_bytes())
    for name in distributions:
        try:
            h.update(f"{name}={version(name)}\x00".encode())
        except PackageNotFoundError:
            h.update(f"{name}=?\x00".encode())
    return h.hexdigest()


@functools.cache
def environment() -> str:
    """The environment digest of this process (the code and theme do not change under a running build)."""
    return environment_digest()


def linked_ids(*texts: str | None) -> list[str]:
    """Record ids a Markdown text may link to (whether they are shown changes the HTML)."""
    found: set[str] = set()
    for text in texts:
        if text and "/" in text:
            found.update(m.group(1) for m in _RECORD_LINK.finditer(text))
    return sorted(found)


class UnitKind(Enum):
    """What kind of output a unit is."""

    PAGE = "page"  # a page laomo renders (name: its url)
    MKDOCS = "mkdocs"  # the top pages MkDocs renders, with the theme's assets
    PHOTO = "photo"  # the derivatives of one photo (name: its digest)
    SEARCH = "search"  # one part of the search index (name: its number)
    BUNDLES = "bundles"  # the list of the search index's parts
    DATA = "data"  # the open-data files
    SITEMAP = "sitemap"
    ROBOTS = "robots"


@dataclass(frozen=True, order=True)
class Unit:
    """One output of the build: the files it makes are rendered again only when its key changes."""

    kind: UnitKind
    name: str = ""

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.name}" if self.name else self.kind.value

    @classmethod
    def parse(cls, text: str) -> Unit:
        """The unit `str` wrote; raises ValueError otherwise."""
        kind, _, name = text.partition(":")
        return cls(UnitKind(kind), name)


class Built(NamedTuple):
    """What a unit was built from (its key) and the site-relative files it made."""

    key: bytes
    files: tuple[str, ...]


Stamp = tuple[int, int, int, int]  # load.cache.stamp_of: inode, size, mtime_ns, ctime_ns
ShellKey = tuple[str, int]  # render.Theme.shell_key: (section, depth)


@dataclass
class SiteState:
    """What one build of an output made (its units), and what the next build needs to know of its inputs."""

    env: str  # environment() of the build
    units: dict[Unit, Built] = field(default_factory=dict)
    shells: dict[ShellKey, tuple[str, ...]] = field(default_factory=dict)  # reused when MkDocs is skipped
    marker: str = ""  # the token this build wrote into the site's marker (atomic.read_token)
    rows: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)  # record id -> (page key, row digest)
    # for the quick path of `laomo build` (quick.quick_rebuild): what the inputs were
    inputs: dict[str, Stamp] = field(default_factory=dict)  # records-relative path -> stamp
    scanned_at: int = 0  # time.time_ns() just before `inputs` was taken
    digests: dict[str, bytes] = field(default_factory=dict)  # every file of `inputs` -> content digest
    shapes: dict[str, bytes] = field(default_factory=dict)  # workers/… and homes/… file -> load.cache.shape_of
    views_token: str = ""  # the views file written with this state (pickled RecordViews by id)
    view_overrides: dict[str, bytes] = field(default_factory=dict)  # record id -> pickled view, newer than the file
    shown: tuple[str, ...] = ()  # ids of shown records and slugs of shown stories
    order: dict[str, list[str]] = field(default_factory=dict)  # "workers"/"homes" -> ids in page order
    indexed: tuple[str, ...] = ()  # urls of the pages in the search index, sorted
    # the search index's manifest (generator.site.indexing): url -> (page key, Pagefind's page id) of the pages
    # of the base index and of the delta; the digest of the delta's stored documents
    search_base: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    search_delta: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    search_documents: bytes = b""
    site_url: str = ""
    pages: int = 0
    photos: int = 0
    format: int = FORMAT

    def files(self) -> set[str]:
        return {name for _, names in self.units.values() for name in names}

    def key_of(self, unit: Unit) -> bytes | None:
        built = self.units.get(unit)
        return built.key if built is not None else None


INPUT_FOLDERS = ("workers", "homes", "stories", "photos", "vocab")


class InputStamps(NamedTuple):
    """The stamp of every file of the public tree (by path relative to the records), and when they were taken."""

    taken: int  # time.time_ns() just before the scan
    stamps: dict[str, Stamp]


class Inputs(NamedTuple):
    """What a build was made from, as the quick path of the next one needs to know it."""

    scanned: InputStamps
    digests: dict[str, bytes]  # input_digests
    public: Any = None  # validate.run's public tree (its sources' shapes)


def input_stamps(records: Path) -> InputStamps:
    """The stamp of every file of the public tree."""
    taken = time.time_ns()
    stamps: dict[str, Stamp] = {}
    root = str(records)
    cut = len(root) + 1
    todo = [os.path.join(root, folder) for folder in INPUT_FOLDERS]
    while todo:
        try:
            scan = os.scandir(todo.pop())
        except OSError:
            continue
        with scan:
            for entry in scan:
                if entry.is_dir(follow_symlinks=False):
                    todo.append(entry.path)
                    continue
                try:
                    stamps[entry.path[cut:]] = stamp_of(entry.stat())
                except OSError:
                    continue
    return InputStamps(taken, stamps)


def input_digests(records: Path, scanned: InputStamps, previous: SiteState | None) -> dict[str, bytes]:
    """The content digest (load.cache.digest) of every file of `scanned`: the previous build's for a file whose
    stamp is the one it had then (and was not too recent to trust), read and digested otherwise. What is
    "unchanged" is decided by content: a fresh clone (every stamp new) costs reading each file once, and
    the loader, given these digests, reads none of them again."""
    known_stamps = previous.inputs if previous is not None else {}
    known_digests = previous.digests if previous is not None else {}
    trusted_before = previous.scanned_at - RACY_NS if previous is not None else 0
    digests: dict[str, bytes] = {}
    todo: list[str] = []
    for rel, stamp in scanned.stamps.items():
        known = known_digests.get(rel)
        if known is not None and known_stamps.get(rel) == stamp and stamp[3] < trusted_before:
            digests[rel] = known
        else:
            todo.append(rel)
    chunks = [todo[i:i + _DIGEST_CHUNK] for i in range(0, len(todo), _DIGEST_CHUNK)]
    for chunk in map_in_processes(_digest_files, chunks, str(records), cores()):
        digests.update(chunk)
    return digests


_DIGEST_CHUNK = 1000  # files read by one worker at a time (a fresh clone of 20,000 workers: 25 chunks)


def _digest_files(records: str, names: list[str]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for rel in names:
        try:
            found[rel] = file_digest(os.path.join(records, rel))
        except OSError:
            continue  # gone or unreadable: the loader says so
    return found


def _hex(value: bytes) -> str:
    return value.hex()


def _unhex(value: Any) -> bytes:
    if not isinstance(value, str):
        raise ValueError("not hex")
    return bytes.fromhex(value)


def _ints(value: Any, length: int) -> tuple[int, ...]:
    if not isinstance(value, list) or len(value) != length or any(type(n) is not int for n in value):
        raise ValueError("not ints")
    return tuple(value)


def _strs(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or any(not isinstance(n, str) for n in value):
        raise ValueError("not strings")
    return tuple(value)


def _stamp(value: Any) -> Stamp:
    a, b, c, d = _ints(value, 4)
    return a, b, c, d


def _mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError("not a mapping")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise ValueError("not an int")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def _single_page(unit: Unit, files: tuple[str, ...]) -> bool:
    return unit.kind is UnitKind.PAGE and files == (f"{unit.name}index.html",)


def to_json(state: SiteState) -> dict[str, Any]:
    return {
        "format": state.format, "env": state.env,
        # most units are pages of one file, url + "index.html": those are written as url -> key alone (a
        # third of the state's size, and of the time to read and write it)
        "units": {str(unit): [_hex(key), list(files)] for unit, (key, files) in state.units.items()
                  if not _single_page(unit, files)},
        "page_units": {unit.name: _hex(key) for unit, (key, files) in state.units.items() if _single_page(unit, files)},
        "shells": [[section, depth, list(pieces)] for (section, depth), pieces in state.shells.items()],
        "marker": state.marker,
        "rows": {rid: [_hex(a), _hex(b)] for rid, (a, b) in state.rows.items()},
        "inputs": {rel: list(stamp) for rel, stamp in state.inputs.items()},
        "scanned_at": state.scanned_at,
        "digests": {rel: _hex(d) for rel, d in state.digests.items()},
        "shapes": {rel: _hex(d) for rel, d in state.shapes.items()},
        "views_token": state.views_token,
        "view_overrides": {rid: base64.b64encode(raw).decode("ascii") for rid, raw in state.view_overrides.items()},
        "shown": list(state.shown), "order": {k: list(v) for k, v in state.order.items()},
        "indexed": list(state.indexed),
        "search_base": {url: [_hex(key), page] for url, (key, page) in state.search_base.items()},
        "search_delta": {url: [_hex(key), page] for url, (key, page) in state.search_delta.items()},
        "search_documents": _hex(state.search_documents),
        "site_url": state.site_url, "pages": state.pages, "photos": state.photos,
    }


def from_json(data: Any) -> SiteState:
    """The state `to_json` wrote, every field checked; raises ValueError (or KeyError, TypeError) otherwise."""
    data = _mapping(data)
    if data.get("format") != FORMAT:
        raise ValueError("format")
    units = {Unit(UnitKind.PAGE, _str(url)): Built(_unhex(key), (f"{url}index.html",))
             for url, key in _mapping(data["page_units"]).items()}
    for unit, entry in _mapping(data["units"]).items():
        if not isinstance(entry, list) or len(entry) != 2:
            raise ValueError("unit")
        units[Unit.parse(unit)] = Built(_unhex(entry[0]), _strs(entry[1]))
    shells = {}
    for entry in data["shells"]:
        if not isinstance(entry, list) or len(entry) != 3:
            raise ValueError("shell")
        shells[(_str(entry[0]), _int(entry[1]))] = _strs(entry[2])
    rows = {}
    for rid, entry in _mapping(data["rows"]).items():
        if not isinstance(entry, list) or len(entry) != 2:
            raise ValueError("row")
        rows[rid] = (_unhex(entry[0]), _unhex(entry[1]))
    manifests = []
    for name in ("search_base", "search_delta"):
        manifest = {}
        for url, entry in _mapping(data[name]).items():
            if not isinstance(entry, list) or len(entry) != 2:
                raise ValueError("manifest")
            manifest[url] = (_unhex(entry[0]), _str(entry[1]))
        manifests.append(manifest)
    marker = data["marker"]
    return SiteState(
        env=_str(data["env"]), units=units, shells=shells, marker=_str(marker),
        rows=rows, inputs={rel: _stamp(stamp) for rel, stamp in _mapping(data["inputs"]).items()},
        scanned_at=_int(data["scanned_at"]),
        digests={rel: _unhex(d) for rel, d in _mapping(data["digests"]).items()},
        shapes={rel: _unhex(d) for rel, d in _mapping(data["shapes"]).items()},
        views_token=_str(data["views_token"]),
        view_overrides={rid: base64.b64decode(_str(raw), validate=True)
                        for rid, raw in _mapping(data["view_overrides"]).items()},
        shown=_strs(data["shown"]), order={_str(k): list(_strs(v)) for k, v in _mapping(data["order"]).items()},
        indexed=_strs(data["indexed"]), search_base=manifests[0], search_delta=manifests[1],
        search_documents=_unhex(data["search_documents"]),
        site_url=_str(data["site_url"]), pages=_int(data["pages"]), photos=_int(data["photos"]))


def view_classes() -> dict[tuple[str, str], type]:
    """The classes a pickled view may be built of (SafeUnpickler): the dataclasses of generator.site.pages."""
    from generator.site import pages

    return {(pages.__name__, name): value for name, value in vars(pages).items()
            if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == pages.__name__}


def load_view(raw: bytes) -> Any:
    """A view pickled by `view_bytes`, read back safely; raises ValueError when it is not a RecordView."""
    from generator.site.pages import RecordView

    view = loads_safely(raw, view_classes())
    if not isinstance(view, RecordView):
        raise ValueError("not a view")
    return view





def _views_ok(saved: Any) -> bool:
    return (type(saved) is tuple and len(saved) == 2 and isinstance(saved[0], str) and isinstance(saved[1], dict)
            and all(isinstance(k, str) and isinstance(v, bytes) for k, v in saved[1].items()))


@dataclass(frozen=True)
class SiteCache:
    """Where the state of the site built from `records` into `out` is kept: a folder of laomo's cache folder
    named by a digest of both absolute paths."""

    folder: Path

    @classmethod
    def of(cls, root: Path, records: Path, out: Path) -> SiteCache:
        tag = hashlib.blake2b(f"{records.resolve()}\x00{out.resolve()}".encode(), digest_size=12).hexdigest()
        return cls(root / "sites" / f"{out.resolve().name}-{tag}")

    @property
    def state_file(self) -> Path:
        return self.folder / "state.json"

    @property
    def views_file(self) -> Path:
        return self.folder / "views.pickle"

    @property
    def documents(self) -> Path:
        """Where the search documents of the delta are kept (searchdocs.DocumentStore)."""
        return self.folder / "search"

    def prepare(self) -> None:
        private_folder(self.folder)

    def load(self, out: Path) -> SiteState | None:
        """The previous build's state when it belongs to the site now in `out`; None otherwise."""
        data = read_json(self.state_file, lambda data: isinstance(data, dict))
        if data is None:
            return None
        try:
            state = from_json(data)
        except (ValueError, KeyError, TypeError, AttributeError):
            from generator.load.cache import discard

            if isinstance(data, dict) and data.get("format") == FORMAT:
                discard(self.state_file, "内容与预期不符")
            return None  # an older format is no damage: silently built afresh
        if state.env != environment() or not state.marker or state.marker != atomic.read_token(out):
            return None
        return state

    @property
    def views_token_file(self) -> Path:
        return self.folder / "views.token"

    def save_views(self, views: dict[str, bytes]) -> str:
        """Write the pickled views of a build beside its state; returns the token the state keeps: a digest of
        the views, so that views the file already holds (most builds change none) are not written again.
        The token file only spares that write: load_views trusts the token inside the views file."""
        h = hashlib.blake2b(digest_size=16)
        for rid in sorted(views):
            h.update(rid.encode("utf-8"))
            h.update(b"\x00")
            h.update(len(views[rid]).to_bytes(8, "little"))
            h.update(views[rid])
        token = h.hexdigest()
        try:
            written = self.views_token_file.read_text(encoding="ascii")
        except (OSError, ValueError):
            written = ""
        if written != token or not self.views_file.is_file():
            write_pickle(self.views_file, (token, views))
            write_private(self.views_token_file, token.encode("ascii"))
        return token

    def load_views(self, state: SiteState) -> dict[str, bytes] | None:
        saved = read_pickle(self.views_file, _views_ok)
        if saved is None or not state.views_token or saved[0] != state.views_token:
            return None
        return {**saved[1], **state.view_overrides}

    def save(self, state: SiteState) -> None:
        write_json(self.state_file, to_json(state))
