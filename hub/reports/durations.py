"""How long a request took, in working hours: the one place reports count them.

On the office's working-time calendar (:mod:`hub.calendar`: its hours per weekday, the
national holidays, the cuti bersama days): a request filed on Friday afternoon and
completed on Monday morning took the office's working hours in between, not the weekend.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hub.calendar.service import OfficeTime, office_time
from hub.calendar.workingtime import working_seconds_between


class WorkingHours:
    """Working hours between two instants per office; each office's calendar is read once
    (a report measures many requests of a few offices)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._offices: dict[int, OfficeTime] = {}

    async def between(self, office_id: int, start: datetime, end: datetime) -> float:
        """Working hours of ``office_id`` from ``start`` to ``end`` (0 if ``end`` is first)."""
        ot = self._offices.get(office_id)
        if ot is None:
            ot = self._offices[office_id] = await office_time(self.session, office_id)
        return working_seconds_between(ot.calendar, ot.hours, start, end) / 3600
