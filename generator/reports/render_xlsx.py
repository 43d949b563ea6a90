"""eligibility.xlsx and revocation.xlsx: worklists staff can act on and print.

Each workbook opens on 汇总 (counts and amounts per rule and per 管理单位, what needs action first), then one
sheet per rule that ran, named in Chinese, its rule id in the title row and the page header. Every row names
the person or home, their unit and managing unit and, for people, the phone and relative's contact.

Printing: A4 landscape, fitted to the page width, with columns that add up to less than a page so the text
stays at 9 pt or more; header rows repeated on every page; 内部资料 and the as-of date in every page header;
row heights set from the wrapped text (left unset, printed rows were cut off).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from generator.reports.findings import ALERT_STATUSES, STATUS_NAMES
from generator.reports.registry import Report, Rule, SubjectKind
from generator.reports.render_json import amount_number
from generator.reports.worklist import Row

FONT_SIZE = 11
MIN_PRINT_PT = 9
LINE_HEIGHT_PT = 15.0  # one line of 11 pt text, CJK included
# Columns of a sheet add up to at most this many Excel width units. A4 landscape less 0.4-inch margins holds
# about 146 in Excel and 134 in LibreOffice (its fonts are wider), so fit-to-width prints at 100 % or close to
# it: never below MIN_PRINT_PT.
SHEET_WIDTH_UNITS = 125
NARROWEST_PAGE_UNITS = 110
SUMMARY_SHEET = "汇总"
CONTACT_HEADING = "联系电话（本人、亲属）"
ALERT_LABEL = "逾期、缺失或不合格"


@dataclass(frozen=True)
class Column:
    heading: str
    width: float
    kind: str = "text"  # text, wrap, number, amount, date


def _text_width(text: str) -> float:
    """Width in column units: CJK and full-width characters take about two."""
    return sum(1.95 if unicodedata.east_asian_width(c) in "WF" else 1.0 for c in text)


def _lines(text: str, width: float) -> int:
    room = max(width - 1.2, 1.0)
    return sum(max(1, math.ceil(_text_width(part) / room)) for part in text.split("\n"))


def _row_height(cells: Sequence[tuple[str, float]]) -> float:
    return max((_lines(text, width) for text, width in cells if text), default=1) * LINE_HEIGHT_PT + 3


def printed_font_pt(columns: Sequence[Column]) -> float:
    """The font size printed when the columns are fitted to the width of the narrowest page we allow for."""
    total = sum(c.width for c in columns)
    return FONT_SIZE * min(1.0, NARROWEST_PAGE_UNITS / total)


class _Formats:
    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        base = {"font_size": FONT_SIZE, "valign": "top", "border": 1, "border_color": "#b8b8b8"}
        self.title = workbook.add_format({"bold": True, "font_size": FONT_SIZE + 1, "text_wrap": True,
                                          "valign": "vcenter"})
        self.header = workbook.add_format({**base, "bold": True, "bg_color": "#7a1f1f", "font_color": "#ffffff",
                                           "text_wrap": True, "valign": "vcenter"})
        self.by_kind = {
            "text": workbook.add_format({**base, "text_wrap": True}),
            "wrap": workbook.add_format({**base, "text_wrap": True}),
            "number": workbook.add_format({**base, "num_format": "0"}),
            "amount": workbook.add_format({**base, "num_format": "#,##0.00"}),
            "date": workbook.add_format({**base, "num_format": "yyyy-mm-dd", "align": "left"}),
        }
        self.note = workbook.add_format({"font_size": FONT_SIZE, "font_color": "#5b6470"})
        self.alert = workbook.add_format({**base, "text_wrap": True, "bold": True, "font_color": "#9b1c1c"})
        total = {**base, "bold": True, "top": 2, "bg_color": "#f3e9e9"}
        self.total = workbook.add_format(total)
        self.total_number = workbook.add_format({**total, "num_format": "0"})
        self.total_amount = workbook.add_format({**total, "num_format": "#,##0.00"})


def _page_setup(sheet: Worksheet, columns: Sequence[Column], header_rows: int, centre: str,
                as_of: dt.date) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
    sheet.fit_to_pages(1, 0)  # a safety net: the widths already fit (see SHEET_WIDTH_UNITS)
    sheet.repeat_rows(0, header_rows - 1)
    sheet.set_header(f"&L&\"-,Bold\"内部资料 注意保密&C{centre}&R统计日 {as_of.isoformat()}", {"margin": 0.3})
    sheet.set_footer("&C第 &P 页，共 &N 页", {"margin": 0.3})
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)


def _write_headings(sheet: Worksheet, row: int, columns: Sequence[Column], formats: _Formats) -> None:
    sheet.set_row(row, _row_height([(c.heading, c.width) for c in columns]))
    for index, column in enumerate(columns):
        sheet.write_string(row, index, column.heading, formats.header)


def _write_title(sheet: Worksheet, text: str, columns: Sequence[Column], formats: _Formats) -> None:
    width = sum(c.width for c in columns)
    sheet.set_row(0, _row_height([(text, width)]) + 4)
    if len(columns) > 1:
        sheet.merge_range(0, 0, 0, len(columns) - 1, text, formats.title)
    else:
        sheet.write_string(0, 0, text, formats.title)


def _write_cell(sheet: Worksheet, row: int, index: int, column: Column, value: Any, formats: _Formats,
                cell_format: Any = None) -> None:
    chosen = cell_format or formats.by_kind[column.kind]
    if value is None or value == "":
        sheet.write_blank(row, index, None, chosen)
    elif column.kind == "date":
        sheet.write_datetime(row, index, dt.datetime(value.year, value.month, value.day), chosen)
    elif column.kind in ("number", "amount"):
        sheet.write_number(row, index, value, chosen)
    else:
        sheet.write_string(row, index, str(value), chosen)


# ---------------------------------------------------------------- one sheet per rule

def rule_columns(rule: Rule) -> list[Column]:
    """The columns of a rule's sheet: who, how to reach them, what to do, with dates named for what they are."""
    columns = [Column("序号", 3.5, "number"), Column("编号", 9)]
    if rule.subject is SubjectKind.WORKER:
        columns += [Column("姓名", 7), Column("单位", 12), Column("管理单位", 9), Column(CONTACT_HEADING, 14)]
    elif rule.subject is SubjectKind.HOME:
        columns += [Column("名称", 14), Column("所在单位", 12), Column("管理单位（推荐单位）", 9)]
    else:
        columns += [Column("单位名称", 14)]
    columns.append(Column("状态", 7.5))
    if rule.amount:
        columns.append(Column(rule.amount, 9, "amount"))
    if rule.date:
        columns.append(Column(rule.date, 10.5, "date"))
    if rule.due:
        columns.append(Column(rule.due, 10.5, "date"))
    columns.append(Column("依据", 13, "wrap"))
    columns.append(Column("说明", SHEET_WIDTH_UNITS - sum(c.width for c in columns), "wrap"))
    return columns


