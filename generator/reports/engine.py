"""Applies the enabled policy packs to the private view: view → rule functions → findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from generator.reports import eligibility, homes, revocation
from generator.reports.findings import ALL_RULES, Finding, sort_findings
from generator.reports.params import Pack, PackError, PackOn, ParameterNotInForce
from generator.reports.view import ReportView

# The pack each rule belongs to (rules.md).
RULE_PACKS: dict[str, str] = {
    "E-SUBSIDY": "anhui-2017",
    "E-HEALTH": "shaanxi-2020",
    "E-SANATORIUM": "beijing-2015",
    "E-AID": "xicheng",
    "E-DEATH": "shaanxi-2020",
    "E-FEEDBACK": "shaanxi-2020",
    "E-CONTACT": "shaanxi-2020",
    "H-ELIGIBLE": "beijing-2021",
    "H-PUBLICITY": "beijing-2021",
    "H-QUOTA": "beijing-2021",
    "R-WORKER": "shaanxi-2020",
    "R-HOME": "beijing-2021",
    "R-UNIONIST": "beijing-2021",
}

WorkerRule = Callable[..., list[Finding]]

WORKER_RULES: dict[str, WorkerRule] = {
    "E-SUBSIDY": eligibility.subsidy_eligibility,
    "E-HEALTH": eligibility.health_check_due,
    "E-SANATORIUM": eligibility.sanatorium_overdue,
    "E-AID": eligibility.aid_decisions,
    "E-DEATH": eligibility.death_report_status,
    "E-CONTACT": eligibility.contact_completeness,
    "R-WORKER": revocation.worker_revocation_status,
    "R-UNIONIST": revocation.unionist_revocation_triggers,
}
HOME_RULES: dict[str, WorkerRule] = {
    "H-ELIGIBLE": homes.recommendation_eligibility,
    "H-PUBLICITY": homes.publicity_length,
    "R-HOME": revocation.home_revocation_triggers,
}


@dataclass
class RuleRun:
    """What one run decided: the findings, which rules ran, and why others did not."""

    findings: list[Finding]
    enabled: list[str]  # rules that ran
    notices: list[str] = field(default_factory=list)  # Chinese, one line each


def _apply(rule: str, on: PackOn, view: ReportView) -> list[Finding]:
    as_of = view.as_of
    if rule in WORKER_RULES:
        function = WORKER_RULES[rule]
        return [f for worker in view.workers for f in function(worker, on, as_of)]
    if rule in HOME_RULES:
        function = HOME_RULES[rule]
        return [f for home in view.homes for f in function(home, on, as_of)]
    if rule == "E-FEEDBACK":
        return [f for unit_id in sorted(view.units)
                for f in eligibility.feedback_status(view.units[unit_id], on, as_of)]
    if rule == "H-QUOTA":
        grouped = homes.recommendations_by_unit(view.homes, as_of)
        return [f for unit_id in sorted(grouped) if unit_id in view.units
                for f in homes.recommendation_quota(view.units[unit_id], grouped[unit_id], on, as_of)]
    raise PackError(f"未知规则 {rule}")


def compute_findings(view: ReportView, packs: list[Pack],
                     progress: Callable[[str], None] | None = None) -> RuleRun:
    """Every finding of every rule of the enabled packs, sorted by rule, subject, date."""
    findings: list[Finding] = []
    enabled: list[str] = []
    notices: list[str] = []
    by_id = {pack.id: pack for pack in packs}
    for rule in ALL_RULES:
        pack = by_id.get(RULE_PACKS[rule])
        if pack is None:
            continue
        if rule not in pack.rules:
            notices.append(f"政策包 {pack.id} 未列出规则 {rule}，跳过。")
            continue
        if view.as_of < pack.in_force_from():
            notices.append(f"政策包 {pack.id} 自 {pack.in_force_from().isoformat()} 起施行，"
                           f"统计日 {view.as_of.isoformat()} 不适用，跳过规则 {rule}。")
            continue
        if progress is not None:
            progress(f"正在检查 {rule}（{pack.id}）…")
        try:
            findings += _apply(rule, pack.on(view.as_of), view)
        except ParameterNotInForce as exc:
            notices.append(f"规则 {rule} 在 {view.as_of.isoformat()} 尚无生效的政策参数（{exc}），跳过。")
            continue
        enabled.append(rule)
    return RuleRun(sort_findings(findings), enabled, notices)
