"""Working time, pure: an office's week of hours and the days it is closed.

Everything here takes and returns aware datetimes (stored UTC); the hours are local
time of Asia/Jakarta (WIB, no daylight saving). No database, no clock: the callers
(:mod:`hub.calendar.service`) load an office's :class:`WorkCalendar` and
:data:`WeekHours` and pass ``now``.

Rules (docs/protocol.md §14):
- a *working instant* is inside an office's opening hours on a day that is neither a
  national holiday nor a cuti bersama day;
- a standard in **working hours** ends when that many working hours have passed from
  the filing (a request filed after hours starts at the next opening);
- a standard of **N working days** ends at the same time of day N working days later
  (clamped to that day's closing); a request filed outside the hours starts at the next
  opening, and then N days end at the closing of the N-th working day, counting that one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from hub.clock import JAKARTA
from hub.models import StandardUnit

#: a day's hours: (opens, closes) in minutes after midnight (local), or None when closed
DayHours = tuple[int, int] | None
#: Monday first, seven entries
WeekHours = tuple[DayHours, ...]

#: No standard reaches further than this many calendar days (a guard, never a rule).
HORIZON_DAYS = 3 * 366


@dataclass(frozen=True)
class WorkCalendar:
    """The days offices are closed besides their weekly hours: national holidays (by
    date, from the ``holidays`` package) and the cuti bersama days an admin set."""

    is_holiday: Callable[[date], bool]
    cuti_bersama: frozenset[date] = frozenset()

    def closed(self, day: date) -> bool:
        return day in self.cuti_bersama or self.is_holiday(day)


def no_holidays(_day: date) -> bool:
    return False


def _local(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(minutes // 60, minutes % 60), JAKARTA)


def interval(cal: WorkCalendar, hours: WeekHours, day: date) -> tuple[datetime, datetime] | None:
    """The working interval of ``day`` (local date), or None when the office is closed."""
    span = hours[day.weekday()]
    if span is None or span[1] <= span[0] or cal.closed(day):
        return None
    return _local(day, span[0]), _local(day, span[1])


def _intervals_from(
    cal: WorkCalendar, hours: WeekHours, start: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """Working intervals that end after ``start``, in order (the first may contain it)."""
    day = start.astimezone(JAKARTA).date()
    for _ in range(HORIZON_DAYS):
        span = interval(cal, hours, day)
        if span is not None and span[1] > start:
            yield span
        day += timedelta(days=1)
    raise ValueError("no working time within the horizon (an office with no hours?)")


def add_working_seconds(
    cal: WorkCalendar, hours: WeekHours, start: datetime, seconds: float
) -> datetime:
    """The instant when ``seconds`` of working time have passed since ``start``.

    Time outside the hours does not count; reaching the end exactly at a closing gives
    that closing (not the next opening). ``seconds`` ≤ 0 gives ``start``.
    """
    if seconds <= 0:
        return start
    left = timedelta(seconds=seconds)
    for opens, closes in _intervals_from(cal, hours, start):
        begin = max(opens, start)
        if left <= closes - begin:
            return begin + left
        left -= closes - begin
    raise AssertionError("unreachable")  # pragma: no cover


def add_working_days(cal: WorkCalendar, hours: WeekHours, start: datetime, days: int) -> datetime:
    """The end of a standard of ``days`` working days from ``start`` (see the module rules)."""
    if days <= 0:
        return start
    spans = _intervals_from(cal, hours, start)
    opens, closes = next(spans)
    if start < opens:  # filed outside the hours: the first working day counts whole
        for _ in range(days - 1):
            opens, closes = next(spans)
        return closes.astimezone(start.tzinfo)
    at = start.astimezone(JAKARTA).time()
    for _ in range(days):
        opens, closes = next(spans)
    same = datetime.combine(opens.date(), at, JAKARTA)
    return min(max(same, opens), closes).astimezone(start.tzinfo)


def working_seconds_between(
    cal: WorkCalendar, hours: WeekHours, start: datetime, end: datetime
) -> float:
    """Working seconds from ``start`` to ``end`` for an office (0 when ``end`` ≤ ``start``).

    The measure of completion times "in working hours" (divide by 3600): what a request
    took, counted only inside the office's hours on its working days.
    """
    if end <= start:
        return 0.0
    total = 0.0
    day = start.astimezone(JAKARTA).date()
    last = end.astimezone(JAKARTA).date()
    while day <= last:
        span = interval(cal, hours, day)
        if span is not None:
            overlap = (min(span[1], end) - max(span[0], start)).total_seconds()
            total += max(overlap, 0.0)
        day += timedelta(days=1)
    return total


def due_at(
    cal: WorkCalendar, hours: WeekHours, filed: datetime, value: int, unit: StandardUnit
) -> datetime:
    """When a standard of ``value`` ``unit`` runs out for a request filed at ``filed``."""
    if unit is StandardUnit.working_hours:
        return add_working_seconds(cal, hours, filed, value * 3600.0)
    return add_working_days(cal, hours, filed, value)


def at_risk_at(
    cal: WorkCalendar, hours: WeekHours, filed: datetime, due: datetime, share: float
) -> datetime:
    """When ``share`` (0 < share ≤ 1) of the working time from ``filed`` to ``due`` is used."""
    used = share * working_seconds_between(cal, hours, filed, due)
    return min(add_working_seconds(cal, hours, filed, used), due)
