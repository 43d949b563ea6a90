"""Pydantic validation errors, told in Chinese at the line where they occur."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Set
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator.diagnostics import Diagnostic
from generator.load.yamlsource import Loc, ParsedYaml

M = TypeVar("M", bound=BaseModel)

FIELD_LABELS: dict[str, str] = {
    "id": "编号", "name": "名称", "name_pinyin": "姓名拼音", "gender": "性别", "ethnicity": "民族",
    "birth_year": "出生年份", "region": "地区", "province": "省份", "city": "城市", "district": "区县",
    "unit": "工作单位", "position": "职务", "industry": "行业", "honours": "荣誉列表", "title": "称号",
    "year": "年份", "conferred_by": "授予机关", "document": "文号", "revoked": "撤销信息", "date": "日期",
    "died": "逝世日期", "photo": "照片", "file": "文件", "alt": "替代文字", "credit": "署名",
    "summary": "简介", "story": "先进事迹", "achievements": "成果", "studio": "劳模创新工作室",
    "level": "级别", "employer": "所属单位", "ownership": "单位性质", "parent": "上级职工之家",
    "dissolved": "注销日期", "about": "相关人物或单位", "source": "来源", "recipient": "授予对象",
    "treatment": "待遇", "authority": "授予机关", "revocation_route": "撤销审批途径",
    "id_number": "身份证号", "birth_date": "出生日期", "phone": "电话",
    "needs_relative_contact": "需要亲属联系人", "relative_contact": "亲属联系人", "relation": "关系",
    "management_unit": "管理单位", "employment": "就业状态", "farmer": "农民劳模",
    "monthly_income_yuan": "月收入（元）", "fixed_income": "有固定收入", "lost_labour_capacity": "丧失劳动能力",
    "health_checks": "体检日期", "sanatorium": "疗休养日期", "aid_applications": "困难帮扶申请",
    "kind": "类别", "amount_yuan": "金额（元）", "discipline": "处分记录", "revocation": "撤销申报",
    "filed": "申报日期", "approved": "批准日期", "death_reported": "逝世上报日期", "transfers": "荣誉关系接转",
    "from": "原单位", "to": "新单位", "years": "年度指标", "membership_rate": "入会率",
    "info_collection_rate": "信息采集率", "satisfaction_rate": "满意率", "dissatisfaction_rate": "不满意率",
    "hotline_on_time_rate": "热线按时办结率", "hotline_satisfaction_rate": "热线满意率", "events": "事件",
    "note": "说明", "recommendation": "推荐", "recommended_by": "推荐单位", "publicity_start": "公示开始",
    "publicity_end": "公示结束", "feedback": "年度反馈", "submitted": "报送日期",
}


def field_label(name: str | int) -> str:
    if isinstance(name, int):
        return f"第 {name + 1} 项"
    label = FIELD_LABELS.get(name)
    return f"“{name}”（{label}）" if label else f"“{name}”"


def _allowed_fields(model: type[BaseModel], loc: Loc) -> list[str]:
    """Field names allowed at `loc` (the mapping holding an unknown key)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        annotation = fields[part].annotation
        current = _model_in(annotation)
        if current is None:
            return []
    fields = getattr(current, "model_fields", {})
    return [info.alias or name for name, info in fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def explain(error: Mapping[str, Any], model: type[BaseModel], written: str | None = None) -> str:  # noqa: C901 - over the limit of 20 today; to be split (issue 19)
    """The error in Chinese; `written` is the value as the editor typed it (YAML reads `yes` as true)."""
    kind = error["type"]
    loc = tuple(error["loc"])
    name = loc[-1] if loc else ""
    label = field_label(name) if loc else "记录"
    if isinstance(name, int) and len(loc) >= 2:  # a list item: named by its list
        label = f"{field_label(loc[-2])}的{label}"
    ctx = error.get("ctx") or {}
    # what YAML made of the text (True for `yes`) would puzzle the editor: quote the text itself when the
    # error is about the kind of value; lengths and ranges are of the value read
    quotes_text = written is not None and (kind.endswith(("_type", "_parsing")) or kind == "literal_error"
                                           or kind.startswith("date"))
    value = written if quotes_text else error.get("input")
    if written == "" and kind.endswith("_type") and isinstance(name, int):
        return f"{label}是空的。请在“- ”后面填写内容，或删掉这一行。"
    if written == "" and kind.endswith("_type"):
        return f"{label} 是空的。请在冒号后面填写内容；如果值以“#”开头，它会被当作注释，请给整个值加英文双引号。"
    given = error.get("input")
    if kind == "int_type" and isinstance(given, str):
        half_width = unicodedata.normalize("NFKC", given).strip()
        if half_width != given.strip() and half_width.isascii() and half_width.isdigit():
            return f"{label} 用了全角数字“{given}”，请改成半角数字 {half_width}。"
        if given.strip().isascii() and given.strip().isdigit():
            return f"{label} 应为整数，现在是加了引号的“{value}”。请去掉引号，写成 {given.strip()}。"
    if kind == "list_type" and isinstance(error.get("input"), dict) and any(
            str(key).startswith("-") for key in error["input"]):
        return f"{label} 的列表项“-”后面缺少空格。请写成“- 字段: 值”（“-”后面加一个空格）。"
    if kind == "extra_forbidden" and isinstance(name, str):
        slip = _key_slip(name, _allowed_fields(model, loc[:-1]))
        if slip:
            return slip
    if kind == "missing":
        return f"缺少必填字段 {label}。请补上这一项。"
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, loc[:-1])
        hint = f"允许的字段有：{'、'.join(allowed)}。" if allowed else ""
        return f"未知字段 {label}，可能是拼写错误。{hint}"
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"{label} 的值“{value}”不在可选范围内，只能是：{'、'.join(choices)}。"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"{label} 应为整数（例如 2020），现在是“{value}”。"
    if kind in {"float_type", "float_parsing"}:
        return f"{label} 应为数字，现在是“{value}”。"
    if kind in {"bool_type", "bool_parsing"}:
        return f"{label} 只能填 true 或 false，现在是“{value}”。"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{label} 应为日期，格式 YYYY-MM-DD（例如 2020-05-01），现在是“{value}”。"
    if kind == "string_type":
        return f"{label} 应为文字，现在是“{value}”。如果是数字或日期形式的文字，请加引号。"
    if kind == "string_too_short":
        return f"{label} 不能为空。"
    if kind == "string_too_long":
        return f"{label} 太长（{len(str(value))} 个字），最多 {ctx.get('max_length')} 个字。"
    if kind == "too_short":
        return f"{label} 至少需要 {ctx.get('min_length')} 项。"
    if kind == "list_type":
        return f"{label} 应为列表（每项以“- ”开头）。"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        fields = _allowed_fields(model, loc)
        hint = f"可用的字段有：{'、'.join(fields)}。" if fields else ""
        now = f"现在是“{value}”。" if value not in (None, "") else ""
        return f"{label} 应为包含若干字段的映射（下一行缩进两个空格写“字段: 值”）。{now}{hint}"
    if kind == "greater_than_equal":
        return f"{label} 不能小于 {ctx.get('ge')}，现在是“{value}”。"
    if kind == "less_than_equal":
        return f"{label} 不能大于 {ctx.get('le')}，现在是“{value}”。"
    if kind == "value_error" and "id_format" in str(ctx.get("error", "")):
        return (f"编号（id）“{value}”格式不对：只能用小写字母、数字和连字符“-”，3–64 个字符，"
                "不能以连字符开头或结尾（例如 zhang-jianguo）。")
    return f"{label} 的值不正确：{error.get('msg', '')}。"


