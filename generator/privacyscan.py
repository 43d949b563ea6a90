"""Private-looking values and private field names in text: GitHub push protection for personal data.

Used on every text file under records/ (`laomo validate`) and on the added lines of a pull request
(`laomo scan-diff`). It knows no field names itself: the caller passes the private model's keys (see
generator.validate.edges), so that this module stays importable from anywhere, the public build included.
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum

from generator.diagnostics import Diagnostic
from generator.validate.idcard import birth_date_in, check_digit

# full-width digits, X and separators to their ASCII forms, one character for one so columns stay right
HALF_WIDTH = str.maketrans("０１２３４５６７８９ＸｘＩ－　＋", "0123456789XxI- +")
_SEPARATOR = r"[ \-]?"
# 18 characters standing alone (not part of a longer run of digits or of a word)
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
# 1[3-9] and 9 more digits, as written on forms: 1xxxxxxxxxx, 1xx xxxx xxxx, 1xx-xxxx-xxxx, +86 1xx…
# a number followed by a unit is a quantity (15000000000 元), not a phone or a card
_NOT_QUANTITY = r"(?![0-9A-Za-z]|\s?(?:元|万|亿|千|百|吨|件|个|米|台|人|次|项|户|套|公里|千瓦|%|‰))"
_MOBILE = re.compile(rf"(?<![0-9A-Za-z+.])(?:\+?86{_SEPARATOR})?(1[3-9]\d{_SEPARATOR}\d{{4}}{_SEPARATOR}\d{{4}}){_NOT_QUANTITY}")
# 16–19 digits, possibly in groups of four, beginning as card numbers do (UnionPay 62, Visa 4, Mastercard 5/2)
_CARD = re.compile(r"(?<![0-9A-Za-z.])((?:62|4\d|5[1-5]|2[2-7])\d{2}(?:[ \-]?\d{4}){2}[ \-]?\d{4}(?:[ \-]?\d{1,3})?)"
                   + _NOT_QUANTITY)


# the private fields that hold numbers: compared in their normalised form (digits_of)
NUMBER_KEYS = frozenset({"phone", "id_number"})
# private fields naming a unit (a discipline authority, a transfer's units, a recommending body, a management
# unit): such a name may also stand, legitimately, in a public record (the employer). Every other private value
# is personal: wherever it also appears in public, it is a leak.
UNIT_NAME_KEYS = frozenset({"authority", "from", "to", "recommended_by"})


def public_anyway(path: tuple[str, ...]) -> bool:
    """Whether the private value at `path` (keys and list indexes, as text) may be public anyway when a public
    record also writes it: a unit's name, not a person's data."""
    names = [p for p in path if not p.isdigit()]
    if not names:
        return False
    if names[-1] in UNIT_NAME_KEYS:
        return True
    return names[-1] == "name" and "relative_contact" not in names  # units.yml: a unit's name


class Kind(Enum):
    ID_NUMBER = "身份证号"
    MOBILE = "手机号码"
    BANK_CARD = "银行卡号"
    PRIVATE_KEY = "私密字段"


@dataclass(frozen=True)
class Finding:
    kind: Kind
    column: int  # 1-based, in characters
    shown: str  # what was found, masked (values) or the key itself (fields)


FORMATTED_NUMBERS = (_MOBILE, _ID_NUMBER)


def digits_of(text: str) -> str:
    """The normalised form of a number: half-width, digits (and the ID number's X) only."""
    return re.sub(r"[^0-9X]", "", text.translate(HALF_WIDTH).upper())


def mask(digits: str) -> str:
    """`6101**********1234`: enough to find it in the file, not enough to be the number."""
    keep = 3 if len(digits) <= 11 else 4
    return digits[:keep] + "*" * (len(digits) - keep - 4) + digits[-4:]


def is_id_number(digits: str) -> bool:
    return (len(digits) == 18 and digits[:17].isdigit() and check_digit(digits[:17]) == digits[17]
            and birth_date_in(digits) is not None and 1900 <= int(digits[6:10]) <= 2100)


def is_mobile(digits: str) -> bool:
    digits = digits[2:] if len(digits) == 13 and digits.startswith("86") else digits
    return len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789"


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def key_pattern(keys: Iterable[str]) -> re.Pattern[str]:
    """A YAML key at the start of a line (also as a list item or quoted): `  phone: …`, `- "id_number": …`."""
    names = "|".join(re.escape(k) for k in sorted(keys, key=lambda k: (-len(k), k)))
    return re.compile(rf"^(\s*(?:-\s+)*)[\"']?({names})[\"']?\s*:(?=\s|$)")


def find_values(line: str) -> Iterator[Finding]:
    """Private-looking values in one line of text."""
    text = line.translate(HALF_WIDTH)
    taken: list[range] = []
    for match in _ID_NUMBER.finditer(text):
        digits = match.group(0).upper()
        if is_id_number(digits):
            taken.append(range(match.start(), match.end()))
            yield Finding(Kind.ID_NUMBER, match.start() + 1, mask(digits))
    for match in _CARD.finditer(text):
        digits = digits_of(match.group(1))
        if 16 <= len(digits) <= 19 and luhn_ok(digits) and not _overlaps(taken, match.start(1), match.end(1)):
            taken.append(range(match.start(1), match.end(1)))
            yield Finding(Kind.BANK_CARD, match.start(1) + 1, mask(digits))
    for match in _MOBILE.finditer(text):
        if not _overlaps(taken, match.start(1), match.end(1)):
            yield Finding(Kind.MOBILE, match.start(1) + 1, mask(digits_of(match.group(1))))


def _overlaps(taken: list[range], start: int, end: int) -> bool:
    return any(start < r.stop and r.start < end for r in taken)


def find_in_line(line: str, keys: re.Pattern[str] | None) -> list[Finding]:
    """Private keys (when `keys` is given: YAML text) and private-looking values in one line."""
    found: list[Finding] = []
    if keys is not None:
        match = keys.match(line)
        if match:
            found.append(Finding(Kind.PRIVATE_KEY, len(match.group(1)) + 1, match.group(2)))
    found.extend(find_values(line))
    return found


def message(finding: Finding) -> str:
    if finding.kind is Kind.PRIVATE_KEY:
        return (f"发现私密字段“{finding.shown}”。这是私密记录才有的字段，不能出现在公开记录目录 records/ 里"
                "（提交后任何人都能看到）。请删除这一项，把它写到工作人员保管的私密目录（--private）中的同名文件里。")
    return (f"发现疑似{finding.kind.value}“{finding.shown}”（已遮盖部分数字）。{finding.kind.value}是个人隐私，"
            "不能写在公开记录里（提交后任何人都能看到）：请删除它，需要保存时写到工作人员保管的私密目录（--private）中。"
            "如果这其实不是个人号码，请改写（例如去掉或改动数字）后再提交。")


def scan_lines(display: str, lines: Iterable[tuple[int, str]], keys: re.Pattern[str] | None) -> list[Diagnostic]:
    """Errors for every finding in (line number, text) pairs of one file."""
    return [Diagnostic(display, number, finding.column, "error", message(finding))
            for number, line in lines for finding in find_in_line(line, keys)]


def yaml_lines(text: str, markdown: bool) -> Iterator[tuple[int, str, bool]]:
    """(line number, line, holds YAML) for each line: a story's front matter is YAML, its body is not."""
    lines = text.splitlines()
    front_end = 0
    if markdown and lines and lines[0].strip() == "---":
        front_end = next((i for i in range(1, len(lines)) if lines[i].strip() in {"---", "..."}), 0)
    for i, line in enumerate(lines):
        yield i + 1, line, (not markdown) or 0 < i < front_end


# at least 11 digits (\\d is any decimal digit: full-width ones too), separators allowed: what every value
# looked for has, and most files have not
_MAYBE_NUMBER = re.compile(r"\d(?:[ \-－　]?\d){10}")


@functools.lru_cache(maxsize=4)
def _anywhere(keys: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(keys.pattern, re.MULTILINE)


def scan_text(display: str, text: str, keys: re.Pattern[str], markdown: bool = False) -> list[Diagnostic]:
    """Every private key (in YAML parts) and private-looking value (anywhere) of one file."""
    if not _MAYBE_NUMBER.search(text) and not _anywhere(keys).search(text):
        return []  # the whole file at once: a line at a time is for files with something to report
    problems: list[Diagnostic] = []
    for number, line, is_yaml in yaml_lines(text, markdown):
        problems += scan_lines(display, [(number, line)], keys if is_yaml else None)
    return problems


@dataclass(frozen=True)
class AddedLine:
    path: str  # in the new tree, as git shows it
    line: int
    text: str


def added_lines(diff: str) -> Iterator[AddedLine]:
    """The added lines of a unified diff (`git diff --unified=0` or any context), with their new line numbers."""
    path: str | None = None
    line = 0
    for raw in diff.splitlines():
        if raw.startswith("+++ "):
            name = raw[4:].rstrip("\t\n\r")
            if len(name) > 1 and name.startswith('"') and name.endswith('"'):  # git's C-style quoting, octal UTF-8
                # typeshed says escape_decode returns str; it returns bytes
                name = codecs.escape_decode(name[1:-1].encode("utf-8"))[0].decode("utf-8", "replace")  # type: ignore[attr-defined]
            path = None if name == "/dev/null" else name.removeprefix("b/")
        elif raw.startswith("@@"):
            match = re.match(r"@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@", raw)
            line = int(match.group(1)) if match else 0
        elif raw.startswith("+") and path is not None:
            yield AddedLine(path, line, raw[1:])
            line += 1
        elif raw.startswith(" ") and path is not None:
            line += 1


IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".ico", ".svg", ".woff", ".woff2")
_BINARY = re.compile(r"^Binary files (?:a/.+|/dev/null) and b/(.+) differ$")


def binary_files(diff: str) -> list[Diagnostic]:
    """Warnings for files git shows only as binary (a NUL byte, for one): their lines cannot be scanned."""
    found = []
    for raw in diff.splitlines():
        match = _BINARY.match(raw)
        if match and not match.group(1).lower().endswith(IMAGE_SUFFIXES):
            found.append(Diagnostic(match.group(1), 1, 1, "warning",
                                    "git 把这个文件当作二进制文件，其中的内容没有检查是否含有个人隐私。"
                                    "记录和文档请保存为 UTF-8 文本；确实需要的二进制文件请工作人员核对。"))
    return found


def scan_diff(diff: str, keys: re.Pattern[str]) -> list[Diagnostic]:
    """Findings on the added lines of a diff. Private keys count in records/ and in YAML files elsewhere but
    the program's own (report packs name private fields as parameters)."""
    problems: list[Diagnostic] = []
    for added in added_lines(diff):
        yaml_like = added.path.startswith("records/") or (
            added.path.endswith((".yml", ".yaml")) and not added.path.startswith("generator/"))
        problems += scan_lines(added.path, [(added.line, added.text)], keys if yaml_like else None)
    return problems
