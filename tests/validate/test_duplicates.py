"""One person (or home) under two ids is warned of, on every record of the group, naming the others."""

from __future__ import annotations

from generator.validate.run import validate_public
from tests.conftest import HOME, WORKER


def warnings(tree):
    return sorted(d for d in validate_public(tree.records).diagnostics if d.severity == "warning")


def test_a_copy_under_a_new_id_is_warned_on_both_files(tree):
    tree.worker("zhang-jianguo")
    tree.worker("zhang-jianguo-2")
    found = warnings(tree)
    assert [(d.path.split("/")[-1], d.line) for d in found] == [("zhang-jianguo-2.yml", 2), ("zhang-jianguo.yml", 2)]
    assert found[0].path.endswith("workers/zhang-jianguo-2.yml")
    assert "workers/zhang-jianguo.yml:2" in found[0].message and "workers/zhang-jianguo-2.yml:2" in found[1].message
    assert not [d for d in validate_public(tree.records).diagnostics if d.severity == "error"]


def test_traditional_characters_and_spacing_do_not_hide_a_duplicate(tree):
    tree.worker("zhang-jianguo")
    tree.worker("zhang-jian-guo", WORKER.format(id="zhang-jian-guo").replace("name: 张建国", "name: 張 建國")
                .replace("unit: 西安某某机械厂", "unit: 西安某某機械廠"))
    assert len(warnings(tree)) == 2


def test_a_group_of_three_names_the_two_others(tree):
    for record_id in ("zhang-jianguo", "zhang-jianguo-2", "zhang-jianguo-3"):
        tree.worker(record_id)
    found = warnings(tree)
    assert len(found) == 3
    assert all(d.message.count("zhang-jianguo") == 2 for d in found)


def test_same_name_but_another_birth_year_or_unit_is_not_a_duplicate(tree):
    tree.worker("zhang-jianguo")
    tree.worker("zhang-jianguo-1980", WORKER.format(id="zhang-jianguo-1980").replace("birth_year: 1970", "birth_year: 1980"))
    tree.worker("zhang-jianguo-other", WORKER.format(id="zhang-jianguo-other").replace("西安某某机械厂", "宝鸡某某机械厂"))
    assert warnings(tree) == []


def test_a_copied_home_is_warned(tree):
    tree.home("mou-home")
    tree.home("mou-home-copy")
    assert len(warnings(tree)) == 2
    tree.home("mou-home-copy", HOME.format(id="mou-home-copy").replace("某某有限公司工会委员会", "某某有限公司第二工会"))
    assert warnings(tree) == []
