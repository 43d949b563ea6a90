"""Characters no editor can see are refused in records, with the field's line and the character's place."""

from __future__ import annotations

import pytest

from generator.validate.run import validate_public
from tests.conftest import WORKER


def errors(tree):
    return [d for d in validate_public(tree.records).diagnostics if d.severity == "error"]


@pytest.mark.parametrize(("escape", "named"), [
    ("\\u202e", "U+202E"), ("\\u202a", "U+202A"), ("\\u2066", "U+2066"), ("\\u2069", "U+2069"),
    ("\\u200e", "U+200E"), ("\\u200f", "U+200F"), ("\\u061c", "U+061C"),
    ("\\u200b", "U+200B"), ("\\u200c", "U+200C"), ("\\u200d", "U+200D"), ("\\u2060", "U+2060"), ("\\ufeff", "U+FEFF"),
    ("\\0", "U+0000"), ("\\t", "制表符"), ("\\xad", "U+00AD"), ("\\u2063", "U+2063"), ("\\u2028", "换行符"),
])
def test_invisible_characters_in_a_name_are_refused(tree, escape, named):
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("name: 张建国", f'name: "张{escape}国建"'))
    found = errors(tree)
    assert len(found) == 1, found
    assert (found[0].line, found[0].column) == (2, 7)
    assert "“name”" in found[0].message and "第 2 个字符" in found[0].message and named in found[0].message


def test_a_right_to_left_override_in_a_unit_or_a_story_title_is_refused(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("unit: 西安某某机械厂", 'unit: "西安\\u202e厂械机"'))
    assert [(d.line, "U+202E" in d.message) for d in errors(tree)] == [(8, True)]


@pytest.mark.parametrize("escape", ["\\0", "\\x01", "\\x1b", "\\x7f", "\\x85", "\\x9f", "\\r", "\\v", "\\f", "\\b"])
def test_control_characters_are_refused_in_every_text_field(tree, escape):
    text = WORKER.format(id="zhang-jianguo")
    text = text.replace("  city: 西安市", f'  city: "西安{escape}市"')
    text += f'position: "焊工{escape}"\nachievements:\n  - 一项成果\n  - "两项{escape}成果"\nstudio:\n  name: "工作室{escape}"\n'
    text = text.replace("    year: 2015", f'    year: 2015\n    document: "陕政发{escape}"')
    tree.worker(text=text)
    found = sorted((d.line, d.column) for d in errors(tree))
    # city, the honour's document, position, the second achievement (its own line), the studio's name
    assert found == [(7, 9), (12, 15), (13, 11), (16, 5), (18, 9)], errors(tree)
    assert all("控制字符" in d.message or "空字符" in d.message or "回车符" in d.message for d in errors(tree))


def test_an_ideographic_space_and_a_private_use_character_are_allowed_in_a_name(tree):
    # U+3000 is typed between a surname and a given name; rare characters in names may be private-use ones
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("name: 张建国", 'name: "张\\u3000\\ue000国"'))
    assert errors(tree) == []


def test_line_feeds_tabs_and_crlf_stories_are_text(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo") + 'story: "第一段。\\n\\n第二段\\t有制表符。"\n')
    tree.write("stories/crlf.md", "---\r\ntitle: 故事\r\ndate: 2021-04-28\r\nabout:\r\n  - zhang-jianguo\r\n---\r\n\r\n正文。\r\n")
    assert errors(tree) == []


def test_an_id_with_an_invisible_character_is_named_as_such(tree):
    tree.write("workers/zhang\u200bjianguo.yml", WORKER.format(id="zhang\u200bjianguo"))
    found = errors(tree)
    assert found and "U+200B" in found[0].message and "第 6 个字符" in found[0].message
