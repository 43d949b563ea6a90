"""Who is a 劳模 for benefits, on a date (rules.md, Treatment).

A person's treatment on a date is the highest `treatment` (national >
provincial > none) among their honours conferred in or before that year and
not revoked on or before that date — publicly (`revoked.date`) or by an
approved private `revocation` (陕工发〔2020〕11号 第一条、第十七条、第三十条(一)).
Dead people have no treatment from the day after their death, except for
death-related findings.
"""

from __future__ import annotations

import datetime as dt

from generator.model.common import TREATMENT_RANK
from generator.reports.view import WorkerView

TREATMENT_NAMES: dict[str, str] = {"national": "全国劳模待遇", "provincial": "省部级劳模待遇", "none": "无劳模待遇"}
BENEFIT_TREATMENTS: frozenset[str] = frozenset({"national", "provincial"})


def treatment_on(worker: WorkerView, day: dt.date, death_related: bool = False) -> str:
    if not death_related and worker.died_before(day):
        return "none"
    best = "none"
    for honour in worker.honours:
        if honour.held_on(day) and TREATMENT_RANK.get(honour.treatment, 0) > TREATMENT_RANK[best]:
            best = honour.treatment
    return best


def why_no_treatment(worker: WorkerView, day: dt.date, death_related: bool = False) -> str:
    """A clause saying why someone has no treatment on `day` (for a finding's detail)."""
    if not death_related and worker.died_before(day) and worker.died is not None:  # for mypy
        return f"本人已于{worker.died.isoformat()}去世"
    revoked = [h for h in worker.honours
               if h.treatment in BENEFIT_TREATMENTS and h.year <= day.year
               and h.revoked_on is not None and h.revoked_on <= day]
    if revoked:
        first = min(revoked, key=lambda h: h.revoked_on or dt.date.max)
        return f"“{first.title}”称号已于{first.revoked_on.isoformat() if first.revoked_on else ''}撤销，自撤销之日起终止待遇"
    return "不享受全国或省部级劳模待遇"
