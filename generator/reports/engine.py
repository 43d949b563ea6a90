"""Applies the rules of the enabled policy packs to the private view: view → rule functions → findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from generator.reports.findings import Finding, sort_findings
from generator.reports.params import Pack, ParameterNotInForce
from generator.reports.registry import RULES
from generator.reports.view import ReportView


@dataclass
class RuleRun:
    """What one run decided: the findings, which rules ran, and why others did not."""

    findings: list[Finding]
    enabled: list[str]  # rules that ran
    notices: list[str] = field(default_factory=list)  # Chinese, one line each


def compute_findings(view: ReportView, packs: list[Pack],
                     progress: Callable[[str], None] | None = None) -> RuleRun:
    """Every finding of every rule of the enabled packs, sorted by rule, subject, date."""
    findings: list[Finding] = []
    enabled: list[str] = []
    notices: list[str] = []
    by_id = {pack.id: pack for pack in packs}
    late_packs: set[str] = set()
    for rule in RULES:
        pack = by_id.get(rule.pack)
        if pack is None:
            continue
        if view.as_of < pack.in_force_from():
            if pack.id not in late_packs:
                late_packs.add(pack.id)
                notices.append(f"统计日 {view.as_of.isoformat()} 早于政策包 {pack.id}（{pack.document}）的施行日 "
                               f"{pack.in_force_from().isoformat()}，其规则"
                               f"（{'、'.join(r.id for r in RULES if r.pack == pack.id)}）本次未检查。")
            continue
        if progress is not None:
            progress(f"正在检查 {rule.id}（{pack.id}）…")
        try:
            findings += rule.run(pack.on(view.as_of), view)
        except ParameterNotInForce as exc:
            notices.append(f"规则 {rule.id} 在 {view.as_of.isoformat()} 尚无生效的政策参数（{exc}），跳过。")
            continue
        enabled.append(rule.id)
    return RuleRun(sort_findings(findings), enabled, notices)
