"""What parsing a valid record file gave last time, keyed by the file's content; and the folder every
cache of laomo lives in.

Most of a large tree does not change between two runs, and parsing YAML is the
slowest step of loading. The cache lives in the user's cache folder, never in a
tree: a pull request cannot plant one, and staff's private data stays on the
machine that already holds it (folders 0700, files 0600; a folder that another
user owns or may write is refused, see `private_folder`).

Nothing read back from a cache is trusted: pickles are read by `SafeUnpickler`,
which builds only plain data and the classes its caller names (no code can run),
and whatever it gives is checked by the caller; an entry that cannot be read or
fails its check is dropped with one line on stderr (`discard`) and made again.

Each entry also remembers the file's stamp (inode, size, modification and
change times) when its content was read: a file whose stamp is unchanged is
not even read again (`get_by_stamp`). Any write changes the change time, which
no tool can set back; a stamp taken within two seconds of the read is never
trusted, so a file edited in the same instant as it was cached is read again.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import pickle
import stat
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMAT = 3
RACY_NS = 2_000_000_000


class CacheFolderRefused(Exception):
    """The cache folder is not safe to use; the message is Chinese and says what to do."""


def cache_folder() -> Path:
    """laomo's folder in the user's cache folder (XDG_CACHE_HOME, else ~/.cache); LAOMO_CACHE_DIR overrides."""
    base = os.environ.get("LAOMO_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "laomo")
    return Path(base)


def private_folder(path: Path) -> Path:
    """`path` as a folder only its owner can use: made 0700 when missing; raises CacheFolderRefused when it is
    a symlink or not a folder, belongs to another user or can be written by group or others (another account
    could plant entries there)."""
    try:
        missing = [p for p in (path, *path.parents) if not os.path.lexists(p)]
        for folder in reversed(missing):
            try:
                os.mkdir(folder, 0o700)
            except FileExistsError:
                pass
        info = os.lstat(path)
    except OSError as exc:
        raise CacheFolderRefused(f"无法使用缓存目录 {path}：{exc.strerror or exc}。请检查权限，"
                                 "或设置环境变量 XDG_CACHE_HOME 指向自己可写的目录。") from None
    if not stat.S_ISDIR(info.st_mode):
        raise CacheFolderRefused(f"缓存目录 {path} 不是普通目录（可能是符号链接），已拒绝使用。"
                                 "请删除它，或设置 XDG_CACHE_HOME 指向自己的目录。")
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        raise CacheFolderRefused(f"缓存目录 {path} 不属于当前用户，已拒绝使用（其中的内容可能被他人植入）。"
                                 "请删除它，或设置 XDG_CACHE_HOME 指向自己的目录。")
    if info.st_mode & 0o022:
        raise CacheFolderRefused(f"缓存目录 {path} 允许其他用户写入（权限 {stat.S_IMODE(info.st_mode):04o}），"
                                 f"已拒绝使用。请运行 chmod 700 {path}，或删除它。")
    if info.st_mode & 0o077:  # readable by others (made by an older laomo): ours, so made private
        os.chmod(path, 0o700)
    return path


def discard(path: Path, reason: str) -> None:
    """Drop a cache entry, with the one line that says so (the build goes on without it); a folder is
    removed by the caller."""
    print(f"缓存文件 {path} {reason}，已丢弃，相应部分将重新生成。", file=sys.stderr, flush=True)
    try:
        if not path.is_dir() or path.is_symlink():
            path.unlink()
    except OSError:
        pass


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


_PLAIN_CLASSES = frozenset({("datetime", "date"), ("datetime", "datetime")})


class SafeUnpickler(pickle.Unpickler):
    """An unpickler that builds plain data (numbers, strings, bytes, lists, tuples, dicts, sets, dates) and the
    classes in `allowed` only: a pickle naming any other global — the way pickles run code — is refused."""

    def __init__(self, file: io.BufferedIOBase | io.BytesIO, allowed: dict[tuple[str, str], type]):
        super().__init__(file)
        self.allowed = allowed

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _PLAIN_CLASSES:
            return getattr(datetime, name)
        found = self.allowed.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name}")
        return found


def loads_safely(raw: bytes, allowed: dict[tuple[str, str], type] | None = None) -> Any:
    """`raw` unpickled by SafeUnpickler; raises ValueError for anything it cannot (or may not) build."""
    try:
        return SafeUnpickler(io.BytesIO(raw), allowed or {}).load()
    except RecursionError:
        raise ValueError("nested too deeply") from None
    except Exception as exc:  # noqa: BLE001 - a damaged pickle raises almost anything (Overflow, Memory, EOF …)
        raise ValueError(f"{type(exc).__name__}") from None


def read_bytes(path: Path) -> bytes | None:
    """The bytes of a cache file; None when there is none (said nothing: a first build has no cache)."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        discard(path, f"无法读取（{exc.strerror or exc}）")
        return None


