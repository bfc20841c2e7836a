"""Token-bucket rate limits, in process memory or shared through Redis.

``hit(key, rule)`` spends one token or raises :class:`RateLimited` with the
seconds until the next token; ``refund`` gives one back (up to the burst); ``check``
raises like ``hit`` but spends nothing; ``charge`` spends one even from an empty
bucket, down to ``-burst`` (a debt the refill pays back first). With Redis, every
process draws from the same bucket (a Lua script keeps the read-modify-write atomic)
and idle buckets expire.

:func:`failures_only` counts only the attempts that fail (logins, access codes), so a
crowd of right passwords never locks anyone out. The buckets of one account or one
ticket are *held* while an attempt runs (a burst of parallel guesses at one account
is bounded by the burst); the bucket of a client address is only *checked* before
and *charged* after a failure, so many colleagues behind one NAT logging in at once
never queue on it.

While Redis does not answer, the Redis limiter **fails open to a per-process memory
bucket**: limits still hold per process (so N processes allow up to N times the
rate for that while), and sends keep working instead of all failing ``unavailable``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from hub.clock import Clock, SystemClock
from hub.errors import NotFound, RateLimited, Unauthenticated

logger = logging.getLogger("hub.ratelimit")


@dataclass(frozen=True)
class Rule:
    """``burst`` tokens, refilled at ``per_second``."""

    burst: int
    per_second: float


#: Failed password logins per login name: 5, then one more each minute.
LOGIN_FAILURES = Rule(burst=5, per_second=1 / 60)
#: Wrong access codes per ticket (receipt login and receipt page together): 5, then 1/min.
RECEIPT_FAILURES = Rule(burst=5, per_second=1 / 60)
#: Failed logins and access codes per client address: 50, then one more every 6 s.
ADDRESS_FAILURES = Rule(burst=50, per_second=1 / 6)
COMMENT = Rule(burst=10, per_second=1.0)
TURN = Rule(burst=5, per_second=5 / 60)
TYPING = Rule(burst=1, per_second=0.5)
UPLOAD = Rule(burst=5, per_second=5 / 60)


Bucket = tuple[str, Rule]

#: What an operation does to a bucket (also the Lua script's op numbers, in order).
CHECK, TAKE, REFUND, CHARGE = 0, 1, 2, 3


class RateLimiter(Protocol):
    async def hit(self, key: str, rule: Rule) -> None: ...

    async def check(self, key: str, rule: Rule) -> None: ...

    async def refund(self, key: str, rule: Rule) -> None: ...

    async def charge(self, key: str, rule: Rule) -> None: ...


@asynccontextmanager
async def failures_only(
    limiter: RateLimiter, *, held: Sequence[Bucket] = (), charged: Sequence[Bucket] = ()
) -> AsyncIterator[None]:
    """Count the block as an attempt only if it fails (wrong credentials).

    "Fails" means :class:`Unauthenticated` or :class:`NotFound` leaves the block: then
    the ``held`` tokens are kept and each ``charged`` bucket pays one. Anything else —
    success, an outage, a cancelled request — gives the held tokens back. Raises
    :class:`RateLimited` (holding nothing) if any bucket is empty beforehand.
    """
    for key, rule in charged:
        await limiter.check(key, rule)
    taken: list[Bucket] = []
    try:
        for key, rule in held:
            await limiter.hit(key, rule)
            taken.append((key, rule))
    except RateLimited:
        for key, rule in taken:
            await limiter.refund(key, rule)
        raise
    failed = False
    try:
        yield
    except (Unauthenticated, NotFound):
        failed = True
        for key, rule in charged:
            await limiter.charge(key, rule)
        raise
    finally:
        if not failed:
            for key, rule in taken:
                await limiter.refund(key, rule)


class MemoryRateLimiter:
    """Buckets of one process, refilled on ``clock``'s monotonic time (the app's clock)."""

    def __init__(self, clock: Clock | None = None) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}
        self._clock: Clock = clock or SystemClock()

    async def hit(self, key: str, rule: Rule, now: float | None = None) -> None:
        wait = self.apply(key, rule, TAKE, now)
        if wait > 0:
            raise RateLimited(wait)

    async def check(self, key: str, rule: Rule, now: float | None = None) -> None:
        wait = self.apply(key, rule, CHECK, now)
        if wait > 0:
            raise RateLimited(wait)

    async def refund(self, key: str, rule: Rule, now: float | None = None) -> None:
        self.apply(key, rule, REFUND, now)

    async def charge(self, key: str, rule: Rule, now: float | None = None) -> None:
        self.apply(key, rule, CHARGE, now)

    def apply(self, key: str, rule: Rule, op: int, now: float | None = None) -> float:
        """Do ``op`` to the bucket; returns the seconds to wait (0: done)."""
        now = self._clock.monotonic() if now is None else now
        tokens, last = self._buckets.get(key, (float(rule.burst), now))
        tokens = min(float(rule.burst), tokens + (now - last) * rule.per_second)
        wait = 0.0
        if op in (CHECK, TAKE) and tokens < 1.0:
            wait = (1.0 - tokens) / rule.per_second
        elif op == TAKE:
            tokens -= 1.0
        elif op == REFUND:
            tokens = min(float(rule.burst), tokens + 1.0)
        elif op == CHARGE:
            tokens = max(-float(rule.burst), tokens - 1.0)
        self._buckets[key] = (tokens, now)
        if len(self._buckets) > 100_000:
            self._buckets.clear()  # bounded memory; a reset only ever forgives
        return wait


_LUA = """
local key = KEYS[1]
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local op = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', key, 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local ts = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - ts) * rate)
local wait = 0
if (op == 0 or op == 1) and tokens < 1 then
  wait = (1 - tokens) / rate
elseif op == 1 then
  tokens = tokens - 1
elseif op == 2 then
  tokens = math.min(burst, tokens + 1)
elseif op == 3 then
  tokens = math.max(-burst, tokens - 1)
end
redis.call('HSET', key, 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('EXPIRE', key, math.ceil((burst - tokens) / rate) + 1)
return tostring(wait)
"""


class RedisRateLimiter:
    """Buckets shared by every process; a memory bucket per process while Redis is down."""

    def __init__(self, redis: Redis, clock: Clock | None = None) -> None:
        self._redis = redis
        self._script = redis.register_script(_LUA)
        self.fallback = MemoryRateLimiter(clock)
        self._failing = False

    async def hit(self, key: str, rule: Rule) -> None:
        wait = await self._apply(key, rule, TAKE)
        if wait > 0:
            raise RateLimited(wait)

    async def check(self, key: str, rule: Rule) -> None:
        wait = await self._apply(key, rule, CHECK)
        if wait > 0:
            raise RateLimited(wait)

    async def refund(self, key: str, rule: Rule) -> None:
        await self._apply(key, rule, REFUND)

    async def charge(self, key: str, rule: Rule) -> None:
        await self._apply(key, rule, CHARGE)

    async def _apply(self, key: str, rule: Rule, op: int) -> float:
        """Seconds to wait (0: done); from the memory fallback while Redis does not answer."""
        try:
            raw = await self._script(keys=[f"rl:{key}"], args=[rule.burst, rule.per_second, op])
        except (RedisError, OSError, TimeoutError):
            if not self._failing:
                logger.warning("Redis unavailable; rate limits are per process until it is back")
            self._failing = True
            return self.fallback.apply(key, rule, op)
        if self._failing:
            logger.info("Redis is back; rate limits are shared again")
            self._failing = False
        return float(raw)
