"""The privacy scan: private keys and private-looking values in records/ and in a pull request's diff."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from generator.model.private import PrivateWorker
from generator.privacyscan import find_values, is_id_number, key_pattern, luhn_ok, mask, scan_diff
from generator.validate.privacy import private_key_pattern, private_keys, scan_records
from tests.conftest import REPO

ID_NUMBER = "610111196611200470"  # the demo tree's 张建国 (fictional), valid check digit
CARD = "6222021234567890128"  # UnionPay shape, valid Luhn digit


def _kinds(line: str) -> list[str]:
    return [f.kind.name for f in find_values(line)]


@pytest.mark.parametrize("line", [
    f"id_number: \"{ID_NUMBER}\"", "身份证 11010519491231002x。", "电话：13991234526", "电话 139 9123 4526",
    "电话 139-9123-4526", "电话 １３９９１２３４５２６", "call 13991234526, or", "电话 13991234526.", "电话：+86 139 9123 4526", f"卡号 {CARD}",
    "卡号 6222 0212 3456 7890 128", "卡号 ６２２２０２１２３４５６７８９０１２８",
])
def test_private_values_are_found(line):
    assert _kinds(line), line


@pytest.mark.parametrize("line", [
    "2005 年 3 月获陕西省劳动模范称号", "陕政发〔2005〕27号", "中发〔2020〕12号、京工发〔2021〕19号 第二十五条",
    "服务热线 029-12345678，职工维权热线 12351", "热线（010）87654321", "1998—2005 年间完成 1200 项改造",
    f"{ID_NUMBER[:17]}1",  # wrong check digit
    "6222021234567890123",  # wrong Luhn digit
    "订单号 201912311234567890", "1391234567", "139912345267",  # too short, too long for a mobile
    "产量 13,991,234 吨", "照片 sha256 3b1f13991234526a", "累计创效 15000000000 元", "节约 13991234526元",
    "总投资 6222021234567890128 元", "专利号 ZL201510123456.7", "ISBN 978-7-111-12345-6", "圆周率 3.13991234526",
    "统一社会信用代码 91610000123456789X",
])
def test_ordinary_text_gives_no_alarm(line):
    assert _kinds(line) == [], line


def test_one_number_is_one_finding_and_masked():
    found = list(find_values(f"x {ID_NUMBER} y"))
    assert [(f.kind.name, f.shown, f.column) for f in found] == [("ID_NUMBER", "6101**********0470", 3)]
    assert mask("13991234526") == "139****4526"
    assert is_id_number(ID_NUMBER) and luhn_ok(CARD)


def test_private_keys_come_from_the_private_model():
    keys = private_keys()
    assert set(PrivateWorker.model_fields) - {"id"} <= keys
    assert {"amount_yuan", "relation", "membership_rate"} <= keys  # nested private models too
    assert not {"id", "name", "year", "date", "title", "document", "authority"} & keys  # public fields as well


@pytest.mark.parametrize("line", ["phone: x", "  id_number: x", "- monthly_income_yuan: 1", '  "phone": 1',
                                  "    - aid_applications:", "relative_contact:"])
def test_private_keys_are_found_at_any_depth(line):
    assert private_key_pattern().match(line)


@pytest.mark.parametrize("line", ["name: 张建国", "telephone: x", "# phone: 在私密目录中", "story: phone: x"])
def test_other_keys_are_not_private(line):
    assert not private_key_pattern().match(line)


def test_key_pattern_is_built_from_the_given_keys():
    assert key_pattern({"a_b"}).match("a_b:") and not key_pattern({"a_b"}).match("ab:")


def test_sample_records_and_demo_stories_are_clean():
    assert scan_records(REPO / "records") == []


def test_values_in_public_records_are_errors_with_file_and_line(tree):
    tree.worker(text="""\
        id: zhang-jianguo
        name: 张建国
        gender: 男
        region:
          province: 陕西省
        unit: 西安某某机械厂
        summary: 联系电话 139 9123 4526
        honours:
          - title: 全国劳动模范
            year: 2015
            document: "6222021234567890128"
        """)
    tree.write("stories/s.md", f"---\ntitle: 故事\ndate: 2024-01-01\nabout: [zhang-jianguo]\n---\n\n身份证 {ID_NUMBER}\n")
    problems = {(d.path.rsplit("/", 2)[-2] + "/" + d.path.rsplit("/", 1)[-1], d.line, d.column): d.message
                for d in scan_records(tree.records)}
    assert set(problems) == {("workers/zhang-jianguo.yml", 7, 15), ("workers/zhang-jianguo.yml", 11, 16),
                             ("stories/s.md", 7, 5)}
    message = problems[("stories/s.md", 7, 5)]
    assert "6101**********0470" in message and "私密目录" in message and ID_NUMBER not in message


def test_story_body_is_not_read_as_yaml_keys(tree):
    tree.write("stories/s.md", "---\ntitle: 故事\n---\n\nnote: 这只是正文里的一行\n")
    assert scan_records(tree.records) == []
    tree.write("stories/t.md", "---\ntitle: 故事\nnote: 私密备注\n---\n")
    assert [d.line for d in scan_records(tree.records)] == [3]


def test_validate_reports_private_values_once(tree):
    tree.worker(text=(REPO / "records/workers/zhang-jianguo.yml").read_text(encoding="utf-8")
                + "phone: \"13991234526\"\n")
    result = subprocess.run([sys.executable, "-m", "generator", "validate", "--records", str(tree.records)],
                            capture_output=True, text=True, cwd=tree.root, check=False)
    assert result.returncode == 1
    phone_lines = [line for line in result.stdout.splitlines() if "phone" in line or "139****4526" in line]
    assert len(phone_lines) == 1, result.stdout  # the loader's "private field" error, not three for one line


DIFF = f"""\
diff --git a/records/workers/x.yml b/records/workers/x.yml
new file mode 100644
--- /dev/null
+++ b/records/workers/x.yml
@@ -0,0 +1,3 @@
+id: x
+id_number: "{ID_NUMBER}"
+name: 某某
diff --git a/records/stories/a.md b/records/stories/a.md
--- a/records/stories/a.md
+++ b/records/stories/a.md
@@ -10,0 +11,2 @@ title
+第二段
+电话 １３９－９１２３－４５２６
diff --git a/generator/reports/packs/p.yml b/generator/reports/packs/p.yml
--- a/generator/reports/packs/p.yml
+++ b/generator/reports/packs/p.yml
@@ -3 +3 @@
-  sanatorium: 1
+  sanatorium: 2
"""


def test_diff_scan_reports_added_lines_at_their_new_line():
    found = sorted((d.path, d.line, d.column) for d in scan_diff(DIFF, private_key_pattern()))
    assert found == [("records/stories/a.md", 12, 4), ("records/workers/x.yml", 2, 1),
                     ("records/workers/x.yml", 2, 13)]


def _git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def pull_request(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "records", repo / "records")
    (repo / "laomo.yml").write_text("policies: {}\n", encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "base")
    _git(repo, "checkout", "-qb", "pull-request")
    return repo


def _scan(repo, *extra):
    return subprocess.run([sys.executable, "-m", "generator", "scan-diff", "main", "--repo", str(repo), *extra],
                          capture_output=True, text=True, cwd=REPO, check=False)


def _commit(repo):
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "change")


def test_scan_diff_passes_an_ordinary_change(pull_request):
    story = pull_request / "records/stories/xirun-elec-home.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n2005 年，陕政发〔2005〕27号；热线 12351、029-12345678。\n",
                     encoding="utf-8")
    _commit(pull_request)
    result = _scan(pull_request)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "注意" not in result.stdout


def test_scan_diff_reports_private_values_and_staff_files_first(pull_request):
    (pull_request / "laomo.yml").write_text("policies: {evil: 1}\n", encoding="utf-8")
    worker = pull_request / "records/workers/zhang-jianguo.yml"
    worker.write_text(worker.read_text(encoding="utf-8") + "summary: 电话 139-9123-4526\n", encoding="utf-8")
    _commit(pull_request)
    result = _scan(pull_request, "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::warning file=laomo.yml") and "工作人员审核" in lines[0]
    length = len(worker.read_text(encoding="utf-8").splitlines())
    assert any(line.startswith(f"::error file=records/workers/zhang-jianguo.yml,line={length},") and "139****4526" in line
               for line in lines), result.stdout
    assert "13991234526" not in result.stdout and "9123-4526" not in result.stdout


def test_scan_diff_staged_checks_what_is_about_to_be_committed(pull_request):
    (pull_request / "records/x.txt").write_text(f"身份证 {ID_NUMBER}\n", encoding="utf-8")
    _git(pull_request, "add", "records/x.txt")
    result = subprocess.run([sys.executable, "-m", "generator", "scan-diff", "--staged", "--repo", str(pull_request)],
                            capture_output=True, text=True, cwd=REPO, check=False)
    assert result.returncode == 1 and "records/x.txt:1:5:" in result.stdout


def test_staff_reviewed_paths_are_in_codeowners():
    from generator.scandiff import REVIEWED_BY_STAFF

    owners = {line.split()[0].lstrip("/") for line in (REPO / ".github/CODEOWNERS").read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")}
    assert {prefix for prefix, _ in REVIEWED_BY_STAFF} == owners
    workflow = (REPO / ".github/workflows/records.yml").read_text(encoding="utf-8")
    assert 'laomo scan-diff "$BASE" --format github' in workflow and "fetch-depth: 0" in workflow
    assert workflow.index("scan-diff") < workflow.index("laomo validate")  # said first


def test_binary_files_in_a_diff_are_named():
    from generator.privacyscan import binary_files

    diff = ("Binary files /dev/null and b/records/x.yml differ\n"
            "Binary files a/records/photos/a.jpg and b/records/photos/a.jpg differ\n")
    assert [(d.path, d.severity) for d in binary_files(diff)] == [("records/x.yml", "warning")]


def test_hidden_record_file_is_reported(tree):
    from generator.validate.layout import check_layout

    tree.write("workers/.old.yml", "id: x\n")
    assert [d.message[:4] for d in check_layout(tree.records)] == ["隐藏文件"]


def test_the_repository_itself_has_no_private_looking_values():
    """What a pull request's check would say of every tracked file (the guide is published on the site too)."""
    from generator.privacyscan import find_values
    from generator.scandiff import SYNTHETIC

    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z"], capture_output=True, check=False)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    hits = []
    for name in listed.stdout.decode("utf-8").split("\0"):
        path = REPO / name
        if not name or name.startswith(SYNTHETIC) or not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue
        for number, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), start=1):
            hits += [f"{name}:{number}: {f.kind.value} {f.shown}" for f in find_values(line)]
    assert hits == []
