"""Offices, as admins keep them: name, address and opening hours (the structure is fixed).

Hours are per weekday, local time (Asia/Jakarta): ``{"mon": {"open": "07:30", "close":
"16:00"}, …, "sun": null}`` — ``null`` when closed. Stored as minutes after midnight in
``office_hours``, seven rows per office.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub import audit_chain as audit
from hub.accounts.models import OfficeHours
from hub.errors import Invalid, NotFound
from hub.models import Office
from hub.principal import Principal
from hub.uow import Unit

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: a day's hours: (opens, closes) in minutes after midnight, or None when closed
DayHours = tuple[int, int] | None


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes_of(text: str, field: str) -> int:
    """``"07:30"`` → 450; :class:`Invalid` for anything else."""
    hours, sep, mins = text.partition(":")
    if not (sep and len(hours) == 2 and len(mins) == 2 and hours.isdigit() and mins.isdigit()):
        raise Invalid("time_format_invalid", field=field)
    value = int(hours) * 60 + int(mins)
    if int(hours) > 23 or int(mins) > 59:
        raise Invalid("time_format_invalid", field=field)
    return value


def hours_view(rows: list[OfficeHours]) -> dict[str, dict[str, str] | None]:
    by_day = {r.weekday: r for r in rows}
    out: dict[str, dict[str, str] | None] = {}
    for day, name in enumerate(WEEKDAYS):
        r = by_day.get(day)
        if r is None or r.opens_min is None or r.closes_min is None:
            out[name] = None
        else:
            out[name] = {"open": hhmm(r.opens_min), "close": hhmm(r.closes_min)}
    return out


def office_view(o: Office, hours: list[OfficeHours]) -> dict[str, Any]:
    return {
        "id": o.id,
        "code": o.code,
        "kemendagri_code": o.kemendagri_code,
        "name": o.name,
        "level": o.level.value,
        "parent_id": o.parent_id,
        "address": o.address,
        "hours": hours_view(hours),
    }


async def list_offices(session: AsyncSession) -> list[dict[str, Any]]:
    """Every office with its hours, in Kemendagri order (kota, then each kecamatan's tree)."""
    offices = list(await session.scalars(select(Office)))
    hours: dict[int, list[OfficeHours]] = {}
    for row in await session.scalars(select(OfficeHours)):
        hours.setdefault(row.office_id, []).append(row)
    offices.sort(key=lambda o: (o.kemendagri_code or "~", o.code))
    return [office_view(o, hours.get(o.id, [])) for o in offices]


async def update_office(
    unit: Unit,
    actor: Principal,
    office_id: int,
    *,
    name: str | None = None,
    address: str | None = None,
    hours: dict[str, DayHours] | None = None,
) -> dict[str, Any]:
    """Change an office's name, address (empty string: none) or its week of hours."""
    office = await unit.session.get(Office, office_id)
    if office is None:
        raise NotFound("office_not_found")
    rows = list(
        await unit.session.scalars(select(OfficeHours).where(OfficeHours.office_id == office_id))
    )
    before = {"name": office.name, "address": office.address, "hours": hours_view(rows)}
    if name is not None:
        office.name = name
    if address is not None:
        office.address = address or None
    if hours is not None:
        by_day = {r.weekday: r for r in rows}
        for day, key in enumerate(WEEKDAYS):
            row = by_day.get(day)
            if row is None:
                row = by_day[day] = OfficeHours(office_id=office_id, weekday=day)
                unit.session.add(row)
            span = hours.get(key)
            row.opens_min, row.closes_min = span if span else (None, None)
        rows = list(by_day.values())
        await unit.session.flush()
    after = {"name": office.name, "address": office.address, "hours": hours_view(rows)}
    old, new = audit.changed(before, after)
    if new:
        await audit.record(
            unit, actor, "office.update", "office", office.id, office_id=office.id,
            before=old, after=new,
        )  # fmt: skip
    return office_view(office, rows)
