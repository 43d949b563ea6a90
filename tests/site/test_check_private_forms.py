"""`laomo check --private` compares phones and ID numbers in their normalised forms, reports a private value
that a public record also writes, and is quiet about a unit's name that is public anyway (issue 18.8)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_checks.secrets import Secret, SecretMatcher, classify, collect_private_values, public_values
from tests.conftest import REPO

PHONE = "13991234526"
ID_NUMBER = "11010519491231002X"


@pytest.mark.parametrize("text", ["电话 139 9123 4526。", "电话：139-9123-4526", "电话１３９９１２３４５２６",
                                  "电话 +86 139 9123 4526", "电话 １３９－９１２３－４５２６"])
def test_formatted_phones_are_found(text):
    matcher = SecretMatcher([Secret(PHONE, "电话号码", "workers/a.yml", True, "a")])
    assert [s.value for s in matcher.find(text)] == [PHONE]


def test_full_width_id_number_is_found():
    matcher = SecretMatcher([Secret(ID_NUMBER, "身份证号", "workers/a.yml", True, "a")])
    assert [s.value for s in matcher.find("证件 １１０１０５１９４９１２３１００２Ｘ")] == [ID_NUMBER]
    assert matcher.find("编号 11010519491231002") == []


def test_private_numbers_are_normalised():
    assert classify(("phone",), "139-9123-4526") == (PHONE, True)
    assert classify(("relative_contact", "phone"), "１３９ ９１２３ ４５２６") == (PHONE, True)
    assert classify(("id_number",), "11010519491231002x") == (ID_NUMBER, True)


def _trees(tmp_path: Path, public_worker: str, private_worker: str) -> tuple[Path, Path]:
    records, private = tmp_path / "records", tmp_path / "private"
    (records / "workers").mkdir(parents=True)
    (private / "workers").mkdir(parents=True)
    (records / "workers" / "a-b.yml").write_text(public_worker, encoding="utf-8")
    (private / "workers" / "a-b.yml").write_text(private_worker, encoding="utf-8")
    return records, private


def test_private_value_in_a_public_record_is_still_a_secret(tmp_path):
    records, private = _trees(tmp_path, f"id: a-b\nunit: 某某公司\nposition: \"{PHONE}\"\n",
                              "id: a-b\nphone: \"139 9123 4526\"\n")
    assert PHONE in {s.value for s in collect_private_values(private, public_values(records))}


def test_unit_names_public_anyway_are_not_secrets(tmp_path):
    records, private = _trees(tmp_path, "id: a-b\nunit: 西安华岳重工机械有限公司第三分公司\n",
                              "id: a-b\ndiscipline:\n  - date: 2020-01-01\n    kind: demerit\n"
                              "    authority: 西安华岳重工机械有限公司\n  - date: 2021-01-01\n    kind: demerit\n"
                              "    authority: 某某区纪委监委\n")
    secrets = {s.value for s in collect_private_values(private, public_values(records))}
    assert "西安华岳重工机械有限公司" not in secrets  # the employer: its name is on the site anyway
    assert "某某区纪委监委" in secrets  # not public: a leak if it shows up


def test_sample_trees_check_clean_and_a_formatted_phone_is_caught(tmp_path):
    from generator.site.build import build_site

    records = tmp_path / "records"
    shutil.copytree(REPO / "records", records)
    private = REPO / "examples" / "private"
    phone = next(line.split('"')[1] for line in (private / "workers" / "zhang-jianguo.yml").read_text(
        encoding="utf-8").splitlines() if line.startswith("phone:"))
    spaced = f"{phone[:3]} {phone[3:7]} {phone[7:]}".translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    worker = records / "workers" / "zhang-jianguo.yml"
    worker.write_text(worker.read_text(encoding="utf-8").replace("summary: ", f"summary: 联系电话 {spaced}，", 1),
                      encoding="utf-8")
    site = tmp_path / "site"
    build_site(records, site, echo=lambda line: None)
    check = [sys.executable, "-m", "generator", "check", str(site), "--private", str(private), "--records"]
    leaked = subprocess.run([*check, str(records)], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert leaked.returncode == 1 and "workers/zhang-jianguo/index.html" in leaked.stdout
    assert "电话号码" in leaked.stdout and phone not in leaked.stdout + leaked.stderr
    validate = subprocess.run([sys.executable, "-m", "generator", "validate", "--records", str(records),
                               "--private", str(private)], capture_output=True, text=True, cwd=tmp_path, check=False)
    # validate names the leak twice: in the public record (a mobile number) and in the private one (where it is)
    assert validate.returncode == 1
    assert any(line.startswith("records/workers/zhang-jianguo.yml:") and "手机号码" in line
               for line in validate.stdout.splitlines()), validate.stdout
    assert any("zhang-jianguo.yml" in line and "也写在公开记录 records/workers/zhang-jianguo.yml" in line
               for line in validate.stdout.splitlines()), validate.stdout
