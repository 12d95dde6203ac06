"""Partial dates (a year, a half, a quarter, a month or a day), sorted and shown honestly."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# ASCII digits and no trailing newline (\Z): the text is kept, so it must be exactly a date.
_PARTIAL = re.compile(
    r"^(?P<year>[0-9]{4})"
    r"(?:-(?:H(?P<half>[12])|Q(?P<quarter>[1-4])|(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?))?\Z"
)

EXAMPLES = "2026, 2026-H2, 2026-Q3, 2026-07 or 2026-07-15"

# English month names, whatever the locale (and without importing `calendar` at start).
_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in(year: int, month: int) -> int:
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 29 if month == 2 and leap else _DAYS_IN_MONTH[month - 1]


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to some precision (a year, half, quarter, month or day)."""

    year: int
    first_month: int
    day: int
    width: int  # months covered; 0 for a single day, so a day sorts after its month
    text: str

    @property
    def sort_key(self) -> tuple[int, int, int, int]:
        """Where the period starts; at one start the wider first ("2026" before "Jan 2026")."""
        return (self.year, self.first_month, self.day, -self.width)

    @property
    def label(self) -> str:
        if self.width == 12:
            return str(self.year)
        if self.width == 6:
            return f"{self.year} H{1 if self.first_month == 1 else 2}"
        if self.width == 3:
            return f"{self.year} Q{(self.first_month - 1) // 3 + 1}"
        month = _MONTHS[self.first_month - 1][:3]
        if self.width == 1:
            return f"{month} {self.year}"
        return f"{self.day} {month} {self.year}"

    @property
    def label_zh(self) -> str:
        """The date as Chinese writes it: 2026年, 2026年下半年, 2026年第三季, 2026年2月26日."""
        if self.width == 12:
            return f"{self.year}年"
        if self.width == 6:
            return f"{self.year}年{'上' if self.first_month == 1 else '下'}半年"
        if self.width == 3:
            quarter = "一二三四"[(self.first_month - 1) // 3]
            return f"{self.year}年第{quarter}季"
        if self.width == 1:
            return f"{self.year}年{self.first_month}月"
        return f"{self.year}年{self.first_month}月{self.day}日"


@functools.lru_cache(maxsize=4096)  # dates recur; a PartialDate is immutable
def parse_partial_date(text: str) -> PartialDate:
    """Parse ``2026``, ``2026-H2``, ``2026-Q3``, ``2026-07`` or ``2026-07-15``."""
    match = _PARTIAL.match(text)
    if match is None:
        raise ValueError(f"`{text}` is not a date; write it like {EXAMPLES}")
    year = int(match.group("year"))
    if match.group("half"):
        return PartialDate(year, 1 if match.group("half") == "1" else 7, 0, 6, text)
    if match.group("quarter"):
        return PartialDate(year, (int(match.group("quarter")) - 1) * 3 + 1, 0, 3, text)
    if match.group("month"):
        month = int(match.group("month"))
        if not 1 <= month <= 12:
            raise ValueError(f"`{text}` has no month {month}")
        if match.group("day"):
            day = int(match.group("day"))
            if not 1 <= day <= _days_in(year, month):
                raise ValueError(f"`{text}` is not a day of {_MONTHS[month - 1]} {year}")
            return PartialDate(year, month, day, 0, text)
        return PartialDate(year, month, 0, 1, text)
    return PartialDate(year, 1, 0, 12, text)
