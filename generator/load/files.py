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
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            path = folder / entry.name
            suffix = path.suffix.lower()
            if suffix not in suffixes:
                if entry.is_file() and suffix in {".yaml", ".markdown", ".txt"}:
                    problems.append(Diagnostic(display_path(path), 1, 1, "error",
                                               f"文件扩展名应为 {' 或 '.join(suffixes)}，这个文件不会被读取。请改名。"))
                continue
            if entry.is_symlink() and not is_inside(path, root):
                problems.append(Diagnostic(display_path(path), 1, 1, "error",
                                           "这是指向记录目录之外的符号链接，出于安全原因不予读取。请放入真实文件。"))
                continue
            if entry.is_file():
                found.append(path)
    return found, problems
