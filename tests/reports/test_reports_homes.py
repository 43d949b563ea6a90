"""H-* rules: recommendation conditions, publicity working days, quotas."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from tests.reports.report_builders import findings, home, one, private_home, status, trees, unit

AS_OF = "2026-11-20"
GOOD_HOME_YEARS = [
    {"year": y, "membership_rate": 0.95, "info_collection_rate": 0.95, "satisfaction_rate": 0.90,
     "hotline_on_time_rate": 0.95, "hotline_satisfaction_rate": 0.95}
    for y in (2023, 2024, 2025)
]


def _recommended(years=GOOD_HOME_YEARS, title="北京市模范职工之家", events=(), start="2026-03-02",
                 end="2026-03-06", year=2026, ownership="非公", id="test-home", by=None):
    recommendation = {"year": year, "title": title, "publicity_start": start, "publicity_end": end}
    if by:
        recommendation["recommended_by"] = by
    if start is None:
        del recommendation["publicity_start"]
    if end is None:
        del recommendation["publicity_end"]
    return (home(id=id, ownership=ownership),
            private_home(id=id, years=list(years), events=list(events), recommendation=recommendation))


def _with(field, value, year=2024, years=GOOD_HOME_YEARS):
    return [dict(y, **{field: value}) if y["year"] == year else y for y in years]


# ---------------------------------------------------------------- H-ELIGIBLE

def test_eligible_pass_at_the_thresholds():
    found = one("H-ELIGIBLE", *trees(homes=[_recommended()]), AS_OF)
    assert found.status == "pass" and found.article == "京工发〔2021〕19号 第六条、第九条"
    assert (found.date, found.due, found.amount_yuan) == (None, None, None)


def test_eligible_membership_0_9499_fails():
    found = one("H-ELIGIBLE", *trees(homes=[_recommended(_with("membership_rate", 0.9499))]), AS_OF)
    assert found.status == "fail" and found.article == "京工发〔2021〕19号 第六条(二)"
    assert "2024年职工入会率94.99%低于95%" in found.detail


def test_eligible_latest_year_only_for_info_and_hotline():
    # info collection and hotline rates are judged in the latest of the three years only
    years = _with("info_collection_rate", 0.5, year=2023)
    years = _with("hotline_on_time_rate", None, year=2023, years=years)
    assert status("H-ELIGIBLE", *trees(homes=[_recommended(years)]), AS_OF) == "pass"
    years = _with("hotline_satisfaction_rate", 0.9499, year=2025)
    found = one("H-ELIGIBLE", *trees(homes=[_recommended(years)]), AS_OF)
    assert found.status == "fail" and found.article == "京工发〔2021〕19号 第六条(四)"


def test_eligible_satisfaction_each_year():
    found = one("H-ELIGIBLE", *trees(homes=[_recommended(_with("satisfaction_rate", 0.8999, year=2023))]), AS_OF)
    assert found.status == "fail" and "2023年会员民主评议满意率89.99%低于90%" in found.detail


def test_eligible_missing_data_and_fail_wins():
    years = [y for y in GOOD_HOME_YEARS if y["year"] != 2023]
    found = one("H-ELIGIBLE", *trees(homes=[_recommended(years)]), AS_OF)
    assert found.status == "missing-data" and "缺少2023年职工入会率" in found.detail
    years = _with("membership_rate", 0.5, year=2025, years=years)
    found = one("H-ELIGIBLE", *trees(homes=[_recommended(years)]), AS_OF)
    assert found.status == "fail" and "缺少" not in found.detail


def test_eligible_branch_thresholds():
    years = [{"year": y, "membership_rate": 0.90, "satisfaction_rate": 0.90} for y in (2023, 2024, 2025)]
    assert status("H-ELIGIBLE", *trees(homes=[_recommended(years, title="北京市模范职工小家")]), AS_OF) == "pass"
    found = one("H-ELIGIBLE", *trees(homes=[_recommended(_with("membership_rate", 0.8999, years=years),
                                                          title="北京市模范职工小家")]), AS_OF)
    assert found.status == "fail" and found.article == "京工发〔2021〕19号 第七条(二)"


@pytest.mark.parametrize("kind, day, expected", [
    ("safety_accident_general", "2025-11-20", "pass"),  # exactly one year before: not within one year
    ("safety_accident_general", "2025-11-21", "fail"),
    ("safety_accident_major", "2023-11-20", "pass"),
    ("safety_accident_major", "2023-11-21", "fail"),
    ("mass_incident", "2024-01-01", "fail"),
    ("dues_unpaid", "2026-11-20", "fail"),  # the as-of date is included
    ("dues_unpaid", "2026-11-21", "pass"),  # after the as-of date: not taken into account
    ("wage_arrears", "2022-12-31", "pass"),  # before the three years
    ("wage_arrears", "2023-01-01", "fail"),
    ("under_investigation", "2026-05-01", "fail"),
    ("union_dissolved", "2026-05-01", "pass"),  # not a 第九条 exclusion
])
def test_eligible_exclusion_windows(kind, day, expected):
    home_pair = _recommended(events=[{"date": day, "kind": kind}])
    assert status("H-ELIGIBLE", *trees(homes=[home_pair]), AS_OF) == expected


def test_eligible_exclusion_cites_its_clause():
    home_pair = _recommended(_with("membership_rate", 0.9),
                             events=[{"date": "2026-02-01", "kind": "wage_arrears"}])
    found = one("H-ELIGIBLE", *trees(homes=[home_pair]), AS_OF)
    assert found.article == "京工发〔2021〕19号 第六条(二)、第九条(一)"
    assert "2026-02-01拖欠职工工资（第九条(一)）" in found.detail


def test_eligible_only_this_years_recommendations():
    assert status("H-ELIGIBLE", *trees(homes=[_recommended(year=2025)]), AS_OF) is None


@pytest.mark.parametrize("title, expected", [
    ("北京市模范职工之家", "pass"), ("北京市模范职工小家", "pass"),
    ("全国模范职工之家", None), ("北京市优秀工会工作者", None),  # titles 京工发〔2021〕19号 does not govern
])
def test_eligible_checks_only_the_two_beijing_titles(title, expected):
    public, private = trees(homes=[_recommended(title=title, start="2026-03-02", end="2026-03-04")])
    assert status("H-ELIGIBLE", public, private, AS_OF) == expected
    assert status("H-PUBLICITY", public, private, AS_OF) == "short"  # publicity applies to every recommendation


def test_eligible_exclusions_run_up_to_the_as_of_date():
    """第九条(一) events count from 1 January of the first of the three years up to the as-of date itself."""
    def at(day):
        return status("H-ELIGIBLE", *trees(homes=[_recommended(events=[{"date": day, "kind": "wage_arrears"}])]),
                      AS_OF)

    assert at("2022-12-31") == "pass" and at("2023-01-01") == "fail"
    assert at("2026-11-20") == "fail"  # the as-of date is included
    assert at("2026-11-21") == "pass"  # after it: not yet known


# rules.md H-ELIGIBLE, clarified 2026-12-03, sentence by sentence at its edges.

BRANCH_YEARS = [{"year": y, "membership_rate": 0.90, "satisfaction_rate": 0.90} for y in (2023, 2024, 2025)]


@pytest.mark.parametrize("year", [2027, 2025])
def test_eligible_only_recommendations_naming_the_as_of_year(year):
    assert status("H-ELIGIBLE", *trees(homes=[_recommended(year=year)]), AS_OF) is None


@pytest.mark.parametrize("title, years, expected", [
    # each title gets its own article's conditions
    ("北京市模范职工之家", _with("membership_rate", 0.92), "fail"),  # 之家: 95 %
    ("北京市模范职工小家", _with("membership_rate", 0.92, years=BRANCH_YEARS), "pass"),  # 小家: 90 %
    ("北京市模范职工小家", BRANCH_YEARS, "pass"),  # 小家: no info-collection or hotline rates asked for
    ("北京市模范职工之家", [dict(r, membership_rate=0.95) for r in BRANCH_YEARS], "missing-data"),  # 之家 asks
])
def test_eligible_home_and_branch_conditions(title, years, expected):
    found = one("H-ELIGIBLE", *trees(homes=[_recommended(years, title=title)]), AS_OF)
    assert found.status == expected
    if expected == "pass":
        assert found.article == f"京工发〔2021〕19号 {'第六条' if title.endswith('之家') else '第七条'}、第九条"


@pytest.mark.parametrize("title", ["全国模范职工之家", "北京市优秀工会工作者", "北京市劳动模范"])
def test_eligible_skips_other_titles_but_quota_counts_them(title):
    homes = [_recommended(id="home-01", ownership="机关事业", by="the-unit", title=title),
             _recommended(id="home-02", ownership="国有", by="the-unit", title=title)]
    public, private = trees(homes=homes, units=[unit("the-unit", "district")])
    assert findings("H-ELIGIBLE", public, private, AS_OF) == []
    assert sorted(f.detail[-12:] for f in findings("H-QUOTA", public, private, AS_OF)) == sorted(
        f.detail[-12:] for f in findings("H-QUOTA", *_quota("district", ["机关事业", "国有"]), AS_OF))
    assert len(findings("H-QUOTA", public, private, AS_OF)) == 2


@pytest.mark.parametrize("field", ["membership_rate", "satisfaction_rate", "info_collection_rate",
                                   "hotline_on_time_rate", "hotline_satisfaction_rate"])
@pytest.mark.parametrize("year", [2022, 2026])
def test_eligible_only_the_three_years_before_the_recommendation_year(field, year):
    rows = [*GOOD_HOME_YEARS, {"year": year, field: 0.1}]
    assert status("H-ELIGIBLE", *trees(homes=[_recommended(rows)]), AS_OF) == "pass"


@pytest.mark.parametrize("field, year, expected", [
    ("membership_rate", 2023, "fail"), ("membership_rate", 2025, "fail"),
    ("satisfaction_rate", 2023, "fail"), ("satisfaction_rate", 2025, "fail"),
    ("info_collection_rate", 2025, "fail"), ("info_collection_rate", 2024, "pass"),
    ("hotline_on_time_rate", 2025, "fail"), ("hotline_on_time_rate", 2024, "pass"),
    ("hotline_satisfaction_rate", 2025, "fail"), ("hotline_satisfaction_rate", 2023, "pass"),
])
def test_eligible_home_each_year_or_the_latest(field, year, expected):
    threshold = 0.90 if field == "satisfaction_rate" else 0.95
    years = _with(field, round(threshold - 0.0001, 4), year=year)
    assert status("H-ELIGIBLE", *trees(homes=[_recommended(years)]), AS_OF) == expected


@pytest.mark.parametrize("field, year, expected", [
    ("membership_rate", 2023, "missing-data"), ("satisfaction_rate", 2025, "missing-data"),
    ("info_collection_rate", 2025, "missing-data"), ("info_collection_rate", 2023, "pass"),
    ("hotline_on_time_rate", 2025, "missing-data"), ("hotline_satisfaction_rate", 2025, "missing-data"),
])
def test_eligible_home_missing_rate_is_missing_data(field, year, expected):
    assert status("H-ELIGIBLE", *trees(homes=[_recommended(_with(field, None, year=year))]), AS_OF) == expected


@pytest.mark.parametrize("field, value, year, expected", [
    ("membership_rate", 0.8999, 2025, "fail"), ("satisfaction_rate", 0.8999, 2023, "fail"),
    ("satisfaction_rate", 0.8999, 2022, "pass"), ("membership_rate", None, 2024, "missing-data"),
    ("satisfaction_rate", None, 2025, "missing-data"),
])
def test_eligible_branch_each_of_the_three_years(field, value, year, expected):
    rows = _with(field, value, year=year, years=BRANCH_YEARS) if year != 2022 else \
        [*BRANCH_YEARS, {"year": 2022, field: value}]
    assert status("H-ELIGIBLE", *trees(homes=[_recommended(rows, title="北京市模范职工小家")]), AS_OF) == expected


def test_eligible_branch_names_its_own_satisfaction_rate():
    """第七条(三): 工会会员代表大会评议职工之家满意率, not 之家's 会员民主评议满意率 (第六条(四))."""
    found = one("H-ELIGIBLE", *trees(homes=[_recommended(_with("satisfaction_rate", 0.8, years=BRANCH_YEARS),
                                                          title="北京市模范职工小家")]), AS_OF)
    assert "2024年工会会员代表大会评议职工之家满意率80%低于90%（第七条(三)）" in found.detail


