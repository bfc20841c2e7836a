"""Offer/answer pairing: "one answer per offer", kept beside the sockets, not in the database.

Whether an offer of an active call still waits for its answer is negotiation
state, not call state: nothing is decided on it but whether to relay an answer,
it lasts a round trip, and a lost entry costs one offer (after a reconnect the
caller sends a new one with an ICE restart anyway). So the relay keeps it where
the sockets are — in process memory, or in Redis when the hub runs several
processes (an offer and its answer may reach different processes) — and an
offer or answer needs no database write. The call itself (status, parties,
their sockets) stays in the ``calls`` row.

With Redis, ``offered`` is ``SET … EX`` and ``answered`` a ``DEL`` that reports
whether it removed the key, so two answers racing on two processes relay once.
While Redis does not answer, each process falls back to its own memory (as the
rate limiter does): pairing then holds per process.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

logger = logging.getLogger("signaling.negotiation")

#: How long an offer waits for its answer (aiortc and browsers answer within a second).
OFFER_TTL = 120.0
_MAX_ENTRIES = 100_000


class Negotiations(Protocol):
    async def offered(self, call_id: str) -> None:
        """An offer of ``call_id`` went out: its answer is awaited (again, after a restart)."""

    async def answered(self, call_id: str) -> bool:
        """Take the awaited answer of ``call_id``: True once per offer, else False."""


class MemoryNegotiations:
    def __init__(self, ttl: float = OFFER_TTL) -> None:
        self.ttl = ttl
        self._pending: dict[str, float] = {}

    async def offered(self, call_id: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        if len(self._pending) >= _MAX_ENTRIES:
            self._pending = {k: t for k, t in self._pending.items() if t > now}
        self._pending[call_id] = now + self.ttl

    async def answered(self, call_id: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        until = self._pending.pop(call_id, None)
        return until is not None and until > now


class RedisNegotiations:
    """Pending offers shared by every process; per-process memory while Redis is down."""

    def __init__(self, redis: Redis, ttl: float = OFFER_TTL) -> None:
        self._redis = redis
        self.ttl = ttl
        self.fallback = MemoryNegotiations(ttl)
        self._failing = False

    @staticmethod
    def key(call_id: str) -> str:
        return f"calls:offer:{call_id}"

    async def offered(self, call_id: str) -> None:
        try:
            await self._redis.set(self.key(call_id), b"1", px=int(self.ttl * 1000))
        except (RedisError, OSError, TimeoutError):
            self._down()
            await self.fallback.offered(call_id)
            return
        self._up()

    async def answered(self, call_id: str) -> bool:
        try:
            removed = await self._redis.delete(self.key(call_id))
        except (RedisError, OSError, TimeoutError):
            self._down()
            return await self.fallback.answered(call_id)
        self._up()
        return bool(removed) or await self.fallback.answered(call_id)

    def _down(self) -> None:
        if not self._failing:
            logger.warning(
                "Redis unavailable; offer/answer pairing is per process until it is back"
            )
        self._failing = True

    def _up(self) -> None:
        if self._failing:
            logger.info("Redis is back; offer/answer pairing is shared again")
            self._failing = False
