"""Token-bucket rate limits, in process memory or shared through Redis.

``hit(key, rule)`` spends one token or raises :class:`RateLimited` with the
seconds until the next token. With Redis, every process draws from the same
bucket (a Lua script keeps the read-modify-write atomic) and idle buckets expire.

While Redis does not answer, the Redis limiter **fails open to a per-process memory
bucket**: limits still hold per process (so N processes allow up to N times the
rate for that while), and sends keep working instead of all failing ``unavailable``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from hub.errors import RateLimited

logger = logging.getLogger("hub.ratelimit")


@dataclass(frozen=True)
class Rule:
    """``burst`` tokens, refilled at ``per_second``."""

    burst: int
    per_second: float


LOGIN = Rule(burst=5, per_second=5 / 60)
COMMENT = Rule(burst=10, per_second=1.0)
TURN = Rule(burst=5, per_second=5 / 60)
TYPING = Rule(burst=1, per_second=0.5)
UPLOAD = Rule(burst=5, per_second=5 / 60)


class RateLimiter(Protocol):
    async def hit(self, key: str, rule: Rule) -> None: ...


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


_LUA = """
local key = KEYS[1]
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', key, 'tokens', 'ts')
local tokens = tonumber(state[1]) or burst
local ts = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - ts) * rate)
local wait = 0
if tokens < 1 then
  wait = (1 - tokens) / rate
else
  tokens = tokens - 1
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
        try:
            raw = await self._script(keys=[f"rl:{key}"], args=[rule.burst, rule.per_second])
        except (RedisError, OSError, TimeoutError):
            if not self._failing:
                logger.warning("Redis unavailable; rate limits are per process until it is back")
            self._failing = True
            await self.fallback.hit(key, rule)
            return
        if self._failing:
            logger.info("Redis is back; rate limits are shared again")
            self._failing = False
        wait = float(raw)
        if wait > 0:
            raise RateLimited(wait)
