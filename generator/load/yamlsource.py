"""YAML files read defensively, keeping where every key and value stood.

Records come from pull requests, so a file may be hostile or simply broken:
not UTF-8, huge, an alias bomb, a duplicate key, an unknown tag. Each of those
becomes a Diagnostic in Chinese; nothing here raises on bad input.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import ryml
import yaml

from generator.diagnostics import Diagnostic
from generator.load.cache import digest
from generator.load.syntax import explain_syntax_error

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 50_000  # counted with aliases expanded: stops "billion laughs"
MAX_DEPTH = 50
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ten times faster


class _COMPOSER(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader, minus per-node work records never need (they are mostly Chinese text)."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return implicit_tag(value)
        tag: str = super().resolve(kind, value, implicit)
        return tag

    def descend_resolver(self, current_node: yaml.Node | None, current_index: Any) -> None:
        pass  # no path resolvers are registered

    def ascend_resolver(self) -> None:
        pass

_MAY_BE_TYPED = frozenset(yaml.SafeLoader.yaml_implicit_resolvers)  # first characters of non-strings
_RESOLVER = yaml.SafeLoader("")
_KNOWN_TAGS: dict[str, str] = {}  # field names and short values repeat across files


def implicit_tag(value: str) -> str:
    """The tag YAML 1.1 gives `value` written plain (unquoted): str, int, bool, timestamp..."""
    if value and value[0] not in _MAY_BE_TYPED:
        return "tag:yaml.org,2002:str"
    tag = _KNOWN_TAGS.get(value)
    if tag is None:
        tag = str(_RESOLVER.resolve(yaml.ScalarNode, value, (True, False)))
        if len(_KNOWN_TAGS) < 20_000:
            _KNOWN_TAGS[value] = tag
    return tag


Loc = tuple[str | int, ...]

# characters that look like spaces (or like nothing) but are not YAML's: beside a field name they are slips
ODD_SPACES = {"\u3000": "全角空格", "\u00a0": "不换行空格", "\u200b": "零宽空格", "\u2002": "半角宽空格",
              "\u2003": "全角宽空格", "\ufeff": "零宽空格"}

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


@dataclass
class Positions:
    """1-based (line, column) of each value and each mapping key, by path."""

    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    line_offset: int = 0

    def of_value(self, loc: Loc) -> tuple[int, int]:
        """Position of the value at `loc`, or of the nearest enclosing value."""
        for n in range(len(loc), -1, -1):
            if loc[:n] in self.values:
                line, col = self.values[loc[:n]]
                return line + self.line_offset, col
        return 1 + self.line_offset, 1

    def of_key(self, loc: Loc) -> tuple[int, int]:
        if loc in self.keys:
            line, col = self.keys[loc]
            return line + self.line_offset, col
        return self.of_value(loc)


@dataclass
class ParsedYaml:
    data: Any
    positions: Positions
    diagnostics: list[Diagnostic]
    reported: set[Loc] = field(default_factory=set)  # values already explained: model errors there are noise
    written: dict[Loc, str] = field(default_factory=dict)  # each scalar as the editor typed it, to quote back


class _Problem(Exception):
    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def describe_encoding(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    for name, label in (("gb18030", "GBK/GB18030"), ("big5", "Big5")):
        try:
            raw.decode(name)
            return label
        except UnicodeDecodeError:
            continue
    return "未知编码"


def read_text(path: Path, display: str, max_bytes: int = MAX_FILE_BYTES) -> tuple[str | None, list[Diagnostic]]:
    """The file as text, or None and the reason in Chinese."""
    text, _, problems = read_text_and_digest(path, display, max_bytes)
    return text, problems


def read_text_and_digest(path: Path, display: str, max_bytes: int = MAX_FILE_BYTES,
                         ) -> tuple[str | None, bytes | None, list[Diagnostic]]:
    """The file as text and the digest of its bytes (load.cache.digest, as load.cache.file_digest gives
    it), or None, the digest when the file could be read, and the reason in Chinese."""
    try:  # an open, a stat and a read (a regular file gives all it has at once): tens of thousands are read
        fd = os.open(path, os.O_RDONLY)
        try:
            size = os.fstat(fd).st_size
            if size > max_bytes:
                return None, None, [Diagnostic(display, 1, 1, "error",
                                               f"文件太大（{size // 1024} KB，上限 {max_bytes // 1024} KB）。请删去多余内容，或把长文章拆成单独的故事文件。")]
            raw = os.read(fd, min(size, max_bytes) + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        return None, None, [Diagnostic(display, 1, 1, "error", f"无法读取文件：{exc.strerror or exc}。")]
    content = digest(raw)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, content, [Diagnostic(display, line, 1, "error",
                                          f"文件不是 UTF-8 编码（看起来是 {describe_encoding(raw)}）。请在编辑器中选择“另存为 UTF-8”后再提交。")]
    if "\x00" in text:
        return None, content, [Diagnostic(display, 1, 1, "error", "文件中含有空字符（\\0），不是文本文件。请检查是否误传了其他文件。")]
    return text, content, []


def parse_yaml(text: str, display: str, line_offset: int = 0) -> ParsedYaml:
    positions = Positions(line_offset=line_offset)
    diagnostics: list[Diagnostic] = []
    try:
        root = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as exc:
        slip = explain_syntax_error(text, exc)
        diagnostics.append(Diagnostic(display, slip.line + line_offset, slip.column, "error",
                                      f"YAML 格式错误：{slip.message}。"))
        return ParsedYaml(None, positions, diagnostics)
    except yaml.YAMLError:
        diagnostics.append(Diagnostic(display, 1 + line_offset, 1, "error",
                                      "YAML 格式错误：文件的写法无法识别。请对照模板检查缩进、冒号和引号。"))
        return ParsedYaml(None, positions, diagnostics)
    except RecursionError:
        diagnostics.append(Diagnostic(display, 1 + line_offset, 1, "error", "YAML 嵌套层数过多，无法读取。"))
        return ParsedYaml(None, positions, diagnostics)
    if root is None:
        return ParsedYaml(None, positions, diagnostics)
    builder = _Builder(display, positions, diagnostics, line_offset, text)
    try:
        data = builder.build(root, ())
    except _Problem as problem:
        diagnostics.append(Diagnostic(display, problem.line + line_offset, problem.column, "error", problem.message))
        return ParsedYaml(None, positions, diagnostics)
    return ParsedYaml(data, positions, diagnostics, builder.reported, builder.written)


class _Builder:
    """Turns a composed node graph into plain Python, counting every node visited."""

    def __init__(self, display: str, positions: Positions, diagnostics: list[Diagnostic], line_offset: int,
                 text: str):
        self.display = display
        self.text = text
        self.written: dict[Loc, str] = {}
        self.positions = positions
        self.diagnostics = diagnostics
        self.line_offset = line_offset
        self.visited = 0
        self.reported: set[Loc] = set()
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, loc: Loc, depth: int = 0) -> Any:
        self.visited += 1
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        if self.visited > MAX_NODES or depth > MAX_DEPTH:
            raise _Problem(line, col, "文件展开后过大或嵌套过深（可能使用了大量 YAML 别名“*”）。记录中请不要使用锚点和别名。")
        self.positions.values.setdefault(loc, (line, col))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
        self.written[loc] = self.text[node.start_mark.index:node.end_mark.index]
        try:
            return self._scalar(cast(yaml.ScalarNode, node), line, col)
        except _Problem as problem:
            if node.tag != "tag:yaml.org,2002:timestamp":
                raise
            self.diagnostics.append(Diagnostic(self.display, line + self.line_offset, col, "error", problem.message))
            self.reported.add(loc)
            return node.value

    def _mapping(self, node: yaml.MappingNode, loc: Loc, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            kline, kcol = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Problem(kline, kcol, "记录中不支持“<<”合并键，请直接写出每个字段。")
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Problem(kline, kcol, "字段名必须是简单的文字。")
            key = str(key_node.value)
            odd = next((c for c in (key[:1], key[-1:]) if c in ODD_SPACES), None)
            if odd is not None:
                raise _Problem(kline, kcol, f"字段名“{key.strip(''.join(ODD_SPACES))}”旁边有{ODD_SPACES[odd]}，"
                                            "看上去像空格，但 YAML 不认（常见于从网页或 Word 复制来的文字）。"
                                            "请删掉它，缩进和冒号后面只用英文半角空格。")
            if key in result:
                first = self.positions.keys.get(loc + (key,), (0, 0))[0] + self.line_offset
                self.diagnostics.append(Diagnostic(self.display, kline + self.line_offset, kcol, "error",
                                                   f"字段“{key}”重复出现（第一次在第 {first} 行）。请删除其中一个。"))
                continue
            self.positions.keys[loc + (key,)] = (kline, kcol)
            result[key] = self.build(value_node, loc + (key,), depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode, line: int, col: int) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise _Problem(line, col, f"不支持的 YAML 标签“{node.tag}”。请删除以“!”开头的标记。")
        if node.tag == "tag:yaml.org,2002:str":
            return node.value
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError):
            if node.tag == "tag:yaml.org,2002:timestamp":
                raise _Problem(line, col, f"“{node.value}”不是真实存在的日期，请按 YYYY-MM-DD 填写正确的日期。") from None
            raise _Problem(line, col, f"无法读取值“{node.value}”。") from None
        if isinstance(value, dt.datetime):
            raise _Problem(line, col, f"“{node.value}”带有时间，这里只需要日期，请写成 YYYY-MM-DD。")
        return value


class _NeedsCarefulPath(Exception):
    pass


_QUICK_CONSTRUCTOR = yaml.SafeLoader("")
_STR, _INT, _TIMESTAMP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp"
_PLAIN_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"}


def quick_parse(text: str) -> Any | None:
    """The data of an ordinary, well-formed file, without positions; None when anything is unusual.

    Most files in a large tree are fine, so positions are worth their cost only for the
    few that are not: callers fall back to `parse_yaml` when this returns None or the
    data does not validate. Files in the plain subset of YAML that records use go through
    rapidyaml (with its checks, twice as fast as libyaml); the rest, and whatever rapidyaml
    is unsure of, through libyaml.
    """
    data = _rapid_data(text)
    return _libyaml_data(text) if data is None else data


def _libyaml_data(text: str) -> Any | None:
    try:
        root = yaml.compose(text, Loader=_COMPOSER)
    except yaml.YAMLError:
        return None
    if root is None:
        return None
    budget = [MAX_NODES]

    def plain(node: yaml.Node, depth: int) -> Any:
        budget[0] -= 1
        if budget[0] < 0 or depth > MAX_DEPTH:
            raise _NeedsCarefulPath
        kind = type(node)
        if kind is yaml.MappingNode:
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if type(key_node) is not yaml.ScalarNode or key_node.tag not in (_STR, *_PLAIN_TAGS):
                    raise _NeedsCarefulPath
                key = str(key_node.value)
                if key in result:
                    raise _NeedsCarefulPath
                result[key] = plain(value_node, depth + 1)
            return result
        if kind is yaml.SequenceNode:
            return [plain(item, depth + 1) for item in node.value]
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag in _PLAIN_TAGS:
            if tag == _INT and node.value.isdigit() and not node.value.startswith("0"):
                return int(node.value)
            return _QUICK_CONSTRUCTOR.construct_object(node)
        if tag == _TIMESTAMP:
            value = _QUICK_CONSTRUCTOR.construct_object(node)
            if isinstance(value, dt.datetime):
                raise _NeedsCarefulPath
            return value
        raise _NeedsCarefulPath

    try:
        return plain(root, 0)
    except (_NeedsCarefulPath, ValueError, OverflowError, RecursionError):
        return None


# What rapidyaml is given: block mappings and sequences, plain and quoted scalars without escapes,
# literal blocks, comments. Everything two parsers might read differently goes to libyaml: escapes,
# tags, anchors and aliases, flow collections, folded blocks, directives, several documents, tabs,
# carriage returns and characters YAML 1.1 treats specially (NEL, line and paragraph separators, BOM).
_RAPID_UNSAFE_CHARACTER = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff&*!%?\\[\\]{}\\\\>@`]")
# Where the two differ on text that passes the above (found by tests/load/test_rapid_yaml.py):
# "-.5" is a string to libyaml, -0.5 to rapidyaml; a literal block on the last line, without a line
# break, ends without one to libyaml, with one to rapidyaml; rapidyaml takes malformed block headers
# ("|2:", "| x"), `- "x" - y` and a quoted key over two lines as valid. So: no "-.", a final line
# break, no "|" but plain headers, no quoted scalar followed by " - " or ":".
_LITERAL_BLOCK_HEADERS = tuple(f"{before} |{chomping}\n" for before in ":-" for chomping in ("", "-", "+"))
_QUOTED_THEN_ITEM = re.compile(r"""["'](?: +- |:)""")
_KEY_TAGS = frozenset({_STR, *_PLAIN_TAGS})
_GOOD_KEYS: set[str] = set()  # keys that passed: field names repeat in every file


