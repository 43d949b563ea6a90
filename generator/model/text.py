"""What characters a record's text may hold, checked when the models are built.

Records arrive by pull request, and YAML's escapes (`"\\0"`, `"\\u202e"`) let an editor, or someone
posing as one, put characters into a field that no editor can see: a NUL that reaches the HTML and the
CSV, a right-to-left override that makes 张 + U+202E + 国建 display as 张建国, a zero-width space that makes
a second 张建国 that is not equal to the first. Such a value is refused with the field and the position of
the character, in Chinese; the loader puts the message at the field's line.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TypeVar

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

# C0 and C1 control characters. Tab and line feed are text; a carriage return only as part of a CRLF
# line end (a story file saved on Windows). One character class: an alternation with a look-ahead for
# the CR made the search four times slower, and it runs over every field of every record.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Characters that change how the text around them is shown, or are not shown at all.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
# In a name or an id: no control or format character at all (the bidi and zero-width ones are format
# characters, so are the soft hyphen and the invisible operators), no line or paragraph separator.
_NOT_IN_NAME = frozenset({"Cc", "Cf", "Zl", "Zp"})

MaybeText = TypeVar("MaybeText", bound=str | None)  # an optional field's validator returns what it was given

# What an HTML parser takes for markup: a tag (`<b>`, `</p>`, `<img src=…>`), a comment, a doctype or a
# processing instruction. `a<b且c>d`, `<5%`, `<https://…>` and `<a@b.cn>` are not.
HTML_MARKUP = re.compile(r"<(?:!--|/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>])|![A-Za-z]|\?)")


def describe_character(ch: str) -> str:
    """How a character no one can see is named to an editor."""
    code = f"U+{ord(ch):04X}"
    if ch in _BIDI:
        return f"看不见的文字方向控制符 {code}（它会让前后的字颠倒显示）"
    if ch in _ZERO_WIDTH:
        return f"看不见的零宽字符 {code}"
    if ch == "\t":
        return "制表符（Tab）"
    if ch in "\n\u2028\u2029":
        return "换行符"
    if ch == "\r":
        return "单独的回车符 U+000D（\\r）"
    if not ord(ch):
        return "空字符 U+0000（\\0）"
    name = unicodedata.name(ch, "")
    kind = "看不见的格式字符" if unicodedata.category(ch) == "Cf" else "控制字符"
    return f"{kind} {code}" + (f"（{name}）" if name else "")


# The loader adds the field's name and a full stop; the message ends without one.
def _refuse(ch: str, position: int) -> PydanticCustomError:
    return PydanticCustomError(
        "text_character",
        "第 {position} 个字符是{character}，不能写在记录里。它多半是从别处复制时带进来的，或是写了“\\0”这样的转义："
        "请删掉这个字符，重新输入这一处文字",
        {"position": position, "character": describe_character(ch)})


def _first_control(value: str) -> int:
    """Index of the first control character in `value`, or -1."""
    if value.isprintable():  # most fields, in C: a line feed, a tab and U+3000 make it false, not wrong
        return -1
    found = _CONTROL.search(value)
    while found and value[found.start():found.start() + 2] == "\r\n":
        found = _CONTROL.search(value, found.start() + 2)
    return found.start() if found else -1


def check_text(value: str) -> str:
    """A text field: no control character (a line feed and a tab are text)."""
    at = _first_control(value)
    if at >= 0:
        raise _refuse(value[at], at + 1)
    return value


def check_texts(values: list[object]) -> list[object]:
    """A list field: each text item as check_text, the error at the item's own line (a ValidationError
    raised in a validator keeps its location, under the field's)."""
    for i, value in enumerate(values):
        if type(value) is str:
            at = _first_control(value)
            if at >= 0:
                raise ValidationError.from_exception_data("text", [InitErrorDetails(
                    type=_refuse(value[at], at + 1), loc=(i,), input=value)])
    return values


def check_name(value: MaybeText) -> MaybeText:
    """A name, a title or an id: also no format character (bidi controls, zero-width ones), no line break or tab."""
    if value is None or value.isprintable():  # in C; U+3000 makes it false, and is allowed
        return value
    for i, ch in enumerate(value):
        if unicodedata.category(ch) in _NOT_IN_NAME:
            raise _refuse(ch, i + 1)
    return value


def check_plain(value: MaybeText) -> MaybeText:
    """A summary: plain text shown as written, so HTML in it could only be a mistake or an attack."""
    if value is None:
        return value
    found = HTML_MARKUP.search(value)
    if found:
        tag = re.match(r"<[^<>\s]{0,30}>?", value[found.start():]).group()  # type: ignore[union-attr]
        raise PydanticCustomError(
            "text_markup",
            "第 {position} 个字符起是 HTML 标记“{tag}”。简介是纯文字，照原样显示在网页和搜索结果里，不能含 HTML 标记："
            "请删掉它，只留文字",
            {"position": found.start() + 1, "tag": tag})
    check_text(value)
    return value
