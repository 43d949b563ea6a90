"""The layout of the public tree (records.md, "Layout of the public tree"): everything else is an error.

A file in the wrong place is never read, so without this check a private worker file copied to
`records/private/workers/x.yml` or `records/workers/old/x.yml` would pass and be published in the repository.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.load.files import display_path

PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp"})
# a text file the loaders do not read, but an editor may leave: scanned for private values like the rest
TEXT_SUFFIXES = frozenset({".yml", ".yaml", ".md", ".markdown", ".txt", ".csv", ".json", ".html", ".xml", ".tsv"})
KEEP_FILES = frozenset({".gitkeep"})
# laomo synth's mark on a tree it made (it only ever overwrites such a tree): not a record, nothing private
SYNTH_MARKER = ".synth"


@dataclass(frozen=True)
class RecordFolder:
    name: str
    suffix: str  # of its record files
    what: str  # in the editor's words

RECORD_FOLDERS = (RecordFolder("workers", ".yml", "人物记录"), RecordFolder("homes", ".yml", "职工之家记录"),
                  RecordFolder("stories", ".md", "故事"))
LAYOUT_HINT = ("records/ 下只能有 workers/（人物，.yml）、homes/（职工之家，.yml）、stories/（故事，.md）、"
               "photos/（照片）和 vocab/honours.yml（荣誉称号表）")
PRIVATE_HINT = "私密记录（身份证号、电话等）只能放在工作人员保管的私密目录（--private），不能放进 records/"


def _error(path: Path, message: str) -> Diagnostic:
    return Diagnostic(display_path(path), 1, 1, "error", message)


def _kind_problem(path: Path, info: os.stat_result) -> str | None:
    """Why an entry that is neither a regular file nor a folder cannot stay."""
    if stat.S_ISFIFO(info.st_mode):
        return "这是一个命名管道（FIFO），不是普通文件，不会被读取。请删除它。"
    if stat.S_ISSOCK(info.st_mode) or stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
        return "这是一个特殊文件（套接字或设备），不是普通文件，不会被读取。请删除它。"
    return None


def outside_link(path: Path, root: Path) -> bool:
    """A symbolic link whose target is not inside `root` (or cannot be resolved)."""
    try:
        path.resolve(strict=True).relative_to(root)
        return False
    except (ValueError, OSError, RuntimeError):
        return True


def check_layout(records: Path) -> list[Diagnostic]:
    """Every file or folder under `records` that does not belong there, each with what to do."""
    root = records.resolve()
    problems: list[Diagnostic] = []
    for path, info in _entries(records, problems):
        relative = path.relative_to(records).parts
        message = _problem(records, root, path, relative, info)
        if message is not None:
            problems.append(_error(path, message))
    return problems


def _entries(records: Path, problems: list[Diagnostic] | None = None) -> Iterator[tuple[Path, os.stat_result]]:
    """Every entry under `records` with its own (not followed) status; links are not descended into. A folder
    that cannot be read is one of `problems`."""
    stack = [records]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            if problems is not None:
                problems.append(_error(folder, f"无法读取这个文件夹（{exc.strerror}），其中的文件没有检查。请检查文件夹的权限。"))
            continue
        for entry in entries:
            path = folder / entry.name
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            yield path, info
            if stat.S_ISDIR(info.st_mode):
                stack.append(path)


def _problem(records: Path, root: Path, path: Path, relative: tuple[str, ...], info: os.stat_result) -> str | None:
    name = relative[-1]
    if stat.S_ISLNK(info.st_mode):
        if outside_link(path, root):
            return ("这是指向记录目录之外（或指向不存在的位置）的符号链接，出于安全原因不予读取。"
                    "请删除这个链接，把真实的文件或文件夹放进 records/。")
        try:
            info = path.stat()
        except OSError:
            return None
    kind = _kind_problem(path, info)
    if kind is not None:
        return kind
    is_dir = stat.S_ISDIR(info.st_mode)
    top = relative[0]
    if len(relative) == 1:
        if is_dir and top in {f.name for f in RECORD_FOLDERS} | {"photos", "vocab"}:
            return None
        if name in KEEP_FILES or (name == SYNTH_MARKER and not is_dir):
            return None
        what = "文件夹" if is_dir else "文件"
        private = "。" + PRIVATE_HINT if top.lower().startswith(("private", "私密", ".private")) else ""
        return f"这个{what}不属于记录目录，不会被读取。{LAYOUT_HINT}。请把它移到正确的位置或删除{private}。"
    folder = next((f for f in RECORD_FOLDERS if f.name == top), None)
    if folder is not None:
        return _record_folder_problem(folder, relative, is_dir, path)
    if top not in {"photos", "vocab"}:  # inside a folder that does not belong: each file is named
        if is_dir:
            return None
        private = PRIVATE_HINT + "。" if top.lower().startswith(("private", "私密", ".private")) else ""
        return f"这个文件在记录目录不认识的文件夹 records/{top}/ 里，不会被读取。{private}{LAYOUT_HINT}。请移走或删除它。"
    if top == "photos":
        if path.suffix.lower() in PHOTO_SUFFIXES and not is_dir and not looks_like_image(path):
            return ("这个文件的扩展名是照片，内容却不是 JPEG、PNG 或 WebP 图片，不会被当作照片使用。"
                    "请换成真正的照片，或删除它。")
        if is_dir or name in KEEP_FILES or path.suffix.lower() in PHOTO_SUFFIXES:
            return None
        return ("photos/ 里只能放照片（JPEG、PNG 或 WebP），这个文件不会被读取。"
                f"请把它移走或删除。{PRIVATE_HINT}。")
    # vocab/
    if relative == ("vocab", "honours.yml") and not is_dir:
        return None
    if name in KEEP_FILES:
        return None
    return f"vocab/ 里只能有荣誉称号表 honours.yml，这个{'文件夹' if is_dir else '文件'}不会被读取。请删除它，或把称号并入 honours.yml。"


def _record_folder_problem(folder: RecordFolder, relative: tuple[str, ...], is_dir: bool, path: Path) -> str | None:
    name = relative[-1]
    if len(relative) > 2:
        if is_dir:
            return None if any(path.iterdir()) else "这个空文件夹不属于记录目录。请删除它。"
        return (f"{folder.name}/ 下不能有子文件夹，子文件夹里的{folder.what}不会被读取，也不会出现在网站上。"
                f"请把它直接放在 records/{folder.name}/ 下，或删除它（旧记录不要留在仓库里）。{PRIVATE_HINT}。")
    if is_dir:
        if name.lower().endswith(folder.suffix):
            return (f"“{name}”是一个文件夹，不是{folder.what}文件，不会被读取。"
                    f"请删除这个文件夹，把记录写成文件 records/{folder.name}/{name}。")
        if any(path.iterdir()):
            return None  # its files are reported one by one
        return f"{folder.name}/ 下不能有子文件夹，这个空文件夹不会被读取。请删除它。"
    if name in KEEP_FILES:
        return None
    if name.startswith("."):  # the loader skips hidden files: .x.yml is never read either
        return f"隐藏文件“{name}”不属于{folder.what}，不会被读取。请删除它。"
    if name.lower().endswith(folder.suffix):
        return None
    if path.suffix.lower() in {".yaml", ".markdown", ".txt"}:
        return None  # the loader says to rename it
    return (f"{folder.name}/ 里只能放 {folder.suffix} 格式的{folder.what}，这个文件不会被读取。"
            "请改名或删除它。")


def text_files(records: Path) -> Iterator[Path]:
    """Every file under `records` that may hold text (anything but photos where photos belong), links not
    followed: what the privacy scan reads."""
    for path, info in _entries(records):
        if not stat.S_ISREG(info.st_mode):
            continue
        relative = path.relative_to(records).parts
        if relative[0] == "photos" and path.suffix.lower() in PHOTO_SUFFIXES and looks_like_image(path):
            continue
        yield path


def looks_like_image(path: Path) -> bool:
    """Whether the file begins as a JPEG, PNG or WebP does: a text file named x.jpg is read as text."""
    try:
        with path.open("rb") as handle:
            head = handle.read(12)
    except OSError:
        return True  # unreadable: nothing to scan, and the photo check reports it where it is used
    return head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
