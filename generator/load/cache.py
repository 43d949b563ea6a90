"""What parsing a valid record file gave last time, keyed by the file's content.

Most of a large tree does not change between two runs, and parsing YAML is the
slowest step of loading. The cache lives in the user's cache folder, never in a
tree: a pull request cannot plant one, and staff's private data stays on the
machine that already holds it (files readable by their owner only).

Each entry also remembers the file's stamp (inode, size, modification and
change times) when its content was read: a file whose stamp is unchanged is
not even read again (`get_by_stamp`). Any write changes the change time, which
no tool can set back; a stamp taken within two seconds of the read is never
trusted, so a file edited in the same instant as it was cached is read again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from pathlib import Path
from typing import Any

FORMAT = 3
RACY_NS = 2_000_000_000


def cache_folder() -> Path:
    base = os.environ.get("LAOMO_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "laomo")
    return Path(base)


def digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


FREE_TEXT = ("story", "summary", "achievements")  # a record's free text; `shape_of` digests the rest


def shape_of(data: Any) -> bytes:
    """Digest of a record's data without its free-text fields: equal shapes, equal records but for text."""
    if not isinstance(data, dict):
        return digest(repr(data).encode("utf-8"))
    return digest(repr(sorted((k, v) for k, v in data.items() if k not in FREE_TEXT)).encode("utf-8"))


def stamp_of(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def read_pickle(path: Path) -> Any | None:
    """What `write_pickle` left at `path`; None when there is none or it cannot be read (a cache only)."""
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError, ImportError):
        return None


def write_pickle(path: Path, value: Any, mode: int = 0o644, memo: bool = True) -> None:
    """Replace `path` at once (a reader sees the old file or the new one); a failure only costs time.
    Without `memo`, shared objects are written once per reference, and cycles cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700 if mode == 0o600 else 0o777)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "wb") as handle:
            pickler = pickle.Pickler(handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.fast = not memo
            pickler.dump(value)
        os.replace(temporary, path)
    except (OSError, ValueError, RecursionError, pickle.PicklingError):
        pass


class ParseCache:
    """name -> (content digest, plain data, stamp, when read, shape) for one folder of records."""

    def __init__(self, folder: Path, model_name: str):
        key = hashlib.blake2b(f"{FORMAT}|{model_name}|{folder.resolve()}".encode(), digest_size=12).hexdigest()
        self.path = cache_folder() / f"records-{key}.pickle"
        self.entries: dict[str, tuple] = {}
        self.now = time.time_ns()
        self.changed = False
        if os.environ.get("LAOMO_NO_CACHE"):
            self.path = None  # type: ignore[assignment]
            return
        loaded = read_pickle(self.path)
        self.entries = loaded if isinstance(loaded, dict) else {}

    def get(self, name: str, content_digest: bytes) -> Any | None:
        entry = self.entries.get(name)
        return entry[1] if entry is not None and entry[0] == content_digest else None

    def get_by_stamp(self, name: str, stamp: tuple[int, int, int, int]) -> tuple[bytes, Any] | None:
        """(digest, data) of a file not touched since it was read (same stamp, not racy)."""
        entry = self.entries.get(name)
        if entry is None or len(entry) < 4 or entry[2] != stamp or stamp[3] >= entry[3] - RACY_NS:
            return None
        return entry[0], entry[1]

    def put(self, name: str, content_digest: bytes, data: Any, stamp: tuple | None = None,
            shape: bytes | None = None) -> None:
        self.entries[name] = (content_digest, data, stamp, self.now, shape)
        self.changed = True

    def shape(self, name: str) -> bytes | None:
        """shape_of the current data of `name`, computed once and remembered in the entry."""
        entry = self.entries.get(name)
        if entry is None:
            return None
        if len(entry) >= 5 and entry[4] is not None:
            return entry[4]
        value = shape_of(entry[1])
        self.entries[name] = (*entry[:4], value) if len(entry) >= 4 else (entry[0], entry[1], None, 0, value)
        self.changed = True
        return value

    def restamp(self, name: str, stamp: tuple) -> None:
        """The file was read again and had the cached content: remember its new stamp."""
        entry = self.entries.get(name)
        if entry is not None and (len(entry) < 4 or entry[2] != stamp or stamp[3] >= entry[3] - RACY_NS):
            self.entries[name] = (entry[0], entry[1], stamp, self.now, entry[4] if len(entry) >= 5 else None)
            self.changed = True

    def keep_only(self, names: set[str]) -> None:
        stale = set(self.entries) - names
        for name in stale:
            del self.entries[name]
        self.changed = self.changed or bool(stale)

    def save(self) -> None:
        if self.path is None or not self.changed:
            return
        # It may hold private records: owner only. Records are plain data, nothing shared: without a
        # memo, pickling 20,000 of them takes a sixth of the time.
        write_pickle(self.path, self.entries, mode=0o600, memo=False)
