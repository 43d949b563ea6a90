"""`laomo report` end to end: guards, validation, configuration, the examples and their golden findings."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from generator.cli import main
from generator.reports.findings import STATUS_NAMES
from tests.conftest import REPO

RECORDS = REPO / "records"
EXAMPLES = REPO / "examples" / "private"
GOLDEN = Path(__file__).resolve().parent / "golden" / "findings-2026-11-20.json"
OUTPUTS = ["eligibility.xlsx", "findings.json", "index.html", "revocation.xlsx"]

# Every status rules.md defines, by rule (E-AID missing-data: an application without the amount it needs).
EVERY_STATUS: dict[str, set[str]] = {
    "E-SUBSIDY": {"eligible", "missing-data"},
    "E-HEALTH": {"due"},
    "E-SANATORIUM": {"overdue"},
    "E-AID": {"eligible", "ineligible", "missing-data"},
    "E-DEATH": {"late", "overdue", "pending"},
    "E-FEEDBACK": {"missing", "late"},  # `pending` needs an as-of date before 31 October: see below
    "E-CONTACT": {"missing-record", "missing-contact", "missing-relative"},
    "H-ELIGIBLE": {"pass", "fail", "missing-data"},
    "H-PUBLICITY": {"short", "unknown-calendar", "missing-data"},
    "H-QUOTA": {"warning"},
    "R-WORKER": {"approved", "filed", "filed-late", "overdue", "due", "review"},
    "R-HOME": {"candidate", "recover-plaque"},
    "R-UNIONIST": {"candidate"},
}


def report(out: Path, *extra: str, private: Path = EXAMPLES, records: Path = RECORDS,
           as_of: str = "2026-11-20") -> int:
    return main(["report", "--private", str(private), "--records", str(records), "--as-of", as_of,
                 "--out", str(out), *extra])


def _entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# ---------------------------------------------------------------- the examples

@pytest.fixture(scope="module")
def example_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "reports"
    assert report(out) == 0
    return out


def test_writes_exactly_the_four_outputs_and_its_mark(example_run: Path, capsys):
    assert _entries(example_run) == sorted([*OUTPUTS, ".laomo-report"])
    assert _entries(example_run.parent) == ["reports"]  # nothing beside it


def test_golden_findings(example_run: Path):
    produced = json.loads((example_run / "findings.json").read_text(encoding="utf-8"))
    if os.environ.get("LAOMO_UPDATE_GOLDEN") == "1":  # regenerate deliberately: LAOMO_UPDATE_GOLDEN=1 pytest …
        GOLDEN.write_text(json.dumps(produced, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert produced == golden


def test_examples_exercise_every_rule_and_status():
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    seen: dict[str, set[str]] = {}
    for item in golden:
        seen.setdefault(item["rule"], set()).add(item["status"])
    for rule, statuses in EVERY_STATUS.items():
        assert statuses <= seen.get(rule, set()), (rule, statuses - seen.get(rule, set()))


def test_examples_feedback_pending_before_31_october(tmp_path: Path):
    assert report(tmp_path / "out", as_of="2026-10-15") == 0
    found = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    feedback = {(f["subject"], f["status"]) for f in found if f["rule"] == "E-FEEDBACK"}
    assert ("sx-yulin-city", "pending") in feedback and ("sx-xianyang-city", "pending") in feedback


def test_examples_refer_to_existing_public_records():
    for kind in ("workers", "homes"):
        for path in (EXAMPLES / kind).glob("*.yml"):
            assert (RECORDS / kind / path.name).is_file(), path
    assert (EXAMPLES / "README.md").is_file()


def test_every_finding_cites_an_article_and_a_sentence(example_run: Path):
    for item in json.loads((example_run / "findings.json").read_text(encoding="utf-8")):
        assert item["article"] and ("号" in item["article"] or "》" in item["article"])
        assert item["detail"].endswith("。") and item["detail"].count("。") == 1


def test_workbooks_of_the_example_run(example_run: Path):
    book = openpyxl.load_workbook(example_run / "revocation.xlsx")
    assert book.sheetnames == ["汇总", "劳模荣誉撤销", "职工之家称号撤销", "优秀工会工作者撤销"]
    sheet = book["劳模荣誉撤销"]
    assert sheet.freeze_panes == "D3" and sheet.auto_filter.ref
    headings = [c.value for c in sheet[2]]
    assert headings == ["序号", "编号", "姓名", "单位", "管理单位", "联系电话（本人、亲属）", "状态", "决定日期",
                        "申请截止日期", "依据", "说明"]
    rows = [r for r in sheet.iter_rows(min_row=3) if r[0].value is not None]
    assert rows and all(r[7].is_date and r[8].is_date for r in rows)
    assert all(r[2].value and r[3].value and r[4].value for r in rows)
    assert {r[6].value for r in rows} <= set(STATUS_NAMES.values())


def test_every_example_row_has_a_name_unit_and_contact(example_run: Path):
    """Every row names whom it concerns and their unit; a person's row shows the phone and relative the private
    tree holds (blank only when it holds neither)."""
    for name in ("eligibility.xlsx", "revocation.xlsx"):
        book = openpyxl.load_workbook(example_run / name)
        for sheet in book.worksheets[1:]:
            headings = [c.value for c in sheet[2]]
            for row in sheet.iter_rows(min_row=3, values_only=True):
                if row[0] is None:
                    continue
                cells = dict(zip(headings, row))
                assert cells[headings[2]] and (cells.get("单位") or cells.get("所在单位") or cells.get("单位名称"))
                if "联系电话（本人、亲属）" in cells and not cells["联系电话（本人、亲属）"]:
                    record = EXAMPLES / "workers" / f"{cells['编号']}.yml"
                    text = record.read_text(encoding="utf-8") if record.is_file() else ""
                    assert "phone:" not in text, (sheet.title, cells)


def test_prints_what_was_written(tmp_path: Path, capsys):
    assert report(tmp_path / "out") == 0
    printed = capsys.readouterr()
    assert "已生成内部报表" in printed.out and str(tmp_path / "out" / "findings.json") in printed.out
    assert "正在检查 R-WORKER" in printed.err


def test_replaces_an_earlier_report(tmp_path: Path):
    out = tmp_path / "out"
    assert report(out) == 0
    (out / "findings.json").write_text("old", encoding="utf-8")
    assert report(out) == 0
    assert (out / "findings.json").read_text(encoding="utf-8").startswith("[")
    assert _entries(tmp_path) == ["out"]


def test_policy_overrides_configuration(tmp_path: Path):
    assert report(tmp_path / "out", "--policy", "beijing-2015") == 0
    rules = {f["rule"] for f in json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))}
    assert rules == {"E-SANATORIUM"}
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'id="E-SANATORIUM"' in html and 'id="E-AID"' not in html  # unselected packs left out
    assert openpyxl.load_workbook(tmp_path / "out" / "eligibility.xlsx").sheetnames == ["汇总", "疗休养"]
    assert openpyxl.load_workbook(tmp_path / "out" / "revocation.xlsx").sheetnames == ["汇总"]


@pytest.mark.parametrize("policy", [["beijing-2015,xicheng"], ["beijing-2015", "xicheng"], ["beijing-2015，xicheng"],
                                    ["beijing-2015,", "xicheng"]])
def test_policy_takes_commas_and_spaces(tmp_path: Path, policy: list[str]):
    assert report(tmp_path / "out", "--policy", *policy) == 0
    rules = {f["rule"] for f in json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))}
    assert rules == {"E-SANATORIUM", "E-AID"}


def test_unknown_policy_is_refused(tmp_path: Path, capsys):
    assert report(tmp_path / "out", "--policy", "guangdong-2030") == 2
    assert "找不到政策包" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_dated_pack_from_the_configuration(tmp_path: Path):
    """A deployment's own copy of a pack (reports.pack_dirs) with the income line raised from a date."""
    project = tmp_path / "project"
    shutil.copytree(RECORDS, project / "records")
    (project / "packs").mkdir()
    text = (REPO / "generator" / "reports" / "packs" / "anhui-2017.yml").read_text(encoding="utf-8")
    marker = "        article: 三\n  subsidy_monthly_yuan:"
    raised = ("        article: 三\n      - since: 2026-07-01\n        value: 3000\n"
              "        document: 皖政办秘〔2026〕8号\n        article: 二\n  subsidy_monthly_yuan:")
    (project / "packs" / "anhui-2017.yml").write_text(text.replace(marker, raised), encoding="utf-8")
    (project / "laomo.yml").write_text("reports:\n  policies: [anhui-2017]\n  pack_dirs: [packs]\n", encoding="utf-8")

    def eligible(as_of: str) -> set[str]:
        out = tmp_path / as_of
        assert report(out, records=project / "records", as_of=as_of) == 0
        found = json.loads((out / "findings.json").read_text(encoding="utf-8"))
        return {f["subject"] for f in found if f["status"] == "eligible"}

    # 赵红梅 earns exactly 2500: not below the line of 2500, below the raised line of 3000
    assert "zhao-hongmei" not in eligible("2026-06-30")
    assert "zhao-hongmei" in eligible("2026-07-01")