def _row_values(number: int, row: Row) -> list[Any]:
    finding, who = row.finding, row.who
    values: list[Any] = [number, finding.subject, who.name]
    if row.rule.subject is SubjectKind.WORKER:
        contact = "\n".join(part for part in (who.phone, f"亲属：{who.relative}" if who.relative else "") if part)
        values += [who.unit, who.managing_unit, contact]
    elif row.rule.subject is SubjectKind.HOME:
        values += [who.unit, who.managing_unit]
    values.append(STATUS_NAMES.get(finding.status, finding.status))
    if row.rule.amount:
        values.append(amount_number(finding.amount_yuan))
    if row.rule.date:
        values.append(finding.date)
    if row.rule.due:
        values.append(finding.due)
    values += [finding.article, finding.detail]
    return values


def _write_rule_sheet(workbook: xlsxwriter.Workbook, rule: Rule, rows: list[Row], formats: _Formats,
                      as_of: dt.date) -> None:
    sheet = workbook.add_worksheet(rule.sheet)
    columns = rule_columns(rule)
    status_index = next(i for i, c in enumerate(columns) if c.heading == "状态")
    _write_title(sheet, f"{rule.id} {rule.name}　依据：{rule.source}　统计日 {as_of.isoformat()}　共 {len(rows)} 项",
                 columns, formats)
    _write_headings(sheet, 1, columns, formats)
    line = 1
    for number, row in enumerate(rows, start=1):
        line = number + 1
        values = _row_values(number, row)
        sheet.set_row(line, _row_height([(_shown(v), c.width) for v, c in zip(values, columns)]))
        for index, (column, value) in enumerate(zip(columns, values)):
            alert = index == status_index and row.finding.status in ALERT_STATUSES
            _write_cell(sheet, line, index, column, value, formats, formats.alert if alert else None)
    sheet.freeze_panes(2, 3)
    sheet.autofilter(1, 0, line, len(columns) - 1)
    if rule.summed:
        _write_total_row(sheet, line + 1, 1, line, columns, rule, rows, formats)
    _page_setup(sheet, columns, 2, f"{rule.id} {rule.name}", as_of)


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _write_total_row(sheet: Worksheet, at: int, first: int, last: int, columns: list[Column], rule: Rule,
                     rows: list[Row], formats: _Formats) -> None:
    amount_index = next(i for i, c in enumerate(columns) if c.kind == "amount")
    label = "合计（元/月）" if "元/月" in (rule.amount or "") else "合计"
    for index in range(len(columns)):
        sheet.write_blank(at, index, None, formats.total)
    sheet.write_string(at, 1, label, formats.total)
    total = sum((r.finding.amount_yuan for r in rows if r.finding.amount_yuan is not None), start=Decimal(0))
    if rows:
        top, bottom = xl_rowcol_to_cell(first + 1, amount_index), xl_rowcol_to_cell(last, amount_index)
        sheet.write_formula(at, amount_index, f"=SUBTOTAL(109,{top}:{bottom})", formats.total_amount,
                            amount_number(total) or 0)
    else:
        sheet.write_number(at, amount_index, 0, formats.total_amount)


