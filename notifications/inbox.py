"""A user's inbox: the unread counts, pages of notifications, marking them read; and
the delivery record a supervisor sees of an officer's notifications."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub import policy
from hub.clock import iso
from hub.errors import Invalid, NotFound
from hub.models import OFFICER_ROLES, User
from hub.principal import Principal
from hub.schemas import MAX_ID, decimal_id
from hub.uow import Unit
from notifications import NOTIFICATIONS_NS, store, ticket_url, user_room
from notifications.events import CountsOut, ReadIdsOut
from notifications.models import Notification

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def notification_view(n: Notification) -> dict[str, Any]:
    return {
        "id": n.id,
        "kind": n.kind,
        "ticket_id": n.ticket_id,
        "ticket_number": n.ticket_number,
        "title": n.title,
        "preview": n.preview,
        "count": n.count,
        "url": ticket_url(n.ticket_id),
        "created_at": iso(n.created_at),
        "updated_at": iso(n.updated_at),
        "read": n.read_at is not None,
    }


def delivery_view(n: Notification) -> dict[str, Any]:
    """The delivery record a supervisor sees: times only, no preview text."""
    return {
        "id": n.id,
        "user_id": n.user_id,
        "kind": n.kind,
        "ticket_id": n.ticket_id,
        "ticket_number": n.ticket_number,
        "count": n.count,
        "created_at": iso(n.created_at),
        "updated_at": iso(n.updated_at),
        "delivered_live_at": iso(n.delivered_live_at) if n.delivered_live_at else None,
        "pushed_at": iso(n.pushed_at) if n.pushed_at else None,
        "read_at": iso(n.read_at) if n.read_at else None,
    }


async def counts(session: AsyncSession, user_id: int | None) -> dict[str, Any]:
    """Unread counts: per ticket and in total (a group of 3 messages counts 3)."""
    rows = await store.unread_counts(session, user_id) if user_id is not None else []
    return {
        "total": sum(n for _t, n in rows),
        "tickets": [{"ticket_id": t, "unread": n} for t, n in rows],
    }


def _cursor(n: Notification) -> str:
    micros = (n.updated_at - EPOCH) // timedelta(microseconds=1)
    raw = f"{micros}:{n.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _parse_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        micros, last_id = raw.split(":")
        number = decimal_id(last_id)  # the cursor is the client's text: an id in range
        if not 1 <= number <= MAX_ID:
            raise ValueError(last_id)
        return EPOCH + timedelta(microseconds=decimal_id(micros)), number
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError):
        raise Invalid("cursor_invalid", field="cursor") from None


async def inbox(
    session: AsyncSession, p: Principal, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of ``p``'s inbox, most recently updated first, and the next cursor."""
    if p.user_id is None:
        return [], None
    before = _parse_cursor(cursor) if cursor else None
    rows = await store.page(session, p.user_id, before, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return [notification_view(n) for n in rows], (_cursor(rows[-1]) if more else None)


async def mark_read(
    unit: Unit,
    p: Principal,
    notification_id: int | None = None,
    ticket_id: int | None = None,
    everything: bool = False,
) -> tuple[list[int], dict[str, Any]]:
    """Mark one row, a ticket's rows or all rows read; every device of ``p`` hears it.

    Returns (ids marked now, the counts after). Marking what is already read is a
    no-op, not an error; a notification of someone else is ``not_found``.
    """
    if p.user_id is None:
        return [], await counts(unit.session, None)
    if sum(x is not None for x in (notification_id, ticket_id)) + int(everything) != 1:
        raise Invalid("mark_read_target_required")
    if notification_id is not None:
        n = await unit.session.get(Notification, notification_id)
        if n is None or n.user_id != p.user_id:
            raise NotFound("notification_not_found")
    ids = await store.mark_read(
        unit.session, p.user_id, unit.ctx.clock.now(), notification_id, ticket_id
    )
    after = await counts(unit.session, p.user_id)
    if ids:
        room = [user_room(p.user_id)]
        unit.emit("read", ReadIdsOut(ids=ids), room, NOTIFICATIONS_NS)
        unit.emit("counts", CountsOut.model_validate(after), room, NOTIFICATIONS_NS)
    return ids, after


async def delivery_record(
    session: AsyncSession, p: Principal, user_id: int, limit: int
) -> list[dict[str, Any]]:
    """An officer's notifications with delivery times, for a supervisor of their office."""
    user = await session.get(User, user_id)
    if user is None or user.role not in OFFICER_ROLES or user.office_id is None:
        raise NotFound("officer_not_found")
    policy.check_supervise(p, user.office_id)
    return [delivery_view(n) for n in await store.delivery(session, user_id, limit)]
