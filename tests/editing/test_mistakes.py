"""Editors' typical mistakes, each a small tree in tests/editing/mistakes/<case>/: the validator names the
slip in Chinese, at the file and line where the editor made it, and nothing else goes wrong because of it.

Each case holds the record files it writes (under records/) and expect.txt: the severity and
`path:line` of the one problem, then fragments its message must contain.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.load.yamlsource import _rapid_data, parse_yaml
from generator.validate.run import validate_public
from tests.conftest import VOCAB

CORPUS = Path(__file__).parent / "mistakes"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expect.txt").is_file())
PARSER_ENGLISH = re.compile(r"found|expected|mapping|scalar|token|while|stream|indentation|alias|context",
                            re.IGNORECASE)


def load_case(name: str, tmp_path: Path) -> tuple[str, str, list[str]]:
    records = tmp_path / "records"
    shutil.copytree(CORPUS / name / "records", records)
    vocab = records / "vocab" / "honours.yml"
    if not vocab.exists():  # every case has the usual vocabulary unless it brings its own
        vocab.parent.mkdir(exist_ok=True)
        vocab.write_text(VOCAB, encoding="utf-8")
    severity_where, *fragments = (CORPUS / name / "expect.txt").read_text(encoding="utf-8").splitlines()
    severity, where = severity_where.split(" ", 1)
    return severity, where, [f for f in fragments if f]


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40


class _PurePythonComposer(yaml.SafeLoader):
    """PyYAML without libyaml, which words its errors differently: the loader falls back to it when
    libyaml is missing, and editors must not notice."""

    def resolve(self, kind, value, implicit):  # as the loader's own composer does
        from generator.load.yamlsource import implicit_tag

        if kind is yaml.ScalarNode and implicit[0]:
            return implicit_tag(value)
        return super().resolve(kind, value, implicit)


@pytest.mark.parametrize("reader", ["libyaml", "pure-python"])
@pytest.mark.parametrize("name", CASES)
def test_mistake_is_named_at_its_line(name, reader, tmp_path, monkeypatch):
    if reader == "pure-python":
        monkeypatch.setattr("generator.load.yamlsource._COMPOSER", _PurePythonComposer)
    severity, where, fragments = load_case(name, tmp_path)
    monkeypatch.chdir(tmp_path)
    found = validate_public(Path("records")).diagnostics
    shown = "\n".join(d.as_text() for d in found)
    errors = [d for d in found if d.severity == "error"]
    assert len(errors) == (1 if severity == "error" else 0), shown  # one slip, one error: nothing follows from it
    problem = next((d for d in found if d.severity == severity), None)
    assert problem is not None, shown
    assert f"{problem.path}:{problem.line}" == f"records{os.sep}{where}".replace(os.sep, "/"), shown
    for fragment in fragments:
        assert fragment in problem.message, (fragment, shown)
    assert not PARSER_ENGLISH.search(problem.message), shown


@pytest.mark.parametrize("name", CASES)
def test_rapidyaml_does_not_accept_what_libyaml_refuses(name, tmp_path):
    """The quick reader (rapidyaml) never takes a file the careful reader (libyaml) finds broken."""
    for path in (CORPUS / name / "records").rglob("*.yml"):
        text = path.read_text(encoding="utf-8")
        if any(d.message.startswith("YAML 格式错误") for d in parse_yaml(text, "x.yml").diagnostics):
            assert _rapid_data(text) is None, path


# Slips `laomo validate --fix` repairs: afterwards the file is the correct record, byte for byte.
FIXABLE = ["full-width-colon", "full-width-colon-nested", "full-width-colon-in-list", "missing-space-after-colon",
           "missing-space-before-comment", "tab-indent", "tab-indent-second", "province-short-name", "city-short-name"]
BASE = (CORPUS / "_base" / "wu-xiaoyan.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", FIXABLE)
def test_fix_repairs_the_slip_byte_for_byte(name, tmp_path, monkeypatch):
    from generator.edits.fix import fix_tree

    load_case(name, tmp_path)
    monkeypatch.chdir(tmp_path)
    fixed = fix_tree(Path("records"))
    assert [f.path.name for f in fixed] == ["wu-xiaoyan.yml"]
    assert (tmp_path / "records" / "workers" / "wu-xiaoyan.yml").read_text(encoding="utf-8") == BASE
    assert validate_public(Path("records")).ok


def test_fix_dates_trailing_spaces_and_keeps_everything_else(tmp_path):
    from generator.edits.fix import fix_text

    text = ("id: a  \r\n# 注释：保留   \r\nstory: |\r\n  末尾两个空格是换行  \r\n\r\n  第二段\r\n"
            "died: 2024/1/5   # 逝世\r\nregion:\r\n\tprovince: 内蒙古\r\n\tcity: 包头\r\nx: 2024/2/30\r\n")
    assert fix_text(text) == ("id: a\r\n# 注释：保留\r\nstory: |\r\n  末尾两个空格是换行  \r\n\r\n  第二段\r\n"
                              "died: 2024-01-05   # 逝世\r\nregion:\r\n  province: 内蒙古自治区\r\n  city: 包头市\r\n"
                              "x: 2024/2/30\r\n")


def test_fix_leaves_what_it_cannot_be_sure_of(tmp_path):
    from generator.edits.fix import fix_text

    for text in ("unit: 宝鸡机床厂: 数控车间\n", "died: 2023-02-30\n", "province: 关中\n", "summary: 时间：上午\n",
                 "story: |\n  unit：不是字段\n  name:也不是\n"):
        assert fix_text(text) == text


def test_validate_fix_prints_the_diff(tmp_path, monkeypatch, capsys):
    from generator.cli import main

    load_case("full-width-colon", tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--fix"]) == 0
    err = capsys.readouterr().err
    assert "-unit：宝鸡机床厂\n+unit: 宝鸡机床厂" in err and "已自动改正 1 个文件" in err


def test_a_slip_nothing_recognises_still_gets_chinese():
    from generator.load.syntax import explain_syntax_error

    error = yaml.MarkedYAMLError("while doing something new", yaml.Mark("", 0, 0, 3, None, None),
                                 "found a novelty", yaml.Mark("", 0, 1, 2, None, None))
    slip = explain_syntax_error("id: a\nxx yy\n", error)
    assert (slip.line, slip.column) == (2, 3) and "写法无法识别" in slip.message
    assert not PARSER_ENGLISH.search(slip.message)


def test_fix_repairs_a_story_front_matter_and_leaves_its_body(tmp_path, monkeypatch):
    from generator.edits.fix import fix_tree

    load_case("story-full-width-colon", tmp_path)
    story = tmp_path / "records" / "stories" / "2024-wu-xiaoyan.md"
    story.write_text(story.read_text(encoding="utf-8") + "一行末尾两个空格  \n下一行\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert [f.path.name for f in fix_tree(Path("records"))] == ["2024-wu-xiaoyan.md"]
    text = story.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: 车间里的") and text.endswith("一行末尾两个空格  \n下一行\n")
    assert validate_public(Path("records")).ok


def test_fix_gives_a_tab_the_width_that_aligns_the_file():
    from generator.edits.fix import fix_text

    text = "honours:\n  - title: 全国劳动模范\n\tyear: 2015\n"
    assert fix_text(text) == "honours:\n  - title: 全国劳动模范\n    year: 2015\n"
    unfixable = "a:\n  b: 1\n\t\t\tc: 2\n"
    assert fix_text(unfixable) == unfixable


def test_every_syntax_message_is_met_in_the_corpus(tmp_path, monkeypatch):
    """Each way of naming a YAML slip (generator/load/syntax.py) is what the loader that runs says for
    some mistake of the corpus: none is dead, none is keyed to a parser's wording that never comes."""
    from tests.editing.test_guide import messages

    said = []
    for name in CASES:
        load_case(name, tmp_path / name)
        monkeypatch.chdir(tmp_path / name)
        said += [d.message for d in validate_public(Path("records")).diagnostics]
    fallback = "这一行的写法无法识别"  # the net under the rest: tested above
    unmet = [m for m in messages(Path(__file__).parents[2] / "generator" / "load" / "syntax.py")
             if not m.startswith(fallback) and not any(m in s for s in said)]
    assert not unmet, unmet
