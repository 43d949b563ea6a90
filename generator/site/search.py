"""The Pagefind search index, built with Pagefind's *extended* binary.

The extended build segments Chinese, so that 焊接 is found inside
他长期从事焊接技术攻关. Only pages carrying `data-pagefind-body` (profiles,
homes, stories) are indexed; listing and top pages are not.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

GLOB = "{workers,homes,stories}/*/index.html"


class SearchIndexError(RuntimeError):
    pass


def pagefind_binary() -> Path:
    try:
        from pagefind_bin_extended import get_executable  # the extended build: Chinese segmentation
    except ImportError as exc:
        raise SearchIndexError("找不到 Pagefind 扩展版（pagefind[extended]），无法为中文建立搜索索引。"
                               "请安装 pagefind[extended]。") from exc
    return Path(get_executable())


def build_index(site: Path) -> str:
    """Index `site` into `site/pagefind/`; returns Pagefind's summary line."""
    binary = pagefind_binary()
    command = [str(binary), "--site", str(site), "--output-subdir", "pagefind", "--glob", GLOB]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError("建立搜索索引失败：\n" + (result.stdout + result.stderr).strip()[-2000:])
    lines = [line.strip() for line in result.stdout.splitlines() if "Indexed" in line or "indexed" in line]
    return "；".join(lines[-3:])
