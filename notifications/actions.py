"""Notification use cases for the ``/notifications`` namespace and the HTTP routes.

Each opens its own transaction (or read): ``actions.x(hub, principal, ...)`` → one
``hub.unit()`` or ``hub.reader()`` → the inbox, preferences and subscriptions → a view. Handlers and
routes parse and answer; they never hold a session.
"""

from __future__ import annotations

from typing import Any

from hub.context import Hub
from hub.principal import Principal
from notifications import delivery, prefs, subscriptions
from notifications import inbox as inboxes


async def inbox(
    hub: Hub, p: Principal, cursor: str | None, limit: int
) -> tuple[list[dict[str, Any]], str | None, dict[str, Any]]:
    """A page of ``p``'s inbox (newest first), the next cursor, and the unread counts."""
    async with hub.reader() as session:
        items, next_cursor = await inboxes.inbox(session, p, cursor, limit)
        counts = await inboxes.counts(session, p.user_id)
    return items, next_cursor, counts


async def mark_read(
    hub: Hub, p: Principal, notification_id: int | None, ticket_id: int | None, everything: bool
) -> tuple[list[int], dict[str, Any]]:
    """(ids marked now, the counts after); every device of ``p`` hears it."""
    async with hub.unit() as unit:
        return await inboxes.mark_read(unit, p, notification_id, ticket_id, everything)


async def delivery_record(hub: Hub, p: Principal, user_id: int, limit: int) -> list[dict[str, Any]]:
    async with hub.reader() as session:
        return await inboxes.delivery_record(session, p, user_id, limit)


async def get_prefs(hub: Hub, p: Principal) -> dict[str, Any]:
    async with hub.reader() as session:
        return await prefs.get_prefs(session, p)


async def set_prefs(
    hub: Hub,
    p: Principal,
    muted_tickets: list[int],
    push_opt_out: list[str],
    quiet_hours: tuple[str, str] | None,
) -> dict[str, Any]:
    async with hub.unit() as unit:
        return await prefs.set_prefs(unit, p, muted_tickets, push_opt_out, quiet_hours)


async def subscribe(
    hub: Hub, p: Principal, endpoint: str, p256dh: str, auth: str, allow_http: bool
) -> int:
    """The id of ``p``'s push subscription at ``endpoint`` (kept or moved to ``p``)."""
    async with hub.unit() as unit:
        row = await subscriptions.subscribe(unit, p, endpoint, p256dh, auth, allow_http)
        return row.id


async def unsubscribe(hub: Hub, p: Principal, endpoint: str) -> bool:
    async with hub.unit() as unit:
        return await subscriptions.unsubscribe(unit, p, endpoint)


async def delivery_summary(hub: Hub, p: Principal, office_id: int | None) -> list[dict[str, Any]]:
    """Per officer of the supervisor's offices: today's notifications and how many reached
    them (``notifications.delivery``)."""
    async with hub.reader() as session:
        return await delivery.delivery_summary(session, p, office_id, hub.clock.now())
