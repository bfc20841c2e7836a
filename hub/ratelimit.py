"""Token-bucket rate limits, in process memory or shared through Redis.

``hit(key, rule)`` spends one token or raises :class:`RateLimited` with the
seconds until the next token; ``refund(key, rule)`` gives one back (up to the burst).
With Redis, every process draws from the same bucket (a Lua script keeps the
read-modify-write atomic) and idle buckets expire.

:func:`failures_only` counts only the attempts that fail (logins, access codes): each
attempt holds a token while it runs and a success gives it back, so a crowd of right
passwords never locks anyone out, and a burst of parallel guesses is still bounded.

While Redis does not answer, the Redis limiter **fails open to a per-process memory
bucket**: limits still hold per process (so N processes allow up to N times the
rate for that while), and sends keep working instead of all failing ``unavailable``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

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


class RateLimiter(Protocol):
    async def hit(self, key: str, rule: Rule) -> None: ...

    async def refund(self, key: str, rule: Rule) -> None: ...


@asynccontextmanager
async def failures_only(limiter: RateLimiter, *buckets: tuple[str, Rule]) -> AsyncIterator[None]:
    """Hold a token of each bucket while the block runs; keep them only if it fails.

    "Fails" means wrong credentials (:class:`Unauthenticated` or :class:`NotFound`
    leaving the block). Anything else — success, an outage, a cancelled request —
    gives the tokens back. Raises :class:`RateLimited` (holding nothing) if a bucket
    is empty.
    """
    held: list[tuple[str, Rule]] = []
    try:
        for key, rule in buckets:
            await limiter.hit(key, rule)
            held.append((key, rule))
    except RateLimited:
        for key, rule in held:
            await limiter.refund(key, rule)
        raise
    failed = False
    try:
        yield
    except (Unauthenticated, NotFound):
        failed = True
        raise
    finally:
        if not failed:
            for key, rule in held:
                await limiter.refund(key, rule)


class MemoryRateLimiter:
    def __init__(self) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}

    async def hit(self, key: str, rule: Rule, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        tokens, last = self._buckets.get(key, (float(rule.burst), now))
        tokens = min(float(rule.burst), tokens + (now - last) * rule.per_second)
        if tokens < 1.0:
            self._buckets[key] = (tokens, now)
            raise RateLimited((1.0 - tokens) / rule.per_second)
        self._buckets[key] = (tokens - 1.0, now)
        if len(self._buckets) > 100_000:
            self._buckets.clear()  # bounded memory; a reset only ever forgives

    async def refund(self, key: str, rule: Rule, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        found = self._buckets.get(key)
        if found is None:
            return  # a full bucket (or one forgotten by a reset)
        tokens, last = found
        tokens = min(float(rule.burst), tokens + (now - last) * rule.per_second + 1.0)
        self._buckets[key] = (tokens, now)


_LUA = """
local key = KEYS[1]
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', key, 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local ts = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - ts) * rate)
local wait = 0
if cost > 0 and tokens < cost then
  wait = (cost - tokens) / rate
else
  tokens = math.min(burst, tokens - cost)
end
redis.call('HSET', key, 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('EXPIRE', key, math.ceil(burst / rate) + 1)
return tostring(wait)
"""


class RedisRateLimiter:
    """Buckets shared by every process; a memory bucket per process while Redis is down."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._script = redis.register_script(_LUA)
        self.fallback = MemoryRateLimiter()
        self._failing = False

    async def hit(self, key: str, rule: Rule) -> None:
        wait = await self._take(key, rule, 1)
        if wait is None:
            await self.fallback.hit(key, rule)
        elif wait > 0:
            raise RateLimited(wait)

    async def refund(self, key: str, rule: Rule) -> None:
        if await self._take(key, rule, -1) is None:
            await self.fallback.refund(key, rule)

    async def _take(self, key: str, rule: Rule, cost: int) -> float | None:
        """Seconds to wait (0: taken), or None while Redis does not answer."""
        try:
            raw = await self._script(keys=[f"rl:{key}"], args=[rule.burst, rule.per_second, cost])
        except (RedisError, OSError, TimeoutError):
            if not self._failing:
                logger.warning("Redis unavailable; rate limits are per process until it is back")
            self._failing = True
            return None
        if self._failing:
            logger.info("Redis is back; rate limits are shared again")
            self._failing = False
        return float(raw)
