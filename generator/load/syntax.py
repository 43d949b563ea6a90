"""YAML syntax errors told as the editor's slip, at the line where it was made.

libyaml notices most slips late and in its own words: a full-width colon on line 22 is
"could not find expected ':'" on line 23, an unclosed quote is "found unexpected end of
stream" at the end of the file. Here each error is matched to what the editor wrote: the
source lines around the parser's marks are read again, and the slip found there (a tab, a
full-width colon, a missing space, a stray quote) is named in Chinese with its fix. No
parser wording ever reaches the editor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

_ASCII_KEY_NO_SPACE = re.compile(r"^(\s*(?:- +)?)([A-Za-z_][A-Za-z0-9_]*):(?=[^\s:])")
_KEY_WITH_FULL_WIDTH_COLON = re.compile(r"^(\s*(?:- +)?)([^\s:：#\"'][^:：]*?)\s*：")
_DASH_NO_SPACE = re.compile(r"^(\s*)-(?=[^\s\-])[^:：]*[:：]")
_CHINESE_QUOTES = "“”‘’"
_JOINED_FIELD = re.compile(r"\s([a-z][a-z_]*[a-z])$")  # `- title: 全国劳动模范 year` (then ":"): two fields on one line
_TAB_INDENT = re.compile(r"^[ ]*(?:-[ ]*)*\t")  # a tab before the line's first word, after dashes too
_OPENING_QUOTE = re.compile(r"""^\s*(?:- +)?(?:[^\s:#"'][^:#]*:\s+|- +)?(["'])""")
BLOCK_HEADER = re.compile(r"(?::|^\s*-)\s+([|>])[+-]?[0-9]?\s*(?:#.*)?$")
QUOTE_SEARCH_LINES = 20  # how far back a quoted value that swallowed the following lines is looked for


@dataclass(frozen=True)
class Slip:
    """Where the editor's mistake is (1-based) and what to tell them."""

    line: int
    column: int
    message: str


def explain_syntax_error(text: str, error: yaml.MarkedYAMLError) -> Slip:
    lines = text.split("\n")
    mark = error.problem_mark or error.context_mark
    line, col = (mark.line, mark.column) if mark else (0, 0)
    context = error.context_mark
    problem, situation = error.problem or "", error.context or ""
    slip = _explain(lines, line, col, context, problem, situation)
    return slip or Slip(line + 1, col + 1, "这一行的写法无法识别。请检查这一行及上一行的缩进、冒号“: ”和引号是否成对")


def _explain(lines: list[str], line: int, col: int, context: yaml.Mark | None,
             problem: str, situation: str) -> Slip | None:
    here = _text_of(lines, line)
    if "quoted scalar" in situation and context is not None and problem.startswith("found unexpected end"):
        return _unclosed_quote(lines, context)
    if "alias" in situation or problem.startswith("found undefined alias"):
        at = context if context is not None and "alias" in situation else None
        where = (at.line, at.column) if at else (line, col)
        return Slip(where[0] + 1, where[1] + 1,
                    "值以“*”开头，YAML 会把它当作引用别名。请给整个值加英文双引号，例如 \"*宝鸡…\"")
    if "anchor" in situation and context is not None:
        return Slip(context.line + 1, context.column + 1,
                    "值以“&”开头，YAML 会把它当作锚点。请给整个值加英文双引号，例如 \"&某某\"")
    if "tag" in situation and context is not None:
        return Slip(context.line + 1, context.column + 1,
                    "值以“!”开头，YAML 会把它当作类型标记。请给整个值加英文双引号，例如 \"!某某\"")
    if "tab" in problem and _line_slip(lines, line) is not None:  # libyaml says so only for indentation
        return _line_slip(lines, line)
    if "block scalar" in situation and context is not None:
        symbol = _text_of(lines, context.line)[context.column:context.column + 1] or "|"
        return Slip(context.line + 1, context.column + 1,
                    f"“{symbol}”表示下面几行是一整段文字，它后面只能换行。请把文字移到下一行并缩进两个空格，"
                    f"或给整个值加英文双引号")
    if "flow" in situation and context is not None:
        opening = _text_of(lines, context.line)[context.column:context.column + 1] or "["
        closing = {"[": "]", "{": "}"}.get(opening, "]")
        return Slip(context.line + 1, context.column + 1,
                    f"英文括号“{opening}”没有配对的“{closing}”。如果这是文字的一部分，请给整个值加英文双引号；"
                    f"列表请每项另起一行，以“- ”开头")
    if "single document" in situation:
        return Slip(line + 1, 1, "文件里有第二个“---”分隔线，一个文件只能写一条记录。请删除这一行，或把后面的内容移到另一个文件")
    if "escape" in problem:
        return Slip(line + 1, col + 1,
                    "双引号里的反斜杠“\\”后面是 YAML 不认识的字符。请把双引号换成单引号，或去掉反斜杠")
    if "sequence entries are not allowed" in problem:
        return Slip(line + 1, col + 1,
                    "字段名同一行的冒号后面不能写“- ”列表项。列表请从下一行开始、缩进两个空格，每项以“- ”开头；"
                    "如果“-”是文字的一部分，请给整个值加英文双引号")
    spanning = _quote_spanning_lines(lines, line, col)
    if spanning is not None:
        return spanning
    previous = _previous_content_line(lines, line)
    key_line = context.line if context is not None and "simple key" in situation else line
    before_key = _previous_content_line(lines, key_line)
    header = BLOCK_HEADER.search(_text_of(lines, before_key))
    if header is not None:
        return Slip(key_line + 1, 1, f"多段文字（“{header.group(1)}”下面的几行）的每一行前面都要空两个空格"
                                     "（比字段名多缩进两格），否则会被当成新的字段。请在这一段的每一行前面加两个空格")
    around = _line_slip(lines, line) or _line_slip(lines, previous)
    if context is not None and "simple key" in situation:
        around = around or _line_slip(lines, context.line)
    if around is not None:
        return around
    if problem.startswith("found character") and problem.endswith("cannot start any token") and here[col:col + 1].strip():
        return Slip(line + 1, col + 1,
                    f"值不能以“{here[col]}”开头。请给整个值加英文双引号，例如 \"{here[col:].strip()}\"")
    if "simple key" in situation and context is not None:
        return Slip(context.line + 1, context.column + 1,
                    "这一行缺少冒号：每一行应写成“字段名: 值”（英文冒号后面加一个空格）。"
                    "如果这是上一行文字的延续，请把它接到上一行末尾")
    if problem.startswith("mapping values are not allowed"):
        return _colon_in_value(lines, line, col)
    if problem.startswith(("did not find expected key", "expected <block end>", "did not find expected '-'")):
        return _misaligned(lines, line, col)
    return None


def _text_of(lines: list[str], line: int) -> str:
    """The line, or "" for a number the parser's marks put before or after the text."""
    return lines[line] if 0 <= line < len(lines) else ""


def _previous_content_line(lines: list[str], line: int) -> int:
    for number in range(min(line, len(lines)) - 1, -1, -1):
        stripped = _text_of(lines, number).strip()
        if stripped and not stripped.startswith("#"):
            return number
    return -1


def _line_slip(lines: list[str], line: int) -> Slip | None:
    """A slip plain to see on one line: tab or full-width space indenting it, a full-width colon
    after a field name, no space after a field name's colon."""
    if not 0 <= line < len(lines):
        return None
    text = lines[line]
    content = text.lstrip(" ")
    indent = len(text) - len(content)
    tab = _TAB_INDENT.match(text)
    if tab:
        return Slip(line + 1, tab.end(), "这一行用制表符（Tab）缩进，YAML 只能用空格。请把 Tab 换成空格（每层缩进两个空格）")
    if content[:1] == "\u3000" or content.startswith("-\u3000"):
        return Slip(line + 1, indent + 1, "这一行开头有全角空格“　”，YAML 只能用英文半角空格缩进。请删除全角空格，改用半角空格")
    if content.startswith("#") or _in_block(lines, line):
        return None  # a comment, or a line of a `|` block: any text is allowed there
    dash = _DASH_NO_SPACE.match(text)
    if dash:
        return Slip(line + 1, len(dash.group(1)) + 1,
                    "列表项的“-”后面缺少空格。请写成“- 字段: 值”（“-”后面加一个空格）")
    full_width = _KEY_WITH_FULL_WIDTH_COLON.match(text)
    if full_width and ": " not in text[: full_width.end()] and not text[: full_width.end()].rstrip().endswith(":"):
        key = full_width.group(2).strip()
        return Slip(line + 1, full_width.end(),
                    f"字段名“{key}”后面是全角冒号“：”，YAML 只认英文冒号。请改成英文冒号加一个空格：“{key}: ”")
    no_space = _ASCII_KEY_NO_SPACE.match(text)
    if no_space:
        key = no_space.group(2)
        return Slip(line + 1, no_space.end(),
                    f"字段名“{key}”的冒号后面缺少空格。请在冒号后面加一个空格：“{key}: ”")
    return None


def _quote_spanning_lines(lines: list[str], line: int, col: int) -> Slip | None:
    """A quote opened on an earlier line and closed only by the first quote on this one: the value
    there swallowed the lines in between, and the parser stumbles over what follows the quote."""
    here = _text_of(lines, line)
    for number in range(line - 1, max(line - QUOTE_SEARCH_LINES, 0) - 1, -1):
        opening = _OPENING_QUOTE.match(_text_of(lines, number))
        if opening is None:
            continue
        quote = opening.group(1)
        rest = lines[number][opening.end():]
        if quote in rest.replace(quote * 2, "") if quote == "'" else quote in rest.replace('\\"', ""):
            return None  # closed on its own line: the nearest quoted value is fine
        if quote not in here[:col + 1]:
            return None
        return _unclosed_quote(lines, yaml.Mark("", 0, number, opening.start(1), None, 0), until=line)
    return None


def _in_block(lines: list[str], line: int) -> bool:
    """Whether the line belongs to a `|` or `>` block: its parent line (the nearest less indented one) opens one."""
    text = lines[line]
    indent = len(text) - len(text.lstrip(" "))
    for number in range(line - 1, -1, -1):
        above = lines[number]
        if not above.strip():
            continue
        if len(above) - len(above.lstrip(" ")) < indent:
            return BLOCK_HEADER.search(above) is not None
    return False


def _unclosed_quote(lines: list[str], start: yaml.Mark, until: int | None = None) -> Slip:
    text = _text_of(lines, start.line)
    quote = text[start.column] if start.column < len(text) else '"'
    rest = text[start.column + 1:]
    chinese = next((c for c in rest if c in _CHINESE_QUOTES), None)
    if chinese:
        hint = f"这一行结尾用的是中文引号“{chinese}”，请改成英文引号“{quote}”"
    else:
        hint = f"请在值的末尾补上另一个“{quote}”，或去掉这个引号"
    if until is not None:
        return Slip(start.line + 1, start.column + 1,
                    f"这里的英文引号“{quote}”在这一行没有配对，一直到第 {until + 1} 行的引号都被当成了引号里的文字。{hint}")
    return Slip(start.line + 1, start.column + 1,
                f"这里的英文引号“{quote}”没有配对，从这里到文件末尾都被当成了引号里的文字。{hint}")


def _colon_in_value(lines: list[str], line: int, col: int) -> Slip:
    text = _text_of(lines, line)
    first = text.find(": ")
    if 0 <= first < col - 1 or text[:col].lstrip().startswith("- ") and ": " in text[:col]:
        joined = _JOINED_FIELD.search(text[:col])
        if joined:
            return Slip(line + 1, joined.start(1) + 1,
                        f"“{joined.group(1)}:”看起来是另一个字段，应该另起一行，并与上一个字段左端对齐")
        return Slip(line + 1, col,
                    "值里含有英文冒号“:”（后面是空格或行尾），YAML 会把它当作新的字段。请给整个值加英文双引号，"
                    "例如 unit: \"某某公司: 第一车间\"，或把冒号换成中文冒号“：”")
    return _misaligned(lines, line, col, deeper=True)


def _misaligned(lines: list[str], line: int, col: int, deeper: bool = False) -> Slip:
    text = _text_of(lines, line)
    before = text[:col].rstrip()
    if before and before[-1] in "\"'" and before.count(before[-1]) >= 2 and before.lstrip()[:1] not in ("-",):
        return Slip(line + 1, col + 1,
                    f"引号只能包住整个值：这里的引号“{before[-1]}”后面还有文字。请把整个值放进一对引号里；"
                    f"值里本身要用引号时，请用中文引号“”")
    if before and before[-1] in "]}":
        return Slip(line + 1, col + 1,
                    f"英文括号“{before[-1]}”后面还有文字：以“[”或“{{”开头的值会被当成列表或映射。"
                    "请给整个值加英文双引号，或改用中文括号【】（）")
    content = text.lstrip(" ")
    indent = len(text) - len(content)
    previous = _previous_content_line(lines, line)
    above = _text_of(lines, previous)
    above_indent = len(above) - len(above.lstrip(" "))
    if content.startswith("-"):
        return Slip(line + 1, indent + 1,
                    f"列表项“-”的缩进不对（这一行缩进 {indent} 个空格）。同一列表的“- ”要上下对齐，"
                    f"列表项里的字段要与第一个字段对齐")
    if deeper:
        return Slip(line + 1, indent + 1,
                    f"这一行比上一行多缩进了 {max(indent - above_indent, 1)} 个空格，被当成了上一行的值的一部分。"
                    f"同一层的字段要左端对齐")
    return Slip(line + 1, indent + 1,
                f"这一行的缩进（{indent} 个空格）与上面同一层的字段对不齐。同一层的字段要左端对齐，"
                f"下一层比上一层多缩进两个空格")