# ---------------------------------------------------------------- 汇总

@dataclass(frozen=True)
class Tally:
    count: int
    alerts: int
    amount: Decimal


def tally(rows: Sequence[Row]) -> Tally:
    return Tally(len(rows), sum(1 for r in rows if r.finding.status in ALERT_STATUSES),
                 sum((r.finding.amount_yuan for r in rows if r.finding.amount_yuan is not None), start=Decimal(0)))


SUMMARY_COLUMNS: tuple[Column, ...] = (
    Column("规则 / 管理单位", 16), Column("名称 / 规则", 26), Column(ALERT_LABEL, 10, "number"),
    Column("事项数", 7, "number"), Column("金额合计", 12, "amount"), Column("金额单位", 7),
    Column("依据 / 编号", 45, "wrap"),
)


def _money_unit(rule: Rule) -> str:
    if not rule.summed:
        return ""
    return "元/月" if "元/月" in (rule.amount or "") else "元"


def _summary_line(sheet: Worksheet, line: int, values: list[Any], formats: _Formats, bold: bool = False) -> None:
    sheet.set_row(line, _row_height([(_shown(v), c.width) for v, c in zip(values, SUMMARY_COLUMNS)]))
    for index, (column, value) in enumerate(zip(SUMMARY_COLUMNS, values)):
        chosen = None
        if bold:
            chosen = {"number": formats.total_number, "amount": formats.total_amount}.get(column.kind, formats.total)
        _write_cell(sheet, line, index, column, value, formats, chosen)


def _subtotal_line(sheet: Worksheet, line: int, label: str, note: str, first: int, last: int,
                   cached: dict[int, int | float], formats: _Formats) -> None:
    """Counts added with SUBTOTAL(9,…), which skips the subtotals inside its range: totals never count twice."""
    _summary_line(sheet, line, [label, note, None, None, None, "", ""], formats, bold=True)
    for index, value in cached.items():
        top, bottom = xl_rowcol_to_cell(first, index), xl_rowcol_to_cell(max(first, last), index)
        chosen = formats.total_amount if SUMMARY_COLUMNS[index].kind == "amount" else formats.total_number
        sheet.write_formula(line, index, f"=SUBTOTAL(9,{top}:{bottom})", chosen, value)