def read_pickle(path: Path, check: Callable[[Any], bool],
                allowed: dict[tuple[str, str], type] | None = None) -> Any | None:
    """What `write_pickle` left at `path` when it unpickles safely and passes `check`; None otherwise (a
    damaged entry is dropped with one line)."""
    raw = read_bytes(path)
    if raw is None:
        return None
    try:
        value = loads_safely(raw, allowed)
        if check(value):
            return value
        reason = "内容与预期不符"
    except ValueError as exc:
        reason = f"已损坏（{exc}）"
    discard(path, reason)
    return None


def read_json(path: Path, check: Callable[[Any], bool]) -> Any | None:
    """What `write_json` left at `path` when it parses and passes `check`; None otherwise (one line)."""
    raw = read_bytes(path)
    if raw is None:
        return None
    try:
        value = json.loads(raw)
        if check(value):
            return value
        reason = "内容与预期不符"
    except (ValueError, RecursionError) as exc:
        reason = f"已损坏（{type(exc).__name__}）"
    discard(path, reason)
    return None


def write_private(path: Path, data: bytes) -> None:
    """Replace `path` at once (a reader sees the old file or the new one), readable by its owner only; a
    failure only costs time (it is a cache)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass


def write_pickle(path: Path, value: Any, memo: bool = True) -> None:
    """Without `memo`, shared objects are written once per reference, and cycles cannot be written."""
    buffer = io.BytesIO()
    try:
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.fast = not memo
        pickler.dump(value)
    except (ValueError, RecursionError, pickle.PicklingError):
        return
    write_private(path, buffer.getvalue())


def write_json(path: Path, value: Any) -> None:
    write_private(path, json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _entries_ok(entries: Any) -> bool:
    """The shape ParseCache keeps: name -> (16-byte digest, data, stamp or None, int, shape or None)."""
    if not isinstance(entries, dict):
        return False
    for name, entry in entries.items():
        if not (isinstance(name, str) and type(entry) is tuple and len(entry) == 5 and isinstance(entry[0], bytes)
                and (entry[2] is None or (type(entry[2]) is tuple and len(entry[2]) == 4
                                          and all(type(n) is int for n in entry[2])))
                and type(entry[3]) is int and (entry[4] is None or isinstance(entry[4], bytes))):
            return False
    return True


class ParseCache:
    """name -> (content digest, plain data, stamp, when read, shape) for one folder of records."""

    def __init__(self, folder: Path, model_name: str):
        key = hashlib.blake2b(f"{FORMAT}|{model_name}|{folder.resolve()}".encode(), digest_size=12).hexdigest()
        path = cache_folder() / f"records-{key}.pickle"
        self.path: Path | None = None
        self.entries: dict[str, tuple[Any, ...]] = {}
        self.now = time.time_ns()
        self.changed = False
        if os.environ.get("LAOMO_NO_CACHE"):
            return
        try:
            private_folder(path.parent)
        except CacheFolderRefused as exc:
            print(f"{exc}（本次不使用解析缓存）", file=sys.stderr, flush=True)
            return
        self.path = path
        loaded = read_pickle(path, _entries_ok)
        self.entries = loaded if loaded is not None else {}

    def get(self, name: str, content_digest: bytes) -> Any | None:
        entry = self.entries.get(name)
        return entry[1] if entry is not None and entry[0] == content_digest else None

    def get_by_stamp(self, name: str, stamp: tuple[int, int, int, int]) -> tuple[bytes, Any] | None:
        """(digest, data) of a file not touched since it was read (same stamp, not racy)."""
        entry = self.entries.get(name)
        if entry is None or len(entry) < 4 or entry[2] != stamp or stamp[3] >= entry[3] - RACY_NS:
            return None
        return entry[0], entry[1]

    def put(self, name: str, content_digest: bytes, data: Any, stamp: tuple[int, int, int, int] | None = None,
            shape: bytes | None = None) -> None:
        self.entries[name] = (content_digest, data, stamp, self.now, shape)
        self.changed = True

    def shape(self, name: str) -> bytes | None:
        """shape_of the current data of `name`, computed once and remembered in the entry."""
        entry = self.entries.get(name)
        if entry is None:
            return None
        if len(entry) >= 5 and entry[4] is not None:
            known: bytes = entry[4]
            return known
        value = shape_of(entry[1])
        self.entries[name] = (*entry[:4], value) if len(entry) >= 4 else (entry[0], entry[1], None, 0, value)
        self.changed = True
        return value

    def restamp(self, name: str, stamp: tuple[int, int, int, int]) -> None:
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
        write_pickle(self.path, self.entries, memo=False)
