"""findings.json: one object per finding, with exactly the keys rules.md names (names are in the workbooks and HTML)."""

from __future__ import annotations

import json
from decimal import Decimal

from generator.reports.worklist import Row

KEYS: tuple[str, ...] = ("rule", "subject", "status", "amount_yuan", "date", "due", "article", "detail")


def amount_number(amount: Decimal | None) -> int | float | None:
    """A JSON number: 200 stays 200, 2500.25 stays 2500.25."""
    if amount is None:
        return None
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


def finding_object(row: Row) -> dict[str, object]:
    finding = row.finding
    return {
        "rule": finding.rule,
        "subject": finding.subject,
        "status": finding.status,
        "amount_yuan": amount_number(finding.amount_yuan),
        "date": finding.date.isoformat() if finding.date else None,
        "due": finding.due.isoformat() if finding.due else None,
        "article": finding.article,
        "detail": finding.detail,
    }


def render_json(rows: list[Row]) -> bytes:
    text = json.dumps([finding_object(r) for r in rows], ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")