# ---------------------------------------------------------------- validation first

def test_stops_on_validation_errors(tmp_path: Path, capsys):
    private = tmp_path / "private"
    shutil.copytree(EXAMPLES, private)
    (private / "workers" / "nobody-here.yml").write_text("id: nobody-here\nphone: '13800000000'\n", encoding="utf-8")
    (private / "workers" / "tang-wei.yml").write_text("id: tang-wei\nmonthly_incom_yuan: 100\n", encoding="utf-8")
    out = tmp_path / "out"
    assert report(out, private=private) == 1
    printed = capsys.readouterr()
    lines = [line for line in printed.out.splitlines() if ": error: " in line]
    assert any("nobody-here.yml:1:" in line for line in lines)
    assert any("tang-wei.yml:2:" in line for line in lines)
    assert "未生成报表" in printed.err
    assert not out.exists() and _entries(tmp_path) == ["private"]


# ---------------------------------------------------------------- guards

@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "records" / "workers").mkdir(parents=True)
    (tmp_path / "private").mkdir()
    return tmp_path


def _refused(project: Path, capsys, out: Path, private: Path | None = None) -> str:
    before = sorted(str(p) for p in project.rglob("*"))
    code = report(out, private=private or project / "private", records=project / "records")
    printed = capsys.readouterr()
    assert code == 2
    assert sorted(str(p) for p in project.rglob("*")) == before  # nothing written
    assert printed.out == ""
    return printed.err


