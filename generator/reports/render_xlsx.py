"""eligibility.xlsx and revocation.xlsx: one sheet per rule, the columns of findings.json."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from generator.reports.findings import RULE_NAMES, SUMMED_RULES, Finding
from generator.reports.render_json import amount_number

HEADERS: tuple[str, ...] = ("规则", "对象编号", "状态", "金额（元）", "日期", "期限", "依据", "说明")
WIDTHS: tuple[int, ...] = (13, 24, 16, 13, 12, 12, 40, 90)
AMOUNT_COLUMN = 3


def _write_sheet(workbook: xlsxwriter.Workbook, rule: str, findings: list[Finding], formats: dict,
                 as_of: dt.date) -> None:
    sheet = workbook.add_worksheet(rule)
    for column, (header, width) in enumerate(zip(HEADERS, WIDTHS)):
        sheet.write_string(0, column, header, formats["header"])
        sheet.set_column(column, column, width)
    row = 0
    for row, finding in enumerate(findings, start=1):
        sheet.write_string(row, 0, finding.rule, formats["text"])
        sheet.write_string(row, 1, finding.subject, formats["text"])
        sheet.write_string(row, 2, finding.status, formats["text"])
        amount = amount_number(finding.amount_yuan)
        if amount is not None:
            sheet.write_number(row, 3, amount, formats["amount"])
        for column, day in ((4, finding.date), (5, finding.due)):
            if day is not None:
                sheet.write_datetime(row, column, dt.datetime(day.year, day.month, day.day), formats["date"])
        sheet.write_string(row, 6, finding.article, formats["wrap"])
        sheet.write_string(row, 7, finding.detail, formats["wrap"])
    last_data_row = row
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(last_data_row, 0), len(HEADERS) - 1)
    if rule in SUMMED_RULES:
        total_row = last_data_row + 1
        total = sum((f.amount_yuan for f in findings if f.amount_yuan is not None), start=0)
        sheet.write_string(total_row, 0, "合计", formats["total_label"])
        for column in range(1, len(HEADERS)):
            if column != AMOUNT_COLUMN:
                sheet.write_blank(total_row, column, None, formats["total_label"])
        if last_data_row >= 1:
            first = xl_rowcol_to_cell(1, AMOUNT_COLUMN)
            last = xl_rowcol_to_cell(last_data_row, AMOUNT_COLUMN)
            sheet.write_formula(total_row, AMOUNT_COLUMN, f"=SUBTOTAL(109,{first}:{last})", formats["total"],
                                amount_number(total) if total else 0)
        else:
            sheet.write_number(total_row, AMOUNT_COLUMN, 0, formats["total"])
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_header(f"&L&\"-,Bold\"内部资料 注意保密&C{rule} {RULE_NAMES[rule]}&R统计日 {as_of.isoformat()}")
    sheet.set_footer("&C第 &P 页，共 &N 页")


def render_xlsx(path: Path, rules: tuple[str, ...], findings_by_rule: dict[str, list[Finding]],
                as_of: dt.date, title: str) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"default_date_format": "yyyy-mm-dd", "constant_memory": True})
    workbook.set_properties({
        "title": title,
        "subject": f"统计日 {as_of.isoformat()}",
        "category": "内部资料",
        "keywords": "内部资料, 劳模馆",
        "comments": "内部资料，仅供工会工作人员使用，不得公开。",
    })
    formats = {
        "header": workbook.add_format({"bold": True, "bg_color": "#7a1f1f", "font_color": "#ffffff",
                                       "border": 1, "valign": "vcenter", "text_wrap": True}),
        "text": workbook.add_format({"valign": "top"}),
        "wrap": workbook.add_format({"valign": "top", "text_wrap": True}),
        "amount": workbook.add_format({"num_format": "#,##0.00", "valign": "top"}),
        "date": workbook.add_format({"num_format": "yyyy-mm-dd", "valign": "top", "align": "left"}),
        "total_label": workbook.add_format({"bold": True, "top": 2, "bg_color": "#f3e9e9"}),
        "total": workbook.add_format({"bold": True, "top": 2, "bg_color": "#f3e9e9", "num_format": "#,##0.00"}),
    }
    for rule in rules:
        _write_sheet(workbook, rule, findings_by_rule.get(rule, []), formats, as_of)
    workbook.close()
