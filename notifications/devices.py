"""The devices a person gets pushes on: their Web Push subscriptions, listed for the
notification-settings page (each can be unsubscribed with ``POST /api/push/unsubscribe``).

A subscription is all the hub knows of a device: its push endpoint (which names the
browser's push service), when it was added and when a push last got through.
"""

from __future__ import annotations

from typing import Any

from hub.clock import iso
from hub.context import Hub
from hub.errors import Forbidden
from hub.principal import Principal
from notifications import store
from notifications.models import PushSubscription


def device_view(s: PushSubscription) -> dict[str, Any]:
    return {
        "id": s.id,
        "endpoint": s.endpoint,
        "created_at": iso(s.created_at),
        "last_success_at": iso(s.last_success_at) if s.last_success_at else None,
    }


async def devices_of(hub: Hub, p: Principal) -> list[dict[str, Any]]:
    """``p``'s subscriptions, oldest first; walk-in receipt holders have none (forbidden)."""
    if p.user_id is None:
        raise Forbidden("registered_users_only")
    async with hub.reader() as session:
        return [device_view(s) for s in await store.subscriptions_of(session, [p.user_id])]
