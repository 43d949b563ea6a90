"""A finding: one thing staff must do or record, with the article that requires it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

FEN = Decimal("0.01")

STATUS_NAMES: dict[str, str] = {
    "eligible": "符合条件",
    "ineligible": "不符合条件",
    "missing-data": "缺少数据",
    "due": "待办理",
    "overdue": "已逾期",
    "late": "逾期办理",
    "pending": "未到期限",
    "missing": "未报送",
    "missing-record": "未建私密档案",
    "missing-contact": "缺联系方式",
    "missing-relative": "缺亲属联系人",
    "pass": "符合推荐条件",
    "fail": "不符合推荐条件",
    "short": "公示期不足",
    "unknown-calendar": "节假日数据未知",
    "warning": "比例超限",
    "approved": "已批准撤销",
    "filed": "已按期申请",
    "filed-late": "逾期申请",
    "review": "待研究",
    "candidate": "可撤销",
    "recover-plaque": "收回奖牌",
}

# Statuses that ask staff to act now: overdue, missing or failed. Listed first wherever findings are counted.
ALERT_STATUSES: frozenset[str] = frozenset({
    "overdue", "late", "missing", "missing-record", "missing-contact", "fail", "short", "filed-late",
})


@dataclass(frozen=True)
class Finding:
    rule: str
    subject: str  # a worker, home or unit id
    status: str
    amount_yuan: Decimal | None
    date: dt.date | None
    due: dt.date | None
    article: str
    detail: str  # one Chinese sentence saying why


def round_fen(amount: Decimal) -> Decimal:
    """Round half up to the fen (0.01 yuan)."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def sort_key(finding: Finding) -> tuple[Any, ...]:
    """Rule, then subject, then date (no date first); the rest only makes the order stable."""
    return (
        finding.rule,
        finding.subject,
        finding.date is not None,
        finding.date or dt.date.min,
        finding.due is not None,
        finding.due or dt.date.min,
        finding.status,
        finding.article,
        finding.detail,
    )


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=sort_key)


def yuan(amount: Decimal) -> str:
    """An amount as written in a sentence: 2500 or 2500.25."""
    text = format(round_fen(amount), "f")
    if text.endswith(".00"):
        text = text[:-3]
    return text


def percent(rate: Decimal) -> str:
    """A rate as a percentage in a sentence: 0.9499 → 94.99%."""
    text = format((rate * 100).normalize(), "f")
    return f"{text}%"
