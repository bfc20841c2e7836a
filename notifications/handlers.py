"""The ``/notifications`` namespace: sync the inbox, mark read; and the package's install.

Every socket of a user sits in ``user:<id>`` (see :class:`~hub.realtime.namespace.HubNamespace`),
where the service publishes ``notification``, ``counts`` and ``read``; this namespace
also records that the user has an open inbox, so nobody is pushed what they see live.
"""

from __future__ import annotations

from typing import Any

from starlette.routing import BaseRoute

from hub.context import Hub
from hub.principal import Principal
from hub.realtime.namespace import HubNamespace
from hub.realtime.publisher import SocketPublisher
from hub.schemas import parse
from notifications import (
    NOTIFICATIONS_NS,
    PUSH_OP,
    actions,
    delivery_routes,
    events,
    projections,
    push,
    routes,
)
from notifications.ringpush import RingPusher
from notifications.runtime import Runtime
from notifications.watching import online_key
from signaling.ringing import RINGING_OP


class NotificationsNamespace(HubNamespace):
    def __init__(self, hub: Hub, runtime: Runtime) -> None:
        super().__init__(NOTIFICATIONS_NS, hub)
        self.runtime = runtime

    async def connected(self, sid: str, principal: Principal) -> None:
        if principal.user_id is not None:
            await self.runtime.live.online.add(sid, online_key(principal.user_id))

    async def disconnected(self, sid: str, principal: Principal) -> None:
        await self.runtime.live.online.drop(sid)

    async def on_sync(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        """The inbox page (newest first) and the unread counts, in one ack."""
        body = parse(events.SyncIn, data)
        items, cursor, counts = await actions.inbox(self.hub, p, body.cursor, body.limit)
        return {"notifications": items, "next_cursor": cursor, "counts": counts}

    async def on_mark_read(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(events.MarkReadIn, data)
        ids, counts = await actions.mark_read(self.hub, p, body.id, body.ticket_id, body.all)
        return {"read": ids, "counts": counts}


def install(hub: Hub, sio: Any, publisher: SocketPublisher) -> list[BaseRoute]:
    runtime = Runtime(hub)
    projections.subscribe(hub)
    sio.register_namespace(NotificationsNamespace(hub, runtime))
    publisher.on_control(PUSH_OP, runtime.on_push)
    ringer = RingPusher(runtime)
    for kind in ("notification", "ring"):  # every series from the start, at 0
        for outcome in push.Outcome:
            hub.metrics.pushes.labels(kind, outcome.value)
    publisher.on_control(RINGING_OP, ringer.on_ringing)  # a call rings: closed browsers too
    hub.on_lifespan(start=runtime.start, stop=runtime.stop)
    hub.on_lifespan(stop=ringer.stop)
    return [*routes.routes(runtime), *delivery_routes.routes()]
