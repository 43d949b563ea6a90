"""Treatment on a date, ages and date arithmetic (rules.md, Treatment and counting conventions)."""

from __future__ import annotations

import datetime as dt

from generator.reports.dates import add_years, age_on, birth_date_from_id_number, within_years_before
from generator.reports.treatment import treatment_on
from tests.reports.report_builders import D, honour, id_number, private_worker, status, trees, view_of, worker


def _treatment(honours, as_of, died=None, **private):
    public, priv = trees([(worker(honours=honours, died=died), private_worker(**private))])
    return treatment_on(view_of(public, priv, as_of).workers[0], D(as_of))


def test_highest_treatment_wins():
    honours = [honour("首都劳动奖章", 2000), honour("陕西省劳动模范", 2005), honour("全国劳动模范", 2015)]
    assert _treatment(honours, "2014-12-31") == "provincial"
    assert _treatment(honours, "2015-01-01") == "national"  # conferred in that year counts
    assert _treatment([honour("首都劳动奖章", 2000)], "2026-01-01") == "none"


def test_treatment_ends_at_public_revocation():
    honours = [honour("全国劳动模范", 2015, revoked="2026-05-01")]
    assert _treatment(honours, "2026-04-30") == "national"
    assert _treatment(honours, "2026-05-01") == "none"


def test_treatment_ends_at_approved_private_revocation():
    honours = [honour("陕西省劳动模范", 2005), honour("全国劳动模范", 2015)]
    revocation = [{"honour": "全国劳动模范", "filed": "2026-03-10", "approved": "2026-05-01"}]
    assert _treatment(honours, "2026-04-30", revocation=revocation) == "national"
    assert _treatment(honours, "2026-05-01", revocation=revocation) == "provincial"
    # filed but not approved: still held
    assert _treatment(honours, "2026-11-20", revocation=[{"honour": "全国劳动模范", "filed": "2026-03-10"}]) == "national"


def test_treatment_ends_the_day_after_death():
    honours = [honour("全国劳动模范", 2015)]
    assert _treatment(honours, "2026-03-10", died="2026-03-10") == "national"
    assert _treatment(honours, "2026-03-11", died="2026-03-10") == "none"


def test_findings_follow_treatment_ending_at_revocation_and_death():
    revoked = [honour("全国劳动模范", 2015, revoked="2026-05-01")]
    public, private = trees([(worker(honours=revoked), private_worker(phone="13800000000"))])
    assert status("E-HEALTH", public, private, "2026-04-30") == "due"
    assert status("E-HEALTH", public, private, "2026-05-01") is None
    public, private = trees([(worker(honours=[honour("全国劳动模范", 2015)], died="2026-03-10"),
                              private_worker(phone="13800000000", death_reported="2026-03-11"))])
    assert status("E-HEALTH", public, private, "2026-03-09") == "due"
    assert status("E-HEALTH", public, private, "2026-03-10") is None  # died on the as-of date: not living


def test_honours_after_the_as_of_year_are_not_known():
    assert _treatment([honour("全国劳动模范", 2027)], "2026-12-31") == "none"


def test_add_years_29_february():
    assert add_years(dt.date(2024, 2, 29), 2) == dt.date(2026, 2, 28)
    assert add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)
    assert add_years(dt.date(2024, 2, 29), -1) == dt.date(2023, 2, 28)


def test_age_counts_the_birthday():
    assert age_on(dt.date(1966, 11, 20), dt.date(2026, 11, 19)) == 59
    assert age_on(dt.date(1966, 11, 20), dt.date(2026, 11, 20)) == 60
    assert age_on(dt.date(1968, 2, 29), dt.date(2023, 2, 28)) == 55


def test_birth_date_from_id_number():
    assert birth_date_from_id_number(id_number("1966-11-20")) == dt.date(1966, 11, 20)
    assert birth_date_from_id_number("61010219661320123X") is None
    assert birth_date_from_id_number(None) is None


def test_age_prefers_birth_date_over_id_number():
    public, private = trees([(worker(), private_worker(birth_date="1970-01-01", id_number=id_number("1960-01-01")))])
    assert view_of(public, private, "2026-01-01").workers[0].age_on(D("2026-01-01")) == 56


def test_within_years_window():
    as_of = dt.date(2026, 11, 20)
    assert not within_years_before(dt.date(2025, 11, 20), as_of, 1)
    assert within_years_before(dt.date(2025, 11, 21), as_of, 1)
    assert within_years_before(as_of, as_of, 1)
    assert not within_years_before(dt.date(2026, 11, 21), as_of, 1)
