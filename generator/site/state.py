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

The state lives outside the site (beside the photo cache) and is trusted only
for the very folder it was written for, still carrying the marker file this build
left there (same inode, size and time).
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.load.cache import RACY_NS, read_pickle, stamp_of, write_pickle  # noqa: F401 - RACY_NS: build reads it here
from generator.site import atomic

FORMAT = 5
REPO = Path(__file__).resolve().parents[2]
# the code and theme a page depends on (the site's own package, the projection and public model)
_ENV_GLOBS = ("generator/site/*.py", "generator/projection.py", "generator/model/*.py", "theme/**/*", "mkdocs.yml",
              "laomo.yml")
_ENV_PACKAGES = ("mkdocs", "mkdocs-material", "jinja2", "markdown", "nh3", "markupsafe", "pypinyin",
                 "pagefind_bin_extended", "pillow")
_RECORD_LINK = re.compile(r"(?:workers|homes|stories)/([a-z0-9][a-z0-9-]*[a-z0-9])")

_env_digest: str | None = None


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


def environment() -> str:
    """Digest of everything besides the records that the output depends on."""
    global _env_digest
    if _env_digest is None:
        from importlib.metadata import PackageNotFoundError, version

        h = hashlib.blake2b(digest_size=16)
        h.update(f"laomo-site-state-{FORMAT}".encode())
        files = sorted({p for pattern in _ENV_GLOBS for p in REPO.glob(pattern) if p.is_file()
                        and "__pycache__" not in p.parts})
        for path in files:
            h.update(str(path.relative_to(REPO)).encode())
            h.update(path.read_bytes())
        for name in _ENV_PACKAGES:
            try:
                h.update(f"{name}={version(name)}".encode())
            except PackageNotFoundError:
                h.update(f"{name}=?".encode())
        _env_digest = h.hexdigest()
    return _env_digest


def linked_ids(*texts: str | None) -> list[str]:
    """Record ids a Markdown text may link to (whether they are shown changes the HTML)."""
    found: set[str] = set()
    for text in texts:
        if text and "/" in text:
            found.update(m.group(1) for m in _RECORD_LINK.finditer(text))
    return sorted(found)


@dataclass
class SiteState:
    env: str
    units: dict[str, tuple[bytes, tuple[str, ...]]] = field(default_factory=dict)  # unit -> (key, files)
    shells: dict = field(default_factory=dict)  # theme shells by (section, depth), reused when MkDocs is skipped
    marker: tuple = ()  # (inode, size, mtime_ns) of the site's marker file after the build
    rows: dict = field(default_factory=dict)  # record id -> (page key, digest of its open-data row)
    # for the quick path of `laomo build` (build.quick_rebuild): what the inputs were
    inputs: dict = field(default_factory=dict)  # records-relative path -> stamp (inode, size, mtime, ctime)
    scanned_at: int = 0  # time.time_ns() just before `inputs` was taken
    digests: dict = field(default_factory=dict)  # workers/… and homes/… file -> content digest
    shapes: dict = field(default_factory=dict)  # workers/… and homes/… file -> load.cache.shape_of its data
    views_token: str = ""  # the views file written with this state (pickled RecordViews by id)
    view_overrides: dict = field(default_factory=dict)  # record id -> pickled RecordView, newer than the file
    shown: tuple = ()  # ids of shown records and slugs of shown stories
    order: dict = field(default_factory=dict)  # "workers"/"homes" -> ids in page order (open data rows)
    indexed: tuple = ()  # urls of the pages in the search index, sorted
    parts: int = 1
    search_documents: dict[int, bytes] = field(default_factory=dict)  # part -> digest of its stored search documents
    site_url: str = ""
    pages: int = 0
    photos: int = 0
    format: int = FORMAT

    def files(self) -> set[str]:
        return {name for _, names in self.units.values() for name in names}


INPUT_FOLDERS = ("workers", "homes", "stories", "photos", "vocab")


def input_stamps(records: Path) -> tuple[int, dict[str, tuple[int, int, int, int]]]:
    """(time taken, {path relative to records: stamp}) of every file of the public tree."""
    taken = time.time_ns()
    stamps: dict[str, tuple[int, int, int, int]] = {}
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
    return taken, stamps


def state_path(cache: Path, out: Path) -> Path:
    out = out.resolve()
    tag = hashlib.blake2b(str(out).encode("utf-8"), digest_size=6).hexdigest()
    return cache.resolve().parent / "site-state" / f"{out.name}-{tag}.pickle"


def documents_folder(cache: Path, out: Path) -> Path:
    """Where the search documents of the site in `out` are kept, a file per part (searchdocs.DocumentStore)."""
    return state_path(cache, out).with_suffix(".search")


def marker_stamp(out: Path) -> tuple:
    try:
        info = (out / atomic.MARKER).stat()
    except OSError:
        return ()
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def load(cache: Path, out: Path) -> SiteState | None:
    """The previous build's state when it belongs to the site now in `out`; None otherwise."""
    state = read_pickle(state_path(cache, out))
    if not isinstance(state, SiteState) or state.format != FORMAT or state.env != environment():
        return None
    if not state.marker or state.marker != marker_stamp(out):
        return None
    return state


def save_views(cache: Path, out: Path, views: dict[str, bytes]) -> str:
    """Write the pickled views of a build beside its state; returns the token the state keeps."""
    token = hashlib.blake2b(os.urandom(16), digest_size=8).hexdigest()
    write_pickle(state_path(cache, out).with_suffix(".views"), (token, views))
    return token


def load_views(cache: Path, out: Path, state: SiteState) -> dict[str, bytes] | None:
    saved = read_pickle(state_path(cache, out).with_suffix(".views"))
    if not isinstance(saved, tuple) or len(saved) != 2 or not state.views_token or saved[0] != state.views_token:
        return None
    return {**saved[1], **state.view_overrides}


def forget(cache: Path, out: Path) -> None:
    try:
        state_path(cache, out).unlink()
    except OSError:
        pass


def save(cache: Path, out: Path, state: SiteState) -> None:
    write_pickle(state_path(cache, out), state)
