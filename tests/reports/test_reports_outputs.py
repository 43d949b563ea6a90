"""The renderers: findings.json, the two workbooks, index.html."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from generator.reports.findings import Finding, sort_findings
from generator.reports.registry import BY_ID, RULES, Report, rules_of
from generator.reports.render_html import Counts, render_html
from generator.reports.render_json import KEYS, render_json
from generator.reports.render_xlsx import (
    CONTACT_HEADING,
    MIN_PRINT_PT,
    NARROWEST_PAGE_UNITS,
    SUMMARY_SHEET,
    printed_font_pt,
    render_xlsx,
    rule_columns,
)
from generator.reports.worklist import Addressee, Row

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
    Finding("E-SUBSIDY", "ma-lijuan", "eligible", Decimal(200), None, None, "皖政办秘〔2017〕279号 三", "补助。"),
    Finding("E-SUBSIDY", "tang-wei", "missing-data", None, None, None, "皖政办秘〔2017〕279号 三", "缺数据。"),
])
NAMES = {"zha-wenbin": "查文斌", "ma-lijuan": "马丽娟", "ke-<script>": "<b>柯</b>", "tang-wei": "唐伟",
         "li-xiuying": "李秀英", "bai-zhiqiang": "白志强"}
UNITS = {"zha-wenbin": ("sx-xian", "西安市总工会"), "ma-lijuan": ("bj-xicheng", "北京市西城区总工会"),
         "tang-wei": ("bj-xicheng", "北京市西城区总工会")}


def _row(finding: Finding) -> Row:
    unit_id, unit = UNITS.get(finding.subject, (None, "未指定管理单位"))
    relative = "马小红（女儿）13900000001" if finding.subject == "ma-lijuan" else ""
    who = Addressee(NAMES[finding.subject], "测试单位", unit_id, unit, "13800000000", relative)
    return Row(finding, BY_ID[finding.rule], who)


ROWS = [_row(f) for f in FINDINGS]


def test_sorted_by_rule_subject_date_with_null_dates_first():
    order = [(f.rule, f.subject, f.date) for f in sort_findings(list(reversed(FINDINGS))) if f.rule != "E-SUBSIDY"]
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
    path.write_bytes(render_json(ROWS))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert all(list(item) == list(KEYS) for item in data)
    assert list(KEYS) == ["rule", "subject", "status", "amount_yuan", "date", "due", "article", "detail"]
    first = data[0]
    assert first["amount_yuan"] == 2000 and isinstance(first["amount_yuan"], int)
    assert first["subject"] == "ke-<script>"
    assert data[2]["amount_yuan"] == 2500.25 and data[2]["date"] == "2026-05-12" and data[2]["due"] is None
    assert data[1]["amount_yuan"] is None
    assert "“引号”" in path.read_text(encoding="utf-8")  # not \\u-escaped


@pytest.fixture
def workbooks(tmp_path: Path) -> tuple[Path, Path]:
    eligibility = tmp_path / "eligibility.xlsx"
    revocation = tmp_path / "revocation.xlsx"
    eligibility.write_bytes(render_xlsx(Report.ELIGIBILITY, rules_of(Report.ELIGIBILITY), ROWS, AS_OF, "全部管理单位"))
    revocation.write_bytes(render_xlsx(Report.REVOCATION, rules_of(Report.REVOCATION), ROWS, AS_OF, "全部管理单位"))
    return eligibility, revocation


def _table(sheet) -> list[dict[str, object]]:
    """A rule sheet's rows under its headings (row 2), without the totals row."""
    headings = [cell.value for cell in sheet[2]]
    rows = [dict(zip(headings, values)) for values in sheet.iter_rows(min_row=3, values_only=True)]
    return [r for r in rows if r.get("序号") is not None]


