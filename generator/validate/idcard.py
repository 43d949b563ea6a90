"""居民身份证号码 (GB 11643-1999): check digit and the birth date inside it."""

from __future__ import annotations

import datetime as dt
import re

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


def id_number_problem(number: str) -> str | None:
    """Why the number is not a valid 18-digit ID number, in Chinese; None when valid."""
    if not _SHAPE.match(number):
        return "身份证号（id_number）应为 18 位：前 17 位是数字，最后一位是数字或大写 X。"
    if birth_date_in(number) is None:
        return f"身份证号（id_number）中的出生日期“{number[6:14]}”不是真实日期。"
    if check_digit(number[:17]) != number[17]:
        return f"身份证号（id_number）校验位不对（按 GB 11643 计算应为 {check_digit(number[:17])}），可能有数字抄错，请核对原件。"
    return None


def birth_date_in(number: str) -> dt.date | None:
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
