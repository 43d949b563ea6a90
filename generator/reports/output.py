"""Where `laomo report` may write, and how: private outputs never land in git, a site or the records.

The report folder is refused inside the public records, the private tree or a built site, in a git work tree
where git does not ignore it, at `/` or the home folder, and when it holds anything but an earlier report
(marked by MARKER). Everything is written inside it and nowhere else: each file is made unnamed (O_TMPFILE),
filled, and only then linked in under a temporary name and renamed over the old one, so a killed writer
leaves every file whole (old or new) and nothing behind. Folder 0700, files 0600, whatever was there before.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

MARKER = ".laomo-report"
MARKER_TEXT = ("此目录由 laomo report 写出，存放内部报表（内部资料，含个人信息，注意保密）。\n"
               "laomo report 只会覆盖带有本标记的目录；请勿把其他文件放进来，也不要提交到 git。\n")
TEMP_PREFIX = ".laomo-tmp-"
OUTPUT_FILES: tuple[str, ...] = ("findings.json", "eligibility.xlsx", "revocation.xlsx", "index.html")
INSTEAD = "请改用项目中已被 git 忽略的 reports/（默认，即 --out reports），或工作人员自己的目录，例如 --out ~/laomo-reports"


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _git_refusal(out: Path, shown: Path) -> str | None:
    """A message when `out` lies in a git work tree that does not ignore it (tracked or committable)."""
    existing = next(p for p in (out, *out.parents) if p.exists())
    if not any((p / ".git").exists() for p in (existing, *existing.parents)):
        return None
    cannot = (f"拒绝写出：输出目录“{shown}”位于 git 工作区内，但无法用 git 确认该目录已被忽略（{{why}}）。"
              f"{INSTEAD}。")
    git = shutil.which("git")
    if git is None:
        return cannot.format(why="本机没有 git 命令")
    found = subprocess.run([git, "-C", str(existing), "rev-parse", "--show-toplevel"], capture_output=True,
                           text=True, check=False)
    if found.returncode != 0:
        return cannot.format(why=found.stderr.strip().splitlines()[0] if found.stderr.strip() else "git 出错")
    top = Path(found.stdout.strip()).resolve()
    if not _inside(out, top):
        return None  # inside a .git folder's parent but not its work tree (a bare repository, say)
    relative = out.relative_to(top)
    ignored = False
    if relative != Path("."):
        checked = subprocess.run([git, "-C", str(top), "check-ignore", "-q", f"{relative.as_posix()}/"],
                                 capture_output=True, check=False)
        ignored = checked.returncode == 0
    if ignored:
        return None
    return (f"拒绝写出：输出目录“{shown}”位于 git 工作区“{top}”内，且未被 .gitignore 忽略，"
            f"报表（姓名、联系方式、救助、处分）一次 git add 就会进入仓库。{INSTEAD}。")


def _contents_refusal(out: Path, shown: Path) -> str | None:
    if not out.exists():
        return None
    if out.is_symlink() or not out.is_dir():
        return f"拒绝写出：“{shown}”已存在且不是目录。请指定一个新的或空的目录。"
    names = sorted(os.listdir(out))
    ours = {MARKER, *OUTPUT_FILES}
    foreign = [n for n in names if n not in ours
               and not (n.startswith(TEMP_PREFIX) and (out / n).is_file() and not (out / n).is_symlink())]
    if not foreign:
        return None
    listed = "、".join(foreign[:5]) + ("等" if len(foreign) > 5 else "")
    return (f"拒绝写出：目录“{shown}”中有其他文件（{listed}），不是 laomo report 之前写出的报表目录，"
            f"写入会与它们混在一起或覆盖它们。请指定一个新的或空的目录；{INSTEAD}。")


def refuse_out(out: Path, records: Path, private: Path) -> str | None:
    """A Chinese message saying why `out` is no place for the private reports and where to write; None when safe."""
    shown = out
    out = out.resolve()
    records_dir, private_dir = records.resolve(), private.resolve()
    if out == Path("/") or out == Path.home().resolve():
        return f"拒绝写出：输出目录“{shown}”是根目录或用户主目录。报表应写入它自己的目录；{INSTEAD}。"
    if _inside(out, records_dir):
        return (f"拒绝写出：输出目录“{shown}”位于公开记录目录“{records}”之内，内部报表不得写入公开记录。"
                f"{INSTEAD}。")
    if _inside(out, private_dir):
        return (f"拒绝写出：输出目录“{shown}”位于私密记录目录“{private}”之内，报表会混进私密记录。{INSTEAD}。")
    for tree, label in ((records_dir, "公开记录目录"), (private_dir, "私密记录目录")):
        if _inside(tree, out):
            return f"拒绝写出：输出目录“{shown}”包含{label}“{tree}”。{INSTEAD}。"
    for site in (records_dir.parent / "site", Path.cwd().resolve() / "site"):
        if _inside(out, site):
            return (f"拒绝写出：输出目录“{shown}”位于公开网站输出目录“{site}”之内，内部报表会被发布到网上。"
                    f"{INSTEAD}。")
    for folder in (out, *out.parents):
        if (folder / "pagefind").is_dir():
            return (f"拒绝写出：输出目录“{shown}”位于已生成的公开网站（“{folder}”含 pagefind/ 搜索索引）之内，"
                    f"内部报表会被发布到网上。{INSTEAD}。")
    if out.parent.exists() and not out.parent.is_dir():
        return f"拒绝写出：输出目录“{shown}”的上级“{out.parent}”是文件而不是目录。请换一个目录。"
    if not out.parent.is_dir():
        return (f"拒绝写出：输出目录“{shown}”的上级目录“{out.parent}”不存在。laomo report 只在 --out 之内写入，"
                "不会替你创建上级目录；请先创建它，或换一个目录。")
    return _git_refusal(out, shown) or _contents_refusal(out, shown)


# ---------------------------------------------------------------- writing

@contextlib.contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """SIGTERM ends the run through the clean-up below (SIGKILL cannot: then nothing named is left anyway)."""
    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: nothing to install
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _unnamed(folder: Path) -> int | None:
    """An unnamed file in `folder`, gone if the process dies before it is linked; None where unsupported."""
    if not hasattr(os, "O_TMPFILE") or not Path("/proc/self/fd").is_dir():
        return None
    try:
        return os.open(folder, os.O_TMPFILE | os.O_WRONLY, 0o600)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return None
        raise


def _write_file(folder: Path, name: str, data: bytes) -> None:
    temp = folder / f"{TEMP_PREFIX}{name}.{os.getpid()}"
    fd = _unnamed(folder)
    try:
        if fd is None:
            fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            named = True
        else:
            named = False
        os.fchmod(fd, 0o600)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
        if not named:
            # linkat(…, AT_SYMLINK_FOLLOW): os.link uses it only when given a directory descriptor
            folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.link(f"/proc/self/fd/{fd}", temp.name, dst_dir_fd=folder_fd, follow_symlinks=True)
            finally:
                os.close(folder_fd)
        os.replace(temp, folder / name)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise
    finally:
        if fd is not None:
            os.close(fd)


def write_report(out: Path, files: dict[str, bytes]) -> None:
    """The files into `out` (already checked by refuse_out), each replaced whole; the folder marked as ours."""
    out = out.resolve()
    with _terminate_as_exit():
        created = not out.exists()
        if created:
            os.mkdir(out, 0o700)
        try:
            _write_all(out, files)
        except BaseException:
            if created:
                with contextlib.suppress(OSError):
                    out.rmdir()  # only when nothing was written
            raise


def _write_all(out: Path, files: dict[str, bytes]) -> None:
    os.chmod(out, 0o700)
    for stale in out.iterdir():  # left by a writer killed between linking and renaming
        if stale.name.startswith(TEMP_PREFIX):
            stale.unlink()
    _write_file(out, MARKER, MARKER_TEXT.encode("utf-8"))
    for name, data in files.items():
        _write_file(out, name, data)
    directory = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def write_failure(exc: OSError, out: Path) -> str:
    """What happened and what to do, for an OSError while writing the report."""
    where = f"“{exc.filename}”" if exc.filename else f"“{out}”"
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        what = "磁盘空间不足。请清理磁盘或改用空间充足的目录后重试"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        what = "没有写入权限。请检查该目录的权限，或改用自己有权限的目录"
    elif exc.errno == errno.EROFS:
        what = "所在磁盘为只读。请改用可写的目录"
    else:
        what = f"{exc.strerror or exc}"
    return f"写出报表失败：{where}，{what}。原有报表文件保持不变，未留下临时文件。"
