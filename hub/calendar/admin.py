"""Cuti bersama, as admins keep them: the whole list of a year replaced at once, audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import delete

from hub import audit_chain as audit
from hub.calendar.models import CutiBersama
from hub.calendar.service import cuti_bersama_days, national_holiday_list
from hub.errors import Invalid
from hub.principal import Principal
from hub.uow import Unit


def year_view(year: int, cuti: list[CutiBersama]) -> dict[str, Any]:
    return {
        "year": year,
        "national_holidays": national_holiday_list(year),
        "cuti_bersama": [{"date": c.day.isoformat(), "name": c.name} for c in cuti],
    }


async def set_cuti_bersama(
    unit: Unit, actor: Principal, year: int, days: list[tuple[date, str]]
) -> dict[str, Any]:
    """Make ``days`` the cuti bersama of ``year`` (each date in that year, once).

    Deadlines already given keep their value (the promise made at filing); requests
    filed from now on count the new days as closed. Audited as ``calendar.cuti_bersama``.
    """
    seen: set[date] = set()
    for i, (day, _name) in enumerate(days):
        if day.year != year:
            raise Invalid("date_outside_year", field=f"days.{i}.date", year=year)
        if day in seen:
            raise Invalid("date_duplicate", field=f"days.{i}.date")
        seen.add(day)
    before = [
        {"date": c.day.isoformat(), "name": c.name}
        for c in await cuti_bersama_days(unit.session, year)
    ]
    await unit.session.execute(delete(CutiBersama).where(CutiBersama.year == year))
    unit.session.add_all(CutiBersama(day=d, year=year, name=n) for d, n in sorted(days))
    await unit.session.flush()
    rows = await cuti_bersama_days(unit.session, year)
    after = [{"date": c.day.isoformat(), "name": c.name} for c in rows]
    if before != after:
        await audit.record(
            unit, actor, "calendar.cuti_bersama", "calendar", year,
            before={"cuti_bersama": before}, after={"cuti_bersama": after},
        )  # fmt: skip
    return year_view(year, rows)
