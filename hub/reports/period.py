"""The period of a report: Jakarta days ``first`` … ``last``, as UTC instants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from hub.clock import JAKARTA, jakarta_today
from hub.errors import Invalid

MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), JAKARTA).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The instant after the period (exclusive)."""
        return datetime.combine(self.last + timedelta(days=1), time(), JAKARTA).astimezone(UTC)

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise Invalid("date_invalid", field=field) from exc


def period_of(first: str | None, last: str | None, now: datetime) -> Period:
    """The days asked; by default this month up to today (Jakarta)."""
    today = jakarta_today(now)
    end = _day(last, "to") if last else today
    start = _day(first, "from") if first else end.replace(day=1)
    if start > end:
        raise Invalid("period_reversed", field="from")
    if (end - start).days + 1 > MAX_DAYS:
        raise Invalid("period_too_long", field="from", max=MAX_DAYS)
    return Period(start, end)
