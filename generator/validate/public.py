"""Checks that need more than one public record: ids, vocabulary, years, photos, stories."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from generator.diagnostics import Diagnostic
from generator.load.public import PublicLoad, Source
from generator.model.common import RECORD_ID, Honour
from generator.model.public import Home, Worker
from generator.model.standards import (
    city_province,
    industry_section,
    official_city,
    official_province,
    provinces,
    short_name,
)
from generator.validate.duplicates import check_duplicates
from generator.validate.markup import check_markup
from generator.validate.photos import PhotoChecks

FIRST_HONOUR_YEAR = 1950
MIN_HONOUR_AGE = 16


def check_public(load: PublicLoad, today: dt.date | None = None) -> list[Diagnostic]:
    today = today or dt.date.today()
    home_ids = known_ids(load, ("home",))
    photos = PhotoChecks(load.root / "photos", load.digests)
    shown: list[Worker | Home] = [*load.tree.workers.values(), *load.tree.homes.values()]
    photos.check([r.photo.file for r in shown if r.photo])
    problems: list[Diagnostic] = []
    problems += _unique_ids(load)
    for worker in load.tree.workers.values():
        source = load.sources[("worker", worker.id)]
        problems += _worker_dates(worker, source, today)
        problems += _honours(load, worker.honours, source, "individual", worker.birth_year, today)
        problems += _photo(photos, worker, source)
        problems += _region_and_industry(worker, source)
    for home in load.tree.homes.values():
        source = load.sources[("home", home.id)]
        problems += _honours(load, home.honours, source, "collective", None, today)
        problems += _photo(photos, home, source)
        problems += _home_links(home_ids, home, source, today)
        problems += _region_and_industry(home, source)
    problems += _stories(load)
    problems += check_markup(load)
    problems += check_duplicates(load)
    photos.save()
    return problems


def _unique_ids(load: PublicLoad) -> Iterator[Diagnostic]:
    for home_id in load.tree.homes:
        if home_id in load.tree.workers:
            source = load.sources[("home", home_id)]
            yield source.at(("id",), "error",
                            f"编号（id）“{home_id}”已被人物记录 workers/{home_id}.yml 使用。编号在人物和职工之家之间必须唯一，请换一个。")


def _worker_dates(worker: Worker, source: Source, today: dt.date) -> Iterator[Diagnostic]:
    if worker.birth_year is not None and not 1900 <= worker.birth_year <= today.year:
        yield source.at(("birth_year",), "error", f"出生年份（birth_year）{worker.birth_year} 不合理，应在 1900 到 {today.year} 之间。")
    if worker.died is not None:
        if worker.died > today:
            yield source.at(("died",), "error", f"逝世日期（died）{worker.died} 晚于今天，请核对。")
        elif worker.birth_year is not None and worker.died.year < worker.birth_year:
            yield source.at(("died",), "error", f"逝世日期（died）{worker.died} 早于出生年份（birth_year）{worker.birth_year}，请核对。")


def _honours(load: PublicLoad, honours: list[Honour], source: Source, recipient: str,
             birth_year: int | None, today: dt.date) -> Iterator[Diagnostic]:
    vocab = load.tree.vocab
    seen: set[tuple[str, int]] = set()
    for i, honour in enumerate(honours):
        entry = vocab.get(honour.title)
        if entry is None and (load.vocab_titles is None or honour.title in load.vocab_titles):
            pass  # the vocabulary (or its entry) could not be read: that is reported there, once
        elif entry is None:
            yield source.at(("honours", i, "title"), "error",
                            f"称号（title）“{honour.title}”不在荣誉称号表 vocab/honours.yml 中。请检查用字是否与称号表完全一致，"
                            "或先在称号表中增加这个称号。")
        elif entry.recipient != recipient:
            whom = "集体（职工之家、小家）" if entry.recipient == "collective" else "个人"
            yield source.at(("honours", i, "title"), "error",
                            f"称号“{honour.title}”只授予{whom}，不能用在这条记录上。")
        if honour.year < FIRST_HONOUR_YEAR or honour.year > today.year:
            yield source.at(("honours", i, "year"), "error",
                            f"获奖年份（year）{honour.year} 不合理，应在 {FIRST_HONOUR_YEAR} 到 {today.year} 之间。")
        elif birth_year is not None and honour.year < birth_year + MIN_HONOUR_AGE:
            yield source.at(("honours", i, "year"), "error",
                            f"获奖年份（year）{honour.year} 早于本人 {MIN_HONOUR_AGE} 岁（出生于 {birth_year} 年），请核对年份。")
        if honour.revoked is not None:
            if honour.revoked.date > today:
                yield source.at(("honours", i, "revoked", "date"), "error",
                                f"撤销日期（revoked 下的 date）{honour.revoked.date} 晚于今天，请核对。")
            elif honour.revoked.date.year < honour.year:
                yield source.at(("honours", i, "revoked", "date"), "error",
                                f"撤销日期（revoked 下的 date）{honour.revoked.date} 早于获奖年份（year）{honour.year}，请核对。")
        if (honour.title, honour.year) in seen:
            yield source.at(("honours", i), "warning", f"称号“{honour.title}”（{honour.year} 年）重复列出，请删除重复的一项。")
        seen.add((honour.title, honour.year))


def _region_and_industry(record: Worker | Home, source: Source) -> Iterator[Diagnostic]:
    """Province and city by GB/T 2260 (their names make region pages), industry by GB/T 4754-2017."""
    written = record.region.province
    official = official_province(written)
    if official is None:
        elsewhere = city_province(written)
        prefix = next((name for name in provinces() if written.startswith((name, short_name(name)))), None)
        if elsewhere:
            hint = f"“{written}”是{elsewhere}的城市，请写 province: {elsewhere}，city: {written}。"
        elif prefix:
            hint = f"province 只写省份“{prefix}”，城市写在下一行的 city 里。"
        else:
            hint = ""
        yield source.at(("region", "province"), "error",
                        f"省份（province）“{written}”不是省级行政区的名称（GB/T 2260），"
                        f"应写全称，例如 陕西省、北京市、内蒙古自治区。{hint}")
    elif official != written:
        yield source.at(("region", "province"), "error",
                        f"省份（province）“{written}”请写成全称“{official}”（GB/T 2260 的正式名称，"
                        "地区页面按它分组）。laomo validate --fix 可以自动改正。")
    city = record.region.city
    if official is not None and city and city != official:
        province = provinces()[official]
        listed = official_city(province, city)
        if province.cities and listed is None:
            other = city_province(city)
            if other is not None:
                yield source.at(("region", "city"), "error",
                                f"城市（city）“{city}”属于{other}，不属于{official}。请核对省份和城市。")
            else:
                yield source.at(("region", "city"), "warning",
                                f"城市（city）“{city}”不在{official}的地级行政区名单中（GB/T 2260）。"
                                "请核对名称（地级市写全称，例如 西安市；直辖市写区名）。")
        elif listed is not None and listed != city:
            yield source.at(("region", "city"), "error",
                            f"城市（city）“{city}”请写成全称“{listed}”（GB/T 2260 的正式名称）。")
    if record.industry and industry_section(record.industry) is None:
        yield source.at(("industry",), "warning",
                        f"行业（industry）“{record.industry}”无法对应到国民经济行业分类（GB/T 4754-2017）的门类，"
                        "网站的行业分类和图表会把它单独列出。请改用门类或大类的名称，例如 制造业、"
                        "交通运输、仓储和邮政业、教育。")


def _photo(photos: PhotoChecks, record: Worker | Home, source: Source) -> Iterator[Diagnostic]:
    if record.photo is None:
        return
    problem = photos.problem(record.photo.file)
    if problem:
        yield source.at(("photo", "file"), "error", problem)


def _home_links(home_ids: set[str], home: Home, source: Source, today: dt.date) -> Iterator[Diagnostic]:
    if home.parent is not None:
        if home.parent == home.id:
            yield source.at(("parent",), "error", "上级职工之家（parent）不能是自己。")
        elif home.parent not in home_ids:
            yield source.at(("parent",), "error",
                            f"上级职工之家（parent）“{home.parent}”不存在。请填写 homes/ 目录下已有记录的编号，或删除这一项。")
    if home.dissolved is not None and home.dissolved > today:
        yield source.at(("dissolved",), "error", f"注销日期（dissolved）{home.dissolved} 晚于今天，请核对。")


def known_ids(load: PublicLoad, kinds: tuple[str, ...] = ("worker", "home")) -> set[str]:
    """Ids of every record file, valid or not: an invalid record is reported once, in its own file."""
    return {key for kind, key in load.files if kind in kinds}


def _stories(load: PublicLoad) -> Iterator[Diagnostic]:
    existing = known_ids(load)
    for slug, story in load.tree.stories.items():
        source = load.sources[("story", slug)]
        if not RECORD_ID.match(slug):
            yield Diagnostic(source.display, 1, 1, "error",
                             f"故事文件名“{slug}”不合规：只能用小写字母、数字和连字符（例如 2024-hanjie-gongguan.md）。")
        for i, subject in enumerate(story.meta.about):
            if subject not in existing:
                records: list[Worker | Home] = [*load.tree.workers.values(), *load.tree.homes.values()]
                named = sorted(r.id for r in records if r.name == subject)
                hint = f"“{subject}”的编号是 {'、'.join(named)}，请写编号。" if named else ""
                yield source.at(("about", i), "error",
                                f"“{subject}”不是已有人物或职工之家的编号。请填写 workers/ 或 homes/ 下文件名（不含 .yml）。{hint}")