def test_eligible_missing_year_is_missing_data_for_both_titles():
    for title, rows in (("北京市模范职工之家", GOOD_HOME_YEARS), ("北京市模范职工小家", BRANCH_YEARS)):
        found = one("H-ELIGIBLE", *trees(homes=[_recommended([r for r in rows if r["year"] != 2025], title=title)]),
                    AS_OF)
        assert found.status == "missing-data" and "缺少2025年职工入会率" in found.detail, title


def test_eligible_an_exclusion_fails_even_with_data_missing():
    rows = [r for r in GOOD_HOME_YEARS if r["year"] != 2023]
    found = one("H-ELIGIBLE", *trees(homes=[_recommended(rows, events=[{"date": "2026-01-05",
                                                                          "kind": "under_investigation"}])]), AS_OF)
    assert found.status == "fail" and found.article == "京工发〔2021〕19号 第九条(六)" and "缺少" not in found.detail


LOOKBACK_KINDS = ["wage_arrears", "insurance_arrears", "no_contracts", "no_democratic_management",
                  "under_investigation"]
THREE_YEAR_KINDS = ["safety_accident_major", "occupational_hazard", "mass_incident", "dues_unpaid"]


@pytest.mark.parametrize("title", ["北京市模范职工之家", "北京市模范职工小家"])
@pytest.mark.parametrize("kind, day, expected", [
    *[(k, d, e) for k in LOOKBACK_KINDS for d, e in (
        ("2022-12-31", "pass"), ("2023-01-01", "fail"), ("2026-01-01", "fail"), ("2026-11-20", "fail"),
        ("2026-11-21", "pass"))],
    *[("safety_accident_general", d, e) for d, e in (
        ("2025-11-20", "pass"), ("2025-11-21", "fail"), ("2026-11-20", "fail"), ("2026-11-21", "pass"))],
    *[(k, d, e) for k in THREE_YEAR_KINDS for d, e in (
        ("2023-11-20", "pass"), ("2023-11-21", "fail"), ("2026-11-20", "fail"), ("2026-11-21", "pass"))],
])
def test_eligible_article_9_windows_for_both_titles(title, kind, day, expected):
    rows = GOOD_HOME_YEARS if title.endswith("之家") else BRANCH_YEARS
    found = one("H-ELIGIBLE", *trees(homes=[_recommended(rows, title=title, events=[{"date": day, "kind": kind}])]),
                AS_OF)
    assert found.status == expected
    if expected == "fail":
        assert found.article.startswith("京工发〔2021〕19号 第九条(") and day in found.detail


