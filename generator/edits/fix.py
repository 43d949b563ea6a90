"""`laomo validate --fix`: the safe, unambiguous repairs of editors' slips, made in place.

Each repair changes one line and nothing else: comments, blank lines, line endings and every other
byte stay as they were. Repairs: a full-width colon or a missing space after a field name, tabs
indenting a line, trailing spaces (outside `|` blocks, where they may mean a line break),
`2024/1/5` and `2024年1月5日` in a date field, a province or city written short (陕西 → 陕西省).
A file whose repairs would leave it less readable than before is left alone.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.load.files import display_path
from generator.load.public import split_front_matter
from generator.load.syntax import BLOCK_HEADER
from generator.load.yamlsource import parse_yaml
from generator.model.standards import official_city, official_province, provinces

DATE_FIELDS = ("died", "dissolved", "date")
_FULL_WIDTH_COLON = re.compile(r"^(\s*(?:- +)?[A-Za-z_][A-Za-z0-9_]*)\s*：\s*")
_NO_SPACE = re.compile(r"^(\s*(?:- +)?[A-Za-z_][A-Za-z0-9_]*):(?=[^\s:/])")
_LEADING_TABS = re.compile(r"^( *)(\t[\t ]*)")
_LOOSE_DATE = re.compile(r"^(\s*(?:- +)?(?:" + "|".join(DATE_FIELDS) + r"): *)"
                         r"(\d{4})\s*[/.年-]\s*(\d{1,2})\s*[/.月-]\s*(\d{1,2})(?:\s*日)?(\s*(?:#.*)?)$")
_PLACE = re.compile(r"^(\s*)(province|city): *([^\s#\"'][^#]*?)(\s*(?:#.*)?)$")


@dataclass(frozen=True)
class FixedFile:
    path: Path
    before: str
    after: str

    def diff(self) -> str:
        name = display_path(self.path)
        return "".join(difflib.unified_diff(self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
                                            f"{name}（修改前）", f"{name}（修改后）"))


def _split_ending(line: str) -> tuple[str, str]:
    body = line.rstrip("\r\n")
    return body, line[len(body):]


def _tabs(width: int) -> Callable[[str], str]:
    """Leading tabs as `width` spaces each."""
    def repair(body: str) -> str:
        match = _LEADING_TABS.match(body)
        if not match:
            return body
        return match.group(1) + match.group(2).replace("\t", " " * width) + body[match.end():]
    return repair


def _colons(body: str) -> str:
    body = _FULL_WIDTH_COLON.sub(lambda m: f"{m.group(1)}: ", body, count=1)
    return _NO_SPACE.sub(lambda m: f"{m.group(1)}: ", body, count=1)


def _dates(body: str) -> str:
    match = _LOOSE_DATE.match(body)
    if not match:
        return body
    try:
        day = dt.date(int(match.group(2)), int(match.group(3)), int(match.group(4)))
    except ValueError:
        return body  # not a real date: the editor has to say which one was meant
    return f"{match.group(1)}{day.isoformat()}{match.group(5)}"


class _Places:
    """Province and city names written short; the city needs its province, seen a line before."""

    def __init__(self) -> None:
        self.province: str | None = None

    def __call__(self, body: str) -> str:
        match = _PLACE.match(body)
        if not match:
            return body
        indent, key, value, tail = match.groups()
        if key == "province":
            official = official_province(value)
            self.province = official
        elif self.province is not None:
            official = official_city(provinces()[self.province], value)
        else:
            official = None
        return f"{indent}{key}: {official}{tail}" if official and official != value else body


TAB_WIDTHS = (2, 4)  # what a tab stood for in the editor's editor: the first width that makes the file read


def fix_text(text: str) -> str:
    """`text` with every safe repair made; tabs only as wide as makes the YAML readable."""
    for width in TAB_WIDTHS:
        fixed = _fix_lines(text, width)
        if "\t" not in text or _errors(fixed) == 0:
            return fixed
    return _fix_lines(text, 0)  # no width fits: the tabs stay, for the editor to align


def _fix_lines(text: str, tab_width: int) -> str:
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    block_indent: int | None = None  # inside a `|` or `>` block: content more indented than its key
    repairs: list[Callable[[str], str]] = [_colons, _dates, _Places()]
    if tab_width:
        repairs.insert(0, _tabs(tab_width))
    for line in lines:
        body, ending = _split_ending(line)
        indent = len(body) - len(body.lstrip(" \t"))
        if block_indent is not None:
            if not body.strip() or indent > block_indent:
                out.append(line)
                continue
            block_indent = None
        for repair in repairs:
            body = repair(body)
        body = body.rstrip(" \t")
        if BLOCK_HEADER.search(body):
            block_indent = len(body) - len(body.lstrip(" "))
        out.append(body + ending)
    return "".join(out)


def _errors(yaml_text: str | None) -> int:
    """How many errors reading `yaml_text` gives: the fixed text may not be worse than the original."""
    return len([d for d in parse_yaml(yaml_text or "", "").diagnostics if d.severity == "error"])


def _fixed_story(text: str) -> tuple[str, str | None, str | None]:
    """A story with its front matter repaired (the Markdown body is left alone: trailing spaces mean
    line breaks there), and the front matter before and after."""
    front, _, body_line = split_front_matter(text)
    if front is None:
        return text, None, None
    lines = text.splitlines(keepends=True)
    closing = body_line - 2  # the line of the second "---"
    fixed_front = fix_text("".join(lines[1:closing]))
    return lines[0] + fixed_front + "".join(lines[closing:]), front, fixed_front


def fix_tree(records: Path) -> list[FixedFile]:
    """Repair every record file of the public tree in place; the files changed."""
    fixed: list[FixedFile] = []
    paths = sorted([*records.glob("workers/*.yml"), *records.glob("homes/*.yml"), *records.glob("stories/*.md")])
    for path in paths:
        if path.is_symlink():
            continue
        try:
            before = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the validator explains it; nothing here is safe to change
        if path.suffix == ".md":
            after, old_yaml, new_yaml = _fixed_story(before)
        else:
            after = fix_text(before)
            old_yaml, new_yaml = before, after
        if after != before and _errors(new_yaml) <= _errors(old_yaml):
            path.write_bytes(after.encode("utf-8"))
            fixed.append(FixedFile(path, before, after))
    return fixed


def report_fixes(records: Path) -> None:
    """`laomo validate --fix`: repair, and show each change as a diff (on stderr: stdout is the diagnostics)."""
    fixed = fix_tree(records)
    for change in fixed:
        print(change.diff(), end="", file=sys.stderr)
    print(f"已自动改正 {len(fixed)} 个文件。请看一看上面的改动，确认无误后再提交。" if fixed
          else "没有可以自动改正的地方。", file=sys.stderr)
