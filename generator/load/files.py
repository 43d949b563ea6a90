"""Finding record files inside a tree without following links out of it."""

from __future__ import annotations

import os
from pathlib import Path

from generator.diagnostics import Diagnostic


def display_path(path: Path) -> str:
    """The path as an editor would type it: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


def is_inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def list_files(folder: Path, root: Path, suffixes: tuple[str, ...]) -> tuple[list[Path], list[Diagnostic]]:
    """Files in `folder` with one of `suffixes`, sorted; links leaving `root` are refused."""
    if not folder.is_dir():
        return [], []
    found: list[Path] = []
    problems: list[Diagnostic] = []
    if not is_inside(folder, root):  # a linked records/workers: every file in it would come from elsewhere
        return [], [Diagnostic(display_path(folder), 1, 1, "error",
                               "这个文件夹是指向记录目录之外的符号链接，出于安全原因不予读取。请放入真实的文件夹。")]
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda e: e.name)
    # iterdir's own way of making a child path (no parsing): thousands of files per folder
    child = getattr(folder, "_make_child_relpath", folder.joinpath)
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        dot = name.rfind(".")
        suffix = name[dot:].lower() if dot > 0 else ""
        if suffix not in suffixes:
            if suffix in {".yaml", ".markdown", ".txt"} and entry.is_file():
                problems.append(Diagnostic(display_path(folder / name), 1, 1, "error",
                                           f"文件扩展名应为 {' 或 '.join(suffixes)}，这个文件不会被读取。请改名。"))
            continue
        if entry.is_symlink():
            path = folder / name
            if not is_inside(path, root):
                problems.append(Diagnostic(display_path(path), 1, 1, "error",
                                           "这是指向记录目录之外的符号链接，出于安全原因不予读取。请放入真实文件。"))
                continue
        if entry.is_file():
            found.append(child(name))
        elif entry.is_dir():
            problems.append(Diagnostic(display_path(folder / name), 1, 1, "error",
                                       f"“{name}”是一个文件夹，不是记录文件，不会被读取。请删除这个文件夹，把记录写成同名文件。"))
        elif entry.is_symlink():
            problems.append(Diagnostic(display_path(folder / name), 1, 1, "error",
                                       "这是指向不存在的文件的符号链接，不会被读取。请删除它，放入真实的记录文件。"))
        else:
            problems.append(Diagnostic(display_path(folder / name), 1, 1, "error",
                                       "这不是普通文件（例如命名管道 FIFO），不会被读取。请删除它，放入真实的记录文件。"))
    return found, problems
