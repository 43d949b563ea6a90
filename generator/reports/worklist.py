"""Findings as rows staff can act on: each with whom it concerns, their unit, managing unit and contact.

view + findings → rows (this module) → renderers. `--unit` keeps the rows of some managing units only.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.reports.findings import Finding
from generator.reports.registry import BY_ID, Rule, SubjectKind
from generator.reports.view import ReportView

NO_MANAGING_UNIT = "未指定管理单位"


@dataclass(frozen=True)
class Addressee:
    """Whom a finding concerns and how to reach them (the contact only from the private tree)."""

    name: str  # the person's or home's name, or the unit's
    unit: str  # work unit, the home's employer, or the unit itself
    managing_unit_id: str | None
    managing_unit: str  # its name (NO_MANAGING_UNIT when none is recorded)
    phone: str
    relative: str  # 姓名（关系）电话


@dataclass(frozen=True)
class Row:
    finding: Finding
    rule: Rule
    who: Addressee


def addressees(view: ReportView) -> dict[tuple[SubjectKind, str], Addressee]:
    unit_names = {unit.id: unit.name for unit in view.units}

    def managing(unit_id: str | None) -> tuple[str | None, str]:
        if not unit_id:
            return None, NO_MANAGING_UNIT
        return unit_id, unit_names.get(unit_id, unit_id)

    found: dict[tuple[SubjectKind, str], Addressee] = {}
    for worker in view.workers:
        facts = worker.private
        relative = ""
        if facts is not None and facts.relative_contact is not None:
            contact = facts.relative_contact
            relative = f"{contact.name}（{contact.relation}）{contact.phone}"
        found[SubjectKind.WORKER, worker.id] = Addressee(
            worker.name, worker.unit, *managing(facts.management_unit if facts else None),
            (facts.phone or "") if facts else "", relative)
    for home in view.homes:
        recommended_by = home.recommendation.recommended_by if home.recommendation else None
        found[SubjectKind.HOME, home.id] = Addressee(home.name, home.employer, *managing(recommended_by), "", "")
    for unit in view.units:
        found[SubjectKind.UNIT, unit.id] = Addressee(unit.name, unit.name, unit.id, unit.name, "", "")
    return found


def worklist(view: ReportView, findings: list[Finding], units: frozenset[str] | None = None) -> list[Row]:
    """The findings as rows, in the findings' order; with `units`, only those whose managing unit is one of them."""
    who = addressees(view)
    rows: list[Row] = []
    for finding in findings:
        rule = BY_ID[finding.rule]
        addressee = who.get((rule.subject, finding.subject)) or Addressee(
            finding.subject, "", None, NO_MANAGING_UNIT, "", "")
        if units is not None and addressee.managing_unit_id not in units:
            continue
        rows.append(Row(finding, rule, addressee))
    return rows
