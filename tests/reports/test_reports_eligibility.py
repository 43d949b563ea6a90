"""E-* rules at every edge rules.md names."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.reports.report_builders import findings, honour, id_number, one, private_worker, status, trees, unit, worker

NATIONAL = [honour("陕西省劳动模范", 2005), honour("全国劳动模范", 2015)]
PROVINCIAL = [honour("陕西省劳动模范", 2010)]
NONE = [honour("首都劳动奖章", 2012)]


def _one_worker(honours=PROVINCIAL, gender="男", died=None, **private):
    return trees([(worker(honours=honours, gender=gender, died=died), private_worker(**private))])


# ---------------------------------------------------------------- E-SUBSIDY

@pytest.mark.parametrize("income, expected", [(2499.99, "eligible"), (2500, None), (2500.01, None), (0, "eligible")])
def test_subsidy_income_line_is_exclusive(income, expected):
    assert status("E-SUBSIDY", *_one_worker(monthly_income_yuan=income), "2026-11-20") == expected


def test_subsidy_finding_fields():
    found = one("E-SUBSIDY", *_one_worker(monthly_income_yuan=2499.99), "2026-11-20")
    assert found.amount_yuan == Decimal(200)
    assert (found.date, found.due) == (None, None)
    assert found.article == "皖政办秘〔2017〕279号 三"
    assert "2499.99元低于2500元" in found.detail and found.detail.endswith("。")


def test_subsidy_needs_exactly_provincial_treatment():
    assert status("E-SUBSIDY", *_one_worker(honours=NATIONAL, monthly_income_yuan=100), "2026-11-20") is None
    assert status("E-SUBSIDY", *_one_worker(honours=NONE, monthly_income_yuan=100), "2026-11-20") is None
    wuyi = [honour("全国五一劳动奖章", 2016)]
    assert status("E-SUBSIDY", *_one_worker(honours=wuyi, monthly_income_yuan=100), "2026-11-20") == "eligible"


def test_subsidy_not_for_the_dead():
    public, private = _one_worker(died="2026-05-01", monthly_income_yuan=100)
    assert status("E-SUBSIDY", public, private, "2026-11-20") is None
    assert status("E-SUBSIDY", public, private, "2026-04-30") == "eligible"  # the day before the death


# "Living" on a date = no `died` on or before it (rules.md): died on the as-of date is deceased for every rule
# that asks for the living; E-DEATH covers them.
LIVING_RULES = {
    "E-SUBSIDY": {"monthly_income_yuan": 100},
    "E-HEALTH": {},
    "E-SANATORIUM": {"employment": "在职"},
    "E-CONTACT": {},
}


@pytest.mark.parametrize("rule", sorted(LIVING_RULES))
def test_living_rules_skip_a_death_on_the_as_of_date(rule):
    public, private = _one_worker(died="2026-11-20", **LIVING_RULES[rule])
    assert status(rule, public, private, "2026-11-20") is None
    assert status(rule, public, private, "2026-11-21") is None
    assert status(rule, public, private, "2026-11-19") is not None  # the day before: still living
    assert status("E-DEATH", *_one_worker(honours=NATIONAL, died="2026-11-20"), "2026-11-20") == "pending"


def test_living_rules_apply_before_a_death_dated_after_the_as_of_date():
    public, private = _one_worker(died="2026-11-21", monthly_income_yuan=100)
    for rule in ("E-SUBSIDY", "E-HEALTH", "E-CONTACT"):
        assert status(rule, public, private, "2026-11-20") is not None, rule


@pytest.mark.parametrize("gender, birth, as_of, expected", [
    ("男", "1966-11-20", "2026-11-19", None),  # the day before the 60th birthday
    ("男", "1966-11-20", "2026-11-20", "eligible"),  # 年满: the birthday itself counts
    ("女", "1971-11-20", "2026-11-19", None),
    ("女", "1971-11-20", "2026-11-20", "eligible"),
    ("女", "1971-02-28", "2026-02-27", None),
    ("女", "1971-02-28", "2026-02-28", "eligible"),
])
def test_subsidy_farmer_age_on_the_birthday(gender, birth, as_of, expected):
    public, private = _one_worker(gender=gender, farmer=True, fixed_income=False, birth_date=birth,
                                  monthly_income_yuan=3000)
    assert status("E-SUBSIDY", public, private, as_of) == expected


def test_subsidy_farmer_born_29_february():
    # 29 February + 55 years falls in 2023 (no 29 Feb) and is 28 February there.
    public, private = _one_worker(gender="女", farmer=True, fixed_income=False, birth_date="1968-02-29",
                                  monthly_income_yuan=3000)
    assert status("E-SUBSIDY", public, private, "2023-02-27") is None
    assert status("E-SUBSIDY", public, private, "2023-02-28") == "eligible"


def test_subsidy_farmer_age_from_id_number():
    public, private = _one_worker(farmer=True, lost_labour_capacity=True, id_number=id_number("1966-11-20"),
                                  monthly_income_yuan=3000)
    assert status("E-SUBSIDY", public, private, "2026-11-19") is None
    found = one("E-SUBSIDY", public, private, "2026-11-20")
    assert found.status == "eligible" and "丧失劳动能力" in found.detail


def test_subsidy_farmer_with_fixed_income_and_capacity_fails_whatever_the_age():
    public, private = _one_worker(farmer=True, birth_date="1940-01-01", monthly_income_yuan=3000)
    assert status("E-SUBSIDY", public, private, "2026-11-20") is None
    public, private = _one_worker(farmer=True, monthly_income_yuan=3000)  # unknown age: still decided
    assert status("E-SUBSIDY", public, private, "2026-11-20") is None


def test_subsidy_missing_data():
    assert status("E-SUBSIDY", *_one_worker(), "2026-11-20") == "missing-data"  # no income at all
    public, private = _one_worker(farmer=True, fixed_income=False, monthly_income_yuan=3000)  # age unknown
    found = one("E-SUBSIDY", public, private, "2026-11-20")
    assert found.status == "missing-data" and found.amount_yuan is None and "年龄未知" in found.detail
    # one branch holds: eligible even though the other cannot be decided
    public, private = _one_worker(farmer=True, fixed_income=False, monthly_income_yuan=2000)
    assert status("E-SUBSIDY", public, private, "2026-11-20") == "eligible"


def test_subsidy_both_branches_one_finding():
    public, private = _one_worker(farmer=True, fixed_income=False, birth_date="1950-01-01", monthly_income_yuan=800)
    found = findings("E-SUBSIDY", public, private, "2026-11-20")
    assert len(found) == 1 and found[0].amount_yuan == 200
    assert "低于2500元" in found[0].detail and "年满60周岁" in found[0].detail


def test_subsidy_skips_people_without_private_record():
    public, private = trees([(worker(honours=PROVINCIAL), None)])
    assert status("E-SUBSIDY", public, private, "2026-11-20") is None


# ---------------------------------------------------------------- E-HEALTH

def test_health_national_due_with_standard_amount():
    found = one("E-HEALTH", *_one_worker(honours=NATIONAL, health_checks=["2025-06-01"]), "2026-11-20")
    assert found.status == "due" and found.amount_yuan == Decimal(1000)
    assert found.article == "陕工发〔2020〕11号 第十一条；皖政办秘〔2017〕279号 四"


def test_health_provincial_due_without_amount():
    found = one("E-HEALTH", *_one_worker(), "2026-11-20")
    assert found.status == "due" and found.amount_yuan is None


def test_health_check_in_the_year_settles_it():
    assert status("E-HEALTH", *_one_worker(health_checks=["2026-01-01"]), "2026-11-20") is None
    # a check dated after the as-of date is not taken into account
    assert status("E-HEALTH", *_one_worker(health_checks=["2026-12-01"]), "2026-11-20") == "due"


def test_health_not_for_people_without_treatment_or_dead():
    assert status("E-HEALTH", *_one_worker(honours=NONE), "2026-11-20") is None
    assert status("E-HEALTH", *_one_worker(died="2026-02-01"), "2026-11-20") is None


# ---------------------------------------------------------------- E-SANATORIUM

def test_sanatorium_29_february_plus_two_years():
    public, private = _one_worker(employment="在职", sanatorium=["2022-05-01", "2024-02-29"])
    assert status("E-SANATORIUM", public, private, "2026-02-28") is None
    found = one("E-SANATORIUM", public, private, "2026-03-01")
    assert found.status == "overdue"
    assert (found.date.isoformat(), found.due.isoformat()) == ("2024-02-29", "2026-02-28")
    assert found.article == "北京市总工会《关于进一步加强劳模队伍建设的实施方案》（2015） 二(三)3"


def test_sanatorium_never():
    found = one("E-SANATORIUM", *_one_worker(employment="在职"), "2026-11-20")
    assert found.status == "overdue" and found.date is None and found.due is None


def test_sanatorium_only_in_service():
    assert status("E-SANATORIUM", *_one_worker(employment="退休"), "2026-11-20") is None
    assert status("E-SANATORIUM", *_one_worker(), "2026-11-20") is None  # absent employment: skipped
    assert status("E-SANATORIUM", *_one_worker(honours=NONE, employment="在职"), "2026-11-20") is None


# ---------------------------------------------------------------- E-AID

def _aid(application, honours=PROVINCIAL, died=None, as_of="2026-11-20"):
    return one("E-AID", *_one_worker(honours=honours, died=died, aid_applications=[application]), as_of)


@pytest.mark.parametrize("cost, expected", [
    (9999.99, None), (10000, "2500"), (10001, "2500.25"), (10000.02, "2500.01"),  # 2500.005 → half up
    (99999.99, "25000"), (100000, "25000"), (100001, "25000"),
])
def test_aid_medical_threshold_rate_and_cap(cost, expected):
    found = _aid({"date": "2026-03-01", "kind": "medical", "amount_yuan": cost})
    if expected is None:
        assert found.status == "ineligible" and found.amount_yuan is None
        assert "未达到10000元" in found.detail
    else:
        assert found.status == "eligible" and found.amount_yuan == Decimal(expected)
    assert found.date.isoformat() == "2026-03-01" and found.due is None


@pytest.mark.parametrize("loss, expected", [(9999.99, None), (10000, 2000), (10001, 2000)])
def test_aid_fire(loss, expected):
    found = _aid({"date": "2026-03-01", "kind": "fire", "amount_yuan": loss})
    assert found.amount_yuan == (Decimal(expected) if expected else None)
    assert found.status == ("eligible" if expected else "ineligible")


def test_aid_disability_and_accidental_death():
    assert _aid({"date": "2026-03-01", "kind": "disability"}).amount_yuan == 2000
    # the death benefit is decided on the date of death, even though the application comes later
    found = _aid({"date": "2026-04-10", "kind": "accidental_death"}, died="2026-04-01")
    assert found.status == "eligible" and found.amount_yuan == 3000


def test_aid_after_death_for_other_kinds_is_ineligible():
    found = _aid({"date": "2026-04-10", "kind": "disability"}, died="2026-04-01")
    assert found.status == "ineligible" and "去世" in found.detail


@pytest.mark.parametrize("relation, cost, honours, expected", [
    ("spouse_without_income", 15000, NATIONAL, 5000),
    ("minor_child", 15000, PROVINCIAL, 3000),
    ("minor_child", 14999.99, PROVINCIAL, None),
    ("other", 50000, NATIONAL, None),
])
def test_aid_family_illness(relation, cost, honours, expected):
    found = _aid({"date": "2026-03-01", "kind": "family_illness", "amount_yuan": cost, "relation": relation},
                 honours=honours)
    assert found.amount_yuan == (Decimal(expected) if expected else None)
    if relation == "other":
        assert found.status == "ineligible" and "只覆盖无收入配偶、未成年子女" in found.detail


def test_aid_needs_treatment_on_the_application_date():
    found = _aid({"date": "2026-03-01", "kind": "disability"}, honours=NONE)
    assert found.status == "ineligible" and "不享受" in found.detail
    revoked = [honour("陕西省劳动模范", 2010, revoked="2026-02-01")]
    found = _aid({"date": "2026-03-01", "kind": "disability"}, honours=revoked)
    assert found.status == "ineligible" and "撤销" in found.detail
    # revoked after the application: it had treatment on the day it applied
    later = [honour("陕西省劳动模范", 2010, revoked="2026-05-01")]
    assert _aid({"date": "2026-03-01", "kind": "disability"}, honours=later).status == "eligible"


def test_aid_only_this_year_up_to_the_as_of_date():
    applications = [{"date": "2025-12-31", "kind": "disability"}, {"date": "2026-01-01", "kind": "disability"},
                    {"date": "2026-11-21", "kind": "disability"}]
    found = findings("E-AID", *_one_worker(aid_applications=applications), "2026-11-20")
    assert [f.date.isoformat() for f in found] == ["2026-01-01"]


def test_aid_missing_amount_is_missing_data():
    found = _aid({"date": "2026-03-01", "kind": "medical"})
    assert found.status == "missing-data" and found.amount_yuan is None


@pytest.mark.parametrize("application, expected", [
    # rules.md: missing-data when the treatment is there but the application cannot be decided
    ({"kind": "medical"}, "missing-data"),
    ({"kind": "fire"}, "missing-data"),
    ({"kind": "family_illness", "relation": "minor_child"}, "missing-data"),  # no amount
    ({"kind": "family_illness", "amount_yuan": 20000}, "missing-data"),  # no relation
    ({"kind": "family_illness"}, "missing-data"),
    # a relation that is given and not covered is ineligible whatever the amount
    ({"kind": "family_illness", "relation": "other"}, "ineligible"),
    ({"kind": "family_illness", "relation": "other", "amount_yuan": 20000}, "ineligible"),
    # amounts are not needed for these
    ({"kind": "disability"}, "eligible"),
])
def test_aid_missing_data_as_rules_md_reads(application, expected):
    assert _aid({"date": "2026-03-01", **application}).status == expected


def test_aid_without_treatment_is_ineligible_even_with_data_missing():
    found = _aid({"date": "2026-03-01", "kind": "medical"}, honours=NONE)
    assert found.status == "ineligible" and found.amount_yuan is None


# rules.md E-AID, clarified 2026-12-03, sentence by sentence at its edges.

def test_aid_one_finding_per_application_up_to_and_including_the_as_of_date():
    applications = [{"date": "2026-11-20", "kind": "disability"}, {"date": "2026-03-01", "kind": "disability"},
                    {"date": "2026-03-01", "kind": "medical", "amount_yuan": 100}]
    found = findings("E-AID", *_one_worker(aid_applications=applications), "2026-11-20")
    assert [(f.date.isoformat(), f.status) for f in found] == [
        ("2026-03-01", "eligible"), ("2026-03-01", "ineligible"), ("2026-11-20", "eligible")]


def test_aid_every_application_is_listed_even_without_treatment():
    applications = [{"date": "2026-03-01", "kind": kind} for kind in ("disability", "accidental_death")]
    found = findings("E-AID", *_one_worker(honours=NONE, aid_applications=applications), "2026-11-20")
    assert [f.status for f in found] == ["ineligible", "ineligible"]
    assert all(f.amount_yuan is None and "不享受" in f.detail for f in found)


@pytest.mark.parametrize("revoked, expected", [
    ("2026-02-28", "ineligible"),  # revoked the day before the application
    ("2026-03-01", "ineligible"),  # revoked on the application date: "not revoked on or before that date"
    ("2026-03-02", "eligible"),
])
def test_aid_treatment_revoked_on_the_application_date(revoked, expected):
    found = _aid({"date": "2026-03-01", "kind": "disability"}, honours=[honour("陕西省劳动模范", 2010, revoked=revoked)])
    assert found.status == expected
    if expected == "ineligible":
        assert found.amount_yuan is None and f"已于{revoked}撤销" in found.detail


def test_aid_treatment_ends_at_an_approved_private_revocation():
    public, private = trees([(worker(honours=PROVINCIAL), private_worker(
        aid_applications=[{"date": "2026-03-01", "kind": "disability"}],
        revocation=[{"honour": "陕西省劳动模范", "filed": "2026-01-10", "approved": "2026-02-01"}]))])
    found = one("E-AID", public, private, "2026-11-20")
    assert found.status == "ineligible" and "撤销" in found.detail


def test_aid_honour_conferred_in_the_application_year_counts():
    assert _aid({"date": "2026-01-05", "kind": "disability"}, honours=[honour("陕西省劳动模范", 2026)]).status \
        == "eligible"


@pytest.mark.parametrize("application_date, expected", [("2026-04-01", "eligible"), ("2026-04-02", "ineligible")])
def test_aid_other_kinds_on_the_date_of_death(application_date, expected):
    """Treatment ends the day after death: an application dated on the day of death still has it."""
    assert _aid({"date": application_date, "kind": "disability"}, died="2026-04-01").status == expected


@pytest.mark.parametrize("revoked, expected", [
    ("2026-04-05", "eligible"),  # revoked after the death, before the application: decided on the date of death
    ("2026-04-01", "ineligible"),  # revoked on the date of death
    ("2026-03-31", "ineligible"),
])
def test_aid_accidental_death_decided_on_the_date_of_death(revoked, expected):
    found = _aid({"date": "2026-04-10", "kind": "accidental_death"}, died="2026-04-01",
                 honours=[honour("陕西省劳动模范", 2010, revoked=revoked)])
    assert found.status == expected
    assert found.date.isoformat() == "2026-04-10"  # `date` is the application's, not the death's
    assert "去世时" in found.detail


def test_aid_accidental_death_in_the_previous_year_applied_for_this_year():
    found = _aid({"date": "2026-01-05", "kind": "accidental_death"}, died="2025-12-28")
    assert found.status == "eligible" and found.amount_yuan == 3000 and found.date.isoformat() == "2026-01-05"


def test_aid_accidental_death_without_a_recorded_death_uses_the_application_date():
    """No `died` in the public record (rules.md lists no missing-data case for it): the application date decides."""
    found = _aid({"date": "2026-04-10", "kind": "accidental_death"})
    assert found.status == "eligible" and found.detail.startswith("申请日")
    revoked = [honour("陕西省劳动模范", 2010, revoked="2026-04-10")]
    assert _aid({"date": "2026-04-10", "kind": "accidental_death"}, honours=revoked).status == "ineligible"


@pytest.mark.parametrize("relation, honours, expected", [
    ("spouse_without_income", PROVINCIAL, 3000),
    ("minor_child", NATIONAL, 5000),
    ("spouse_without_income", [honour("全国五一劳动奖章", 2016)], 3000),  # 全国五一劳动奖章: provincial treatment
])
def test_aid_family_illness_amount_follows_the_treatment(relation, honours, expected):
    found = _aid({"date": "2026-03-01", "kind": "family_illness", "amount_yuan": 15000, "relation": relation},
                 honours=honours)
    assert found.status == "eligible" and found.amount_yuan == expected


@pytest.mark.parametrize("application", [
    {"kind": "medical"}, {"kind": "fire"}, {"kind": "family_illness"},
    {"kind": "family_illness", "relation": "minor_child"}, {"kind": "family_illness", "amount_yuan": 20000},
])
@pytest.mark.parametrize("honours, reason", [
    (NONE, "不享受"), ([honour("陕西省劳动模范", 2010, revoked="2026-02-01")], "撤销"),
])
def test_aid_no_treatment_is_ineligible_whatever_is_missing(application, honours, reason):
    """missing-data only "when the treatment is there": without it the application is decided."""
    found = _aid({"date": "2026-03-01", **application}, honours=honours)
    assert found.status == "ineligible" and found.amount_yuan is None and reason in found.detail


@pytest.mark.parametrize("application, expected, words", [
    # a relation given and not covered: ineligible whatever the amount (also with none)
    ({"relation": "other"}, "ineligible", "只覆盖"),
    ({"relation": "other", "amount_yuan": 15000}, "ineligible", "只覆盖"),
    # undecidable as rules.md lists it (no relation, or no amount): missing-data, naming what is missing —
    # also when the amount alone is below the threshold: only a relation given and not covered is the exception
    ({"amount_yuan": 14999.99}, "missing-data", "关系"),
    ({"relation": "minor_child", "amount_yuan": 14999.99}, "ineligible", "未达到15000元"),
    ({"amount_yuan": 15000}, "missing-data", "关系"),
    ({"relation": "spouse_without_income"}, "missing-data", "金额"),
    ({}, "missing-data", "关系"),
])
def test_aid_family_illness_missing_data_only_when_undecidable(application, expected, words):
    found = _aid({"date": "2026-03-01", "kind": "family_illness", **application})
    assert found.status == expected and found.amount_yuan is None and words in found.detail


@pytest.mark.parametrize("kind", ["disability", "accidental_death"])
def test_aid_amount_not_needed_for_disability_and_death(kind):
    found = _aid({"date": "2026-03-01", "kind": kind})
    assert found.status == "eligible"


# ---------------------------------------------------------------- E-DEATH

def _death(reported=None, honours=NATIONAL, died="2026-03-10"):
    extra = {"death_reported": reported} if reported else {}
    return _one_worker(honours=honours, died=died, **extra)


def test_death_reported_on_the_second_day_is_on_time():
    assert status("E-DEATH", *_death("2026-03-12"), "2026-11-20") is None


def test_death_reported_on_the_third_day_is_late():
    found = one("E-DEATH", *_death("2026-03-13"), "2026-11-20")
    assert found.status == "late"
    assert (found.date.isoformat(), found.due.isoformat()) == ("2026-03-10", "2026-03-12")
    assert found.article == "陕工发〔2020〕11号 第十二条"


def test_death_not_reported_pending_then_overdue():
    assert status("E-DEATH", *_death(), "2026-03-12") == "pending"
    assert status("E-DEATH", *_death(), "2026-03-13") == "overdue"
    # reported after the as-of date: not yet known
    assert status("E-DEATH", *_death("2026-03-14"), "2026-03-13") == "overdue"


def test_death_earlier_years_only_when_never_reported():
    assert status("E-DEATH", *_death(died="2024-06-01"), "2026-11-20") == "overdue"
    assert status("E-DEATH", *_death("2024-06-20", died="2024-06-01"), "2026-11-20") is None


@pytest.mark.parametrize("title, covered", [
    ("全国劳动模范", True), ("享受全国劳模待遇", True), ("陕西省劳动模范", True), ("北京市劳动模范", True),
    ("全国五一劳动奖章", False), ("部级劳动模范", False), ("首都劳动奖章", False), ("全国优秀工会工作者", False),
])
def test_death_covers_national_and_province_conferred_titles(title, covered):
    result = status("E-DEATH", *_death(honours=[honour(title, 2000)]), "2026-11-20")
    assert result == ("overdue" if covered else None)


def test_death_title_revoked_before_death_not_covered():
    assert status("E-DEATH", *_death(honours=[honour("全国劳动模范", 2000, revoked="2026-01-05")]),
                  "2026-11-20") is None


def test_death_after_the_as_of_date_is_not_known():
    assert status("E-DEATH", *_death(died="2026-12-01"), "2026-11-20") is None


# ---------------------------------------------------------------- E-FEEDBACK

def _units(*units):
    return trees(units=list(units))


@pytest.mark.parametrize("submitted, expected", [("2026-10-31", None), ("2026-11-01", "late")])
def test_feedback_31_october_vs_1_november(submitted, expected):
    public, private = _units(unit("xa-city", "city", [{"year": 2026, "submitted": submitted}]))
    assert status("E-FEEDBACK", public, private, "2026-11-20") == expected


def test_feedback_not_submitted():
    public, private = _units(unit("xa-city", "city", [{"year": 2025, "submitted": "2025-10-20"}]))
    assert status("E-FEEDBACK", public, private, "2026-10-31") == "pending"
    found = one("E-FEEDBACK", public, private, "2026-11-01")
    assert found.status == "missing" and found.date is None and found.due.isoformat() == "2026-10-31"


def test_feedback_late_finding_fields():
    public, private = _units(unit("ind", "industry", [{"year": 2026, "submitted": "2026-11-05"}]))
    found = one("E-FEEDBACK", public, private, "2026-11-20")
    assert (found.subject, found.date.isoformat(), found.due.isoformat()) == ("ind", "2026-11-05", "2026-10-31")
    assert found.article == "陕工发〔2020〕11号 第五条"


def test_feedback_only_city_and_industry_units():
    public, private = _units(unit("d", "district"), unit("g", "grassroots"))
    assert findings("E-FEEDBACK", public, private, "2026-11-20") == []


# ---------------------------------------------------------------- E-CONTACT

def test_contact_missing_record_only_there():
    public, private = trees([(worker(honours=NATIONAL), None)])
    found = [f for rule in ("E-SUBSIDY", "E-HEALTH", "E-SANATORIUM", "E-AID", "E-DEATH", "E-CONTACT",
                            "R-WORKER", "R-UNIONIST") for f in findings(rule, public, private, "2026-11-20")]
    assert [(f.rule, f.status, f.article) for f in found] == [("E-CONTACT", "missing-record", "陕工发〔2020〕11号 第三条")]


@pytest.mark.parametrize("fields, expected", [
    ({}, "missing-contact"),
    ({"phone": "13800000000"}, None),
    ({"relative_contact": {"name": "测试", "relation": "女儿", "phone": "13900000000"}}, None),
    ({"phone": "13800000000", "needs_relative_contact": True}, "missing-relative"),
    ({"needs_relative_contact": True}, "missing-contact"),  # the first that applies
    ({"phone": "13800000000", "needs_relative_contact": True,
      "relative_contact": {"name": "测试", "relation": "女儿", "phone": "13900000000"}}, None),
])
def test_contact_first_that_applies(fields, expected):
    assert status("E-CONTACT", *_one_worker(**fields), "2026-11-20") == expected


def test_contact_only_living_people_with_treatment():
    assert status("E-CONTACT", *_one_worker(honours=NONE), "2026-11-20") is None
    assert status("E-CONTACT", *_one_worker(died="2026-01-01"), "2026-11-20") is None
    public, private = trees([(worker(honours=NONE), None)])
    assert status("E-CONTACT", public, private, "2026-11-20") is None
