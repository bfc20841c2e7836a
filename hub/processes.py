"""Which hub processes are alive: a heartbeat key per process in Redis, with expiry.

Every socket.io id this process hands out starts with its process id
(``<process id>.<random>``, see :func:`hub.realtime.server.build_server`), so a row that
names a socket (a call's caller and callee devices) also names the process that
holds it. A process killed with SIGKILL runs no disconnect handler; its heartbeat
key expires instead, and another process's sweeper treats its sockets as gone.

Redis can be restarted empty, which drops every heartbeat at once: a process is
declared dead only after *this* process has seen its key missing for a whole
``ttl`` — a live one writes it again every ``ttl / 3``. While Redis does not
answer, nobody is declared dead (no false alarms; the calls wait for it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time

from redis.asyncio import Redis

logger = logging.getLogger("hub.processes")

PREFIX = "asinan:proc:"
SEPARATOR = "."


def new_process_id() -> str:
    return secrets.token_hex(4)


def process_of(sid: str) -> str | None:
    """The process id a socket id starts with (None for an id from elsewhere)."""
    head, sep, _rest = sid.partition(SEPARATOR)
    return head if sep and head else None


class Processes:
    def __init__(self, redis: Redis | None, process_id: str, ttl: float) -> None:
        self.redis = redis
        self.process_id = process_id
        self.ttl = ttl
        self._missing_since: dict[str, float] = {}
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self.redis is not None and self._task is None:
            self._task = asyncio.create_task(self._beat_forever(), name="process-heartbeat")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self.redis is not None:
            try:
                await self.redis.delete(PREFIX + self.process_id)
            except Exception:
                logger.warning("could not clear the heartbeat; it expires by itself")

    async def beat(self) -> None:
        assert self.redis is not None
        await self.redis.set(PREFIX + self.process_id, "1", px=int(self.ttl * 1000))

    async def _beat_forever(self) -> None:
        while True:
            try:
                await self.beat()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("heartbeat not written (Redis down?); retrying")
            await asyncio.sleep(self.ttl / 3)

    async def dead(self, process_ids: set[str]) -> set[str]:
        """Those of ``process_ids`` whose heartbeat has been gone for a full ``ttl``."""
        others = sorted(process_ids - {self.process_id})
        self._missing_since = {k: v for k, v in self._missing_since.items() if k in others}
        if self.redis is None or not others:
            return set()
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                for pid in others:
                    pipe.exists(PREFIX + pid)
                flags = [bool(n) for n in await pipe.execute()]
        except Exception:
            return set()  # cannot tell: nobody is dead
        now = time.monotonic()
        gone: set[str] = set()
        for pid, present in zip(others, flags, strict=True):
            if present:
                self._missing_since.pop(pid, None)
            elif now - self._missing_since.setdefault(pid, now) >= self.ttl:
                gone.add(pid)
        return gone
