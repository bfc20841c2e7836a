"""An office's working-time calendar from the database, and the deadlines of a request.

Office hours are the admins' ``office_hours`` rows (:mod:`hub.accounts.offices`; an
office without rows has :data:`hub.catalog.DEFAULT_HOURS`); national holidays come from
the ``holidays`` package (Indonesia); cuti bersama days from :class:`CutiBersama`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import holidays
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub import catalog
from hub.accounts.models import OfficeHours
from hub.calendar.models import CutiBersama
from hub.calendar.workingtime import WeekHours, WorkCalendar, at_risk_at, due_at
from hub.models import ServiceType


def national_holidays(years: range | None = None) -> holidays.HolidayBase:
    """Indonesia's public holidays (``holidays`` package); further years load on demand."""
    return holidays.country_holidays("ID", years=years or [], language="id")


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
    national = national_holidays()
    days = frozenset(c.day for c in await cuti_bersama_days(session))

    def is_holiday(day: date) -> bool:
        return day in national

    return WorkCalendar(is_holiday=is_holiday, cuti_bersama=days)


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
