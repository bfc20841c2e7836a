"""Calendar use cases (role admin): read a year, replace its cuti bersama days.

Each opens its own transaction (or read); the routes authorize and parse.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hub.calendar import admin
from hub.calendar.service import cuti_bersama_days
from hub.context import Hub
from hub.principal import Principal


async def year(hub: Hub, year: int) -> dict[str, Any]:
    """National holidays and cuti bersama days of ``year``."""
    async with hub.reader() as session:
        return admin.year_view(year, await cuti_bersama_days(session, year))


async def set_cuti_bersama(
    hub: Hub, p: Principal, year: int, days: list[tuple[date, str]]
) -> dict[str, Any]:
    async with hub.unit() as unit:
        return await admin.set_cuti_bersama(unit, p, year, days)
