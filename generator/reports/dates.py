"""Date arithmetic with the counting conventions of rules.md.

- Adding years keeps the month and day; 29 February becomes 28 February in a
  year without it (29 Feb + 2 years = 28 Feb).
- 年满 N 周岁: reached on the birthday itself.
- "Within N years" measured back from the as-of date, which is included:
  after the same date N years earlier.
- Working days come from `chinese_calendar` (the State Council's yearly
  holiday notices, make-up working days included).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import chinese_calendar


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year without it
        return day.replace(year=day.year + years, day=28)


def add_days(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years on `day`; the birthday itself counts (年满)."""
    age = day.year - birth.year
    if add_years(birth, age) > day:
        age -= 1
    return age


def within_years_before(event: dt.date, as_of: dt.date, years: int) -> bool:
    """`event` falls after the same date `years` years before `as_of`, and not after `as_of`."""
    return add_years(as_of, -years) < event <= as_of


def birth_date_from_id_number(id_number: str | None) -> dt.date | None:
    """The birth date inside an 18-character 居民身份证号码 (digits 7–14), if it is a real date."""
    if not id_number or len(id_number) != 18 or not id_number[6:14].isdigit():
        return None
    try:
        return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


@dataclass(frozen=True)
class WorkingDays:
    known: int  # working days counted in years the calendar has data for
    unknown_days: int  # days in years outside the calendar's data
    unknown_years: tuple[int, ...]


def count_working_days(start: dt.date, end: dt.date, enough: int | None = None) -> WorkingDays:
    """Working days from `start` to `end`, both included (none when `end` is before `start`).

    With `enough`, counting stops once that many working days are found.
    """
    known = 0
    unknown = 0
    unknown_years: list[int] = []
    day = start
    while day <= end:
        try:
            if chinese_calendar.is_workday(day):
                known += 1
                if enough is not None and known >= enough:
                    break
        except NotImplementedError:
            unknown += 1
            if day.year not in unknown_years:
                unknown_years.append(day.year)
        day += dt.timedelta(days=1)
    return WorkingDays(known, unknown, tuple(unknown_years))
