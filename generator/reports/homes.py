"""Home recommendation checks (京工发〔2021〕19号), for homes whose private
`recommendation` names the as-of year.

Windows are measured back from the as-of date, which is included. A home
that fails any criterion is `fail`, even when data for another is missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from generator.reports.dates import count_working_days, within_years_before
from generator.reports.findings import Finding, percent
from generator.reports.params import Citation, PackOn, join_citations
from generator.reports.view import HomeView, UnitView

RATE_NAMES: dict[str, str] = {
    "membership_rate": "职工入会率",
    "info_collection_rate": "工会会员信息采集率",
    "satisfaction_rate": "会员民主评议满意率",
    "hotline_on_time_rate": "12351热线工单按时接单办结率",
    "hotline_satisfaction_rate": "12351热线工单职工满意率",
}
# 第七条(三) words the 小家's satisfaction rate as the assembly's rating of the 职工之家, not 第六条(四)'s 民主评议
BRANCH_RATE_NAMES: dict[str, str] = {**RATE_NAMES, "satisfaction_rate": "工会会员代表大会评议职工之家满意率"}
UNIT_KIND_NAMES: dict[str, str] = {"city": "市总工会", "industry": "产业工会", "district": "区总工会",
                                   "grassroots": "基层工会"}


@dataclass(frozen=True)
class Criterion:
    """One condition of 第六条/第七条/第九条: True met, False failed, None cannot be decided."""

    met: bool | None
    citation: Citation
    text: str  # what failed or what is missing


def _rate_criteria(home: HomeView, field: str, years: list[int], minimum: Decimal,
                   citation: Citation, names: dict[str, str] = RATE_NAMES) -> list[Criterion]:
    criteria: list[Criterion] = []
    name = names[field]
    for year in years:
        row = home.years.get(year)
        value = getattr(row, field) if row is not None else None
        if value is None:
            criteria.append(Criterion(None, citation, f"缺少{year}年{name}"))
            continue
        rate = Decimal(str(value))
        criteria.append(Criterion(rate >= minimum, citation,
                                  f"{year}年{name}{percent(rate)}低于{percent(minimum)}"))
    return criteria


def _event_in_window(event_date: dt.date, window: str, first_year: int, as_of: dt.date) -> bool:
    if window == "lookback":
        return dt.date(first_year, 1, 1) <= event_date <= as_of
    if window == "one_year":
        return within_years_before(event_date, as_of, 1)
    if window == "three_years":
        return within_years_before(event_date, as_of, 3)
    raise ValueError(f"unknown window {window!r}")


def recommendation_eligibility(home: HomeView, rules: PackOn, as_of: dt.date) -> list[Finding]:
    """H-ELIGIBLE (京工发〔2021〕19号 第六条、第七条、第九条): may the home be recommended this year?"""
    recommendation = home.recommendation
    if recommendation is None or recommendation.year != as_of.year:
        return []
    if recommendation.title in rules.strings("home_titles"):
        conditions = "home_conditions"
    elif recommendation.title in rules.strings("branch_titles"):
        conditions = "branch_conditions"
    else:
        return []
    lookback = rules.integer("lookback_years")
    years = list(range(recommendation.year - lookback, recommendation.year))
    latest = years[-1:]
    criteria: list[Criterion] = []
    if conditions == "home_conditions":
        criteria += _rate_criteria(home, "membership_rate", years, rules.number("home_membership_min"),
                                   rules.cite("home_membership_min"))
        criteria += _rate_criteria(home, "info_collection_rate", latest, rules.number("home_info_collection_min"),
                                   rules.cite("home_info_collection_min"))
        for field in ("hotline_on_time_rate", "hotline_satisfaction_rate"):
            criteria += _rate_criteria(home, field, latest, rules.number("home_hotline_min"),
                                       rules.cite("home_hotline_min"))
        criteria += _rate_criteria(home, "satisfaction_rate", years, rules.number("home_satisfaction_min"),
                                   rules.cite("home_satisfaction_min"))
    else:
        criteria += _rate_criteria(home, "membership_rate", years, rules.number("branch_membership_min"),
                                   rules.cite("branch_membership_min"), BRANCH_RATE_NAMES)
        criteria += _rate_criteria(home, "satisfaction_rate", years, rules.number("branch_satisfaction_min"),
                                   rules.cite("branch_satisfaction_min"), BRANCH_RATE_NAMES)
    exclusions = rules.table("exclusion_events")
    exclusion_citation = rules.cite("exclusion_events")
    for event in home.events:
        entry = exclusions.get(event.kind)
        if entry is None or not _event_in_window(event.date, str(entry["window"]), years[0], as_of):
            continue
        criteria.append(Criterion(False, exclusion_citation.sub(str(entry["clause"])),
                                  f"{event.date.isoformat()}{entry['text']}"))

    failed = [c for c in criteria if c.met is False]
    unknown = [c for c in criteria if c.met is None]
    lead = f"推荐为“{recommendation.title}”"
    if failed:
        items = "；".join(f"{c.text}（{c.citation.article}）" for c in failed)
        return [Finding("H-ELIGIBLE", home.id, "fail", None, None, None,
                        join_citations([c.citation for c in failed]), f"{lead}不符合条件：{items}。")]
    if unknown:
        return [Finding("H-ELIGIBLE", home.id, "missing-data", None, None, None,
                        join_citations([c.citation for c in unknown]),
                        f"{lead}无法判断是否符合条件：{'，'.join(c.text for c in unknown)}。")]
    return [Finding("H-ELIGIBLE", home.id, "pass", None, None, None,
                    join_citations([rules.article(conditions), rules.article("exclusions")]),
                    f"{lead}：{years[0]}—{years[-1]}年各项比率均达标，且没有第九条规定不得推荐的情形。")]


def publicity_length(home: HomeView, rules: PackOn, as_of: dt.date) -> list[Finding]:
    """H-PUBLICITY (京工发〔2021〕19号 第十三条): publicity of at least 5 working days."""
    recommendation = home.recommendation
    if recommendation is None or recommendation.year != as_of.year:
        return []
    minimum = rules.integer("publicity_min_working_days")
    article = join_citations([rules.cite("publicity_min_working_days")])
    start, end = recommendation.publicity_start, recommendation.publicity_end
    if start is None or end is None:
        missing = "、".join(name for name, value in (("公示开始日期", start), ("公示结束日期", end)) if value is None)
        return [Finding("H-PUBLICITY", home.id, "missing-data", None, start, None, article,
                        f"推荐名单公示缺少{missing}，无法核对是否公示满{minimum}个工作日。")]
    counted = count_working_days(start, end, enough=minimum)
    if counted.known >= minimum:
        return []
    period = f"公示期{start.isoformat()}至{end.isoformat()}"
    if counted.unknown_days > 0:
        years = "、".join(f"{y}年" for y in counted.unknown_years)
        return [Finding("H-PUBLICITY", home.id, "unknown-calendar", None, start, None, article,
                        f"{period}跨入{years}，节假日安排尚未收录，已知年份内只有{counted.known}个工作日，"
                        f"请按国务院办公厅节假日通知人工核对是否满{minimum}个工作日。")]
    return [Finding("H-PUBLICITY", home.id, "short", None, start, None, article,
                    f"{period}只有{counted.known}个工作日，少于规定的{minimum}个工作日。")]


def recommendation_quota(unit: UnitView, rules: PackOn, as_of: dt.date) -> list[Finding]:
    """H-QUOTA (京工发〔2021〕19号 第五条): structure of one unit's recommendations this year."""
    homes = unit.recommended
    total = len(homes)
    if total == 0:
        return []
    findings: list[Finding] = []
    unit_name = UNIT_KIND_NAMES.get(unit.kind, "单位")
    if unit.kind in rules.strings("quota_nonpublic_unit_kinds"):
        minimum = rules.number("quota_nonpublic_min")
        count = sum(1 for h in homes if h.ownership == "非公")
        if Decimal(count) < minimum * total:
            share = Decimal(count) / Decimal(total)
            findings.append(Finding("H-QUOTA", unit.id, "warning", None, None, None,
                                    join_citations([rules.cite("quota_nonpublic_min")]),
                                    f"{unit_name}{as_of.year}年推荐的{total}个集体中非公有制单位{count}个，"
                                    f"占{percent(share.quantize(Decimal('0.0001')))}，低于{percent(minimum)}。"))
    if unit.kind in rules.strings("quota_institution_unit_kinds"):
        maximum = rules.number("quota_institution_max")
        count = sum(1 for h in homes if h.ownership == "机关事业")
        if Decimal(count) > maximum * total:
            share = Decimal(count) / Decimal(total)
            findings.append(Finding("H-QUOTA", unit.id, "warning", None, None, None,
                                    join_citations([rules.cite("quota_institution_max")]),
                                    f"{unit_name}{as_of.year}年推荐的{total}个集体中机关、事业单位工会{count}个，"
                                    f"占{percent(share.quantize(Decimal('0.0001')))}，超过{percent(maximum)}。"))
    return findings