@pytest.mark.parametrize("kind, day, expected", [
    ("safety_accident_general", "2027-02-28", "pass"),  # 29 February less one year is 28 February: not after it
    ("safety_accident_general", "2027-03-01", "fail"),
    ("dues_unpaid", "2025-02-28", "pass"), ("dues_unpaid", "2025-03-01", "fail"),
    ("wage_arrears", "2024-12-31", "pass"), ("wage_arrears", "2025-01-01", "fail"),
])
def test_eligible_article_9_windows_from_29_february(kind, day, expected):
    rows = [dict(r, year=r["year"] + 2) for r in GOOD_HOME_YEARS]
    home_pair = _recommended(rows, year=2028, events=[{"date": day, "kind": kind}])
    assert status("H-ELIGIBLE", *trees(homes=[home_pair]), "2028-02-29") == expected


def test_eligible_lists_each_failed_criterion_with_its_article():
    rows = _with("info_collection_rate", 0.5, year=2025, years=_with("membership_rate", 0.5, year=2023))
    events = [{"date": "2026-06-01", "kind": "dues_unpaid"}, {"date": "2026-07-01", "kind": "mass_incident"}]
    found = one("H-ELIGIBLE", *trees(homes=[_recommended(rows, events=events)]), AS_OF)
    assert found.status == "fail"
    assert found.article == "京工发〔2021〕19号 第六条(二)、第九条(四)、第九条(三)"  # in the order of the detail
    for text in ("2023年职工入会率50%低于95%（第六条(二)）", "2025年工会会员信息采集率50%低于95%（第六条(二)）",
                 "2026-06-01未依法及时足额拨缴工会经费（第九条(四)）",
                 "2026-07-01因违反法律法规引发职工群体性事件（第九条(三)）"):
        assert text in found.detail


