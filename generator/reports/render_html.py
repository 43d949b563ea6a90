"""index.html: a self-contained, printable dashboard marked 内部资料 (Jinja2, autoescaped)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from generator.reports.engine import RULE_PACKS
from generator.reports.findings import (
    ELIGIBILITY_RULES,
    REVOCATION_RULES,
    RULE_NAMES,
    STATUS_NAMES,
    SUMMED_RULES,
    Finding,
)
from generator.reports.params import Pack

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
ALERT_STATUSES: frozenset[str] = frozenset(k for k, v in STATUS_CSS.items() if v == "s-bad")

# Where each rule comes from, as shown in section headings (rules.md "source").
RULE_SOURCES: dict[str, str] = {
    "E-SUBSIDY": "皖政办秘〔2017〕279号 三",
    "E-HEALTH": "陕工发〔2020〕11号 第十一条；皖政办秘〔2017〕279号 四",
    "E-SANATORIUM": "北京市总工会《关于进一步加强劳模队伍建设的实施方案》（2015） 二(三)3",
    "E-AID": "西城区总工会《工会暖心 做西城劳模的坚强后盾》 经费增多部分",
    "E-DEATH": "陕工发〔2020〕11号 第十二条",
    "E-FEEDBACK": "陕工发〔2020〕11号 第五条",
    "E-CONTACT": "陕工发〔2020〕11号 第三条、第四条",
    "H-ELIGIBLE": "京工发〔2021〕19号 第六条、第七条、第九条",
    "H-PUBLICITY": "京工发〔2021〕19号 第十三条",
    "H-QUOTA": "京工发〔2021〕19号 第五条",
    "R-WORKER": "陕工发〔2020〕11号 第三十条",
    "R-HOME": "京工发〔2021〕19号 第二十条、第二十三条、第二十五条",
    "R-UNIONIST": "京工发〔2021〕19号 第二十一条、第二十三条",
}


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


def _section(rule: str, findings: list[Finding], enabled: bool, names: dict[str, str]) -> dict:
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.status] = counts.get(finding.status, 0) + 1
    total = sum((f.amount_yuan for f in findings if f.amount_yuan is not None), start=Decimal(0))
    has_amount = rule in SUMMED_RULES or any(f.amount_yuan is not None for f in findings)
    has_date = any(f.date is not None for f in findings)
    has_due = any(f.due is not None for f in findings)
    return {
        "rule": rule,
        "has_amount": has_amount,
        "has_date": has_date,
        "has_due": has_due,
        "columns_after_amount": 2 + int(has_date) + int(has_due),
        "name": RULE_NAMES[rule],
        "source": RULE_SOURCES[rule],
        "pack": RULE_PACKS[rule],
        "enabled": enabled,
        "summed": rule in SUMMED_RULES,
        "total_amount": _money(total),
        "counts": [{"status": status, "label": STATUS_NAMES.get(status, status), "count": count,
                    "css": STATUS_CSS.get(status, "s-info")} for status, count in sorted(counts.items())],
        "rows": [{
            "subject": f.subject,
            "name": names.get(f.subject, f.subject),
            "status": f.status,
            "status_name": STATUS_NAMES.get(f.status, f.status),
            "css": STATUS_CSS.get(f.status, "s-info"),
            "amount": _money(f.amount_yuan),
            "date": _date(f.date),
            "due": _date(f.due),
            "article": f.article,
            "detail": f.detail,
        } for f in findings],
    }


def render_html(path: Path, findings_by_rule: dict[str, list[Finding]], enabled: list[str], packs: list[Pack],
                names: dict[str, str], as_of: dt.date, counts: Counts, notices: list[str]) -> None:
    environment = Environment(loader=FileSystemLoader(str(TEMPLATES)),
                              autoescape=select_autoescape(["html", "j2"], default=True),
                              trim_blocks=True, lstrip_blocks=True)
    template = environment.get_template("report.html.j2")
    sections = {rule: _section(rule, findings_by_rule.get(rule, []), rule in enabled, names)
                for rule in (*ELIGIBILITY_RULES, *REVOCATION_RULES)}
    everything = [f for rule in sections for f in findings_by_rule.get(rule, [])]
    alerts = sum(1 for f in everything if f.status in ALERT_STATUSES)
    aid = sum((f.amount_yuan for f in findings_by_rule.get("E-AID", [])
               if f.amount_yuan is not None and f.status == "eligible"), start=Decimal(0))
    subsidy = sum(1 for f in findings_by_rule.get("E-SUBSIDY", []) if f.status == "eligible")
    cards = [
        {"value": len(everything), "label": "事项总数", "alert": False},
        {"value": alerts, "label": "逾期、缺失或不合格", "alert": alerts > 0},
        {"value": subsidy, "label": "应发生活困难补助（人）", "alert": False},
        {"value": _money(aid), "label": "一次性救助合计（元）", "alert": False},
        {"value": sum(len(findings_by_rule.get(r, [])) for r in REVOCATION_RULES), "label": "撤销事项",
         "alert": False},
    ]
    html = template.render(
        as_of=as_of.isoformat(),
        year=as_of.year,
        packs=[{"id": p.id, "document": p.document} for p in packs],
        counts=counts,
        notices=notices,
        total=len(everything),
        cards=cards,
        sections=list(sections.values()),
        groups=[
            {"title": "资格与推荐报表", "sections": [sections[r] for r in ELIGIBILITY_RULES]},
            {"title": "撤销报表", "sections": [sections[r] for r in REVOCATION_RULES]},
        ],
    )
    path.write_text(html, encoding="utf-8")
