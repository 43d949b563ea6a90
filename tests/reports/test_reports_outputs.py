"""The renderers: findings.json, the two workbooks, index.html."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from generator.reports.findings import ELIGIBILITY_RULES, REVOCATION_RULES, Finding, sort_findings
from generator.reports.render_html import Counts, render_html
from generator.reports.render_json import KEYS, render_json
from generator.reports.render_xlsx import HEADERS, render_xlsx

AS_OF = dt.date(2026, 11, 20)
D = dt.date.fromisoformat

FINDINGS = sort_findings([
    Finding("R-WORKER", "zha-wenbin", "overdue", None, D("2026-06-01"), D("2026-06-16"),
            "陕工发〔2020〕11号 第三十条(一)2、第三十条(二)、第三十条(三)2", "应撤销。"),
    Finding("E-AID", "ma-lijuan", "eligible", Decimal("2500.25"), D("2026-05-12"), None, "西城 经费增多部分", "救助。"),
    Finding("E-AID", "ma-lijuan", "ineligible", None, D("2026-03-01"), None, "西城 经费增多部分", "不予救助。"),
    Finding("E-AID", "ke-<script>", "eligible", Decimal("2000"), D("2026-01-09"), None, "西城 经费增多部分",
            "<script>alert(1)</script>含有“引号”&符号。"),
    Finding("E-SANATORIUM", "tang-wei", "overdue", None, None, None, "北京 二(三)3", "从未疗休养。"),
    Finding("E-SANATORIUM", "li-xiuying", "overdue", None, D("2024-02-29"), D("2026-02-28"), "北京 二(三)3", "逾期。"),
    Finding("E-HEALTH", "bai-zhiqiang", "due", Decimal(1000), None, None, "陕工发〔2020〕11号 第十一条", "体检。"),
])


def _grouped(findings: list[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for f in findings:
        grouped.setdefault(f.rule, []).append(f)
    return grouped


def test_sorted_by_rule_subject_date_with_null_dates_first():
    order = [(f.rule, f.subject, f.date) for f in sort_findings(list(reversed(FINDINGS)))]
    assert order == [
        ("E-AID", "ke-<script>", D("2026-01-09")),
        ("E-AID", "ma-lijuan", D("2026-03-01")),
        ("E-AID", "ma-lijuan", D("2026-05-12")),
        ("E-HEALTH", "bai-zhiqiang", None),
        ("E-SANATORIUM", "li-xiuying", D("2024-02-29")),
        ("E-SANATORIUM", "tang-wei", None),
        ("R-WORKER", "zha-wenbin", D("2026-06-01")),
    ]
    same_subject = sort_findings([
        Finding("E-DEATH", "a", "late", None, D("2026-01-01"), None, "x", "y"),
        Finding("E-DEATH", "a", "late", None, None, None, "x", "y"),
    ])
    assert [f.date for f in same_subject] == [None, D("2026-01-01")]


def test_json_keys_in_order_and_values(tmp_path: Path):
    path = tmp_path / "findings.json"
    render_json(FINDINGS, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert all(list(item) == list(KEYS) for item in data)
    assert list(KEYS) == ["rule", "subject", "status", "amount_yuan", "date", "due", "article", "detail"]
    first = data[0]
    assert first["amount_yuan"] == 2000 and isinstance(first["amount_yuan"], int)
    assert data[2]["amount_yuan"] == 2500.25 and data[2]["date"] == "2026-05-12" and data[2]["due"] is None
    assert data[1]["amount_yuan"] is None
    assert "“引号”" in path.read_text(encoding="utf-8")  # not \\u-escaped


@pytest.fixture
def workbooks(tmp_path: Path) -> tuple[Path, Path]:
    grouped = _grouped(FINDINGS)
    eligibility = tmp_path / "eligibility.xlsx"
    revocation = tmp_path / "revocation.xlsx"
    render_xlsx(eligibility, ELIGIBILITY_RULES, grouped, AS_OF, "资格与推荐报表")
    render_xlsx(revocation, REVOCATION_RULES, grouped, AS_OF, "撤销报表")
    return eligibility, revocation


def test_xlsx_one_sheet_per_rule_with_chinese_headers(workbooks):
    eligibility, revocation = workbooks
    book = openpyxl.load_workbook(eligibility)
    assert book.sheetnames == list(ELIGIBILITY_RULES)
    assert openpyxl.load_workbook(revocation).sheetnames == list(REVOCATION_RULES)
    for sheet in book.worksheets:
        headers = [cell.value for cell in sheet[1]]
        assert headers == list(HEADERS)
        assert all(re.search(r"[\u4e00-\u9fff]", h) for h in headers)
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:H")
    empty = book["H-QUOTA"]  # no findings: headers only
    assert empty.max_row == 1


def test_xlsx_dates_are_dates_and_amounts_numbers(workbooks):
    eligibility, _ = workbooks
    sheet = openpyxl.load_workbook(eligibility)["E-SANATORIUM"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    li = next(r for r in rows if r[1] == "li-xiuying")
    assert isinstance(li[4], dt.datetime) and li[4].date() == D("2024-02-29")
    assert isinstance(li[5], dt.datetime) and li[5].date() == D("2026-02-28")
    assert sheet.cell(row=2, column=5).number_format == "yyyy-mm-dd"
    tang = next(r for r in rows if r[1] == "tang-wei")
    assert tang[4] is None and tang[5] is None
    aid = openpyxl.load_workbook(eligibility)["E-AID"]
    amounts = [aid.cell(row=r, column=4).value for r in range(2, 5)]
    assert amounts == [2000, None, 2500.25]


def test_xlsx_totals_row_for_summed_rules(workbooks):
    eligibility, _ = workbooks
    formulas = openpyxl.load_workbook(eligibility)
    values = openpyxl.load_workbook(eligibility, data_only=True)
    aid = formulas["E-AID"]
    assert aid.cell(row=5, column=1).value == "合计"
    assert aid.cell(row=5, column=4).value == "=SUBTOTAL(109,D2:D4)"
    assert values["E-AID"].cell(row=5, column=4).value == 4500.25
    assert aid.auto_filter.ref == "A1:H4"  # the totals row stays outside the filter
    health = formulas["E-HEALTH"]
    assert health.cell(row=3, column=1).value == "合计"
    subsidy = values["E-SUBSIDY"]  # empty, still totalled
    assert subsidy.cell(row=2, column=1).value == "合计" and subsidy.cell(row=2, column=4).value == 0
    assert formulas["E-SANATORIUM"].max_row == 3  # no totals row for other rules


def test_html_is_self_contained_marked_and_escaped(tmp_path: Path):
    path = tmp_path / "index.html"
    names = {"ma-lijuan": "马丽娟", "ke-<script>": "<b>柯</b>", "zha-wenbin": "查文斌"}
    render_html(path, _grouped(FINDINGS), list(ELIGIBILITY_RULES + REVOCATION_RULES), [], names, AS_OF,
                Counts(1, 2, 3, 4, 5), [])
    html = path.read_text(encoding="utf-8")
    assert html.count("内部资料") >= 3
    assert "@media print" in html and "@page" in html
    assert not re.search(r"(?i)(https?:)?//[a-z0-9]", html.replace("<!DOCTYPE html>", ""))
    assert not re.search(r"(?i)<(link|script|img|iframe|object|embed)\b", html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;柯&lt;/b&gt;" in html
    assert "马丽娟" in html and "ma-lijuan" in html
    assert "陕工发〔2020〕11号 第三十条(一)2、第三十条(二)、第三十条(三)2" in html
