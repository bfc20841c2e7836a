"""The ``/queues`` namespace: supervisors watch offices and reassign tickets.

Parse → who is asking → one service call → ack; see ``docs/protocol.md §8``.
"""

from __future__ import annotations

import contextlib
import functools
from typing import Any

from starlette.routing import BaseRoute

from hub import policy
from hub.context import Hub
from hub.models import Role
from hub.principal import Principal
from hub.queues import QUEUES_NS, actions, projections, queue_room, routes
from hub.queues.events import ReassignIn, WatchIn
from hub.queues.presence import MemoryPresence, PresenceBackend, PresenceTracker, RedisPresence
from hub.realtime.namespace import HubNamespace
from hub.realtime.publisher import SocketPublisher
from hub.schemas import parse


class QueuesNamespace(HubNamespace):
    def __init__(self, namespace: str, hub: Hub, presence: PresenceTracker) -> None:
        super().__init__(namespace, hub)
        self.presence = presence

    async def on_watch(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(WatchIn, data)
        await actions.check_watch(self.hub, p, body.office_id)
        # Join before reading: a change committed meanwhile arrives as a delta
        # (and is dropped by its version if the snapshot already has it).
        await self.enter_room(sid, queue_room(body.office_id))
        roster = await self.presence.roster()
        return {"snapshot": await actions.snapshot(self.hub, p, body.office_id, roster)}

    async def on_unwatch(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(WatchIn, data)
        await self.leave_room(sid, queue_room(body.office_id))
        return {}

    async def on_reassign(self, sid: str, p: Principal, data: Any) -> dict[str, Any]:
        body = parse(ReassignIn, data)
        role = Role(body.to_role) if body.to_role else None
        item = await actions.reassign(
            self.hub, p, body.ticket_id, body.version, body.note, body.to_user_id, role
        )
        return {"ticket": item}

    async def resync(self, args: dict[str, Any]) -> None:
        """Local op, run whenever this process (re)subscribes to Redis.

        Deltas published by other processes while Redis was down never arrived, so
        each local watcher gets a fresh ``queue_snapshot`` of every office it watches
        (to replace its board); one no longer allowed to supervise it is dropped.
        """
        del args
        prefix = "queue:"  # queue_room(id)
        for room in self.local_rooms(prefix):
            office_id = int(room[len(prefix) :])
            allowed: list[tuple[str, Principal]] = []
            for sid in await self.local_sids(room):
                with contextlib.suppress(KeyError):  # gone meanwhile
                    p = await self.principal(sid)
                    if policy.can_supervise(p, office_id):
                        allowed.append((sid, p))
                    else:
                        await self.leave_room(sid, room)
            if not allowed:
                continue
            roster = await self.presence.roster()
            snap = await actions.snapshot(self.hub, allowed[0][1], office_id, roster)
            watchers = [sid for sid, _p in allowed]
            await self.emit("queue_snapshot", {"snapshot": snap}, to=watchers, ignore_queue=True)


def install(hub: Hub, sio: Any, publisher: SocketPublisher) -> list[BaseRoute]:
    backend: PresenceBackend = RedisPresence(hub.redis) if hub.redis else MemoryPresence()
    tracker = PresenceTracker(hub, backend)
    projections.subscribe(hub)
    hub.on_socket(tracker.opened, tracker.closed)
    hub.on_lifespan(tracker.start, tracker.stop)
    namespace = QueuesNamespace(QUEUES_NS, hub, tracker)
    sio.register_namespace(namespace)
    publisher.on_control("resubscribed", namespace.resync)
    hub.metrics.on_scrape(functools.partial(actions.count_waiting, hub))
    return routes.routes()
