"""Who is live right now, on any process: watchers of a ticket, users with an open inbox.

A :class:`LiveRegistry` counts local sockets per key (``watch:<user>:<ticket>``,
``online:<user>``). Without Redis that is the whole truth (one process). With Redis
each process also records, per key, a sorted-set member ``<process id>`` whose score
is an expiry time; :meth:`LiveRegistry.refresh` (every :data:`REFRESH` seconds)
pushes the expiry forward, so a crashed process's presence fades within
:data:`TTL` seconds instead of muting someone forever.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections import defaultdict
from typing import TYPE_CHECKING

from redis.asyncio import Redis

if TYPE_CHECKING:
    from hub.context import Hub
    from hub.principal import Principal

logger = logging.getLogger("notifications.watching")

TTL = 90.0
REFRESH = 30.0
PREFIX = "asinan:live:"


def watch_key(user_id: int, ticket_id: int) -> str:
    return f"watch:{user_id}:{ticket_id}"


def online_key(user_id: int) -> str:
    return f"online:{user_id}"


class LiveRegistry:
    """Socket counts per key on this process, mirrored to Redis when there is one."""

    def __init__(self, redis: Redis | None = None, process_id: str | None = None) -> None:
        self.redis = redis
        self.process_id = process_id or secrets.token_hex(8)
        self._keys_of_sid: dict[str, set[str]] = defaultdict(set)
        self._count: dict[str, int] = defaultdict(int)
        self._released = asyncio.Condition()

    async def add(self, sid: str, key: str) -> None:
        """``sid`` now holds ``key`` (idempotent per sid)."""
        if key in self._keys_of_sid[sid]:
            return
        self._keys_of_sid[sid].add(key)
        self._count[key] += 1
        if self._count[key] == 1:
            await self._mirror_add([key])

    async def remove(self, sid: str, key: str) -> None:
        keys = self._keys_of_sid.get(sid)
        if not keys or key not in keys:
            return
        keys.discard(key)
        if not keys:
            del self._keys_of_sid[sid]
        await self._release(key)

    async def drop(self, sid: str) -> None:
        """The socket is gone: release everything it held."""
        for key in self._keys_of_sid.pop(sid, set()):
            await self._release(key)

    async def _release(self, key: str) -> None:
        self._count[key] -= 1
        if self._count[key] <= 0:
            del self._count[key]
            async with self._released:
                self._released.notify_all()
            if self.redis is not None:
                try:
                    await self.redis.zrem(PREFIX + key, self.process_id)
                except Exception:
                    logger.warning("could not clear live key %s; it expires by itself", key)

    def holds_locally(self, key: str) -> bool:
        return self._count.get(key, 0) > 0

    async def until_released(self, key: str) -> None:
        """Wait until no local socket holds ``key`` (e.g. a closing page was processed)."""
        async with self._released:
            await self._released.wait_for(lambda: not self.holds_locally(key))

    async def holds(self, key: str) -> bool:
        """Does any process have a live socket for ``key``? Local first, then Redis."""
        return key in await self.held([key])

    async def held(self, keys: list[str]) -> set[str]:
        """Those of ``keys`` some process has a live socket for: local ones first, the rest
        in one pipelined round trip to Redis (a batch of comments asks for many at once)."""
        found = {key for key in keys if self.holds_locally(key)}
        rest = [key for key in dict.fromkeys(keys) if key not in found]
        if self.redis is None or not rest:
            return found
        now = time.time()
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for key in rest:
                    pipe.zcount(PREFIX + key, now, "+inf")
                counts = await pipe.execute()
        except Exception:
            # Unknown: say "not live" so the person is notified rather than missed.
            logger.warning("live registry unavailable; treating %d keys as absent", len(rest))
            return found
        return found | {key for key, n in zip(rest, counts, strict=True) if n}

    async def refresh(self) -> None:
        """Push this process's expiry forward for every key it holds (periodic)."""
        await self._mirror_add(list(self._count))

    async def _mirror_add(self, keys: list[str]) -> None:
        if self.redis is None or not keys:
            return
        expires = time.time() + TTL
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.zadd(PREFIX + key, {self.process_id: expires})
                    pipe.zremrangebyscore(PREFIX + key, "-inf", time.time())
                    pipe.expire(PREFIX + key, int(TTL) + 1)
                await pipe.execute()
        except Exception:
            logger.warning("could not record live keys; retrying at the next refresh")

    async def clear(self) -> None:
        """Forget this process's presence (shutdown)."""
        keys = list(self._count)
        self._count.clear()
        self._keys_of_sid.clear()
        if self.redis is None or not keys:
            return
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.zrem(PREFIX + key, self.process_id)
                await pipe.execute()
        except Exception:
            logger.warning("could not clear live keys at shutdown; they expire by themselves")


class Live:
    """The two registries of one app: ticket watchers (``/tickets``) and open inboxes.

    The app's :class:`hub.context.Presence`: services ask it through ``ctx.live``.
    """

    def __init__(self, redis: Redis | None = None) -> None:
        process_id = secrets.token_hex(8)
        self.watching = LiveRegistry(redis, process_id)
        self.online = LiveRegistry(redis, process_id)

    async def watching_of(self, pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
        """Those (user, ticket) pairs whose user has the ticket open somewhere."""
        held = await self.watching.held([watch_key(u, t) for u, t in pairs])
        return {(u, t) for u, t in pairs if watch_key(u, t) in held}

    async def online_of(self, user_ids: list[int]) -> set[int]:
        """Those users with an open inbox somewhere."""
        held = await self.online.held([online_key(u) for u in user_ids])
        return {u for u in user_ids if online_key(u) in held}

    async def refresh(self) -> None:
        await self.watching.refresh()
        await self.online.refresh()

    async def clear(self) -> None:
        await self.watching.clear()
        await self.online.clear()


def live_of(hub: Hub) -> Live | None:
    """The app's registry (``hub.ctx.live``, set by the runtime), if it has one."""
    live = hub.ctx.live
    return live if isinstance(live, Live) else None


# Hooks for the /tickets namespace (chat/handlers.py): who watches which ticket.


async def joined(hub: Hub, sid: str, p: Principal, ticket_id: int) -> None:
    live = live_of(hub)
    if live is not None and p.user_id is not None:
        await live.watching.add(sid, watch_key(p.user_id, ticket_id))


async def left(hub: Hub, sid: str, p: Principal, ticket_id: int) -> None:
    live = live_of(hub)
    if live is not None and p.user_id is not None:
        await live.watching.remove(sid, watch_key(p.user_id, ticket_id))


async def gone(hub: Hub, sid: str) -> None:
    live = live_of(hub)
    if live is not None:
        await live.watching.drop(sid)
