"""Warnings for one person (or one home) recorded twice under two ids.

A copy of a file under a new name, or the same person typed again in traditional characters (張建國 for
张建国), would otherwise give the hall two profiles of one worker. Like openstates' duplicate groups, each
group is reported on every record in it, naming the others' files and lines: a warning, not an error,
since two people can share a name, a birth year and a unit.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator

import opencc

from generator.diagnostics import Diagnostic
from generator.load.public import PublicLoad

# Every way of writing the dot between the parts of a transliterated name (阿依古丽·买买提), and spaces.
_NAME_NOISE = re.compile(r"[\s·•‧・∙.．]+")


@functools.cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _keys(texts: list[str]) -> list[str]:
    """Each text as compared: simplified characters, half-width forms, no spaces or name dots."""
    if not texts:
        return []
    # one conversion for all: OpenCC's per-call cost is most of its cost for a short name
    simplified = _to_simplified().convert("\n".join(t.replace("\n", " ") for t in texts)).split("\n")
    return [_NAME_NOISE.sub("", unicodedata.normalize("NFKC", t)).casefold() for t in simplified]


def check_duplicates(load: PublicLoad) -> Iterator[Diagnostic]:
    workers = sorted(load.tree.workers.values(), key=lambda w: w.id)
    homes = sorted(load.tree.homes.values(), key=lambda h: h.id)
    yield from _groups("worker", [w.id for w in workers], zip(_keys([w.name for w in workers]),
                                                              [w.birth_year for w in workers],
                                                              _keys([w.unit for w in workers])), load)
    # a company's homes in two districts are two homes
    yield from _groups("home", [h.id for h in homes],
                       zip(_keys([h.name for h in homes]), _keys([h.employer for h in homes]),
                           _keys([f"{h.region.province} {h.region.city} {h.region.district}" for h in homes])), load)


def _groups(kind: str, ids: list[str], keys: Iterator[tuple], load: PublicLoad) -> Iterator[Diagnostic]:
    groups: dict[tuple, list[str]] = defaultdict(list)
    for record_id, key in zip(ids, keys):
        groups[key].append(record_id)
    for members in groups.values():
        if len(members) < 2:
            continue
        places = {m: load.sources[(kind, m)].at(("name",), "warning", "") for m in members}
        for member in members:
            others = "、".join(f"{p.path}:{p.line}" for m, p in places.items() if m != member)
            if kind == "worker":
                what = "姓名（繁简体视为相同）、出生年份和工作单位都与"
                advice = "如果是同一个人，请把两条记录合并成一条，删除多余的文件"
            else:
                what = "名称（繁简体视为相同）、所属单位和地区都与"
                advice = "如果是同一个职工之家，请把两条记录合并成一条，删除多余的文件"
            here = places[member]
            yield Diagnostic(here.path, here.line, here.column, "warning",
                             f"这条记录的{what} {others} 相同，可能重复录入。{advice}；如果确实不是同一个，可以不理会这条提醒。")