def test_xlsx_summary_first_then_a_chinese_sheet_per_rule(workbooks):
    eligibility, revocation = workbooks
    book = openpyxl.load_workbook(eligibility)
    assert book.sheetnames == [SUMMARY_SHEET, *(r.sheet for r in rules_of(Report.ELIGIBILITY))]
    assert openpyxl.load_workbook(revocation).sheetnames == [SUMMARY_SHEET,
                                                             *(r.sheet for r in rules_of(Report.REVOCATION))]
    for rule in rules_of(Report.ELIGIBILITY):
        sheet = book[rule.sheet]
        assert not re.search(r"[A-Z]-[A-Z]", sheet.title)  # named in Chinese
        assert str(sheet["A1"].value).startswith(f"{rule.id} {rule.name}")  # the rule id in the title row
        assert rule.id in sheet.oddHeader.center.text and "内部资料" in sheet.oddHeader.left.text
        assert AS_OF.isoformat() in sheet.oddHeader.right.text
        headings = [cell.value for cell in sheet[2]]
        assert all(re.search(r"[\u4e00-\u9fff]", h) for h in headings)
        assert "日期" not in headings and "期限" not in headings  # dates are named for what they are
        assert sheet.freeze_panes == "D3"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A2:")
        assert sheet.print_title_rows == "$1:$2"
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert [c.value for c in book["一次性救助"][2]][-4:] == ["救助金额（元）", "申请日期", "依据", "说明"]
    assert "补助金额（元/月）" in [c.value for c in book["生活困难补助"][2]]
    assert [c.value for c in book["去世上报"][2]][-4:] == ["逝世日期", "应报日期", "依据", "说明"]


def test_xlsx_rows_name_the_person_unit_managing_unit_and_contact_in_chinese(workbooks):
    eligibility, _ = workbooks
    book = openpyxl.load_workbook(eligibility)
    aid = _table(book["一次性救助"])
    ma = [r for r in aid if r["编号"] == "ma-lijuan"]
    assert [r["姓名"] for r in ma] == ["马丽娟", "马丽娟"]
    assert ma[0]["单位"] == "测试单位" and ma[0]["管理单位"] == "北京市西城区总工会"
    assert ma[0][CONTACT_HEADING] == "13800000000\n亲属：马小红（女儿）13900000001"
    assert [r["状态"] for r in aid] == ["符合条件", "不符合条件", "符合条件"]
    assert isinstance(ma[1]["申请日期"], dt.datetime) and ma[1]["申请日期"].date() == D("2026-05-12")
    assert [r["救助金额（元）"] for r in aid] == [2000, None, 2500.25]
    sanatorium = _table(book["疗休养"])
    li = next(r for r in sanatorium if r["编号"] == "li-xiuying")
    assert li["上次疗休养日期"].date() == D("2024-02-29") and li["应安排日期"].date() == D("2026-02-28")
    assert li["状态"] == "已逾期" and li["管理单位"] == "未指定管理单位"


def test_xlsx_totals_row_for_summed_rules(workbooks):
    eligibility, _ = workbooks
    formulas = openpyxl.load_workbook(eligibility)
    values = openpyxl.load_workbook(eligibility, data_only=True)
    aid = formulas["一次性救助"]
    assert aid.cell(row=6, column=2).value == "合计"
    amount_column = [c.value for c in aid[2]].index("救助金额（元）") + 1
    letter = openpyxl.utils.get_column_letter(amount_column)
    assert aid.cell(row=6, column=amount_column).value == f"=SUBTOTAL(109,{letter}3:{letter}5)"
    assert values["一次性救助"].cell(row=6, column=amount_column).value == 4500.25
    assert aid.auto_filter.ref.endswith("5")  # the totals row stays outside the filter
    assert values["生活困难补助"].cell(row=5, column=2).value == "合计（元/月）"
    assert formulas["疗休养"].max_row == 4  # no totals row for other rules


def _summary_tables(sheet) -> tuple[list[tuple], list[tuple]]:
    rows = [r for r in sheet.iter_rows(values_only=True)]
    starts = [i for i, r in enumerate(rows) if r[0] in ("按规则", "按管理单位")]
    by_rule = [r for r in rows[starts[0] + 2:starts[1]] if r[0] and r[0] != "合计" and r[3] is not None]
    by_rule_total = next(r for r in rows[starts[0] + 2:starts[1]] if r[0] == "合计")
    by_unit = rows[starts[1] + 2:]
    return by_rule + [by_rule_total], by_unit


