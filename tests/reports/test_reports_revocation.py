"""R-* rules: revocation of 劳模 honours, of homes' titles and of 优秀工会工作者."""

from __future__ import annotations

import pytest

from tests.reports.report_builders import (
    findings,
    home,
    honour,
    one,
    private_home,
    private_worker,
    status,
    trees,
    worker,
)

NATIONAL = [honour("全国劳动模范", 2015)]


def _disciplined(kind="criminal", day="2026-03-01", honours=NATIONAL, revocation=(), more=()):
    return trees([(worker(honours=honours),
                   private_worker(discipline=[{"date": day, "kind": kind}, *more], revocation=list(revocation)))])


# ---------------------------------------------------------------- R-WORKER

def test_worker_due_then_overdue_after_15_days():
    found = one("R-WORKER", *_disciplined(), "2026-03-16")
    assert found.status == "due"
    assert (found.date.isoformat(), found.due.isoformat()) == ("2026-03-01", "2026-03-16")
    assert found.article == "陕工发〔2020〕11号 第三十条(一)2、第三十条(二)、第三十条(三)1"
    assert "省委、省政府提请党中央、国务院撤销" in found.detail
    assert status("R-WORKER", *_disciplined(), "2026-03-17") == "overdue"


@pytest.mark.parametrize("filed, expected", [("2026-03-16", "filed"), ("2026-03-17", "filed-late")])
def test_worker_filing_on_day_15_vs_16(filed, expected):
    public, private = _disciplined(revocation=[{"honour": "全国劳动模范", "filed": filed}])
    assert status("R-WORKER", public, private, "2026-11-20") == expected


def test_worker_filing_before_the_decision_does_not_answer_it():
    public, private = _disciplined(revocation=[{"honour": "全国劳动模范", "filed": "2026-02-01"}])
    assert status("R-WORKER", public, private, "2026-11-20") == "overdue"


def test_worker_approved():
    public, private = _disciplined(revocation=[{"honour": "全国劳动模范", "filed": "2026-03-10",
                                                "approved": "2026-06-01"}])
    assert status("R-WORKER", public, private, "2026-11-20") == "approved"
    assert status("R-WORKER", public, private, "2026-05-31") == "filed"  # approval not yet known
    # the public record's revoked date on or after the decision also settles it
    public, private = _disciplined(honours=[honour("全国劳动模范", 2015, revoked="2026-03-01")])
    assert status("R-WORKER", public, private, "2026-11-20") == "approved"


def test_worker_honour_revoked_before_the_decision_is_left_out():
    public, private = _disciplined(honours=[honour("全国劳动模范", 2015, revoked="2026-02-28")])
    assert findings("R-WORKER", public, private, "2026-11-20") == []


def test_worker_decision_concerns_only_honours_conferred_in_or_before_its_year():
    same_year = [honour("全国劳动模范", 2026)]
    assert status("R-WORKER", *_disciplined(honours=same_year), "2026-11-20") == "overdue"
    next_year = [honour("全国劳动模范", 2027)]
    assert findings("R-WORKER", *_disciplined(day="2026-03-01", honours=next_year), "2027-03-01") == []
    # of two honours, only the one conferred by the decision's year is asked about
    both = [honour("全国劳动模范", 2015), honour("陕西省劳动模范", 2027)]
    found = findings("R-WORKER", *_disciplined(honours=both), "2027-01-10")
    assert [f.detail.count("全国劳动模范") for f in found] == [1] and "陕西省劳动模范" not in found[0].detail


def test_worker_ground_7_is_review_until_filed():
    found = one("R-WORKER", *_disciplined(kind="other"), "2026-11-20")
    assert found.status == "review" and found.article.startswith("陕工发〔2020〕11号 第三十条(一)7")
    public, private = _disciplined(kind="other", revocation=[{"honour": "全国劳动模范", "filed": "2026-03-05"}])
    assert status("R-WORKER", public, private, "2026-11-20") == "filed"


@pytest.mark.parametrize("kind, clause", [
    ("fraud", "1"), ("criminal", "2"), ("dismissal", "3"), ("party_expulsion", "4"), ("party_probation", "4"),
    ("misconduct", "5"), ("illegal_exit", "6"), ("other", "7"),
])
def test_worker_grounds(kind, clause):
    assert one("R-WORKER", *_disciplined(kind=kind), "2026-11-20").article.startswith(
        f"陕工发〔2020〕11号 第三十条(一){clause}、")


@pytest.mark.parametrize("kind", ["party_warning", "party_serious_warning", "party_removal", "demerit",
                                  "major_demerit", "demotion", "removal", "serious_negligence"])
def test_worker_other_kinds_are_not_grounds(kind):
    assert findings("R-WORKER", *_disciplined(kind=kind), "2026-11-20") == []


