"""What `laomo new`, `laomo revoke` and `laomo deceased` share.

Edits are line based: the file is composed with PyYAML only to learn where
things are, then a few lines are inserted (or one empty `key:` line replaced).
Every other byte, comments and odd spacing included, stays as it was; ruamel's
round trip would re-indent sequences and re-flow spacing elsewhere.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.diagnostics import Diagnostic
from generator.load.files import display_path
from generator.model.common import RECORD_ID

FOLDERS = {"worker": "workers", "home": "homes"}
KIND_LABELS = {"worker": "人物", "home": "职工之家"}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # the line breaks PyYAML counts
BOM = b"\xef\xbb\xbf"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the loader the validator uses: same files accepted
# characters YAML does not allow in a file (PyYAML's Reader.NON_PRINTABLE), and line breaks and the
# byte order mark, which a quoted scalar would fold or drop: written as \\uXXXX escapes
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD"
                            "\U00010000-\U0010ffff]")


class Refusal(Exception):
    """Input the command will not act on; `code` is the exit status (1 impossible, 2 usage)."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.message = message
        self.code = code


def refuse(command: str, refusal: Refusal) -> int:
    print(f"laomo {command}：{refusal.message}", file=sys.stderr)
    return refusal.code


def today() -> dt.date:
    """Today's date; tests replace it."""
    return dt.date.today()


def parse_date(text: str | None, flag: str = "--date") -> dt.date:
    example = "例如 2024-05-01"
    if not text:
        raise Refusal(f"缺少 {flag}，请写成 YYYY-MM-DD，{example}。", 2)
    text = text.strip()
    if not DATE.match(text):
        raise Refusal(f"{flag} 的日期“{text}”格式不对，请写成 YYYY-MM-DD（四位年份、两位月份、两位日期），{example}。", 2)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Refusal(f"{flag} 的日期“{text}”不存在（月份或日期超出范围），请核对，{example}。", 2) from None


def parse_year(text: str | None, flag: str = "--year") -> int:
    text = (text or "").strip()
    if not re.fullmatch(r"\d{4}", text):
        raise Refusal(f"{flag} 应为四位数字的年份，例如 2015，现在是“{text}”。", 2)
    return int(text)


def suggest(value: str, choices: list[str], n: int = 4) -> list[str]:
    """Close choices: those containing the value (or contained in it) first, then difflib's."""
    found = [c for c in choices if value and (value in c or c in value)]
    for match in difflib.get_close_matches(value, choices, n=n, cutoff=0.4):
        if match not in found:
            found.append(match)
    return found[:n]


def did_you_mean(value: str, choices: list[str]) -> str:
    close = suggest(value, choices)
    return f"您要找的是不是：{'、'.join(close)}？" if close else ""


def yaml_scalar(value: str) -> str:
    """`value` as YAML: plain when it reads back as the same text, double-quoted otherwise."""
    if value and value == value.strip() and not any(c in value for c in "\t\r\n\x85\u2028\u2029") \
            and " #" not in value:
        try:
            loaded = yaml.safe_load(f"k: {value}\n")
        except yaml.YAMLError:
            loaded = None
        if isinstance(loaded, dict) and list(loaded) == ["k"] and loaded["k"] == value and isinstance(loaded["k"], str):
            return value
    return _NON_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def check_records(records: Path) -> None:
    if not records.is_dir():
        raise Refusal(f"记录目录“{records}”不存在或不是目录。请在项目根目录运行，或用 --records 指定。", 2)


def record_ids(records: Path, kinds: tuple[str, ...] = ("worker", "home")) -> set[str]:
    """Stems of every record file, valid or not."""
    ids: set[str] = set()
    for kind in kinds:
        folder = records / FOLDERS[kind]
        if folder.is_dir():
            ids |= {p.stem for p in folder.iterdir() if p.suffix.lower() in {".yml", ".yaml"} and not p.name.startswith(".")}
    return ids


def find_record(records: Path, record_id: str, kinds: tuple[str, ...]) -> tuple[str, Path]:
    """(kind, path) of the record with this id, or a refusal naming close ids."""
    wanted = "或".join(KIND_LABELS[k] for k in kinds)
    if not RECORD_ID.match(record_id):
        raise Refusal(f"编号“{record_id}”格式不对：编号就是记录的文件名（不含 .yml），只有小写字母、数字和连字符，"
                      "例如 zhang-jianguo。")
    for kind in kinds:
        path = records / FOLDERS[kind] / f"{record_id}.yml"
        if path.is_file():
            return kind, path
    hint = did_you_mean(record_id, sorted(record_ids(records, kinds)))
    where = "、".join(f"{FOLDERS[k]}/" for k in kinds)
    raise Refusal(f"找不到编号为“{record_id}”的{wanted}（在 {records}/ 的 {where} 目录中没有 {record_id}.yml）。{hint}")


def errors_in(diagnostics: list[Diagnostic], path: Path) -> list[Diagnostic]:
    target = path.resolve()
    return sorted(d for d in diagnostics if d.severity == "error" and Path(d.path).resolve() == target)


def listing(diagnostics: list[Diagnostic]) -> str:
    return "\n".join(f"  {d.as_text()}" for d in diagnostics)


# ---- line-based editing ---------------------------------------------------------------------


def split_lines(text: str) -> list[str]:
    """Lines with their breaks, numbered as PyYAML numbers them."""
    lines, start = [], 0
    for match in _BREAK.finditer(text):
        lines.append(text[start:match.end()])
        start = match.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


