"""The editors' guide explains every message the validator can print, and the commands it shows exist."""

from __future__ import annotations

import ast
import re

import pytest

from generator.cli import COMMANDS
from tests.conftest import REPO

GUIDE = REPO / "guide" / "editing.md"
SOURCES = sorted([*(REPO / "generator" / "load").glob("*.py"), *(REPO / "generator" / "validate").glob("*.py")])
HAN = re.compile(r"[\u4e00-\u9fff]")
MIN_FRAGMENT = 8  # shorter pieces are field labels and joining words


def messages(path) -> list[str]:
    """The longest literal piece of each Chinese string or f-string in a module (docstrings aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    inside_fstrings = {id(value) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for value in node.values}
    found = []
    for node in ast.walk(tree):
        if id(node) in docstrings or id(node) in inside_fstrings:
            continue
        if isinstance(node, ast.JoinedStr):
            pieces = [v.value for v in node.values if isinstance(v, ast.Constant)]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            pieces = [node.value]
        else:
            continue
        pieces = [p.strip() for p in pieces if HAN.search(p)]
        if pieces:
            longest = max(pieces, key=len)
            if len(longest) >= MIN_FRAGMENT:
                found.append(longest)
    return found


def test_guide_is_markdown_with_one_title():
    text = GUIDE.read_text(encoding="utf-8")
    assert text.startswith("# 编辑指南\n")
    assert text.count("```") % 2 == 0
    assert len(re.findall(r"^# ", re.sub(r"```.*?```", "", text, flags=re.S), flags=re.M)) == 1


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_guide_explains_every_validation_message(path):
    guide = GUIDE.read_text(encoding="utf-8")
    missing = [m for m in messages(path) if m not in guide]
    assert not missing, f"guide/editing.md 没有解释 {path.name} 中的这些提示：{missing}"


def test_commands_in_the_guide_exist():
    guide = GUIDE.read_text(encoding="utf-8")
    used = set(re.findall(r"`laomo ([a-z]+)", guide)) | set(re.findall(r"^laomo ([a-z]+)", guide, flags=re.M))
    assert used and used <= set(COMMANDS), used - set(COMMANDS)


def test_guide_covers_what_editors_need():
    guide = GUIDE.read_text(encoding="utf-8")
    for topic in ("laomo new worker", "laomo new home", "laomo new story", "肖像使用同意", "640", "EXIF", "GPS",
                  "WebP", "laomo deceased", "laomo revoke", "site-preview", "Files changed",
                  "yaml-language-server: $schema=../../schemas/worker.schema.json", "laomo schema"):
        assert topic in guide, topic