def test_worker_two_honours_on_two_routes_two_findings():
    honours = [honour("陕西省劳动模范", 2008), honour("全国五一劳动奖章", 2012), honour("首都劳动奖章", 2010)]
    found = findings("R-WORKER", *_disciplined(honours=honours), "2026-11-20")
    assert len(found) == 2  # 首都劳动奖章 carries no treatment: not in this report
    routes = sorted(f.article.rsplit("、", 1)[1] for f in found)
    assert routes == ["第三十条(三)2", "第三十条(三)3"]
    assert any("全国总工会审批" in f.detail for f in found)
    assert any("省劳动竞赛委员会审批" in f.detail for f in found)


def test_worker_ministry_route():
    found = one("R-WORKER", *_disciplined(honours=[honour("部级劳动模范", 2011)]), "2026-11-20")
    assert found.article.endswith("第三十条(三)4") and "国家人社部" in found.detail


def test_worker_earlier_decisions_until_approved():
    assert status("R-WORKER", *_disciplined(day="2025-06-01"), "2026-11-20") == "overdue"
    public, private = _disciplined(day="2025-06-01", revocation=[{"honour": "全国劳动模范", "filed": "2025-06-05",
                                                                   "approved": "2025-09-01"}])
    assert findings("R-WORKER", public, private, "2026-11-20") == []
    public, private = _disciplined(day="2026-06-01", revocation=[{"honour": "全国劳动模范", "filed": "2026-06-05",
                                                                   "approved": "2026-09-01"}])
    assert status("R-WORKER", public, private, "2026-11-20") == "approved"  # this year's: listed


def test_worker_decision_after_the_as_of_date_is_not_known():
    assert findings("R-WORKER", *_disciplined(day="2026-11-21"), "2026-11-20") == []


@pytest.mark.parametrize("filed, approved, expected", [
    ("2026-02-01", "2026-03-05", "approved"),  # filed before the decision, approved after it: "filed at any time"
    ("2026-02-01", "2026-03-01", "approved"),  # approved on the decision date
    ("2026-02-01", "2026-02-28", None),  # approved before the decision: revoked before it, not asked about
    ("2026-02-01", None, "overdue"),  # a filing before the decision does not answer it
])
def test_worker_private_approval_on_or_after_the_decision(filed, approved, expected):
    entry = {"honour": "全国劳动模范", "filed": filed, **({"approved": approved} if approved else {})}
    assert status("R-WORKER", *_disciplined(revocation=[entry]), "2026-11-20") == expected


@pytest.mark.parametrize("revoked, expected", [("2026-02-28", None), ("2026-03-01", "approved"),
                                               ("2026-07-01", "approved")])
def test_worker_public_revocation_on_or_after_the_decision(revoked, expected):
    public, private = _disciplined(honours=[honour("全国劳动模范", 2015, revoked=revoked)])
    assert status("R-WORKER", public, private, "2026-11-20") == expected


def test_worker_honour_conferred_after_an_earlier_decision_is_not_asked_about():
    """An unapproved 2025 decision stays listed in 2026, but not for an honour conferred in 2026."""
    honours = [honour("全国劳动模范", 2015), honour("陕西省劳动模范", 2026)]
    found = findings("R-WORKER", *_disciplined(day="2025-06-01", honours=honours), "2026-11-20")
    assert len(found) == 1 and "全国劳动模范" in found[0].detail and found[0].status == "overdue"


# ---------------------------------------------------------------- R-HOME

def _home(years=(), events=(), honours=None, dissolved=None):
    honours = honours or [honour("北京市模范职工之家", 2022)]
    rows = [{"year": y, "dissatisfaction_rate": r} for y, r in years]
    return trees(homes=[(home(honours=honours, dissolved=dissolved),
                         private_home(years=rows, events=list(events)))])


@pytest.mark.parametrize("years, expected", [
    ([(2024, 0.51), (2025, 0.51)], "candidate"),
    ([(2024, 0.50), (2025, 0.51)], None),  # 超过: 0.50 itself does not count
    ([(2023, 0.51), (2025, 0.51)], None),  # not consecutive
    ([(2022, 0.90), (2023, 0.51)], None),  # the honour year itself does not count
    ([(2023, 0.51), (2024, 0.60), (2025, 0.70)], "candidate"),
    ([(2026, 0.51), (2027, 0.51)], None),  # 2027 is after the as-of year
])
def test_home_dissatisfaction_two_consecutive_years(years, expected):
    found = findings("R-HOME", *_home(years), "2026-11-20")
    assert [f.status for f in found] == ([expected] if expected else [])
    if expected:
        assert found[0].date is None and found[0].article == "京工发〔2021〕19号 第二十条(九)、第二十三条"
        assert "市总工会党组" in found[0].detail


