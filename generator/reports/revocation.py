"""Revocation report (rules.md, Revocation report): R-WORKER, R-HOME, R-UNIONIST."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from generator.model.private import Discipline
from generator.reports.dates import add_days
from generator.reports.findings import Finding, percent
from generator.reports.params import Citation, PackOn, join_citations
from generator.reports.treatment import BENEFIT_TREATMENTS
from generator.reports.view import HomeView, HonourView, WorkerView

# ---------------------------------------------------------------- R-WORKER

def _filing_status(honour: HonourView, decision: Discipline, due: dt.date, review: bool,
                   as_of: dt.date) -> tuple[str, dt.date | None]:
    """Status of the revocation of `honour` after `decision`, with the date that settles it."""
    approvals = [r.approved for r in honour.revocations if r.approved is not None and r.approved >= decision.date]
    if honour.public_revoked is not None and honour.public_revoked >= decision.date:
        approvals.append(honour.public_revoked)
    if approvals:
        return "approved", min(approvals)
    filings = [r.filed for r in honour.revocations if r.filed is not None and r.filed >= decision.date]
    if filings:
        filed = min(filings)
        return ("filed" if filed <= due else "filed-late"), filed
    if review:
        return "review", None
    return ("overdue" if as_of > due else "due"), None


def worker_revocation_status(worker: WorkerView, rules: PackOn, as_of: dt.date) -> list[Finding]:
    """R-WORKER (陕工发〔2020〕11号 第三十条): honours to revoke after a disciplinary decision, and where that stands."""
    facts = worker.private
    if facts is None or not facts.discipline:
        return []
    grounds = rules.table("revocation_grounds")
    routes = rules.table("revocation_routes")
    days = rules.integer("revocation_filing_days")
    ground_citation = rules.cite("revocation_grounds")
    filing_citation = rules.cite("revocation_filing_days")
    route_citation = rules.cite("revocation_routes")
    findings: list[Finding] = []
    for decision in facts.discipline:
        ground = grounds.get(decision.kind)
        if ground is None:
            continue
        due = add_days(decision.date, days)
        review = bool(ground.get("review", False))
        for honour in worker.honours:
            if honour.treatment not in BENEFIT_TREATMENTS:
                continue
            if honour.year > decision.date.year:
                continue  # a decision concerns only the honours conferred in or before its year (rules.md)
            if honour.revoked_on is not None and honour.revoked_on < decision.date:
                continue  # already revoked before the decision
            status, settled = _filing_status(honour, decision, due, review, as_of)
            if decision.date.year < as_of.year and status == "approved":
                continue  # earlier decisions stay listed only until approved
            citations: list[Citation] = [ground_citation.sub(str(ground["clause"])), filing_citation]
            route = routes.get(honour.route or "")
            if route is not None:
                citations.append(route_citation.sub(str(route["clause"])))
                route_text = f"审批路径：{route['text']}"
            else:
                route_text = "称号表未规定该称号的撤销审批路径，须另行确定"
            action = f"须研究是否撤销其“{honour.title}”称号" if review else f"应撤销其“{honour.title}”称号"
            lead = (f"{decision.date.isoformat()}因{ground['text']}（{ground_citation.article}{ground['clause']}），"
                    f"{action}，{route_text}")
            settled_text = settled.isoformat() if settled else ""
            tail = {
                "approved": f"撤销已于{settled_text}批准，自该日起终止相应待遇",
                "filed": f"单位已于{settled_text}提出撤销申请，在{due.isoformat()}的期限内",
                "filed-late": f"单位于{settled_text}才提出撤销申请，晚于{due.isoformat()}的期限",
                "review": "尚未提出撤销申请，请研究决定后办理",
                "overdue": f"单位应于{due.isoformat()}前提出撤销申请，至今未申请，已逾期",
                "due": f"单位应于{due.isoformat()}前提出撤销申请",
            }[status]
            findings.append(Finding("R-WORKER", worker.id, status, None, decision.date, due,
                                    join_citations(citations), f"{lead}；{tail}。"))
    return findings


# ---------------------------------------------------------------- R-HOME

def _consecutive_run(years: list[int], length: int) -> list[int] | None:
    """The first run of `length` consecutive years in sorted `years`."""
    run: list[int] = []
    for year in years:
        run = run + [year] if run and year == run[-1] + 1 else [year]
        if len(run) >= length:
            return run[-length:]
    return None


def home_revocation_triggers(home: HomeView, rules: PackOn, as_of: dt.date) -> list[Finding]:
    """R-HOME (京工发〔2021〕19号 第二十条、第二十三条、第二十五条): triggers to revoke a home's title."""
    titles = rules.strings("home_honour_titles")
    held = [h for h in home.honours if h.title in titles and h.held_on(as_of)]
    if not held:
        return []
    first = min(held, key=lambda h: h.year)
    honour_year = first.year
    grounds = rules.table("home_revocation_grounds")
    ground_citation = rules.cite("home_revocation_grounds")
    route_citation = rules.cite("home_revocation_route")
    route = rules.text("home_revocation_route")
    title = "、".join(dict.fromkeys(f"“{h.title}”" for h in held))
    findings: list[Finding] = []

    maximum = rules.number("dissatisfaction_max")
    length = rules.integer("dissatisfaction_consecutive_years")
    bad_years = sorted(year for year, row in home.years.items()
                       if honour_year < year <= as_of.year and row.dissatisfaction_rate is not None
                       and Decimal(str(row.dissatisfaction_rate)) > maximum)
    run = _consecutive_run(bad_years, length)
    if run is not None:
        rates = "、".join(percent(Decimal(str(home.years[y].dissatisfaction_rate))) for y in run)
        clause = rules.cite("dissatisfaction_max")
        findings.append(Finding(
            "R-HOME", home.id, "candidate", None, None, None, join_citations([clause, route_citation]),
            f"{run[0]}—{run[-1]}年会员代表大会评议职工之家不满意率分别为{rates}，连续{length}年超过{percent(maximum)}"
            f"（{clause.article}），可撤销其{title}称号、收回奖牌，程序：{route}。"))

    for event in home.events:
        ground = grounds.get(event.kind)
        if ground is None or event.date.year <= honour_year:
            continue
        clause = ground_citation.sub(str(ground["clause"]))
        findings.append(Finding(
            "R-HOME", home.id, "candidate", None, event.date, None, join_citations([clause, route_citation]),
            f"{event.date.isoformat()}{ground['text']}（{clause.article}），可撤销其{title}称号、收回奖牌，程序：{route}。"))

    if home.dissolved is not None:
        findings.append(Finding(
            "R-HOME", home.id, "recover-plaque", None, home.dissolved, None,
            join_citations([rules.article("recover_plaque")]),
            f"所在单位已于{home.dissolved.isoformat()}破产、终止或撤销，上一级工会应及时收回{title}证书和奖牌并逐级上报。"))
    return findings


