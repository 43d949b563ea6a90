"""The national standards records are checked against: provincial-level divisions and their cities
(GB/T 2260) and the sections of the industry classification (GB/T 4754-2017).

The tables are data files in generator/data/, each naming its source and date. Region slugs come
from there too, so a region's URL never depends on what else is in the tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "data"
_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")
_PUNCTUATION = str.maketrans({"，": "、", ",": "、", " ": "", "\u3000": "", "（": "(", "）": ")"})


@dataclass(frozen=True)
class Province:
    name: str  # official name, e.g. 内蒙古自治区
    code: str  # GB/T 2260
    slug: str  # fixed, part of URLs
    municipality: bool
    cities: frozenset[str]  # prefecture-level (for a municipality: its districts); empty: not listed


@dataclass(frozen=True)
class IndustrySection:
    code: str  # A–T
    name: str


@cache
def provinces() -> dict[str, Province]:
    entries = yaml.safe_load((DATA / "regions.yml").read_text(encoding="utf-8"))
    return {e["name"]: Province(e["name"], e["code"], e["slug"], e["municipality"], frozenset(e["cities"]))
            for e in entries}


def short_name(official: str) -> str:
    """陕西省 → 陕西, 广西壮族自治区 → 广西, 北京市 → 北京."""
    for suffix in _SUFFIXES:
        if official.endswith(suffix) and len(official) > len(suffix) + 1:
            return official[: -len(suffix)]
    return official


@cache
def _by_short_name() -> dict[str, str]:
    return {short_name(name): name for name in provinces()}


@lru_cache(maxsize=4096)  # the same few names in thousands of records
def official_province(written: str) -> str | None:
    """The official name an editor meant: 陕西 → 陕西省, 内蒙古 → 内蒙古自治区; None when unknown."""
    text = written.strip().translate(_PUNCTUATION)
    if text in provinces():
        return text
    return _by_short_name().get(short_name(text)) or _by_short_name().get(text)


@lru_cache(maxsize=4096)  # the same few names in thousands of records
def official_city(province: Province, written: str) -> str | None:
    """The listed city an editor meant (西安 → 西安市), or None."""
    text = written.strip().translate(_PUNCTUATION)
    if text in province.cities:
        return text
    matches = [city for city in province.cities if city.startswith(text) and len(text) >= 2]
    return matches[0] if len(matches) == 1 else None


@lru_cache(maxsize=4096)  # the same few names in thousands of records
def city_province(city: str) -> str | None:
    """The province a city belongs to, when exactly one lists it."""
    found = [p.name for p in provinces().values() if city in p.cities]
    return found[0] if len(found) == 1 else None


@cache
def _industry_table() -> tuple[dict[str, IndustrySection], list[tuple[str, IndustrySection]]]:
    entries = yaml.safe_load((DATA / "industries.yml").read_text(encoding="utf-8"))
    exact: dict[str, IndustrySection] = {}
    partial: list[tuple[str, IndustrySection]] = []
    for entry in entries:
        section = IndustrySection(entry["code"], entry["name"])
        for name in (entry["name"], *entry["aliases"]):
            exact[name.translate(_PUNCTUATION)] = section
            partial.append((name.translate(_PUNCTUATION), section))
    partial.sort(key=lambda pair: -len(pair[0]))  # the longest name found in the text decides
    return exact, partial


@lru_cache(maxsize=4096)  # the same few names in thousands of records
def industry_section(written: str | None) -> IndustrySection | None:
    """The GB/T 4754-2017 section of an industry written freely (铁路运输业 → 交通运输、仓储和邮政业)."""
    if not written:
        return None
    text = re.sub(r"[()（）].*", "", written).strip().translate(_PUNCTUATION) or written
    exact, partial = _industry_table()
    if text in exact:
        return exact[text]
    for name, section in partial:
        if len(name) >= 2 and name in text:
            return section
    return None
