"""Every rule of the private reports, one entry each (rules.md).

The engine, findings.json, index.html and the workbooks all read this table:
a new rule is one entry here plus its function and its tests. Packs supply
only the parameters (dated values with their citations) a rule reads.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from generator.reports import eligibility, homes, revocation
from generator.reports.findings import Finding
from generator.reports.params import PackOn
from generator.reports.view import ReportView


class SubjectKind(enum.Enum):
    """What a rule's findings are about; it decides which records of the view the rule is applied to."""

    WORKER = "worker"
    HOME = "home"
    UNIT = "unit"

    def of(self, view: ReportView) -> Sequence[Any]:
        if self is SubjectKind.WORKER:
            return view.workers
        if self is SubjectKind.HOME:
            return view.homes
        return view.units


class Report(enum.Enum):
    """The two reports of rules.md, each one workbook."""

    ELIGIBILITY = "eligibility"
    REVOCATION = "revocation"

    @property
    def title(self) -> str:
        return "资格与推荐报表" if self is Report.ELIGIBILITY else "撤销报表"

    @property
    def file_name(self) -> str:
        return f"{self.value}.xlsx"


Check = Callable[[Any, PackOn, dt.date], list[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str  # E-SUBSIDY …
    name: str  # Chinese, as in headings
    sheet: str  # Chinese worksheet name (at most 31 characters, Excel's limit)
    pack: str  # the pack whose parameters it reads
    report: Report
    subject: SubjectKind
    check: Check  # (subject, pack read on the as-of date, as-of date) → findings
    source: str  # the articles it applies, as rules.md gives them
    date: str | None = None  # what a finding's `date` is, e.g. 申请日期 (None: the rule defines none)
    due: str | None = None  # what its `due` is
    amount: str | None = None  # heading of `amount_yuan`, with its unit (元/月 where monthly)
    summed: bool = False  # amounts add up to a total staff budget for

    def run(self, on: PackOn, view: ReportView) -> list[Finding]:
        return [f for subject in self.subject.of(view) for f in self.check(subject, on, view.as_of)]


RULES: tuple[Rule, ...] = (
    Rule("E-SUBSIDY", "省部级劳模生活困难补助", "生活困难补助", "anhui-2017", Report.ELIGIBILITY,
         SubjectKind.WORKER, eligibility.subsidy_eligibility, "皖政办秘〔2017〕279号 三",
         amount="补助金额（元/月）", summed=True),
    Rule("E-HEALTH", "劳模年度健康体检", "年度体检", "shaanxi-2020", Report.ELIGIBILITY,
         SubjectKind.WORKER, eligibility.health_check_due, "陕工发〔2020〕11号 第十一条；皖政办秘〔2017〕279号 四",
         amount="体检标准（元/人）", summed=True),
    Rule("E-SANATORIUM", "在职劳模疗休养", "疗休养", "beijing-2015", Report.ELIGIBILITY,
         SubjectKind.WORKER, eligibility.sanatorium_overdue,
         "北京市总工会《关于进一步加强劳模队伍建设的实施方案》（2015） 二(三)3",
         date="上次疗休养日期", due="应安排日期"),
    Rule("E-AID", "困难劳模一次性救助申请", "一次性救助", "xicheng", Report.ELIGIBILITY,
         SubjectKind.WORKER, eligibility.aid_decisions, "西城区总工会《工会暖心 做西城劳模的坚强后盾》 经费增多部分",
         date="申请日期", amount="救助金额（元）", summed=True),
    Rule("E-DEATH", "劳模去世上报", "去世上报", "shaanxi-2020", Report.ELIGIBILITY,
         SubjectKind.WORKER, eligibility.death_report_status, "陕工发〔2020〕11号 第十二条",
         date="逝世日期", due="应报日期"),
    Rule("E-FEEDBACK", "劳模变动情况年度报告", "年度变动报告", "shaanxi-2020", Report.ELIGIBILITY,
         SubjectKind.UNIT, eligibility.feedback_status, "陕工发〔2020〕11号 第五条",
         date="报送日期", due="应报日期"),
    Rule("E-CONTACT", "劳模信息库与联系方式", "信息库与联系方式", "shaanxi-2020", Report.ELIGIBILITY,
         SubjectKind.WORKER, eligibility.contact_completeness, "陕工发〔2020〕11号 第三条、第四条"),
    Rule("H-ELIGIBLE", "模范职工之家（小家）推荐条件", "推荐条件", "beijing-2021", Report.ELIGIBILITY,
         SubjectKind.HOME, homes.recommendation_eligibility, "京工发〔2021〕19号 第六条、第七条、第九条"),
    Rule("H-PUBLICITY", "推荐名单公示期", "推荐公示期", "beijing-2021", Report.ELIGIBILITY,
         SubjectKind.HOME, homes.publicity_length, "京工发〔2021〕19号 第十三条", date="公示开始日期"),
    Rule("H-QUOTA", "推荐结构比例", "推荐结构比例", "beijing-2021", Report.ELIGIBILITY,
         SubjectKind.UNIT, homes.recommendation_quota, "京工发〔2021〕19号 第五条"),
    Rule("R-WORKER", "省部级以上劳模荣誉撤销", "劳模荣誉撤销", "shaanxi-2020", Report.REVOCATION,
         SubjectKind.WORKER, revocation.worker_revocation_status, "陕工发〔2020〕11号 第三十条",
         date="决定日期", due="申请截止日期"),
    Rule("R-HOME", "模范职工之家（小家）称号撤销", "职工之家称号撤销", "beijing-2021", Report.REVOCATION,
         SubjectKind.HOME, revocation.home_revocation_triggers, "京工发〔2021〕19号 第二十条、第二十三条、第二十五条",
         date="事件日期"),
    Rule("R-UNIONIST", "优秀工会工作者称号撤销", "优秀工会工作者撤销", "beijing-2021", Report.REVOCATION,
         SubjectKind.WORKER, revocation.unionist_revocation_triggers, "京工发〔2021〕19号 第二十一条、第二十三条",
         date="决定日期"),
)

BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


def rules_of(report: Report) -> tuple[Rule, ...]:
    return tuple(rule for rule in RULES if rule.report is report)