def test_home_one_dissatisfaction_finding_per_home():
    years = [(2023, 0.6), (2024, 0.6), (2025, 0.6), (2026, 0.6)]
    assert len(findings("R-HOME", *_home(years), "2026-11-20")) == 1


@pytest.mark.parametrize("kind, clause", [
    ("fraud", "(一)"), ("union_dissolved", "(二)"), ("no_reelection", "(三)"), ("dues_unpaid", "(四)"),
    ("no_democratic_management", "(五)"), ("safety_accident_major", "(六)"), ("occupational_hazard", "(六)"),
    ("mass_incident", "(七)"), ("wage_arrears", "(八)"), ("insurance_arrears", "(八)"), ("other", "(十)"),
])
def test_home_event_grounds(kind, clause):
    found = one("R-HOME", *_home(events=[{"date": "2025-04-01", "kind": kind}]), "2026-11-20")
    assert found.status == "candidate" and found.date.isoformat() == "2025-04-01"
    assert found.article == f"京工发〔2021〕19号 第二十条{clause}、第二十三条"


def test_home_events_only_after_the_honour_year_and_of_listed_kinds():
    events = [{"date": "2022-12-31", "kind": "fraud"}, {"date": "2025-01-01", "kind": "no_contracts"},
              {"date": "2025-01-01", "kind": "safety_accident_general"}, {"date": "2026-12-01", "kind": "fraud"}]
    assert findings("R-HOME", *_home(events=events), "2026-11-20") == []


def test_home_one_finding_per_event():
    events = [{"date": "2024-01-01", "kind": "wage_arrears"}, {"date": "2025-01-01", "kind": "wage_arrears"}]
    assert len(findings("R-HOME", *_home(events=events), "2026-11-20")) == 2


def test_home_dissolved_recover_plaque():
    found = one("R-HOME", *_home(dissolved="2024-05-31"), "2026-11-20")
    assert found.status == "recover-plaque" and found.date.isoformat() == "2024-05-31"
    assert found.article == "京工发〔2021〕19号 第二十五条"


def test_home_revoked_or_other_titles_are_not_watched():
    revoked = [honour("北京市模范职工之家", 2022, revoked="2024-08-20")]
    assert findings("R-HOME", *_home(events=[{"date": "2025-04-01", "kind": "fraud"}], honours=revoked),
                    "2026-11-20") == []
    national = [honour("全国模范职工之家", 2020)]
    assert findings("R-HOME", *_home(dissolved="2024-05-31", honours=national), "2026-11-20") == []


def test_home_honour_year_is_the_earliest_unrevoked():
    honours = [honour("北京市模范职工之家", 2016), honour("北京市模范职工小家", 2023)]
    found = findings("R-HOME", *_home(events=[{"date": "2020-01-01", "kind": "fraud"}], honours=honours),
                     "2026-11-20")
    assert len(found) == 1


# ---------------------------------------------------------------- R-UNIONIST

def _unionist(kind, day="2023-05-01", honours=None):
    honours = honours or [honour("北京市优秀工会工作者", 2022)]
    return trees([(worker(honours=honours), private_worker(discipline=[{"date": day, "kind": kind}]))])


@pytest.mark.parametrize("kind, clause", [
    ("fraud", "(一)"), ("serious_negligence", "(二)"), ("misconduct", "(三)"),
    ("party_serious_warning", "(四)"), ("party_removal", "(四)"), ("party_probation", "(四)"),
    ("party_expulsion", "(四)"), ("major_demerit", "(四)"), ("demotion", "(四)"), ("removal", "(四)"),
    ("dismissal", "(四)"), ("criminal", "(五)"), ("other", "(六)"),
])
def test_unionist_grounds(kind, clause):
    found = one("R-UNIONIST", *_unionist(kind), "2026-11-20")
    assert found.status == "candidate" and found.date.isoformat() == "2023-05-01"
    assert found.article == f"京工发〔2021〕19号 第二十一条{clause}、第二十三条"


@pytest.mark.parametrize("kind", ["party_warning", "demerit", "illegal_exit"])
def test_unionist_lighter_discipline_is_not_a_ground(kind):
    assert findings("R-UNIONIST", *_unionist(kind), "2026-11-20") == []


def test_unionist_only_after_the_honour_year_and_while_held():
    assert findings("R-UNIONIST", *_unionist("criminal", day="2022-12-31"), "2026-11-20") == []
    revoked = [honour("北京市优秀工会工作者", 2022, revoked="2023-01-10")]
    assert findings("R-UNIONIST", *_unionist("criminal", honours=revoked), "2026-11-20") == []
    national = [honour("全国优秀工会工作者", 2022)]
    assert findings("R-UNIONIST", *_unionist("criminal", honours=national), "2026-11-20") == []
