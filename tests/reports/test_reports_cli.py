"""The command line speaks Chinese all through: argparse's own usage, help and error messages, every command."""

from __future__ import annotations

import re

import pytest

from generator.cli import COMMANDS, main

ENGLISH = re.compile(r"usage:|options:|positional arguments|show this help|error:|argument |the following|"
                     r"invalid choice|unrecognized|expected (one|at)")


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    printed = capsys.readouterr()
    return int(exit_info.value.code or 0), printed.out, printed.err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_of_every_command_is_chinese(command: str, capsys):
    code, out, err = _run([command, "-h"], capsys)
    assert code == 0 and err == ""
    assert out.startswith("用法：laomo ") and "显示本帮助并退出" in out
    assert not ENGLISH.search(out), out


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_usage_errors_of_every_command_are_chinese(command: str, capsys):
    code, _, err = _run([command, "--no-such-option"], capsys)
    assert code == 2
    assert err.startswith("用法：laomo") and "命令用法错误" in err
    assert not ENGLISH.search(err), err


def test_top_level_messages(capsys):
    code, _, err = _run([], capsys)
    assert code == 2 and "缺少必需的参数：命令" in err and not ENGLISH.search(err)
    code, _, err = _run(["bogus"], capsys)
    assert code == 2 and "无效的选择：'bogus'" in err and not ENGLISH.search(err)
    code, out, _ = _run(["-h"], capsys)
    assert "位置参数：" in out and "选项：" in out and not ENGLISH.search(out)


def test_report_argument_errors(capsys):
    _, _, err = _run(["report"], capsys)
    assert "缺少必需的参数：--private" in err and not ENGLISH.search(err)
    _, _, err = _run(["report", "--private", "p", "--as-of"], capsys)
    assert "参数 --as-of：需要一个值" in err
    _, _, err = _run(["validate", "--format", "xml"], capsys)
    assert "参数 --format：无效的选择：'xml'" in err


@pytest.mark.parametrize("text, words", [
    ("2026-13-01", "没有13月"),
    ("2026-00-10", "没有0月"),
    ("2026-02-30", "2026年2月只有28天"),
    ("2025-04-31", "2025年4月只有30天"),
    ("2026/11/20", "格式不对，应为 YYYY-MM-DD"),
    ("tomorrow", "格式不对"),
])
def test_impossible_dates_say_what_is_wrong(text: str, words: str, capsys):
    code, _, err = _run(["report", "--private", "p", "--as-of", text], capsys)
    assert code == 2 and words in err and "参数 --as-of：" in err


def test_english_stays_outside_the_parser():
    import argparse

    main_parser = argparse.ArgumentParser(prog="other", add_help=True)
    assert "show this help" in main_parser.format_help()  # the swap is scoped to laomo's parsers


def test_policy_without_a_name_is_a_usage_error(capsys):
    code, _, err = _run(["report", "--private", "p", "--policy", ","], capsys)
    assert code == 2 and "没有政策包名称" in err
