"""Time in one place: aware UTC for storage, Asia/Jakarta for people.

Services take the time from the app's :class:`Clock` (``unit.ctx.clock``), never from
the machine directly, and background loops sleep on it: a test hands the app a fake
clock (``tests/support/clock.py``) and moves it forward instead of waiting for a ring
timeout, a grace period or an SLA. Pure functions take ``now`` as an argument.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")


class Clock(Protocol):
    """What the hub asks about time: wall time (storage), monotonic time (intervals), sleep."""

    def now(self) -> datetime:
        """Aware UTC."""
        ...

    def monotonic(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The machine's clock (the default)."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def utcnow() -> datetime:
    """The machine's time, for column defaults and code outside the services."""
    return datetime.now(UTC)


def jakarta_today(now: datetime | None = None) -> date:
    """The office day: queue numbers restart at midnight in Bogor, not in UTC."""
    return (now or utcnow()).astimezone(JAKARTA).date()


def iso(ts: datetime) -> str:
    """ISO-8601 in UTC with a ``Z``; clients render it in Asia/Jakarta."""
    return ts.astimezone(UTC).isoformat().replace("+00:00", "Z")
