"""Shared steps of the notification tests: say something, look at an inbox."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import select

from chat import posting
from hub.context import Hub
from hub.uow import Control, Outgoing
from notifications.models import Notification
from notifications.runtime import Runtime
from tests.support.world import World

_ids = itertools.count(1)


async def say(world: World, who: str, ticket_id: int, body: str) -> None:
    async with world.hub.unit() as unit:
        comment = posting.NewComment(
            world.principals[who], ticket_id, f"client-{next(_ids):06d}", body
        )
        [result] = await posting.post_comments(unit, world.hub.limiter, [comment])
        if isinstance(result, Exception):
            raise result


async def rows_of(hub: Hub, user_id: int) -> list[Notification]:
    async with hub.reader() as session:
        rows = await session.scalars(
            select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
        )
        return list(rows)


def sent(hub: Hub) -> list[Outgoing | Control]:
    items: list[Outgoing | Control] = hub.publisher.sent  # type: ignore[attr-defined]
    return items


def emitted(hub: Hub, event: str, room: str) -> list[dict[str, Any]]:
    return [
        o.data
        for o in sent(hub)
        if isinstance(o, Outgoing) and o.event == event and room in o.rooms
    ]


def runtime_of(sio: Any) -> Runtime:
    """The notifications runtime of a running hub (``RunningHub.sio``)."""
    namespace = sio.namespace_handlers["/notifications"]
    runtime = namespace.runtime
    assert isinstance(runtime, Runtime)
    return runtime