@dataclass
class YamlFile:
    path: Path
    raw: bytes
    bom: bytes
    lines: list[str]
    newline: str
    root: yaml.MappingNode

    @classmethod
    def read(cls, path: Path) -> YamlFile:
        raw = path.read_bytes()
        bom = BOM if raw.startswith(BOM) else b""
        try:
            text = raw[len(bom):].decode("utf-8")
        except UnicodeDecodeError:
            raise Refusal(f"{display_path(path)} 不是 UTF-8 编码，请先运行 laomo validate 并按提示修正。") from None
        try:
            root = yaml.compose(text, Loader=_LOADER)
        except yaml.YAMLError:
            raise Refusal(f"{display_path(path)} 有 YAML 格式错误，请先运行 laomo validate 并按提示修正。") from None
        if not isinstance(root, yaml.MappingNode) or root.flow_style:
            raise Refusal(f"{display_path(path)} 不是逐行书写的“字段: 值”记录，无法自动修改。请对照模板改写后再试。")
        first_break = _BREAK.search(text)
        newline = first_break.group() if first_break else "\n"
        return cls(path, raw, bom, split_lines(text), newline, root)

    def encode(self, lines: list[str]) -> bytes:
        return self.bom + "".join(lines).encode("utf-8")

    def last_content_line(self, node: yaml.Node) -> int:
        """0-based number of the last line holding part of `node` (not a comment or blank line after it)."""
        last = node.start_mark.line

        def visit(current: yaml.Node) -> None:
            nonlocal last
            if isinstance(current, yaml.MappingNode) and not current.flow_style:
                for key, value in current.value:
                    visit(key)
                    visit(value)
            elif isinstance(current, yaml.SequenceNode) and not current.flow_style:
                for item in current.value:
                    visit(item)
            elif isinstance(current, yaml.ScalarNode) and current.style in {"|", ">"}:
                line = current.end_mark.line - (1 if current.end_mark.column == 0 else 0)
                while line > current.start_mark.line and not self.lines[min(line, len(self.lines) - 1)].strip():
                    line -= 1
                last = max(last, line)
            elif isinstance(current, yaml.ScalarNode) and current.style is None and current.value == "":
                return  # an empty value sits at its key, already counted
            else:  # a plain or quoted scalar, or a flow collection: ends where its last character is
                line = current.end_mark.line - (1 if current.end_mark.column == 0 else 0)
                last = max(last, line)

        visit(node)
        return min(last, len(self.lines) - 1)

    def insertion_line(self, node: yaml.Node, column: int) -> int:
        """The line after which a key at `column` goes to follow `node`: its last content line, and
        the comment lines right after it that are indented deeper than `column` (they belong to it)."""
        line = self.last_content_line(node)
        while line + 1 < len(self.lines):
            following = self.lines[line + 1]
            stripped = following.lstrip(" ")
            if not stripped.startswith("#") or len(following) - len(stripped) <= column:
                break
            line += 1
        return line

    def indent_step(self) -> int:
        """How far this file indents a nested mapping (2 unless it says otherwise)."""
        for key, value in self.root.value:
            if isinstance(value, yaml.MappingNode) and not value.flow_style and value.value:
                step = value.value[0][0].start_mark.column - key.start_mark.column
                if step > 0:
                    return step
        return 2

    def insert_after(self, line: int, new_lines: list[str]) -> list[str]:
        lines = list(self.lines)
        if lines and lines[line] and lines[line][-1] not in "\r\n\x85\u2028\u2029":
            lines[line] += self.newline  # the last line had no line break
        return lines[:line + 1] + [text + self.newline for text in new_lines] + lines[line + 1:]

    def replace_line(self, line: int, new_lines: list[str]) -> list[str]:
        lines = list(self.lines)
        match = _BREAK.search(lines[line])
        ending = match.group() if match else ""
        added = [text + self.newline for text in new_lines]
        added[-1] = added[-1][:-len(self.newline)] + ending
        return lines[:line] + added + lines[line + 1:]


def pair(mapping: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    for key_node, value_node in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def is_empty(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def only_key_on_line(file: YamlFile, key: yaml.Node, value: yaml.Node) -> bool:
    """`key:` (optionally `~`/`null` and a comment) alone on its line: safe to replace the whole line."""
    line = file.lines[key.start_mark.line]
    rest = line[key.start_mark.column:].strip()
    return value.start_mark.line == key.start_mark.line and bool(re.fullmatch(r"[\w-]+\s*:\s*(~|null|Null|NULL)?\s*(#.*)?", rest)) \
        and not line[:key.start_mark.column].strip()


def unified_diff(path: Path, before: bytes, after: bytes) -> str:
    display = display_path(path).replace("\\", "/")
    old = split_lines(before.decode("utf-8", "replace"))
    new = split_lines(after.decode("utf-8", "replace"))
    out = []
    for line in difflib.unified_diff(old, new, f"a/{display}", f"b/{display}"):
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ 文件末尾没有换行\n")
    return "".join(out)


def write_checked(command: str, records: Path, path: Path, before: bytes, after: bytes) -> bool:
    """Write `after`; put `before` back and say why when the file no longer validates."""
    from generator.validate.run import validate_public

    path.write_bytes(after)
    try:
        problems = errors_in(validate_public(records).diagnostics, path)
    except BaseException:
        path.write_bytes(before)
        raise
    if problems:
        path.write_bytes(before)
        print(f"laomo {command}：改动后的文件没有通过检查，已恢复原样，文件没有任何改动。问题如下：\n{listing(problems)}",
              file=sys.stderr)
        return False
    sys.stdout.write(unified_diff(path, before, after))
    return True
