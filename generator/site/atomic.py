"""Build into a temporary folder beside the output and swap it in only when complete.

A failed build removes its temporary folder and leaves the previous site
byte-identical; a successful one replaces the whole folder in one step, so a
reader (or a kill at any moment) sees the old site or the new one, never a mix.
On Linux the switch is a single renameat2(RENAME_EXCHANGE) of two real folders;
elsewhere two renames, and a build that finds the site missing between them puts
the previous one back (`_cleanup_leftovers`).

An *incremental* build stages only the files that changed. The complete new site
is made in the *shadow* (`.<name>.next` beside the output): a copy of the site
made of hard links to its files (nothing in a site is ever written in place, only
replaced), kept in step with it. `commit` moves the staged files into the shadow,
deletes what is no longer produced, exchanges the shadow with the site, then
brings the shadow (the previous site) up to date by linking the same files — so
an incremental build costs what changed, and its switch is atomic like a full
build's. A shadow is used only when its marker is the site's own marker (the same
file) and it holds exactly the site's files; otherwise it is made again.

The marker names the build by a random *token* (`new_token`), which the build's state
keeps: a site copied or restored elsewhere — the deploy workflow restores the previous
site with its state — is still known for what it holds. The marker is the one file
in which two builds of the same inputs differ.

All folders are made by the build that holds the output's lock (`BuildLock`):
a second build of the same output waits for the first, so no build removes
another's temporary folders.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.load.cache import private_folder

MARKER = ".laomo-site"  # written into every site we build: we only ever replace our own output
MARKER_TEXT = "由 laomo build 生成。整个目录会在下次生成时被替换，请勿在此手工编辑。\n"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


def write_file(path: str | os.PathLike, data: bytes) -> None:
    """Write a staged file: one open, write and close (Python's open() adds an fstat, an ioctl and two
    lseeks, for each of a large site's 50,000 files)."""
    fd = os.open(path, _NEW_FILE, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


class OutputError(Exception):
    """The output folder cannot be used; the message is Chinese."""


def _inside(path: Path, other: Path) -> bool:
    try:
        path.relative_to(other)
        return True
    except ValueError:
        return False


def check_output(out: Path, records: Path) -> None:
    given = out
    out, records = out.resolve(), records.resolve()
    for ancestor in out.parents:
        if ancestor.exists():
            if not ancestor.is_dir():
                raise OutputError(f"输出路径 {given} 无法使用：{ancestor} 是文件而不是目录。请换一个输出目录。")
            if not os.access(ancestor, os.W_OK | os.X_OK) and not out.exists():
                raise OutputError(f"无法在 {ancestor} 中创建输出目录：没有写入权限（或是只读的文件系统）。"
                                  "请检查该目录的权限，或用 --out 换一个可写的目录。")
            break
    if out == Path(out.anchor) or out == Path.home().resolve():
        raise OutputError(f"输出目录 {out} 不能是根目录或主目录。请指定一个专门的目录，例如 site/。")
    if _inside(out, records) or _inside(records, out):
        raise OutputError(f"输出目录 {out} 与记录目录 {records} 重叠。请把网站输出到记录目录之外，例如 site/。")
    if out.exists() and not out.is_dir():
        raise OutputError(f"输出路径 {out} 已存在且不是目录。请换一个输出目录。")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise OutputError(f"输出目录 {out} 不是空目录，也不是之前生成的网站。为免误删其中文件，"
                          "请换一个输出目录，或先清空它。")
    if out.is_dir() and not os.access(out.parent, os.W_OK | os.X_OK):
        raise OutputError(f"无法替换网站 {out}：它所在的目录 {out.parent} 不可写（没有权限或是只读的文件系统）。"
                          "请检查权限，或用 --out 换一个可写的目录。")


class BuildLock:
    """One build of an output at a time: an exclusive flock on a file in laomo's cache folder named by the
    output's absolute path. The lock goes with the process, so a killed build never leaves it held."""

    def __init__(self, root: Path, out: Path):
        tag = hashlib.blake2b(str(out.resolve()).encode("utf-8"), digest_size=12).hexdigest()
        self.path = private_folder(private_folder(root) / "locks") / f"{tag}.lock"
        self.fd = -1

    def acquire(self, waiting: Callable[[], None]) -> None:
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(self.fd, fcntl.LOCK_EX)

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing the file releases the lock
            self.fd = -1


def shadow_of(out: Path) -> Path:
    return out.parent / f".{out.name}.next"


def _cleanup_leftovers(out: Path) -> None:
    """Remove temporary folders that an interrupted build of this output left behind (the caller holds the
    lock: no other build is using them); put the previous site back if a fallback swap was cut short."""
    olds = [p for p in out.parent.glob(f".{out.name}.prev-*") if p.is_dir() and not p.is_symlink()]
    if not os.path.lexists(out) and olds:  # at most one: a swap cut short between its two renames
        olds.pop().rename(out)
    for pattern in (f".{out.name}.old-*", f".{out.name}.building-*", f".{out.name}.docs-*",
                    f".{out.name}.search-*"):
        olds += [p for p in out.parent.glob(pattern) if p.is_dir() and not p.is_symlink()]
    for leftover in olds:
        discard(leftover)


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A fresh empty folder beside `out`; removed again if the block raises."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    _cleanup_leftovers(out)
    tmp = out.parent / f".{out.name}.building-{uuid.uuid4().hex[:12]}"
    tmp.mkdir()
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if tmp.exists():  # not swapped in (e.g. the block returned early, or committed): discard
        shutil.rmtree(tmp, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False when not available."""
    if not hasattr(os, "uname") or os.uname().sysname != "Linux":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def discard(path: Path, background: bool = True) -> None:
    """Delete a folder this build made (an old site). Large sites are deleted in the background:
    removing 20,000 page folders takes many seconds and the new site is already in place."""
    rm = shutil.which("rm")
    if background and rm and os.name == "posix":
        subprocess.Popen([rm, "-rf", "--", str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _switch(new: Path, out: Path, old: Path) -> None:
    """Make the complete site in `new` the site at `out` in one step; the previous site ends up at `old`."""
    if _exchange(new, out):
        new.rename(old)  # `new` now holds the previous site
    else:  # a moment without a site: a build that finds it so puts `previous` back (_cleanup_leftovers)
        previous = out.parent / f".{out.name}.prev-{uuid.uuid4().hex[:12]}"
        out.rename(previous)
        new.rename(out)
        previous.rename(old)


_TOKEN_LINE = "构建标识："


def _write_marker(site: Path, token: str) -> None:
    temporary = site / (MARKER + ".tmp")
    write_file(temporary, (MARKER_TEXT + (f"{_TOKEN_LINE}{token}\n" if token else "")).encode("utf-8"))
    os.replace(temporary, site / MARKER)


def new_token() -> str:
    return uuid.uuid4().hex


def read_token(out: Path) -> str:
    """The token of the build whose marker `out` carries; "" when there is none."""
    try:
        with open(out / MARKER, "rb") as marker:
            text = marker.read(4096).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    lines = text.splitlines()
    if len(lines) != 2 or lines[0] + "\n" != MARKER_TEXT or not lines[1].startswith(_TOKEN_LINE):
        return ""
    token = lines[1][len(_TOKEN_LINE):]
    return token if re.fullmatch(r"[0-9a-f]{16,64}", token) else ""


def swap_in(tmp: Path, out: Path, background_delete: bool = True, token: str = "") -> None:
    """Make the complete build in `tmp` (the build `token`) the site at `out`; the previous site (and its
    shadow) are removed."""
    out = out.resolve()
    _write_marker(tmp, token)
    shadow = shadow_of(out)
    if os.path.lexists(shadow):  # a copy of the previous site: of no use beside a new one
        _retire(shadow, out, background_delete)
    if not out.exists():
        tmp.rename(out)
        return
    old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:12]}"
    _switch(tmp, out, old)
    discard(old, background_delete)


def _retire(folder: Path, out: Path, background: bool) -> None:
    old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:12]}"
    folder.rename(old)
    discard(old, background)


def _link(source: Path, target: Path) -> None:
    """`target` as a hard link to `source` (a copy where the file system has none), replacing any file."""
    temporary = target.with_name(target.name + ".laomo-tmp")
    try:
        os.link(source, temporary)
    except FileExistsError:
        os.unlink(temporary)
        os.link(source, temporary)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copyfile(source, temporary)
    os.replace(temporary, target)


def _files_of(folder: Path) -> dict[str, int]:
    """Every file under `folder` (relative path) with its inode, as the folder listing gives it (no stat)."""
    found: dict[str, int] = {}
    todo = [""]
    while todo:
        rel = todo.pop()
        with os.scandir(os.path.join(folder, rel)) as entries:
            for entry in entries:
                name = f"{rel}/{entry.name}" if rel else entry.name
                if entry.is_dir(follow_symlinks=False):
                    todo.append(name)
                else:
                    found[name] = entry.inode()
    return found


def _shadow_ready(shadow: Path, out: Path, files: set[str]) -> bool:
    """The shadow is the site's copy: it holds exactly the site's `files` and marker, each the very file of
    the site (a hard link: same inode). A file put into either folder by anything but the build (a checkout,
    an editor) is a new inode: the shadow is then made again."""
    try:
        if shadow.is_symlink() or not shadow.is_dir():
            return False
        in_shadow = _files_of(shadow)
        return in_shadow.keys() == files | {MARKER} and in_shadow == _files_of(out)
    except OSError:
        return False


def _make_shadow(shadow: Path, out: Path, files: Iterable[str]) -> None:
    """A fresh shadow of the site at `out`: a hard link to each of its `files` and its marker."""
    if os.path.lexists(shadow):
        _retire(shadow, out, True)
    making = out.parent / f".{out.name}.building-{uuid.uuid4().hex[:12]}"
    making.mkdir()
    made: set[str] = set()
    try:
        for rel in sorted({*files, MARKER}):
            parent = os.path.dirname(rel)
            if parent and parent not in made:
                os.makedirs(making / parent, exist_ok=True)
                made.add(parent)
            _link(out / rel, making / rel)
        making.rename(shadow)
    except BaseException:
        shutil.rmtree(making, ignore_errors=True)
        raise


def _prune(directory: Path, stop: Path) -> None:
    """Remove `directory` and its parents up to `stop` while they are empty."""
    while directory != stop and stop in directory.parents:
        try:
            directory.rmdir()
        except OSError:
            return
        directory = directory.parent


def _apply(site: Path, moves: Iterable[tuple[Path, str]], deletes: list[str], move: bool) -> None:
    """Put each (source, relative path) of `moves` into `site` (moved, or linked when not `move`), then delete
    `deletes` from it and prune the folders they leave empty."""
    made: set[Path] = set()
    for source, rel in moves:
        target = site / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        if move:
            os.replace(source, target)
        else:
            _link(source, target)
    parents: set[Path] = set()
    for rel in deletes:
        target = site / rel
        try:
            target.unlink()
        except FileNotFoundError:
            pass
        except IsADirectoryError:
            shutil.rmtree(target, ignore_errors=True)
        parents.add(target.parent)
    for directory in sorted(parents, key=lambda p: len(p.parts), reverse=True):
        _prune(directory, site)


def commit(tmp: Path, out: Path, moves: list[str], deletes: list[str], files: set[str], token: str = "") -> None:
    """Make the site at `out` (which holds `files`, besides its marker) the site with the staged files
    `moves` (relative paths inside `tmp`) and without `deletes`, in one atomic switch (see the module's
    docstring)."""
    out = out.resolve()
    shadow = shadow_of(out)
    if not _shadow_ready(shadow, out, files):
        _make_shadow(shadow, out, files)
    _apply(shadow, ((tmp / rel, rel) for rel in moves), deletes, move=True)
    _write_marker(shadow, token)
    old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:12]}"
    _switch(shadow, out, old)  # the commit point
    # `old` is the previous site: bring it up to date to be the next shadow (the new site is in place: a
    # failure here only means the next build makes a fresh shadow)
    try:
        _apply(old, ((out / rel, rel) for rel in moves), deletes, move=False)
        _link(out / MARKER, old / MARKER)
        old.rename(shadow)
    except OSError:
        discard(old)
