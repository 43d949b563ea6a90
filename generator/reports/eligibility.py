"""Eligibility rules for people and units (rules.md, Eligibility report).

One function per rule, named after what it decides. Each takes the subject's
view, the policy pack read on the as-of date, and the as-of date, and returns
the findings staff must act on (none when there is nothing to do).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from generator.model.private import AidApplication
from generator.reports.dates import add_days, add_years
from generator.reports.findings import Finding, percent, round_fen, yuan
from generator.reports.params import Citation, PackOn, join_citations
from generator.reports.treatment import BENEFIT_TREATMENTS, TREATMENT_NAMES, treatment_on, why_no_treatment
from generator.reports.view import UnitView, WorkerView

AID_KIND_NAMES: dict[str, str] = {
    "medical": "本人患重大疾病",
    "fire": "家庭遭遇意外火灾",
    "disability": "本人非工伤意外致重度伤残",
    "accidental_death": "本人非工伤意外死亡",
    "family_illness": "家庭成员患重大疾病",
}
RELATION_NAMES: dict[str, str] = {
    "spouse_without_income": "无收入配偶",
    "minor_child": "未成年子女",
    "other": "其他亲属",
}


def _money(value: float) -> Decimal:
    return Decimal(str(value))


# ---------------------------------------------------------------- E-SUBSIDY

def subsidy_eligibility(worker: WorkerView, rules: PackOn, as_of: dt.date) -> list[Finding]:
    """E-SUBSIDY (皖政办秘〔2017〕279号 三): 200 yuan a month for provincial-treatment 劳模 in hardship."""
    facts = worker.private
    if facts is None or not worker.living_on(as_of) or treatment_on(worker, as_of) != "provincial":
        return []
    line = rules.number("income_line_yuan")
    monthly = rules.number("subsidy_monthly_yuan")
    reasons: list[str] = []
    unknown: list[str] = []
    citations: list[Citation] = []

    if facts.monthly_income_yuan is None:
        unknown.append("缺少月工资（养老金）数据")
    elif _money(facts.monthly_income_yuan) < line:
        reasons.append(f"月工资（养老金）{yuan(_money(facts.monthly_income_yuan))}元低于{yuan(line)}元")
        citations.append(rules.cite("income_line_yuan"))

    if facts.farmer and (not facts.fixed_income or facts.lost_labour_capacity):
        age_name = "farmer_age_male" if worker.gender == "男" else "farmer_age_female"
        threshold = rules.integer(age_name)
        age = worker.age_on(as_of)
        hardship = "无固定收入" if not facts.fixed_income else "丧失劳动能力"
        if age is None:
            unknown.append("农民劳模年龄未知（缺少出生日期和身份证号码）")
        elif age >= threshold:
            reasons.append(f"系农民劳模，{worker.gender}年满{threshold}周岁且{hardship}")
            citations.append(rules.cite(age_name))

    if reasons:
        citations.append(rules.cite("subsidy_monthly_yuan"))
        return [Finding("E-SUBSIDY", worker.id, "eligible", monthly, None, None, join_citations(citations),
                        f"享受省部级劳模待遇，{'，且'.join(reasons)}，应每月补助{yuan(monthly)}元。")]
    if unknown:
        return [Finding("E-SUBSIDY", worker.id, "missing-data", None, None, None,
                        join_citations([rules.article("subsidy")]),
                        f"享受省部级劳模待遇，但{'，'.join(unknown)}，无法判断是否符合生活困难补助条件。")]
    return []


# ---------------------------------------------------------------- E-HEALTH

def health_check_due(worker: WorkerView, rules: PackOn, as_of: dt.date) -> list[Finding]:
    """E-HEALTH (陕工发〔2020〕11号 第十一条): a yearly 体检 for every 劳模 with treatment."""
    facts = worker.private
    if facts is None or not worker.living_on(as_of):
        return []
    treatment = treatment_on(worker, as_of)
    if treatment not in BENEFIT_TREATMENTS:
        return []
    if any(day.year == as_of.year for day in facts.health_checks):
        return []
    article = join_citations([rules.article("health"), rules.cite("health_check_national_yuan")])
    if treatment == "national":
        standard = rules.number("health_check_national_yuan")
        return [Finding("E-HEALTH", worker.id, "due", standard, None, None, article,
                        f"享受全国劳模待遇，{as_of.year}年尚无体检记录，应按每人{yuan(standard)}元标准安排年度体检。")]
    return [Finding("E-HEALTH", worker.id, "due", None, None, None, article,
                    f"享受省部级劳模待遇，{as_of.year}年尚无体检记录，应安排年度体检，体检费原则上由所在单位列支。")]


# ---------------------------------------------------------------- E-SANATORIUM

def sanatorium_overdue(worker: WorkerView, rules: PackOn, as_of: dt.date) -> list[Finding]:
    """E-SANATORIUM (北京 2015 方案 二(三)3): 在职劳模 at least one 疗休养 every two years."""
    facts = worker.private
    if facts is None or not worker.living_on(as_of) or treatment_on(worker, as_of) not in BENEFIT_TREATMENTS:
        return []
    if facts.employment is None or facts.employment not in rules.strings("sanatorium_employment"):
        return []
    interval = rules.integer("sanatorium_interval_years")
    article = join_citations([rules.cite("sanatorium_interval_years")])
    if not facts.sanatorium:
        return [Finding("E-SANATORIUM", worker.id, "overdue", None, None, None, article,
                        f"{facts.employment}劳模没有疗休养记录，应保证每{interval}年至少安排一次疗休养。")]
    last = facts.sanatorium[-1]
    due = add_years(last, interval)
    if as_of <= due:
        return []
    return [Finding("E-SANATORIUM", worker.id, "overdue", None, last, due, article,
                    f"{facts.employment}劳模上次疗休养在{last.isoformat()}，{due.isoformat()}前应再安排一次，已逾期。")]


# ---------------------------------------------------------------- E-AID

def aid_decision(worker: WorkerView, application: AidApplication, rules: PackOn) -> Finding:
    """E-AID (西城区总工会报告 经费增多部分): the decision on one hardship-aid application."""
    kind = application.kind
    kind_name = AID_KIND_NAMES[kind]
    death_related = kind == "accidental_death"
    day = worker.died if death_related and worker.died is not None else application.date
    treatment = treatment_on(worker, day, death_related=death_related)
    citations: list[Citation] = [rules.article("aid")]

    def finding(status: str, amount: Decimal | None, detail: str) -> Finding:
        return Finding("E-AID", worker.id, status, amount, application.date, None,
                       join_citations(citations), detail)

    when = "去世时" if death_related and worker.died is not None else "申请日"
    if treatment not in BENEFIT_TREATMENTS:
        return finding("ineligible", None,
                       f"“{kind_name}”救助申请不予救助：{when}{why_no_treatment(worker, day, death_related)}。")
    lead = f"{when}享受{TREATMENT_NAMES[treatment]}"

    if kind == "medical":
        if application.amount_yuan is None:
            return finding("missing-data", None, f"“{kind_name}”救助申请缺少自付医药费用金额，无法核定救助额。")
        cost = _money(application.amount_yuan)
        threshold = rules.number("medical_threshold_yuan")
        citations.append(rules.cite("medical_threshold_yuan"))
        if cost < threshold:
            return finding("ineligible", None,
                           f"“{kind_name}”救助申请不予救助：自付医药费用{yuan(cost)}元，未达到{yuan(threshold)}元的救助标准。")
        rate = rules.number("medical_rate")
        cap = rules.number("medical_cap_yuan")
        citations += [rules.cite("medical_rate"), rules.cite("medical_cap_yuan")]
        share = cost * rate
        amount = round_fen(min(share, cap))
        if share > cap:
            how = f"按{percent(rate)}计为{yuan(share)}元，超过最高额，给予一次性救助{yuan(amount)}元"
        else:
            how = f"按{percent(rate)}给予一次性救助{yuan(amount)}元"
        return finding("eligible", amount, f"{lead}，自付医药费用{yuan(cost)}元达到{yuan(threshold)}元，{how}。")

    if kind == "fire":
        if application.amount_yuan is None:
            return finding("missing-data", None, f"“{kind_name}”救助申请缺少财产损失金额，无法核定救助额。")
        loss = _money(application.amount_yuan)
        threshold = rules.number("fire_threshold_yuan")
        citations.append(rules.cite("fire_threshold_yuan"))
        if loss < threshold:
            return finding("ineligible", None,
                           f"“{kind_name}”救助申请不予救助：财产损失{yuan(loss)}元，未达到{yuan(threshold)}元的救助标准。")
        amount = rules.number("fire_yuan")
        citations.append(rules.cite("fire_yuan"))
        return finding("eligible", amount,
                       f"{lead}，火灾财产损失{yuan(loss)}元达到{yuan(threshold)}元，给予一次性救助{yuan(amount)}元。")

    if kind == "disability":
        amount = rules.number("disability_yuan")
        citations.append(rules.cite("disability_yuan"))
        return finding("eligible", amount, f"{lead}，因非工伤意外造成身体重度伤残，给予一次性救助{yuan(amount)}元。")

    if kind == "accidental_death":
        amount = rules.number("accidental_death_yuan")
        citations.append(rules.cite("accidental_death_yuan"))
        return finding("eligible", amount, f"{lead}，因非工伤意外死亡，给予慰问金{yuan(amount)}元。")

    # family_illness: rules.md names what makes it undecidable — no relation, or no amount — and one
    # exception: a relation given and not covered is ineligible whatever the amount
    relations = rules.strings("family_illness_relations")
    citations.append(rules.cite("family_illness_relations"))
    if application.relation is not None and application.relation not in relations:
        covered = "、".join(RELATION_NAMES.get(r, r) for r in relations)
        return finding("ineligible", None,
                       f"“{kind_name}”救助申请不予救助：患病者为{RELATION_NAMES.get(application.relation, application.relation)}，救助只覆盖{covered}。")
    if application.relation is None or application.amount_yuan is None:
        missing = [what for what, absent in (("患病家庭成员与劳模的关系", application.relation is None),
                                             ("年度自付费用金额", application.amount_yuan is None)) if absent]
        return finding("missing-data", None,
                       f"“{kind_name}”救助申请缺少{'和'.join(missing)}，无法判断是否符合救助条件。")
    paid = _money(application.amount_yuan)
    threshold = rules.number("family_illness_threshold_yuan")
    citations.append(rules.cite("family_illness_threshold_yuan"))
    if paid < threshold:
        return finding("ineligible", None,
                       f"“{kind_name}”救助申请不予救助：年度自付费用{yuan(paid)}元，未达到{yuan(threshold)}元的救助标准。")
    name = "family_illness_national_yuan" if treatment == "national" else "family_illness_provincial_yuan"
    amount = rules.number(name)
    citations.append(rules.cite(name))
    relation = RELATION_NAMES[application.relation]
    return finding("eligible", amount,
                   f"{lead}，{relation}患重大疾病年度自付费用{yuan(paid)}元达到{yuan(threshold)}元，给予一次性救助{yuan(amount)}元。")


def aid_decisions(worker: WorkerView, rules: PackOn, as_of: dt.date) -> list[Finding]:
    """E-AID: one finding per application dated in the as-of year, up to the as-of date."""
    if worker.private is None:
        return []
    return [aid_decision(worker, application, rules)
            for application in worker.private.aid_applications if application.date.year == as_of.year]


# ---------------------------------------------------------------- E-DEATH

def death_report_status(worker: WorkerView, rules: PackOn, as_of: dt.date) -> list[Finding]:
    """E-DEATH (陕工发〔2020〕11号 第十二条): a death reported to the provincial union within 2 days."""
    facts = worker.private
    died = worker.died
    if facts is None or died is None:
        return []
    covered = [h for h in worker.honours if h.held_on(died)
               and (h.treatment == "national" or (h.level == "provincial" and h.treatment == "provincial"))]
    if not covered:
        return []
    reported = facts.death_reported
    if died.year != as_of.year and reported is not None:
        return []  # earlier deaths count only while never reported
    days = rules.integer("death_report_days")
    due = add_days(died, days)
    titles = "、".join(f"“{h.title}”" for h in covered)
    article = join_citations([rules.cite("death_report_days")])
    lead = f"{titles}获得者于{died.isoformat()}去世，应于{days}日内即{due.isoformat()}前上报省总工会"
    if reported is not None:
        if reported <= due:
            return []
        return [Finding("E-DEATH", worker.id, "late", None, died, due, article,
                        f"{lead}，实际于{reported.isoformat()}上报，已逾期。")]
    if as_of > due:
        return [Finding("E-DEATH", worker.id, "overdue", None, died, due, article, f"{lead}，至今未上报，已逾期。")]
    return [Finding("E-DEATH", worker.id, "pending", None, died, due, article, f"{lead}，尚未上报。")]


# ---------------------------------------------------------------- E-FEEDBACK

def feedback_status(unit: UnitView, rules: PackOn, as_of: dt.date) -> list[Finding]:
    """E-FEEDBACK (陕工发〔2020〕11号 第五条): the yearly change report (零反馈) by 31 October."""
    if unit.kind not in rules.strings("feedback_unit_kinds"):
        return []
    month, day = (int(part) for part in rules.text("feedback_deadline").split("-"))
    due = dt.date(as_of.year, month, day)
    submitted_dates = [f.submitted for f in unit.feedback
                       if f.year == as_of.year and f.submitted is not None and f.submitted <= as_of]
    submitted = min(submitted_dates) if submitted_dates else None
    article = join_citations([rules.cite("feedback_deadline")])
    lead = f"{as_of.year}年劳模变动情况书面报告（零反馈）应于{due.isoformat()}前报送省总工会"
    if submitted is not None:
        if submitted <= due:
            return []
        return [Finding("E-FEEDBACK", unit.id, "late", None, submitted, due, article,
                        f"{lead}，实际于{submitted.isoformat()}报送，已逾期。")]
    if as_of > due:
        return [Finding("E-FEEDBACK", unit.id, "missing", None, None, due, article, f"{lead}，至今未报送。")]
    return [Finding("E-FEEDBACK", unit.id, "pending", None, None, due, article, f"{lead}，尚未报送。")]


# ---------------------------------------------------------------- E-CONTACT

def contact_completeness(worker: WorkerView, rules: PackOn, as_of: dt.date) -> list[Finding]:
    """E-CONTACT (陕工发〔2020〕11号 第三条、第四条): every 劳模 in the database, reachable."""
    if not worker.living_on(as_of):
        return []
    treatment = treatment_on(worker, as_of)
    if treatment not in BENEFIT_TREATMENTS:
        return []
    lead = f"享受{TREATMENT_NAMES[treatment]}"
    facts = worker.private
    if facts is None:
        return [Finding("E-CONTACT", worker.id, "missing-record", None, None, None,
                        join_citations([rules.article("contact_database")]),
                        f"{lead}，但劳模信息库中没有其私密档案，应补录，做到无遗漏。")]
    article = join_citations([rules.article("contact_update")])
    if not facts.phone and facts.relative_contact is None:
        return [Finding("E-CONTACT", worker.id, "missing-contact", None, None, None, article,
                        f"{lead}，但既没有本人联系电话也没有亲属联系方式，应及时补充。")]
    if facts.needs_relative_contact and facts.relative_contact is None:
        return [Finding("E-CONTACT", worker.id, "missing-relative", None, None, None, article,
                        f"{lead}，属于须记录直系亲属联系方式的情形，但尚未记录，应及时补充。")]
    return []
