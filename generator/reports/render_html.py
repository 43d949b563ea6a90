"""index.html: a self-contained, printable dashboard marked 内部资料 (Jinja2, autoescaped)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from generator.reports.findings import ALERT_STATUSES, STATUS_NAMES
from generator.reports.params import Pack
from generator.reports.registry import RULES, Report, Rule, rules_of
from generator.reports.worklist import Row

TEMPLATES = Path(__file__).parent / "templates"

# How a status is shown: needs action (bad), needs attention (warn), settled (ok), for information (info).
STATUS_CSS: dict[str, str] = {
    "eligible": "s-ok", "pass": "s-ok", "approved": "s-ok", "filed": "s-ok",
    "ineligible": "s-info", "pending": "s-info", "due": "s-warn", "review": "s-warn", "candidate": "s-warn",
    "warning": "s-warn", "missing-data": "s-warn", "unknown-calendar": "s-warn", "recover-plaque": "s-warn",
    "missing-relative": "s-warn",
    "overdue": "s-bad", "late": "s-bad", "missing": "s-bad", "missing-record": "s-bad",
    "missing-contact": "s-bad", "fail": "s-bad", "short": "s-bad", "filed-late": "s-bad",
}
assert {k for k, v in STATUS_CSS.items() if v == "s-bad"} == ALERT_STATUSES
@dataclass(frozen=True)
class Counts:
    workers: int
    homes: int
    private_workers: int
    private_homes: int
    units: int


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:,.2f}"


def _date(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _section(rule: Rule, rows: list[Row], enabled: bool) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.finding.status] = counts.get(row.finding.status, 0) + 1
    total = sum((r.finding.amount_yuan for r in rows if r.finding.amount_yuan is not None), start=Decimal(0))
    has_amount = rule.amount is not None
    has_date = rule.date is not None and any(r.finding.date is not None for r in rows)
    has_due = rule.due is not None and any(r.finding.due is not None for r in rows)
    return {
        "rule": rule.id,
        "has_amount": has_amount,
        "amount_heading": rule.amount or "",
        "amount_unit": "元/月" if "元/月" in (rule.amount or "") else "元",
        "has_date": has_date,
        "date_heading": rule.date or "日期",
        "has_due": has_due,
        "due_heading": rule.due or "期限",
        "columns_after_amount": 2 + int(has_date) + int(has_due),
        "name": rule.name,
        "source": rule.source,
        "pack": rule.pack,
        "enabled": enabled,
        "summed": rule.summed,
        "total_amount": _money(total),
        "counts": [{"status": status, "label": STATUS_NAMES.get(status, status), "count": count,
                    "css": STATUS_CSS.get(status, "s-info")} for status, count in sorted(counts.items())],
        "rows": [{
            "subject": r.finding.subject,
            "name": r.who.name,
            "managing_unit": r.who.managing_unit,
            "status": r.finding.status,
            "status_name": STATUS_NAMES.get(r.finding.status, r.finding.status),
            "css": STATUS_CSS.get(r.finding.status, "s-info"),
            "amount": _money(r.finding.amount_yuan),
            "date": _date(r.finding.date),
            "due": _date(r.finding.due),
            "article": r.finding.article,
            "detail": r.finding.detail,
        } for r in rows],
    }


def render_html(rows: list[Row], enabled: list[str], packs: list[Pack], as_of: dt.date, counts: Counts,
                notices: list[str], scope: str) -> bytes:
    environment = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                              autoescape=select_autoescape(["html", "j2"], default=True),
                              trim_blocks=True, lstrip_blocks=True)
    template = environment.get_template("report.html.j2")
    by_rule: dict[str, list[Row]] = {rule.id: [] for rule in RULES}
    for row in rows:
        by_rule[row.rule.id].append(row)
    sections = {rule.id: _section(rule, by_rule[rule.id], rule.id in enabled) for rule in RULES}
    alerts = sum(1 for r in rows if r.finding.status in ALERT_STATUSES)
    aid = sum((r.finding.amount_yuan for r in by_rule["E-AID"]
               if r.finding.amount_yuan is not None and r.finding.status == "eligible"), start=Decimal(0))
    subsidy = sum(1 for r in by_rule["E-SUBSIDY"] if r.finding.status == "eligible")
    cards = [
        {"value": len(rows), "label": "事项总数", "alert": False},
        {"value": alerts, "label": "逾期、缺失或不合格", "alert": alerts > 0},
        {"value": subsidy, "label": "应发生活困难补助（人）", "alert": False},
        {"value": _money(aid), "label": "一次性救助合计（元）", "alert": False},
        {"value": sum(1 for r in rows if r.rule.report is Report.REVOCATION), "label": "撤销事项",
         "alert": False},
    ]
    html = template.render(
        as_of=as_of.isoformat(),
        year=as_of.year,
        scope=scope,
        packs=[{"id": p.id, "document": p.document} for p in packs],
        counts=counts,
        notices=notices,
        total=len(rows),
        cards=cards,
        sections=list(sections.values()),
        groups=[{"title": report.title, "sections": [sections[r.id] for r in rules_of(report)]}
                for report in Report],
    )
    return html.encode("utf-8")
