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

Entries are keyed by the file's content (a digest of its bytes), so a file
that has the same bytes as before is never parsed again, whatever its stamp:
a fresh clone of a tree (every file new) only costs reading and digesting it.
Each file's stamp (inode, size, modification and change times) when its
content was read is remembered too: a file whose stamp is unchanged is not
even read again (`ParseCache.known`). Any write changes the change time, which
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

FORMAT = 4
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


def file_digest(path: str | Path) -> bytes:
    """`digest` of a file's bytes, read a chunk at a time (a photo may be large); raises OSError."""
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            h.update(chunk)
    return h.digest()


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


Stamp = tuple[int, int, int, int]  # stamp_of: inode, size, mtime_ns, ctime_ns


def _contents_ok(contents: Any) -> bool:
    """The shape ParseCache keeps by content: 16-byte digest -> (plain data, shape or None)."""
    if not isinstance(contents, dict):
        return False
    for key, entry in contents.items():
        if not (type(key) is bytes and len(key) == 16 and type(entry) is tuple and len(entry) == 2
                and (entry[1] is None or type(entry[1]) is bytes)):
            return False
    return True


def _stamps_ok(stamps: Any) -> bool:
    """The shape ParseCache keeps by name: name -> (16-byte digest, stamp or None, when read)."""
    if not isinstance(stamps, dict):
        return False
    for name, entry in stamps.items():  # a loop, not all(…): 20,000 entries are checked on every run
        if not (type(name) is str and type(entry) is tuple and len(entry) == 3 and type(entry[0]) is bytes
                and type(entry[2]) is int):
            return False
        stamp = entry[1]
        if stamp is not None and not (type(stamp) is tuple and len(stamp) == 4 and type(stamp[0]) is int
                                      and type(stamp[1]) is int and type(stamp[2]) is int and type(stamp[3]) is int):
            return False
    return True


class ParseCache:
    """What a folder's files gave when they were parsed, by content: digest -> (plain data, shape); and which
    content each file had when it was last read: name -> (digest, stamp, when read).

    A file whose stamp is the one remembered (and not racy) is not read again (`known`); any other file is
    read and digested, and its content found here when it is the same bytes as before, whatever its stamp
    or name: a fresh clone of a tree (every stamp new) parses nothing again. The two halves are two files,
    so that new stamps alone (a clone, a checkout) rewrite only the small one."""

    def __init__(self, folder: Path, model_name: str):
        key = hashlib.blake2b(f"{FORMAT}|{model_name}|{folder.resolve()}".encode(), digest_size=12).hexdigest()
        path = cache_folder() / f"records-{key}.pickle"
        self.path: Path | None = None
        self.contents: dict[bytes, tuple[Any, bytes | None]] = {}
        self.stamps: dict[str, tuple[bytes, Stamp | None, int]] = {}
        self.now = time.time_ns()
        self.contents_changed = self.stamps_changed = False
        if os.environ.get("LAOMO_NO_CACHE"):
            return
        try:
            private_folder(path.parent)
        except CacheFolderRefused as exc:
            print(f"{exc}（本次不使用解析缓存）", file=sys.stderr, flush=True)
            return
        self.path = path
        contents = read_pickle(path, _contents_ok)
        stamps = read_pickle(self.stamps_path, _stamps_ok) if contents is not None else None
        self.contents = contents if contents is not None else {}
        self.stamps = stamps if stamps is not None else {}

    @property
    def stamps_path(self) -> Path:
        assert self.path is not None
        return self.path.with_name(self.path.stem + "-stamps.pickle")

    def get(self, content_digest: bytes) -> Any | None:
        """The plain data parsed from this content, if it was parsed before."""
        entry = self.contents.get(content_digest)
        return entry[0] if entry is not None else None

    def known(self, name: str, stamp: Stamp) -> bytes | None:
        """The content digest of a file not touched since it was read (same stamp, not racy)."""
        entry = self.stamps.get(name)
        if entry is None or entry[1] != stamp or stamp[3] >= entry[2] - RACY_NS:
            return None
        return entry[0]

    def put(self, name: str, content_digest: bytes, data: Any, stamp: Stamp | None = None,
            shape: bytes | None = None) -> None:
        self.contents[content_digest] = (data, shape)
        self.contents_changed = True
        self.restamp(name, content_digest, stamp)

    def shape(self, content_digest: bytes) -> bytes | None:
        """shape_of the data of this content, computed once and remembered."""
        entry = self.contents.get(content_digest)
        if entry is None:
            return None
        if entry[1] is not None:
            return entry[1]
        value = shape_of(entry[0])
        self.contents[content_digest] = (entry[0], value)
        self.contents_changed = True
        return value

    def restamp(self, name: str, content_digest: bytes, stamp: Stamp | None) -> None:
        """`name` was read and had this content: remember its stamp (unless that is known already)."""
        entry = self.stamps.get(name)
        if entry is not None and entry[0] == content_digest and entry[1] == stamp \
                and (stamp is None or stamp[3] < entry[2] - RACY_NS):
            return
        self.stamps[name] = (content_digest, stamp, self.now)
        self.stamps_changed = True

    def keep_only(self, names: set[str]) -> None:
        """Forget the files not in `names`, and the contents no remaining file has."""
        stale = set(self.stamps) - names
        for name in stale:
            del self.stamps[name]
        used = {entry[0] for entry in self.stamps.values()}
        unused = [key for key in self.contents if key not in used]
        for key in unused:
            del self.contents[key]
        self.stamps_changed = self.stamps_changed or bool(stale)
        self.contents_changed = self.contents_changed or bool(unused)

    def save(self) -> None:
        if self.path is None:
            return
        # It may hold private records: owner only. Records are plain data, nothing shared: without a
        # memo, pickling 20,000 of them takes a sixth of the time.
        if self.contents_changed:
            write_pickle(self.path, self.contents, memo=False)
        if self.stamps_changed or self.contents_changed:
            write_pickle(self.stamps_path, self.stamps, memo=False)
