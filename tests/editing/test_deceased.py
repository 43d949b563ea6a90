"""`laomo deceased`: `died:` goes in after the honours, every other byte stays; impossible input is refused."""

from __future__ import annotations

import pytest

from generator.cli import main
from generator.validate.run import validate_public
from tests.editing.test_revoke import ODD, write


def deceased(tree, *args):
    return main(["deceased", *args, "--records", str(tree.records)])


def errors(tree):
    return [d for d in validate_public(tree.records).diagnostics if d.severity == "error"]


def test_died_goes_right_after_the_honours(tree, capsys):
    path = write(tree, ODD)
    before = path.read_bytes()
    assert deceased(tree, "zhang-jianguo", "--date", "2023-03-14") == 0
    after = path.read_bytes()
    anchor = "        document: '中发〔2015〕9号'   # 原文件\n"
    assert after == ODD.replace(anchor, anchor + "died: 2023-03-14\n").encode()
    assert after.replace(b"died: 2023-03-14\n", b"") == before
    assert str(validate_public(tree.records).public.tree.workers["zhang-jianguo"].died) == "2023-03-14"
    out = capsys.readouterr().out
    assert "+died: 2023-03-14\n" in out and "--- a/" in out and "逝世" in out


def test_died_in_a_fresh_template_replaces_its_commented_example(tree):
    assert main(["new", "worker", "--records", str(tree.records), "--name", "张建国", "--gender", "男",
                 "--province", "陕西省", "--unit", "某厂", "--honour", "全国劳动模范", "--year", "2015"]) == 0
    path = tree.records / "workers" / "zhang-jianguo.yml"
    before = path.read_text(encoding="utf-8")
    assert deceased(tree, "zhang-jianguo", "--date", "2024-02-01") == 0
    after = path.read_text(encoding="utf-8")
    example = next(line for line in before.splitlines(keepends=True) if line.startswith("# died:"))
    assert after == before.replace(example, "died: 2024-02-01\n", 1)
    assert "# died:" not in after
    assert errors(tree) == []


def test_died_at_the_end_of_a_file_without_final_newline(tree):
    path = tree.records / "workers" / "zhang-jianguo.yml"
    text = "id: zhang-jianguo\r\nname: 张建国\r\ngender: 男\r\nregion:\r\n  province: 陕西省\r\nunit: 某厂\r\n" \
           "honours:\r\n- title: 全国劳动模范\r\n  year: 2015"
    path.write_bytes(text.encode())
    assert deceased(tree, "zhang-jianguo", "--date", "2024-02-01") == 0
    assert path.read_bytes() == (text + "\r\ndied: 2024-02-01\r\n").encode()
    assert errors(tree) == []


def test_an_empty_died_line_is_filled_in(tree):
    text = ODD.replace("unit: 西安某某机械厂\n", "unit: 西安某某机械厂\ndied:\n")
    path = write(tree, text)
    assert errors(tree) == []
    assert deceased(tree, "zhang-jianguo", "--date", "2024-02-01") == 0
    assert path.read_text(encoding="utf-8") == ODD.replace("unit: 西安某某机械厂\n", "unit: 西安某某机械厂\ndied: 2024-02-01\n")


@pytest.mark.parametrize("args, code, message", [
    (["li-si", "--date", "2020-01-01"], 1, "找不到编号为“li-si”的人物"),
    (["zhang-jianguo", "--date", "2999-01-01"], 1, "晚于今天"),
    (["zhang-jianguo", "--date", "1969-12-31"], 1, "早于“张建国”的出生年份 1970"),
    (["zhang-jianguo", "--date", "2020-1-1"], 2, "YYYY-MM-DD"),
    (["zhang-jianguo", "--date", "2021-02-29"], 2, "不存在"),
    (["zhang-jianguo"], 2, "--date"),
    (["mou-home", "--date", "2020-01-01"], 1, "是职工之家，不是人物"),
])
def test_impossible_input_is_refused_and_nothing_changes(tree, capsys, args, code, message):
    path = write(tree, ODD)
    home = tree.home("mou-home")
    before, home_before = path.read_bytes(), home.read_bytes()
    assert deceased(tree, *args) == code
    captured = capsys.readouterr()
    assert message in captured.err and captured.err.startswith("laomo deceased：") and captured.out == ""
    assert path.read_bytes() == before and home.read_bytes() == home_before


def test_already_deceased_is_refused(tree, capsys):
    path = write(tree, ODD)
    assert deceased(tree, "zhang-jianguo", "--date", "2023-03-14") == 0
    before = path.read_bytes()
    capsys.readouterr()
    assert deceased(tree, "zhang-jianguo", "--date", "2023-03-15") == 1
    assert "已登记于 2023-03-14 逝世" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_an_edit_that_breaks_the_file_is_rolled_back(tree, capsys, monkeypatch):
    path = write(tree, ODD)
    before = path.read_bytes()
    monkeypatch.setattr("generator.edits.deceased._insert_died",
                        lambda file, date: file.insert_after(len(file.lines) - 1, ["died: 2023-03-14", "died: 2023-03-15"]))
    assert deceased(tree, "zhang-jianguo", "--date", "2023-03-14") == 1
    captured = capsys.readouterr()
    assert "已恢复原样" in captured.err and "重复" in captured.err and captured.out == ""
    assert path.read_bytes() == before


def test_usage_is_a_chinese_message_with_exit_2(tree, capsys):
    assert main(["deceased", "--records", str(tree.records)]) == 2
    assert "用法" in capsys.readouterr().err