def _key_slip(key: str, allowed: list[str]) -> str | None:
    """A field name that is a known one with a typing slip around it, or its Chinese label."""
    by_label = [name for name in allowed if FIELD_LABELS.get(name) == key.strip()]
    if by_label:
        return f"字段名要用英文：“{key}”请写成“{by_label[0]}”。"
    if key.startswith("-"):
        return f"字段名“{key}”开头的“-”后面缺少空格。列表项请写成“- {key[1:].strip()}: 值”。"
    if key.endswith((":", "：")):
        return f"字段名“{key}”后面多了一个冒号。请只写一个英文冒号加空格：“{key.rstrip(':：')}: ”。"
    return None


def validate_model(model: type[M], parsed: ParsedYaml, display: str,
                   ignore: Set[Loc] = frozenset()) -> tuple[M | None, list[Diagnostic]]:
    """Validate `parsed.data` against `model`, each error at the line of its key or value."""
    if not isinstance(parsed.data, dict):
        line, col = parsed.positions.of_value(())
        return None, [Diagnostic(display, line, col, "error",
                                 "文件内容应为“字段: 值”形式的记录。请对照模板检查文件。")]
    try:
        return model.model_validate(parsed.data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            if loc in parsed.reported or loc in ignore:
                continue
            if error["type"] == "extra_forbidden":
                line, col = parsed.positions.of_key(loc)
            else:
                line, col = parsed.positions.of_value(loc)
            problems.append(Diagnostic(display, line, col, "error", explain(error, model, parsed.written.get(loc))))
        return None, problems