# ---------------------------------------------------------------- H-PUBLICITY

def test_calendar_data_is_the_real_2025_2026_notice():
    workday = chinese_calendar.is_workday
    assert not workday(dt.date(2025, 5, 31)) and not workday(dt.date(2025, 6, 2))  # 端午 2025
    assert not workday(dt.date(2025, 10, 6))  # 中秋 2025 inside National Day
    assert workday(dt.date(2025, 9, 28)) and workday(dt.date(2025, 10, 11))  # make-up Sunday and Saturday
    assert not workday(dt.date(2026, 6, 19))  # 端午 2026
    assert not workday(dt.date(2026, 9, 25))  # 中秋 2026
    assert not workday(dt.date(2026, 10, 7))
    assert workday(dt.date(2026, 9, 20)) and workday(dt.date(2026, 10, 10))  # make-up days 2026
    with pytest.raises(NotImplementedError):
        workday(dt.date(2027, 1, 4))


@pytest.mark.parametrize("start, end, expected", [
    # 端午 2025: 31 May – 2 June off
    ("2025-05-29", "2025-06-04", "short"),  # Thu, Fri, Tue, Wed = 4
    ("2025-05-29", "2025-06-05", None),  # + Thu = 5
    # National Day + 中秋 2025: 1–8 October off, Sunday 28 September and Saturday 11 October worked
    ("2025-09-28", "2025-10-10", None),  # Sun(make-up), Mon, Tue, Thu 9, Fri 10 = 5
    ("2025-09-29", "2025-10-10", "short"),  # 4
    ("2025-10-09", "2025-10-14", None),  # Thu, Fri, Sat(make-up), Mon, Tue = 5
    ("2025-10-09", "2025-10-13", "short"),  # 4
    # 端午 2026: 19 June off
    ("2026-06-15", "2026-06-19", "short"),
    ("2026-06-15", "2026-06-22", None),
    # 中秋 2026: 25 September off; 20 September a make-up working Sunday
    ("2026-09-22", "2026-09-28", "short"),
    ("2026-09-21", "2026-09-28", None),
    ("2026-09-20", "2026-09-24", None),  # Sun(make-up) + Mon–Thu
    # National Day 2026: 1–7 October off, Saturday 10 October worked
    ("2026-09-30", "2026-10-10", "short"),  # Wed 30, Thu 8, Fri 9, Sat 10 = 4
    ("2026-09-30", "2026-10-12", None),
    ("2026-03-02", "2026-03-06", None),  # an ordinary week
    ("2026-03-03", "2026-03-06", "short"),
])
def test_publicity_working_days(start, end, expected):
    year = int(start[:4])
    found = one("H-PUBLICITY", *trees(homes=[_recommended(start=start, end=end, year=year)]), f"{year}-12-31")
    assert (found.status if found else None) == expected
    if found:
        assert found.date.isoformat() == start and found.due is None
        assert found.article == "京工发〔2021〕19号 第十三条"


