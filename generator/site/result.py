"""What a build gives back: its report, or the failure with every problem."""

from __future__ import annotations

import errno
import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import Diagnostic
from generator.load.files import display_path
from generator.site.photos import DerivativeDamaged


@dataclass
class BuildReport:
    out: Path
    pages: int = 0
    photos: int = 0
    photos_encoded: int = 0
    search: str = ""
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    incremental: bool = False
    rendered: int = 0  # pages rendered this time (the others were unchanged)
    search_parts: int = 0  # parts of the search index (bundles)
    search_rebuilt: int = 0  # parts indexed this time


class Laps:
    """The time of each stage, into the report."""

    def __init__(self, report: BuildReport):
        self.report = report
        self.restart()

    def restart(self) -> None:
        self.mark = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.report.timings[name] = now - self.mark
        self.mark = now


class BuildFailed(Exception):
    def __init__(self, diagnostics: list[Diagnostic] | None = None, message: str = ""):
        super().__init__(message)
        self.diagnostics = diagnostics or []
        self.message = message


def fault_message(exc: BaseException, out: Path) -> str:
    """What went wrong with the disk or the folders, in Chinese, and what to do."""
    where = f"（{exc.filename}）" if isinstance(exc, OSError) and exc.filename else ""
    number = exc.errno if isinstance(exc, OSError) else None
    if number in (errno.ENOSPC, errno.EDQUOT):
        return f"磁盘空间不足{where}：网站未能生成。请腾出磁盘空间后重新运行 laomo build。"
    if number in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"没有写入权限{where}：网站未能生成。请检查 {display_path(out)} 所在目录的权限"
                "（或是否为只读文件系统），或用 --out 换一个可写的目录。")
    if number in (errno.ENOTDIR, errno.EEXIST, errno.EISDIR):
        return f"输出路径不可用{where}：路径中有同名的文件或目录。请用 --out 换一个输出目录。"
    if isinstance(exc, DerivativeDamaged):
        return f"照片缓存已损坏（{exc}）：请用 --full 重新构建。"
    detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
    return f"读写文件时出错{where}：{detail}。网站未能生成，原有网站保持不变。"
