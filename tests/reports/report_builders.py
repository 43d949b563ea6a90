"""Builders for the report tests: public and private trees made in code, not read from records/."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from generator.model.common import Honour
from generator.model.private import PrivateHome, PrivateTree, PrivateWorker, Unit
from generator.model.public import Home, PublicTree, VocabEntry, Worker
from generator.reports.engine import compute_findings
from generator.reports.findings import Finding
from generator.reports.params import PACK_IDS, Pack, find_pack
from generator.reports.view import ReportView, build_view

D = dt.date.fromisoformat


def _vocab(title: str, recipient: str, level: str, treatment: str, route: str | None) -> VocabEntry:
    return VocabEntry(title=title, recipient=recipient, level=level, treatment=treatment,  # type: ignore[arg-type]
                      authority="测试授予机关", revocation_route=route)


VOCAB: dict[str, VocabEntry] = {v.title: v for v in [
    _vocab("全国劳动模范", "individual", "national", "national", "central"),
    _vocab("全国先进工作者", "individual", "national", "national", "central"),
    _vocab("享受全国劳模待遇", "individual", "national", "national", "central"),
    _vocab("全国五一劳动奖章", "individual", "national", "provincial", "acftu"),
    _vocab("陕西省劳动模范", "individual", "provincial", "provincial", "provincial_committee"),
    _vocab("北京市劳动模范", "individual", "provincial", "provincial", "provincial_committee"),
    _vocab("安徽省劳动模范", "individual", "provincial", "provincial", "provincial_committee"),
    _vocab("部级劳动模范", "individual", "ministerial", "provincial", "ministry"),
    _vocab("首都劳动奖章", "individual", "municipal", "none", None),
    _vocab("西城劳动奖章", "individual", "district", "none", None),
    _vocab("全国优秀工会工作者", "individual", "national", "none", "acftu"),
    _vocab("北京市优秀工会工作者", "individual", "provincial", "none", "beijing_unionist"),
    _vocab("北京市模范职工之家", "collective", "provincial", "none", "beijing_home"),
    _vocab("北京市模范职工小家", "collective", "provincial", "none", "beijing_home"),
    _vocab("全国模范职工之家", "collective", "national", "none", "acftu"),
]}


def honour(title: str, year: int, revoked: str | None = None) -> Honour:
    data: dict[str, Any] = {"title": title, "year": year}
    if revoked:
        data["revoked"] = {"date": revoked}
    return Honour.model_validate(data)


def worker(id: str = "test-worker", honours: list[Honour] | None = None, gender: str = "男",
           died: str | None = None, name: str = "测试人", birth_year: int | None = None) -> Worker:
    data: dict[str, Any] = {
        "id": id, "name": name, "gender": gender, "region": {"province": "陕西省"}, "unit": "测试单位",
        "honours": [h.model_dump(exclude_none=True) for h in (honours or [honour("陕西省劳动模范", 2010)])],
    }
    if died:
        data["died"] = died
    if birth_year:
        data["birth_year"] = birth_year
    return Worker.model_validate(data)


def private_worker(id: str = "test-worker", **fields: Any) -> PrivateWorker:
    return PrivateWorker.model_validate({"id": id, **fields})


def home(id: str = "test-home", honours: list[Honour] | None = None, ownership: str = "非公",
         dissolved: str | None = None, name: str = "测试公司工会委员会") -> Home:
    data: dict[str, Any] = {
        "id": id, "name": name, "employer": "测试公司", "ownership": ownership, "region": {"province": "北京市"},
        "honours": [h.model_dump(exclude_none=True) for h in (honours or [honour("北京市模范职工之家", 2022)])],
    }
    if dissolved:
        data["dissolved"] = dissolved
    return Home.model_validate(data)


def private_home(id: str = "test-home", **fields: Any) -> PrivateHome:
    return PrivateHome.model_validate({"id": id, **fields})


def unit(id: str, kind: str, feedback: list[dict[str, Any]] | None = None, name: str | None = None) -> Unit:
    return Unit.model_validate({"id": id, "name": name or f"测试{kind}工会", "kind": kind,
                                "feedback": feedback or []})


def trees(workers: list[tuple[Worker, PrivateWorker | None]] = (),  # type: ignore[assignment]
          homes: list[tuple[Home, PrivateHome | None]] = (),  # type: ignore[assignment]
          units: list[Unit] = ()) -> tuple[PublicTree, PrivateTree]:  # type: ignore[assignment]
    public = PublicTree(workers={w.id: w for w, _ in workers}, homes={h.id: h for h, _ in homes},
                        stories={}, vocab=VOCAB)
    private = PrivateTree(workers={p.id: p for _, p in workers if p is not None},
                          homes={p.id: p for _, p in homes if p is not None},
                          units={u.id: u for u in units})
    return public, private


@functools.lru_cache(maxsize=1)
def _built_in_packs() -> tuple[Pack, ...]:
    return tuple(find_pack(name) for name in PACK_IDS)


def all_packs() -> list[Pack]:
    return list(_built_in_packs())


def view_of(public: PublicTree, private: PrivateTree, as_of: str | dt.date) -> ReportView:
    return build_view(public, private, as_of if isinstance(as_of, dt.date) else D(as_of))


def findings(rule: str, public: PublicTree, private: PrivateTree, as_of: str | dt.date,
             packs: list[Pack] | None = None) -> list[Finding]:
    """The findings of one rule, with the given packs (default: all built-in packs)."""
    result = compute_findings(view_of(public, private, as_of), packs if packs is not None else all_packs())
    return [f for f in result.findings if f.rule == rule]


def one(rule: str, public: PublicTree, private: PrivateTree, as_of: str | dt.date,
        packs: list[Pack] | None = None) -> Finding | None:
    """The single finding of `rule` (None when there is none; fails when there are several)."""
    found = findings(rule, public, private, as_of, packs)
    assert len(found) <= 1, found
    return found[0] if found else None


def status(rule: str, public: PublicTree, private: PrivateTree, as_of: str | dt.date) -> str | None:
    found = one(rule, public, private, as_of)
    return found.status if found else None


def id_number(birth: str, area: str = "610102", sequence: str = "123") -> str:
    """A 居民身份证号码 with a valid GB 11643 check digit for `birth` (YYYY-MM-DD)."""
    first17 = area + birth.replace("-", "") + sequence
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c) * w for c, w in zip(first17, weights))
    return first17 + "10X98765432"[total % 11]