# ---------------------------------------------------------------- R-UNIONIST

def unionist_revocation_triggers(worker: WorkerView, rules: PackOn, as_of: dt.date) -> list[Finding]:
    """R-UNIONIST (京工发〔2021〕19号 第二十一条): discipline after the honour that may revoke 优秀工会工作者."""
    facts = worker.private
    if facts is None or not facts.discipline:
        return []
    titles = rules.strings("unionist_titles")
    held = [h for h in worker.honours if h.title in titles and h.held_on(as_of)]
    if not held:
        return []
    first = min(held, key=lambda h: h.year)
    grounds = rules.table("unionist_revocation_grounds")
    ground_citation = rules.cite("unionist_revocation_grounds")
    route_citation = rules.cite("unionist_revocation_route")
    route = rules.text("unionist_revocation_route")
    findings: list[Finding] = []
    for decision in facts.discipline:
        ground = grounds.get(decision.kind)
        if ground is None or decision.date.year <= first.year:
            continue
        clause = ground_citation.sub(str(ground["clause"]))
        findings.append(Finding(
            "R-UNIONIST", worker.id, "candidate", None, decision.date, None, join_citations([clause, route_citation]),
            f"{decision.date.isoformat()}{ground['text']}（{clause.article}），可撤销其“{first.title}”称号、收回证书，"
            f"程序：{route}。"))
    return findings
