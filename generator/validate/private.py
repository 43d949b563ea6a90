"""Checks of the private tree against itself and against the public records."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.diagnostics import Diagnostic
from generator.load.private import PrivateLoad
from generator.load.public import PublicLoad
from generator.validate.idcard import birth_date_in, id_number_problem
from generator.validate.public import known_ids

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
AMOUNT_REQUIRED = {"medical", "fire", "family_illness"}


def phone_ok(phone: str) -> bool:
    compact = phone.replace(" ", "")
    return bool(MOBILE.match(compact) or LANDLINE.match(compact))


def check_private(private: PrivateLoad, public: PublicLoad) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    workers, homes = known_ids(public, ("worker",)), known_ids(public, ("home",))
    for worker_id in private.tree.workers:
        source = private.sources[("worker", worker_id)]
        if worker_id not in workers:
            problems.append(source.at(("id",), "error",
                                      f"公开记录中没有编号为“{worker_id}”的人物。私密记录必须对应 records/workers/ 下已有的人物。"))
            continue
        problems += _worker(private, public, worker_id, source)
    for home_id in private.tree.homes:
        source = private.sources[("home", home_id)]
        if home_id not in homes:
            problems.append(source.at(("id",), "error",
                                      f"公开记录中没有编号为“{home_id}”的职工之家。私密记录必须对应 records/homes/ 下已有的记录。"))
            continue
        problems += _home(private, public, home_id, source)
    return problems


def _worker(private: PrivateLoad, public: PublicLoad, worker_id: str, source) -> Iterator[Diagnostic]:
    record = private.tree.workers[worker_id]
    public_worker = public.tree.workers.get(worker_id)
    if record.id_number is not None:
        problem = id_number_problem(record.id_number)
        if problem:
            yield source.at(("id_number",), "error", problem)
        elif record.birth_date is not None and birth_date_in(record.id_number) != record.birth_date:
            yield source.at(("id_number",), "error",
                            f"身份证号（id_number）中的出生日期 {birth_date_in(record.id_number)} 与出生日期（birth_date） {record.birth_date} 不一致，请核对。")
    if record.birth_date is not None and public_worker is not None and public_worker.birth_year is not None:
        if record.birth_date.year != public_worker.birth_year:
            yield source.at(("birth_date",), "error",
                            f"出生日期 {record.birth_date} 与公开记录的出生年份 {public_worker.birth_year} 不一致，请核对其中一处。")
    elif record.id_number is not None and public_worker is not None and public_worker.birth_year is not None:
        born = birth_date_in(record.id_number)
        if born is not None and born.year != public_worker.birth_year and id_number_problem(record.id_number) is None:
            yield source.at(("id_number",), "error",
                            f"身份证号（id_number）中的出生年份 {born.year} 与公开记录的出生年份（birth_year）{public_worker.birth_year} 不一致，请核对。")
    if record.phone is not None and not phone_ok(record.phone):
        yield source.at(("phone",), "error",
                        f"电话“{record.phone}”格式不对：手机号为 11 位（1 开头），座机写区号，例如 029-87654321。")
    if record.relative_contact is not None and not phone_ok(record.relative_contact.phone):
        yield source.at(("relative_contact", "phone"), "error",
                        f"亲属电话“{record.relative_contact.phone}”格式不对：手机号为 11 位（1 开头），座机写区号。")
    if record.management_unit is not None and record.management_unit not in private.tree.units:
        yield source.at(("management_unit",), "error",
                        f"管理单位“{record.management_unit}”不在 units.yml 中。请填写 units.yml 里已有的编号。")
    titles = {h.title for h in public_worker.honours} if public_worker else set()
    for i, revocation in enumerate(record.revocation):
        if public_worker is not None and revocation.honour not in titles:
            yield source.at(("revocation", i, "honour"), "error",
                            f"撤销申报的称号“{revocation.honour}”不在此人的公开荣誉中。请填写与公开记录完全一致的称号。")
        if revocation.approved is not None and revocation.filed is not None and revocation.approved < revocation.filed:
            yield source.at(("revocation", i, "approved"), "error", "批准日期早于申报日期，请核对。")
    for i, application in enumerate(record.aid_applications):
        if application.kind in AMOUNT_REQUIRED and application.amount_yuan is None:
            yield source.at(("aid_applications", i), "warning",
                            "这类帮扶申请需要填写 amount_yuan（自付医疗费或财产损失金额），否则无法判断是否符合条件。")
        if application.kind == "family_illness" and application.relation is None:
            yield source.at(("aid_applications", i), "warning",
                            "家属患病申请需要填写 relation（spouse_without_income、minor_child 或 other）。")


def _home(private: PrivateLoad, public: PublicLoad, home_id: str, source) -> Iterator[Diagnostic]:
    record = private.tree.homes[home_id]
    years = [y.year for y in record.years]
    for i, year in enumerate(years):
        if years.index(year) != i:
            yield source.at(("years", i, "year"), "error", f"{year} 年的指标重复填写，请合并为一项。")
    recommendation = record.recommendation
    if recommendation is None:
        return
    entry = public.tree.vocab.get(recommendation.title)
    if entry is None or entry.recipient != "collective":
        yield source.at(("recommendation", "title"), "error",
                        f"推荐称号“{recommendation.title}”不是称号表中的集体称号（例如 北京市模范职工之家）。")
    if recommendation.recommended_by is not None and recommendation.recommended_by not in private.tree.units:
        yield source.at(("recommendation", "recommended_by"), "error",
                        f"推荐单位“{recommendation.recommended_by}”不在 units.yml 中。")
    if (recommendation.publicity_start and recommendation.publicity_end
            and recommendation.publicity_end < recommendation.publicity_start):
        yield source.at(("recommendation", "publicity_end"), "error", "公示结束日期早于开始日期，请核对。")
