"""Open data: the public fields of every shown worker and home as CSV and JSON.

Only what the site shows goes in: shown records, visible honours (never a
revoked one, never the revocation), no private field (the public model has
none). CSV is UTF-8 with a BOM so that Excel opens the Chinese correctly, and
cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from generator.csvsafe import safe_cell
from generator.site.pages import RecordView, SiteModel
from generator.site.text import summary_text

WORKER_FIELDS = [
    ("id", "编号，也是网址 /workers/<编号>/ 的一部分"), ("name", "姓名"), ("gender", "性别"), ("ethnicity", "民族"),
    ("birth_year", "出生年份"), ("died", "逝世日期"), ("province", "省份"), ("city", "城市"), ("district", "区县"),
    ("unit", "工作单位"), ("position", "职务"), ("industry", "行业"), ("honours", "荣誉（年份 称号）"),
    ("summary", "简介"), ("achievements", "主要成果"), ("studio", "劳模创新工作室"), ("url", "本站页面地址"),
]
HOME_FIELDS = [
    ("id", "编号，也是网址 /homes/<编号>/ 的一部分"), ("name", "工会名称"), ("employer", "所属单位"),
    ("ownership", "单位性质"), ("province", "省份"), ("city", "城市"), ("district", "区县"), ("industry", "行业"),
    ("parent", "上级职工之家的编号"), ("dissolved", "注销日期"), ("honours", "荣誉（年份 称号）"),
    ("summary", "简介"), ("achievements", "主要成果"), ("url", "本站页面地址"),
]
FIELD_HELP = [(name, meaning) for name, meaning in WORKER_FIELDS] + [
    (name, meaning) for name, meaning in HOME_FIELDS if name in {"employer", "ownership", "parent", "dissolved"}]


def _record(r: RecordView, site_url: str) -> dict:
    honours = [{"title": h.title, "year": h.year, "conferred_by": h.authority, "document": h.document}
               for h in r.honours]
    common = {"id": r.id, "name": r.name}
    place = {"province": r.province, "city": r.city, "district": r.district}
    tail = {"honours": honours, "summary": summary_text(r.summary) or None, "achievements": r.achievements,
            "url": site_url + r.url}
    if r.kind == "worker":
        return {**common, "gender": r.gender, "ethnicity": r.ethnicity, "birth_year": r.birth_year,
                "died": r.died.isoformat() if r.died else None, **place, "unit": r.unit, "position": r.position,
                "industry": r.industry, **tail, "studio": r.studio}
    return {**common, "employer": r.unit, "ownership": r.ownership, **place, "industry": r.industry,
            "parent": r.parent.url.split("/")[1] if r.parent else None,
            "dissolved": r.dissolved.isoformat() if r.dissolved else None, **tail}


def _cell(value) -> str:
    """One CSV cell: lists joined with “；”, a studio with its year and level; never a formula."""
    if value is None:
        return ""
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            text = "；".join(f"{h['year']} {h['title']}" for h in value)
        else:
            text = "；".join(str(v) for v in value)
    elif isinstance(value, dict):
        extra = "，".join(str(value[k]) for k in ("year", "level") if value.get(k))
        text = str(value.get("name", "")) + (f"（{extra}）" if extra else "")
    else:
        text = str(value)
    return safe_cell(text)


def _csv(rows: list[dict], fields: list[tuple[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([name for name, _ in fields])
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name, _ in fields])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def json_row(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False)


def json_rows(rows: list[dict]) -> str:
    """A JSON array with one record per line: readable in a diff, and written by json's C encoder (an
    indented dump of 20,000 records takes seconds)."""
    return "[\n" + ",\n".join(json_row(row) for row in rows) + "\n]\n" if rows else "[]\n"


def write_open_data(model: SiteModel, out: Path, site_url: str, made: dict[str, dict] | None = None) -> list[Path]:
    """data/{workers,homes}.{json,csv}; `made` holds rows already made, by record id."""
    made = made or {}
    folder = out / "data"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, records, fields in (("workers", model.workers.records, WORKER_FIELDS),
                                  ("homes", model.homes.records, HOME_FIELDS)):
        rows = [made[r.id] if r.id in made else _record(r, site_url) for r in records]
        (folder / f"{name}.json").write_text(json_rows(rows), encoding="utf-8")
        (folder / f"{name}.csv").write_bytes(_csv(rows, fields))
        written += [folder / f"{name}.json", folder / f"{name}.csv"]
    return written
