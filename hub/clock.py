"""Time in one place: aware UTC for storage, Asia/Jakarta for people."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")


def utcnow() -> datetime:
    return datetime.now(UTC)


def monotonic() -> float:
    return time.monotonic()


def jakarta_today(now: datetime | None = None) -> date:
    """The office day: queue numbers restart at midnight in Bogor, not in UTC."""
    return (now or utcnow()).astimezone(JAKARTA).date()


def iso(ts: datetime) -> str:
    """ISO-8601 in UTC with a ``Z``; clients render it in Asia/Jakarta."""
    return ts.astimezone(UTC).isoformat().replace("+00:00", "Z")
