"""Build into a temporary folder beside the output and swap it in only when complete.

A failed build removes its temporary folder and leaves the previous site
byte-identical; a successful one replaces the whole folder, so no stale file
of an earlier build survives. On Linux the swap is a single atomic
renameat2(RENAME_EXCHANGE); elsewhere two renames.

An *incremental* build stages only the files that changed. Once everything is
staged, `commit` writes a journal into the staging folder (the commit point),
moves each staged file over the old one (each a rename) and deletes the files
that are no longer produced. Everything that can fail — validation, rendering,
indexing — happens before the commit point, so a failed build still leaves the
previous site byte-identical; a build interrupted after it is finished by the
next one (`_cleanup_leftovers` rolls the journal forward).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MARKER = ".laomo-site"  # written into every site we build: we only ever replace our own output
JOURNAL = ".laomo-commit.json"  # in a staging folder: its files are being moved into the site
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
    out, records = out.resolve(), records.resolve()
    if out == Path(out.anchor) or out == Path.home().resolve():
        raise OutputError(f"输出目录 {out} 不能是根目录或主目录。请指定一个专门的目录，例如 site/。")
    if _inside(out, records) or _inside(records, out):
        raise OutputError(f"输出目录 {out} 与记录目录 {records} 重叠。请把网站输出到记录目录之外，例如 site/。")
    if out.exists() and not out.is_dir():
        raise OutputError(f"输出路径 {out} 已存在且不是目录。请换一个输出目录。")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise OutputError(f"输出目录 {out} 不是空目录，也不是之前生成的网站。为免误删其中文件，"
                          "请换一个输出目录，或先清空它。")


def _cleanup_leftovers(out: Path) -> None:
    """Remove temporary folders that an interrupted build of this output left behind; finish an
    interrupted incremental commit first."""
    for pattern in (f".{out.name}.building-*", f".{out.name}.old-*", f".{out.name}.docs-*",
                    f".{out.name}.search-*"):
        for leftover in out.parent.glob(pattern):
            if leftover.is_dir() and not leftover.is_symlink():
                if (leftover / JOURNAL).is_file() and out.is_dir():
                    _apply(leftover, out)
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
        if (tmp / JOURNAL).is_file():  # past the commit point: leave it for the next build to finish
            raise
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


def swap_in(tmp: Path, out: Path, background_delete: bool = True) -> None:
    """Make the complete build in `tmp` the site at `out`; the previous site is removed."""
    out = out.resolve()
    (tmp / MARKER).write_text("由 laomo build 生成。整个目录会在下次生成时被替换，请勿在此手工编辑。\n", encoding="utf-8")
    if not out.exists():
        tmp.rename(out)
        return
    old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:12]}"
    if _exchange(tmp, out):
        tmp.rename(old)  # tmp now holds the previous site
    else:
        out.rename(old)
        tmp.rename(out)
    discard(old, background_delete)


def _prune(directory: Path, stop: Path) -> None:
    """Remove `directory` and its parents up to `stop` while they are empty."""
    while directory != stop and stop in directory.parents:
        try:
            directory.rmdir()
        except OSError:
            return
        directory = directory.parent


def _apply(tmp: Path, out: Path) -> None:
    """Carry out the journal in `tmp`: idempotent, so an interrupted commit can be run again."""
    journal = json.loads((tmp / JOURNAL).read_text(encoding="utf-8"))
    made: set[Path] = set()
    for rel in journal["moves"]:
        source, target = tmp / rel, out / rel
        if not source.exists():
            continue  # moved before the interruption
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        os.replace(source, target)
    parents: set[Path] = set()
    for rel in journal["deletes"]:
        target = out / rel
        try:
            target.unlink()
        except FileNotFoundError:
            pass
        except IsADirectoryError:
            shutil.rmtree(target, ignore_errors=True)
        parents.add(target.parent)
    for directory in sorted(parents, key=lambda p: len(p.parts), reverse=True):
        _prune(directory, out)
    (tmp / JOURNAL).unlink()


def commit(tmp: Path, out: Path, moves: list[str], deletes: list[str]) -> None:
    """Move the staged files `moves` (relative paths inside `tmp`) into the site at `out`, in that
    order, then delete `deletes` from it. The journal written first is the commit point."""
    out = out.resolve()
    journal = tmp / JOURNAL
    temporary = tmp / (JOURNAL + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump({"moves": moves, "deletes": deletes}, handle, ensure_ascii=False)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, journal)
    _apply(tmp, out)
