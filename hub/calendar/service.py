"""An office's working-time calendar from the database, and the deadlines of a request.

Office hours are the admins' ``office_hours`` rows (:mod:`hub.accounts.offices`; an
office without rows has :data:`hub.catalog.DEFAULT_HOURS`); national holidays come from
the ``holidays`` package (Indonesia); cuti bersama days from :class:`CutiBersama`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime

import holidays
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub import catalog
from hub.accounts.models import OfficeHours
from hub.calendar.models import CutiBersama
from hub.calendar.workingtime import (
    WeekHours,
    WorkCalendar,
    at_risk_at,
    due_at,
    working_seconds_between,
)
from hub.models import ServiceType


def national_holidays(years: range | None = None) -> holidays.HolidayBase:
    """Indonesia's public holidays (``holidays`` package); further years load on demand."""
    return holidays.country_holidays("ID", years=years or [], language="id")


@functools.lru_cache(maxsize=64)
def national_days(year: int) -> frozenset[date]:
    """The dates of ``year``'s national holidays.

    Memoized for the process: computing a year takes ~50 ms (lunar dates), too long for
    every filing, and the answer is a fixed fact of the installed package (immutable, the
    same for every app in the process, so sharing it shares no state).
    """
    return frozenset(national_holidays(range(year, year + 1)))


def is_national_holiday(day: date) -> bool:
    return day in national_days(day.year)


def national_holiday_list(year: int) -> list[dict[str, str]]:
    """The year's national holidays as ``[{"date": "2026-03-20", "name": "…"}]``."""
    days = national_holidays(range(year, year + 1))
    return [{"date": d.isoformat(), "name": str(n)} for d, n in sorted(days.items())]


async def week_of(session: AsyncSession, office_id: int) -> WeekHours:
    """The office's seven days of hours, Monday first (defaults when it has no rows)."""
    rows = {
        r.weekday: r
        for r in await session.scalars(
            select(OfficeHours).where(OfficeHours.office_id == office_id)
        )
    }
    if not rows:
        return catalog.DEFAULT_HOURS
    week: list[tuple[int, int] | None] = []
    for day in range(7):
        r = rows.get(day)
        if r is None or r.opens_min is None or r.closes_min is None:
            week.append(None)
        else:
            week.append((r.opens_min, r.closes_min))
    return tuple(week)


async def cuti_bersama_days(session: AsyncSession, year: int | None = None) -> list[CutiBersama]:
    query = select(CutiBersama).order_by(CutiBersama.day)
    if year is not None:
        query = query.where(CutiBersama.year == year)
    return list(await session.scalars(query))


async def calendar_of(session: AsyncSession) -> WorkCalendar:
    """The closed days every office shares: national holidays and the cuti bersama days."""
    days = frozenset(c.day for c in await cuti_bersama_days(session))
    return WorkCalendar(is_holiday=is_national_holiday, cuti_bersama=days)


@dataclass(frozen=True)
class OfficeTime:
    """What working time means for one office: the shared calendar and its hours."""

    calendar: WorkCalendar
    hours: WeekHours


async def office_time(session: AsyncSession, office_id: int) -> OfficeTime:
    return OfficeTime(await calendar_of(session), await week_of(session, office_id))


async def deadlines(
    session: AsyncSession, office_id: int, service: ServiceType, filed: datetime, share: float
) -> tuple[datetime, datetime]:
    """``(due_at, at_risk_at)`` of a request for ``service`` filed at ``filed``."""
    ot = await office_time(session, office_id)
    due = due_at(ot.calendar, ot.hours, filed, service.standard_value, service.standard_unit)
    return due, at_risk_at(ot.calendar, ot.hours, filed, due, share)


async def working_hours_between(
    session: AsyncSession, office_id: int, start: datetime, end: datetime
) -> float:
    """Working hours of ``office_id`` from ``start`` to ``end`` (0 when ``end`` ≤ ``start``):
    a completion time "in working hours". For many requests of one office, load
    :func:`office_time` once and call :func:`~hub.calendar.workingtime.working_seconds_between`."""
    ot = await office_time(session, office_id)
    return working_seconds_between(ot.calendar, ot.hours, start, end) / 3600