def test_refuses_out_inside_records(project: Path, capsys):
    message = _refused(project, capsys, project / "records" / "reports")
    assert "拒绝" in message and "公开记录目录" in message
    assert "拒绝" in _refused(project, capsys, project / "records")


def test_refuses_out_inside_the_site(project: Path, capsys):
    message = _refused(project, capsys, project / "site" / "internal")
    assert "公开网站" in message


def test_refuses_out_inside_a_built_site_with_pagefind(project: Path, capsys):
    (project / "public-www" / "pagefind").mkdir(parents=True)
    assert "pagefind" in _refused(project, capsys, project / "public-www")
    assert "pagefind" in _refused(project, capsys, project / "public-www" / "deep" / "reports")
    assert "pagefind" in _refused(project, capsys, project / "public-www" / "pagefind" / "x")


def test_refuses_private_inside_records(project: Path, capsys):
    (project / "records" / "private").mkdir()
    message = _refused(project, capsys, project / "reports", private=project / "records" / "private")
    assert "私密记录" in message and "records" in message


def test_refuses_out_that_is_a_file(project: Path, capsys):
    (project / "reports").write_text("x", encoding="utf-8")
    assert "不是目录" in _refused(project, capsys, project / "reports")
    assert "是文件而不是目录" in _refused(project, capsys, project / "reports" / "sub")
    assert "上级目录" in _refused(project, capsys, project / "nowhere" / "sub")


def test_refuses_through_a_symlink_into_records(project: Path, capsys):
    (project / "link").symlink_to(project / "records")
    assert "公开记录目录" in _refused(project, capsys, project / "link" / "reports")


def test_bad_as_of_date_is_a_usage_error(tmp_path: Path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        report(tmp_path / "out", as_of="2026-02-30")
    assert exit_info.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_failing_writer_leaves_nothing_behind():
    from generator.parallel import BackgroundFailed, in_background

    def fail() -> dict[str, bytes]:
        raise OSError("disk full")

    with pytest.raises(BackgroundFailed, match="disk full"), in_background(fail) as made:
        made()
