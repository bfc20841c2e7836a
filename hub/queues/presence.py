"""Presence: an officer is online while they hold a socket (any namespace, any process).

Counts are kept per user. Without Redis they live in this process. With Redis
every process owns a hash ``presence:proc:<process id>`` (user → sockets) that
expires :data:`TTL` seconds after its last refresh and is refreshed every
:data:`REFRESH` seconds: a crashed process's sockets vanish with its key, and
the next sweep (by any process) announces those officers offline. The set
``presence:online`` holds who was announced online; SADD/SREM decide which
process announces a change (exactly one), and ``presence:v`` numbers the
changes so dashboards drop stale ones.

"In a call" is not kept here: it follows from the ``calls`` table (see
``board.officer_state``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis

from hub.context import Hub
from hub.policy import HANDLING_ROLES
from hub.principal import Principal
from hub.queues import QUEUES_NS, queue_room, store
from hub.queues.board import Roster
from hub.queues.events import OfficerDelta, OfficerItem, officer_item
from hub.uow import Outgoing

logger = logging.getLogger("hub.queues.presence")

TTL = 30.0
REFRESH = 10.0


@dataclass(frozen=True)
class Change:
    user_id: int
    online: bool
    v: int


class PresenceBackend(Protocol):
    async def opened(self, user_id: int) -> Change | None: ...
    async def closed(self, user_id: int) -> Change | None: ...
    async def roster(self) -> Roster: ...
    async def refresh(self) -> list[Change]: ...
    async def close(self) -> None: ...


class MemoryPresence:
    """One process: socket counts in a dict; nothing can go stale."""

    def __init__(self) -> None:
        self._counts: dict[int, int] = {}
        self._versions: dict[int, int] = {}
        self._v = 0

    def _change(self, user_id: int, online: bool) -> Change:
        self._v += 1
        self._versions[user_id] = self._v
        return Change(user_id, online, self._v)

    async def opened(self, user_id: int) -> Change | None:
        self._counts[user_id] = self._counts.get(user_id, 0) + 1
        return self._change(user_id, True) if self._counts[user_id] == 1 else None

    async def closed(self, user_id: int) -> Change | None:
        left = self._counts.get(user_id, 0) - 1
        if left > 0:
            self._counts[user_id] = left
            return None
        if self._counts.pop(user_id, None) is None:
            return None
        return self._change(user_id, False)

    async def roster(self) -> Roster:
        return Roster(frozenset(self._counts), dict(self._versions))

    async def refresh(self) -> list[Change]:
        return []

    async def close(self) -> None:
        self._counts.clear()


class RedisPresence:
    """Across processes, with per-process heartbeat keys (see the module docstring)."""

    PREFIX = "presence:proc:"
    ONLINE = "presence:online"
    VERSION = "presence:v"
    VERSIONS = "presence:versions"

    def __init__(self, redis: Redis, ttl: float = TTL, process_id: str | None = None) -> None:
        self.redis = redis
        self.ttl_ms = int(ttl * 1000)
        self.process_id = process_id or uuid.uuid4().hex
        self.key = self.PREFIX + self.process_id

    async def _bump(self, user_id: int, online: bool) -> Change:
        v = int(await self.redis.incr(self.VERSION))
        await self.redis.hset(self.VERSIONS, str(user_id), v)
        return Change(user_id, online, v)

    async def _counts(self) -> dict[int, int]:
        """Sockets per user over every live process."""
        total: dict[int, int] = {}
        async for key in self.redis.scan_iter(match=self.PREFIX + "*"):
            for uid, n in (await self.redis.hgetall(key)).items():
                total[int(uid)] = total.get(int(uid), 0) + int(n)
        return {uid: n for uid, n in total.items() if n > 0}

    async def opened(self, user_id: int) -> Change | None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hincrby(self.key, str(user_id), 1)
            pipe.pexpire(self.key, self.ttl_ms)
            await pipe.execute()
        if await self.redis.sadd(self.ONLINE, str(user_id)):
            return await self._bump(user_id, True)
        return None

    async def closed(self, user_id: int) -> Change | None:
        left = int(await self.redis.hincrby(self.key, str(user_id), -1))
        if left <= 0:
            await self.redis.hdel(self.key, str(user_id))
        if (await self._counts()).get(user_id, 0) > 0:
            return None
        if await self.redis.srem(self.ONLINE, str(user_id)):
            return await self._bump(user_id, False)
        return None

    async def roster(self) -> Roster:
        counts = await self._counts()
        versions = await self.redis.hgetall(self.VERSIONS)
        return Roster(frozenset(counts), {int(k): int(v) for k, v in versions.items()})

    async def refresh(self) -> list[Change]:
        """Keep our key alive; reconcile ``presence:online`` with the live keys."""
        await self.redis.pexpire(self.key, self.ttl_ms)
        live = set(await self._counts())
        announced = {int(u) for u in await self.redis.smembers(self.ONLINE)}
        changes = []
        for uid in sorted(announced - live):
            if await self.redis.srem(self.ONLINE, str(uid)):
                changes.append(await self._bump(uid, False))
        for uid in sorted(live - announced):
            if await self.redis.sadd(self.ONLINE, str(uid)):
                changes.append(await self._bump(uid, True))
        return changes

    async def close(self) -> None:
        """A clean shutdown: our sockets are gone now, not in :data:`TTL` seconds."""
        await self.redis.delete(self.key)


class PresenceTracker:
    """Turns socket open/close into presence changes and ``queue_officer`` deltas.

    A socket's open and close announce the officer from its :class:`Principal`
    (resolved at connect), so they read nothing from the database; only the queue
    rooms of an office (its ancestors, which never move at runtime) are read, once
    per office. Changes found by a sweep name only a user id and read the user.
    """

    def __init__(self, hub: Hub, backend: PresenceBackend, refresh: float = REFRESH) -> None:
        self.hub = hub
        self.backend = backend
        self.interval = refresh
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._rooms: dict[int, tuple[str, ...]] = {}

    async def opened(self, p: Principal) -> None:
        if p.user_id is not None and p.role in HANDLING_ROLES:
            async with self._lock:
                change = await self.backend.opened(p.user_id)
                await self._announce(change, p)

    async def closed(self, p: Principal) -> None:
        if p.user_id is not None and p.role in HANDLING_ROLES:
            async with self._lock:
                change = await self.backend.closed(p.user_id)
                await self._announce(change, p)

    async def roster(self) -> Roster:
        return await self.backend.roster()

    async def _queue_rooms(self, office_id: int) -> tuple[str, ...]:
        rooms = self._rooms.get(office_id)
        if rooms is None:
            async with self.hub.reader() as session:
                chain = await store.ancestors(session, office_id)
            rooms = self._rooms[office_id] = tuple(queue_room(o) for o in chain)
        return rooms

    async def _announce(self, change: Change | None, p: Principal | None = None) -> None:
        """Publish (in order, under the lock) the officer's new state to their dashboards."""
        if change is None:
            return
        if p is not None and p.user_id == change.user_id:
            if p.office_id is None:
                return
            item = OfficerItem(
                id=p.user_id, name=p.name, role=p.role.value, office_id=p.office_id,
                online=change.online, v=change.v,
            )  # fmt: skip
        else:
            async with self.hub.reader() as session:
                user = await store.user(session, change.user_id)
            if user is None or user.office_id is None:
                return
            item = officer_item(user, change.online, change.v)
        rooms = await self._queue_rooms(item.office_id)
        await self.hub.publisher.publish(
            [Outgoing("queue_officer", OfficerDelta(officer=item).wire(), rooms, QUEUES_NS)]
        )

    async def sweep(self) -> None:
        async with self._lock:
            for change in await self.backend.refresh():
                await self._announce(change)

    async def _run(self) -> None:
        while True:
            try:
                await asyncio.sleep(self.interval)
                await self.sweep()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("presence refresh failed")

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.backend.close()
