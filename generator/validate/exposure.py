"""Private numbers that also stand in a public record: a leak, told from values that are public anyway.

A phone or ID number in the private tree is personal wherever else it appears; found in a public record (in
any format: 1xx-xxxx-xxxx, full-width digits) it is an error at the private record's line, naming the public
file and line. A unit's name (a discipline authority that is also the employer, a transfer's units) is public
anyway (privacyscan.public_anyway): neither this check nor `laomo check --private` reports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.diagnostics import Diagnostic
from generator.load.files import display_path
from generator.load.private import PrivateLoad
from generator.load.public import PublicLoad
from generator.load.yamlsource import MAX_FILE_BYTES
from generator.privacyscan import HALF_WIDTH, digits_of
from generator.validate.layout import text_files

_NUMBER = re.compile(r"(?<![0-9A-Za-z])\+?\d(?:[ \-]?\d){6,}[Xx]?(?![0-9A-Za-z])")
LABELS = {("id_number",): "身份证号", ("phone",): "电话号码", ("relative_contact", "phone"): "亲属电话"}


@dataclass(frozen=True)
class Place:
    display: str
    line: int


def public_numbers(records) -> dict[str, Place]:
    """Every number of 7 or more digits written in the public records, normalised, with where it first stands."""
    found: dict[str, Place] = {}
    for path in text_files(records):
        try:
            text = path.read_bytes()[:MAX_FILE_BYTES].decode("utf-8", errors="replace")
        except OSError:
            continue
        display = display_path(path)
        for number, line in enumerate(text.translate(HALF_WIDTH).splitlines(), start=1):
            for match in _NUMBER.finditer(line):
                digits = digits_of(match.group(0))
                found.setdefault(digits, Place(display, number))
                if digits.startswith("86") and len(digits) == 13:
                    found.setdefault(digits[2:], Place(display, number))
    return found


def check_exposure(private: PrivateLoad, public: PublicLoad) -> list[Diagnostic]:
    numbers = public_numbers(public.root)
    problems: list[Diagnostic] = []
    for worker_id, worker in private.tree.workers.items():
        source = private.sources[("worker", worker_id)]
        values = {("id_number",): worker.id_number, ("phone",): worker.phone,
                  ("relative_contact", "phone"): worker.relative_contact.phone if worker.relative_contact else None}
        for loc, value in values.items():
            place = numbers.get(digits_of(value)) if value else None
            if place is not None:
                problems.append(source.at(loc, "error",
                                          f"这个{LABELS[loc]}也写在公开记录 {place.display} 第 {place.line} 行，会被发布到网站上。"
                                          "请从公开记录中删除它：私密信息只放在私密目录中。"))
    return problems
