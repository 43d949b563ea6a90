"""The public site's settings in laomo.yml (beside the records folder, as for `laomo report`).

    site:
      correction: 电话 010-12345678，或写信至 …   # shown on every profile after “信息有误？”

Only plain text is read; a value of the wrong kind is refused with a Chinese message naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

CONFIG_NAME = "laomo.yml"
MAX_CORRECTION = 200  # characters: one line under a profile


class SettingsError(ValueError):
    """A Chinese message about laomo.yml's `site:` part."""


@dataclass(frozen=True)
class SiteSettings:
    correction: str | None = None  # whom visitors tell of a mistake; None: the page model's default


def read_site_settings(records: Path) -> SiteSettings:
    path = records.resolve().parent / CONFIG_NAME
    if not path.is_file():
        return SiteSettings()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise SettingsError(f"{where}：无法读取项目配置文件（应为 UTF-8 编码的 YAML）。") from None
    site = data.get("site") if isinstance(data, dict) else None
    if site is None:
        return SiteSettings()
    if not isinstance(site, dict):
        raise SettingsError(f"{path}：site 应为若干“名称: 值”，例如 correction: 电话 010-12345678。")
    correction = site.get("correction")
    if correction is None:
        return SiteSettings()
    if not isinstance(correction, str) or not correction.strip() or len(correction) > MAX_CORRECTION:
        raise SettingsError(f"{path}：site.correction 应为一行文字（不超过 {MAX_CORRECTION} 字），"
                            "写明更正信息的联系电话或地址。")
    return SiteSettings(" ".join(correction.split()))
