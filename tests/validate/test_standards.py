"""The national standards the records are checked against: GB/T 2260 regions and GB/T 4754-2017 industries."""

from __future__ import annotations

import pytest

from generator.model.standards import (
    industry_section,
    official_city,
    official_province,
    provinces,
    short_name,
)
from generator.projection import project
from generator.site.names import slugify, unique_slugs
from generator.validate.run import validate_public
from tests.conftest import WORKER


def test_every_provincial_level_division_is_listed_once_with_its_own_slug():
    table = provinces()
    assert len(table) == 34
    assert len({p.slug for p in table.values()}) == 34
    assert len({p.code for p in table.values()}) == 34
    assert (table["陕西省"].slug, table["山西省"].slug, table["内蒙古自治区"].slug) == ("shaanxi", "shanxi", "neimenggu")
    assert sum(len(p.cities) for p in table.values() if not p.municipality) >= 333  # prefecture-level divisions


def test_region_slugs_never_depend_on_what_else_is_in_the_tree():
    assert unique_slugs(["山西省"]) == {"山西省": "shanxi"}
    assert unique_slugs(["陕西省", "山西省"]) == {"陕西省": "shaanxi", "山西省": "shanxi"}
    assert all(slugify(name) == p.slug for name, p in provinces().items())


@pytest.mark.parametrize("written, official", [
    ("陕西", "陕西省"), ("山西", "山西省"), ("内蒙古", "内蒙古自治区"), ("广西", "广西壮族自治区"), ("北京", "北京市"),
    ("新疆", "新疆维吾尔自治区"), ("香港", "香港特别行政区"), (" 陕西省 ", "陕西省"), ("关中", None), ("西安市", None),
])
def test_official_province_names(written, official):
    assert official_province(written) == official


def test_short_names_and_cities():
    assert short_name("宁夏回族自治区") == "宁夏"
    assert official_city(provinces()["陕西省"], "西安") == "西安市"
    assert official_city(provinces()["湖北省"], "仙桃市") == "仙桃市"  # directly under the province
    assert official_city(provinces()["陕西省"], "西") is None


@pytest.mark.parametrize("written, section", [
    ("制造业", "制造业"), ("交通运输业", "交通运输、仓储和邮政业"), ("铁路运输业", "交通运输、仓储和邮政业"),
    ("交通运输、仓储和邮政业", "交通运输、仓储和邮政业"), ("交通运输，仓储和邮政业", "交通运输、仓储和邮政业"),
    ("汽车制造业", "制造业"), ("电力", "电力、热力、燃气及水生产和供应业"), ("卫生", "卫生和社会工作"),
    ("教育（中学）", "教育"), ("农业", "农、林、牧、渔业"), ("先进个人", None), ("", None),
])
def test_industries_map_to_sections(written, section):
    found = industry_section(written)
    assert (found.name if found else None) == section


def test_charts_and_facets_read_the_section(tree):
    tree.worker("a-one", WORKER.format(id="a-one") + "industry: 铁路运输业\n")
    tree.worker("a-two", WORKER.format(id="a-two") + "industry: 交通运输、仓储和邮政业\n")
    tree.worker("a-three", WORKER.format(id="a-three") + "industry: 先进个人\n")
    projection = project(validate_public(tree.records).public.tree)
    assert {w.industry for w in projection.workers.values()} == {"交通运输、仓储和邮政业", "先进个人"}


def test_city_slugs_are_distinct_within_each_province_so_never_numbered():
    for province in provinces().values():
        slugs = [slugify(city) for city in province.cities]
        assert len(slugs) == len(set(slugs)), province.name