def test_publicity_reaching_a_year_outside_the_calendar():
    found = one("H-PUBLICITY", *trees(homes=[_recommended(start="2026-12-28", end="2027-01-08")]), AS_OF)
    assert found.status == "unknown-calendar" and "2027年" in found.detail and "4个工作日" in found.detail
    # enough working days in the known year: no finding, whatever the unknown year holds
    assert status("H-PUBLICITY", *trees(homes=[_recommended(start="2026-12-24", end="2027-01-08")]), AS_OF) is None


def test_publicity_missing_dates():
    found = one("H-PUBLICITY", *trees(homes=[_recommended(end=None)]), AS_OF)
    assert found.status == "missing-data" and found.date.isoformat() == "2026-03-02"
    found = one("H-PUBLICITY", *trees(homes=[_recommended(start=None)]), AS_OF)
    assert found.status == "missing-data" and found.date is None


# ---------------------------------------------------------------- H-QUOTA

def _quota(kind, ownerships):
    homes = [_recommended(id=f"home-{i:02d}", ownership=o, by="the-unit") for i, o in enumerate(ownerships)]
    return trees(homes=homes, units=[unit("the-unit", kind)])


def test_quota_nonpublic_at_half_is_fine():
    assert findings("H-QUOTA", *_quota("district", ["非公", "国有"]), AS_OF) == []


def test_quota_nonpublic_under_half():
    found = one("H-QUOTA", *_quota("district", ["非公", "国有", "集体"]), AS_OF)
    assert (found.subject, found.status, found.article) == ("the-unit", "warning", "京工发〔2021〕19号 第五条")
    assert "非公有制单位1个，占33.33%，低于50%" in found.detail


def test_quota_institutions_over_a_fifth():
    assert findings("H-QUOTA", *_quota("industry", ["机关事业", "国有", "国有", "国有", "国有"]), AS_OF) == []
    found = one("H-QUOTA", *_quota("industry", ["机关事业", "机关事业", "国有", "国有", "国有"]), AS_OF)
    assert found.status == "warning" and "超过20%" in found.detail  # industry: no 非公 requirement


def test_quota_one_finding_per_breach():
    found = findings("H-QUOTA", *_quota("district", ["机关事业", "国有"]), AS_OF)
    assert len(found) == 2 and {f.subject for f in found} == {"the-unit"}


def test_quota_other_unit_kinds_and_other_years():
    assert findings("H-QUOTA", *_quota("city", ["机关事业", "国有"]), AS_OF) == []
    homes = [_recommended(id="home-01", ownership="国有", by="the-unit", year=2025)]
    assert findings("H-QUOTA", *trees(homes=homes, units=[unit("the-unit", "district")]), AS_OF) == []