class _Unsure(Exception):
    """rapidyaml's reading might differ from libyaml's: let libyaml read the file."""


def _rapid_data(text: str) -> Any | None:
    """The file's data read by rapidyaml, when the file is in the plain subset and every value means
    the same in YAML 1.1 (libyaml) as in rapidyaml's JSON; None otherwise."""
    if (_RAPID_UNSAFE_CHARACTER.search(text) or "<<" in text or text.startswith(("---", "..."))
            or "\n---" in text or "\n..." in text or "-." in text or not text.endswith("\n")
            or text.count("|") != sum(map(text.count, _LITERAL_BLOCK_HEADERS)) or _QUOTED_THEN_ITEM.search(text)):
        return None
    try:
        with _stderr_silenced():  # rapidyaml also prints its parse errors there
            tree = ryml.parse_in_arena(text.encode("utf-8"))
            if not tree.is_map(tree.root_id()):
                return None
            emitted = ryml.emit_json(tree)
        return _DECODER.decode(emitted)
    except Exception:  # noqa: BLE001 - _Unsure, or any failure of the quick reading: libyaml reads the file
        return None


def _same_in_yaml_1_1(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A mapping of rapidyaml's JSON, unless libyaml might read it differently: a duplicate key, a key
    libyaml would not take as a name (empty or with spaces at an end: rapidyaml's reading of malformed
    files), or a string YAML 1.1 would type if it was written plain ("yes", "2024-01-01", "1_000",
    "~"; rapidyaml keeps those as strings)."""
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Unsure
    for key in result:
        if key not in _GOOD_KEYS:
            if not key or key[0] == " " or key[-1] == " " or key[:1] in _MAY_BE_TYPED and implicit_tag(key) not in _KEY_TAGS:
                raise _Unsure
            if len(_GOOD_KEYS) < 10_000:
                _GOOD_KEYS.add(key)
    _check_values(result.values())
    return result


def _check_values(values: Iterable[Any]) -> None:
    for value in values:  # mappings were checked as they were decoded
        if type(value) is str:
            if value[:1] in _MAY_BE_TYPED and implicit_tag(value) != _STR:
                raise _Unsure
        elif type(value) is list:
            _check_values(value)


def _yaml_float(text: str) -> float:
    if implicit_tag(text) != "tag:yaml.org,2002:float":  # "1e3" is a float in JSON, a string in YAML 1.1
        raise _Unsure
    return float(text)


def _refuse(text: str) -> Any:
    raise _Unsure


_DECODER = json.JSONDecoder(object_pairs_hook=_same_in_yaml_1_1, parse_float=_yaml_float, parse_constant=_refuse)


class _stderr_silenced:  # noqa: N801 - used as a statement, like contextlib's helpers
    """File descriptor 2 points at /dev/null for the duration."""

    def __enter__(self) -> None:
        self.saved = os.dup(2)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)

    def __exit__(self, *exc: object) -> None:
        os.dup2(self.saved, 2)
        os.close(self.saved)