def _write_summary(workbook: xlsxwriter.Workbook, report: Report, rules: Sequence[Rule], rows: list[Row],
                   formats: _Formats, as_of: dt.date, scope: str) -> None:
    sheet = workbook.add_worksheet(SUMMARY_SHEET)
    _page_setup(sheet, SUMMARY_COLUMNS, 1, f"{report.title} 汇总", as_of)
    everything = tally(rows)
    if not rules:
        _write_title(sheet, f"{report.title}　汇总　统计日 {as_of.isoformat()}　{scope}", SUMMARY_COLUMNS, formats)
        sheet.write_string(2, 0, "本次启用的政策包不含本报表的规则，没有事项。", formats.note)
        return
    _write_title(sheet, f"{report.title}　汇总　统计日 {as_of.isoformat()}　{scope}　共 {everything.count} 项，"
                        f"其中{ALERT_LABEL} {everything.alerts} 项（排在前面）", SUMMARY_COLUMNS, formats)
    order = {rule.id: index for index, rule in enumerate(rules)}

    def most_urgent(groups: dict[str, list[Row]]) -> list[str]:
        return sorted(groups, key=lambda key: (-tally(groups[key]).alerts, -len(groups[key]), order.get(key, 0), key))

    # per rule
    line = 2
    sheet.write_string(line, 0, "按规则", formats.title)
    line += 1
    headings = ["规则", "名称", ALERT_LABEL, "事项数", "金额合计", "金额单位", "依据"]
    _write_headings(sheet, line, [Column(h, c.width) for h, c in zip(headings, SUMMARY_COLUMNS)], formats)
    by_rule = {rule.id: [r for r in rows if r.rule.id == rule.id] for rule in rules}
    rule_of = {rule.id: rule for rule in rules}
    first = line + 1
    for rule_id in most_urgent(by_rule):
        rule = rule_of[rule_id]
        counted = tally(by_rule[rule_id])
        line += 1
        _summary_line(sheet, line, [rule.id, rule.name, counted.alerts, counted.count,
                                    amount_number(counted.amount) if rule.summed else None, _money_unit(rule),
                                    rule.source], formats)
    line += 1
    _subtotal_line(sheet, line, "合计", "", first, line - 1, {2: everything.alerts, 3: everything.count}, formats)
    line += 1
    sheet.write_string(line, 0, "金额只在同一规则内相加：每月补助（元/月）与一次性金额（元）不相加。", formats.note)

    # per managing unit, each with its rules
    line += 2
    sheet.write_string(line, 0, "按管理单位", formats.title)
    line += 1
    headings = ["管理单位", "规则", ALERT_LABEL, "事项数", "金额合计", "金额单位", "管理单位编号"]
    _write_headings(sheet, line, [Column(h, c.width) for h, c in zip(headings, SUMMARY_COLUMNS)], formats)
    by_unit: dict[str, list[Row]] = {}
    for row in rows:
        by_unit.setdefault(row.who.managing_unit, []).append(row)
    first_of_all = line + 1
    for unit_name in most_urgent(by_unit):
        unit_rows = by_unit[unit_name]
        unit_id = unit_rows[0].who.managing_unit_id or ""
        first = line + 1
        unit_by_rule = {rule.id: [r for r in unit_rows if r.rule.id == rule.id] for rule in rules}
        for rule_id in most_urgent({k: v for k, v in unit_by_rule.items() if v}):
            rule = rule_of[rule_id]
            counted = tally(unit_by_rule[rule_id])
            line += 1
            _summary_line(sheet, line, [unit_name, f"{rule.id} {rule.name}", counted.alerts, counted.count,
                                        amount_number(counted.amount) if rule.summed else None, _money_unit(rule),
                                        unit_id], formats)
        line += 1
        counted = tally(unit_rows)
        _subtotal_line(sheet, line, unit_name, "小计", first, line - 1, {2: counted.alerts, 3: counted.count},
                       formats)
    line += 1
    _subtotal_line(sheet, line, "合计", "全部管理单位", first_of_all, line - 1,
                   {2: everything.alerts, 3: everything.count}, formats)


# ---------------------------------------------------------------- the workbook

def render_xlsx(report: Report, rules: Sequence[Rule], rows: list[Row], as_of: dt.date, scope: str) -> bytes:
    """One report's workbook: 汇总, then a sheet per rule in `rules` (the rules that ran).

    Built in memory: xlsxwriter's temporary files would hold private rows in the system's temp folder.
    """
    target = io.BytesIO()
    workbook = xlsxwriter.Workbook(target, {"default_date_format": "yyyy-mm-dd", "in_memory": True})
    workbook.set_properties({
        "title": f"{report.title}（内部资料）",
        "subject": f"统计日 {as_of.isoformat()}",
        "category": "内部资料",
        "keywords": "内部资料, 劳模馆",
        "comments": "内部资料，仅供工会工作人员使用，不得公开。",
    })
    formats = _Formats(workbook)
    mine = [r for r in rows if r.rule.report is report]
    _write_summary(workbook, report, rules, mine, formats, as_of, scope)
    for rule in rules:
        _write_rule_sheet(workbook, rule, [r for r in mine if r.rule.id == rule.id], formats, as_of)
    workbook.close()
    return target.getvalue()
