"""Web Push subscriptions of a user's browsers, and the delivery of queued pushes.

Pushes are sent after commit (:mod:`notifications.push`, from the runtime): one
process claims each, and a subscription the push service calls gone is forgotten.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from hub.errors import Invalid
from hub.principal import Principal
from hub.uow import Unit
from notifications import registered, store, ticket_url
from notifications.models import Notification, PushSubscription

MAX_SUBSCRIPTIONS = 10


def _b64(value: str, size: int, field: str) -> None:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, binascii.Error):
        raise Invalid("push_key_invalid", field=field) from None
    if len(raw) != size or (field == "keys.p256dh" and raw[0] != 4):
        raise Invalid("push_key_invalid", field=field)


def check_endpoint(endpoint: str, allow_http: bool) -> None:
    """Push services are https; plain http only where the deployment allows it (dev)."""
    parts = urlsplit(endpoint)
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes or not parts.hostname or parts.username or parts.password:
        raise Invalid("push_endpoint_invalid", field="endpoint")


async def subscribe(
    unit: Unit,
    p: Principal,
    endpoint: str,
    p256dh: str,
    auth: str,
    allow_http: bool = False,
) -> PushSubscription:
    """Keep a browser's subscription for ``p``; an endpoint moves to its latest owner.

    Keys are checked (an uncompressed P-256 point, a 16-byte secret), the endpoint
    must be https (or http where ``allow_http``). Each user keeps at most
    :data:`MAX_SUBSCRIPTIONS`; the oldest go first.
    """
    user_id = registered(p)
    check_endpoint(endpoint, allow_http)
    _b64(p256dh, 65, "keys.p256dh")
    _b64(auth, 16, "keys.auth")
    row = await store.subscription_by_endpoint(unit.session, endpoint)
    if row is None:
        row = PushSubscription(endpoint=endpoint, user_id=user_id, created_at=unit.ctx.clock.now())
        unit.session.add(row)
    row.user_id, row.p256dh, row.auth = user_id, p256dh, auth
    await unit.session.flush()
    mine = await store.subscriptions_of(unit.session, [user_id])
    await store.delete_subscriptions(
        unit.session, [s.id for s in mine[: max(0, len(mine) - MAX_SUBSCRIPTIONS)]]
    )
    return row


async def unsubscribe(unit: Unit, p: Principal, endpoint: str) -> bool:
    """Forget ``p``'s subscription at ``endpoint``; False when there was none of theirs."""
    user_id = registered(p)
    row = await store.subscription_by_endpoint(unit.session, endpoint)
    if row is None or row.user_id != user_id:
        return False
    await store.delete_subscriptions(unit.session, [row.id])
    return True


def push_payload(n: Notification) -> dict[str, Any]:
    """What a push service carries (encrypted): ticket number, short title, link — no PII."""
    return {
        "title": n.title,
        "body": n.preview,
        "url": ticket_url(n.ticket_id),
        "tag": f"ticket-{n.ticket_id}-{n.kind}",
        "ticket_number": n.ticket_number,
    }


@dataclass(frozen=True)
class PushJob:
    notification_id: int
    payload: dict[str, Any]
    subscriptions: list[PushSubscription]


async def claim_pushes(unit: Unit, ids: list[int]) -> list[PushJob]:
    """Take the pending pushes among ``ids`` (exactly one process gets each)."""
    rows = await store.claim_pushes(unit.session, ids)
    subs = await store.subscriptions_of(unit.session, sorted({n.user_id for n in rows}))
    return [
        PushJob(n.id, push_payload(n), [s for s in subs if s.user_id == n.user_id]) for n in rows
    ]


async def stale_pushes(session: AsyncSession, now: datetime) -> list[int]:
    """Pushes queued over a minute ago and never claimed (a process died meanwhile)."""
    return await store.stale_pending(session, now - timedelta(minutes=1))


async def record_pushes(
    unit: Unit, pushed: list[int], ok_subs: list[int], gone_subs: list[int], now: datetime
) -> None:
    """Note what push services accepted; forget subscriptions they call gone (404/410)."""
    await store.set_pushed(unit.session, pushed, now)
    await store.touch_subscriptions(unit.session, ok_subs, now)
    await store.delete_subscriptions(unit.session, gone_subs)
