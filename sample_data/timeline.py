"""The sample's fiscal year as integers: day indexes and seconds since its first midnight.

The generator counts time as integer seconds since 2025-04-01 00:00 Asia/Tokyo (day 0 is that
date; negative days fall before the year) because integers are cheap to draw and compare
across a million events. This module turns them back into calendar facts -- which weekday, the
end of a one-year contract, the first day of a fiscal month -- and into the ISO 8601 text the
landing contract reads. Asia/Tokyo has no daylight saving, so the fixed ``+09:00`` is exact.
"""

from __future__ import annotations

import datetime as dt

# --- the fiscal year --------------------------------------------------------------------------

FY_START = dt.date(2025, 4, 1)
FY_DAYS = (dt.date(2026, 4, 1) - FY_START).days
DAY = 86_400
HOUR = 3_600
T_END = FY_DAYS * DAY  # first instant after the fiscal year
OFFSET = "+09:00"
# Unix seconds of the year's first local midnight: instant t of the sample is this + t.
FY_START_EPOCH = int(
    dt.datetime.combine(FY_START, dt.time(), dt.timezone(dt.timedelta(hours=9))).timestamp()
)
PLANNING_DAYS = 400  # working days are also needed after the year, for planned dates
WORK_START = 9 * HOUR
WORK_SPAN = 9 * HOUR + 1_800  # 09:00 .. 18:30


def weekday(day: int) -> int:
    """Weekday of day index ``day``: 0 is Monday, 5 and 6 the weekend."""
    return (FY_START.weekday() + day) % 7


def term_end_day(start_day: int) -> int:
    """Last day (inclusive) of a one-year contract starting on ``start_day``."""
    start = FY_START + dt.timedelta(days=start_day)
    try:
        anniversary = start.replace(year=start.year + 1)
    except ValueError:  # 29 February
        anniversary = start.replace(year=start.year + 1, day=28)
    return (anniversary - FY_START).days - 1


def month_start(month: int) -> int:
    """Day index of the first day of the fiscal year's ``month`` (0 = April 2025)."""
    year, month0 = divmod(FY_START.month - 1 + month, 12)
    return (dt.date(FY_START.year + year, month0 + 1, 1) - FY_START).days


class Clock:
    """Formats instants cheaply: one cached date string per day, one time string per second."""

    def __init__(self) -> None:
        self._dates: dict[int, str] = {}
        self._times = [
            f"T{s // HOUR:02d}:{s // 60 % 60:02d}:{s % 60:02d}{OFFSET}" for s in range(DAY)
        ]

    def date(self, day: int) -> str:
        text = self._dates.get(day)
        if text is None:
            text = self._dates[day] = (FY_START + dt.timedelta(days=day)).isoformat()
        return text

    def ts(self, t: int) -> str:
        day, second = divmod(t, DAY)
        return self.date(day) + self._times[second]