def test_summary_totals_equal_the_sum_of_their_rows(workbooks):
    eligibility, _ = workbooks
    values = openpyxl.load_workbook(eligibility, data_only=True)
    by_rule, by_unit = _summary_tables(values[SUMMARY_SHEET])
    *rule_rows, rule_total = by_rule
    sheets = {r.id: r.sheet for r in RULES}
    for rule_id, _name, _alerts, count, amount, _unit, _source in rule_rows:
        rows = _table(values[sheets[rule_id]])
        assert count == len(rows), rule_id
        amounts = [v for r in rows for k, v in r.items() if k == BY_ID[rule_id].amount and v is not None]
        assert (amount or 0) == pytest.approx(sum(amounts)), rule_id
    assert rule_total[3] == sum(r[3] for r in rule_rows) == len([r for r in ROWS if r.rule.report.value ==
                                                                  "eligibility"])
    assert rule_total[2] == sum(r[2] for r in rule_rows) == 2  # 已逾期 ×2; 缺少数据 is not overdue
    assert rule_rows[0][0] == "E-SANATORIUM"  # overdue first
    subtotals = [r for r in by_unit if r[1] == "小计"]
    details = [r for r in by_unit if r[1] not in ("小计", "全部管理单位") and r[3] is not None]
    grand = next(r for r in by_unit if r[1] == "全部管理单位")
    assert grand[3] == sum(r[3] for r in subtotals) == sum(r[3] for r in details) == rule_total[3]
    for subtotal in subtotals:
        assert subtotal[3] == sum(r[3] for r in details if r[0] == subtotal[0])
    # one overdue each: the unit with more findings first
    assert [r[0] for r in subtotals] == ["北京市西城区总工会", "未指定管理单位"]
    assert {r[0] for r in subtotals} == {"未指定管理单位", "北京市西城区总工会"}


def test_xlsx_prints_at_nine_points_or_more():
    for rule in RULES:
        assert printed_font_pt(rule_columns(rule)) >= MIN_PRINT_PT, rule.id
    assert NARROWEST_PAGE_UNITS <= 134  # what LibreOffice fits on A4 landscape with these margins


def test_html_is_self_contained_marked_and_escaped(tmp_path: Path):
    path = tmp_path / "index.html"
    path.write_bytes(render_html(ROWS, [r.id for r in RULES], [], AS_OF, Counts(1, 2, 3, 4, 5), [], "全部管理单位"))
    html = path.read_text(encoding="utf-8")
    assert html.count("内部资料") >= 3
    assert "@media print" in html and "@page" in html
    assert not re.search(r"(?i)(https?:)?//[a-z0-9]", html.replace("<!DOCTYPE html>", ""))
    assert not re.search(r"(?i)<(link|script|img|iframe|object|embed)\b", html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;柯&lt;/b&gt;" in html
    assert "马丽娟" in html and "ma-lijuan" in html and "北京市西城区总工会" in html
    assert "陕工发〔2020〕11号 第三十条(一)2、第三十条(二)、第三十条(三)2" in html
    assert "救助金额（元）" in html and "补助金额（元/月）" in html and "200.00<span class=\"muted\"> 元/月" in html


def test_html_leaves_out_the_sections_of_rules_that_did_not_run(tmp_path: Path):
    path = tmp_path / "index.html"
    rows = [r for r in ROWS if r.rule.pack == "xicheng"]
    path.write_bytes(render_html(rows, ["E-AID"], [], AS_OF, Counts(1, 2, 3, 4, 5), [], "全部管理单位"))
    html = path.read_text(encoding="utf-8")
    assert 'id="E-AID"' in html and 'id="E-HEALTH"' not in html and "撤销报表</h2>" not in html
