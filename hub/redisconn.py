"""Redis clients that give up quickly: Redis is a speed-up, the database is the truth.

redis-py's defaults (5 s connect and read timeouts, 10 retries with backoff) make
each command wait seconds while Redis is down, and a chat send runs several (its
rate limit, its emit, a presence lookup) before it is acknowledged. Here a command
gets one immediate retry and short timeouts; every caller logs and falls back
(memory bucket, "not live", local delivery), so a send still commits and acks.
"""

from __future__ import annotations

from typing import Any

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

CONNECT_TIMEOUT = 1.0
COMMAND_TIMEOUT = 2.0


def redis_options() -> dict[str, Any]:
    """Keyword arguments for ``Redis.from_url`` (also handed to the socket.io manager)."""
    return {
        "socket_connect_timeout": CONNECT_TIMEOUT,
        "socket_timeout": COMMAND_TIMEOUT,
        "retry": Retry(NoBackoff(), 1),
        "health_check_interval": 10,
    }


def connect_redis(url: str) -> Redis:
    """A client for ``url``; connects lazily. Pub/sub reads on it block without timeout."""
    return Redis.from_url(url, **redis_options())
