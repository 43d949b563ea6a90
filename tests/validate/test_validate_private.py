"""Checks of the private tree: ids, identity numbers, phones, rates, units."""

from __future__ import annotations

from generator.model.common import PRIVATE_FIELD_NAMES
from generator.model.private import PrivateHome, PrivateWorker
from generator.validate.idcard import check_digit, id_number_problem
from generator.validate.trees import validate_trees


def with_check_digit(first17: str) -> str:
    return first17 + check_digit(first17)


ID_1970 = with_check_digit("61010219700315123")


def problems(tree):
    return [d for d in validate_trees(tree.records, tree.private).diagnostics if d.severity == "error"]


def only(tree):
    found = problems(tree)
    assert len(found) == 1, found
    return found[0]


def setup(tree, private_text: str):
    tree.worker()
    tree.home()
    tree.write("units.yml", "- id: xa-city\n  name: 西安市总工会\n  kind: city\n", private=True)
    tree.write("workers/zhang-jianguo.yml", private_text, private=True)


def test_private_field_list_matches_the_private_model():
    fields = (set(PrivateWorker.model_fields) | set(PrivateHome.model_fields)) - {"id"}
    fields = {PrivateWorker.model_fields[f].alias or f if f in PrivateWorker.model_fields else f for f in fields}
    assert fields == PRIVATE_FIELD_NAMES


def test_gb11643_check_digit():
    assert id_number_problem("11010519491231002X") is None  # the standard's own example
    assert "校验位" in id_number_problem("110105194912310021")
    assert id_number_problem("11010519490231002X") is not None  # 31 February


def test_valid_private_record(tree):
    setup(tree, f"id: zhang-jianguo\nid_number: '{ID_1970}'\nbirth_date: 1970-03-15\nphone: '13912345678'\n"
                "management_unit: xa-city\n")
    assert problems(tree) == []


def test_private_id_must_name_a_public_worker(tree):
    setup(tree, "id: zhang-jianguo\n")
    tree.write("workers/li-si.yml", "id: li-si\n", private=True)
    d = only(tree)
    assert d.path.endswith("li-si.yml") and d.line == 1 and "公开记录" in d.message


def test_bad_check_digit_is_reported_at_its_line(tree):
    bad = ID_1970[:-1] + ("0" if ID_1970[-1] != "0" else "1")
    setup(tree, f"id: zhang-jianguo\nphone: '13912345678'\nid_number: '{bad}'\n")
    d = only(tree)
    assert d.line == 3 and "校验位" in d.message


def test_id_number_must_agree_with_birth_date(tree):
    setup(tree, f"id: zhang-jianguo\nid_number: '{ID_1970}'\nbirth_date: 1970-03-16\n")
    d = only(tree)
    assert d.line == 2 and "不一致" in d.message


def test_birth_date_must_agree_with_public_birth_year(tree):
    setup(tree, "id: zhang-jianguo\nbirth_date: 1971-03-15\n")
    d = only(tree)
    assert d.line == 2 and "出生年份" in d.message


def test_id_number_year_must_agree_with_public_birth_year(tree):
    other = with_check_digit("61010219710315123")
    setup(tree, f"id: zhang-jianguo\nid_number: '{other}'\n")
    assert only(tree).line == 2


def test_phone_format(tree):
    setup(tree, "id: zhang-jianguo\nphone: '1291234567'\n")
    assert only(tree).line == 2
    setup(tree, "id: zhang-jianguo\nphone: 029-87654321\n")
    assert problems(tree) == []


def test_relative_phone_format(tree):
    setup(tree, "id: zhang-jianguo\nrelative_contact:\n  name: 张小明\n  relation: 儿子\n  phone: '12345'\n")
    assert only(tree).line == 5


def test_rates_between_zero_and_one(tree):
    setup(tree, "id: zhang-jianguo\n")
    tree.write("homes/mou-home.yml", "id: mou-home\nyears:\n  - year: 2024\n    membership_rate: 1.2\n", private=True)
    d = only(tree)
    assert d.line == 4 and "不能大于 1" in d.message
    tree.write("homes/mou-home.yml", "id: mou-home\nyears:\n  - year: 2024\n    membership_rate: 1\n", private=True)
    assert problems(tree) == []


def test_unknown_management_unit(tree):
    setup(tree, "id: zhang-jianguo\nmanagement_unit: nowhere\n")
    assert only(tree).line == 2


def test_unknown_discipline_kind(tree):
    setup(tree, "id: zhang-jianguo\ndiscipline:\n  - date: 2025-01-01\n    kind: jail\n")
    d = only(tree)
    assert d.line == 4 and "fraud" in d.message


def test_revocation_names_a_public_honour(tree):
    setup(tree, "id: zhang-jianguo\nrevocation:\n  - honour: 陕西省劳动模范\n    filed: 2025-01-01\n")
    assert only(tree).line == 3


def test_private_date_must_be_real(tree):
    setup(tree, "id: zhang-jianguo\nhealth_checks:\n  - 2025-02-29\n")
    d = only(tree)
    assert d.line == 3 and "真实" in d.message
