"""After a wave of closed connections, give their memory back.

What a closed connection leaves is mostly reference cycles: engine.io makes a class
per request, and a connection ends with exceptions in flight (tracebacks hold their
frames). CPython frees cycles only when a collection reaches them; a connection that
lived a second or more sits in the oldest generation, collected only by a full
collection, which :func:`hub.app.tune_process` makes rare (it keeps the loop free of
long pauses). So a flood of connections that came and went — clients that never
authenticated, or every client of a restarted balancer — would stay in memory.

:class:`MemoryJanitor` counts closed connections; once :attr:`every` have closed it
runs one full collection (everything alive at start-up is frozen, so it walks only
what was made since) and asks the C allocator to return freed pages (glibc's
``malloc_trim``), at most once per :attr:`min_interval` seconds: a flood costs one
pause of a few hundred milliseconds per interval, not a growing process.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import logging
import time
from collections.abc import Callable

from hub.clock import Clock, SystemClock

logger = logging.getLogger("hub.janitor")


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim`` (returns free heap pages to the system), if this libc has it."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


class MemoryJanitor:
    def __init__(
        self,
        every: int = 1_000,
        min_interval: float = 5.0,
        delay: float = 1.0,
        clock: Clock | None = None,
    ) -> None:
        self.every = every
        self.min_interval = min_interval
        #: Wait this long after the threshold: the rest of the wave closes meanwhile.
        self.delay = delay
        self._clock = clock or SystemClock()
        self._closed = 0
        self._last = self._clock.monotonic() - min_interval
        self._pending: asyncio.Task[None] | None = None
        self._trim = _malloc_trim()
        self.cleanups = 0

    def connection_closed(self) -> None:
        self._closed += 1
        if self._closed >= self.every and self._pending is None:
            wait = max(self.delay, self._last + self.min_interval - self._clock.monotonic())
            self._pending = asyncio.create_task(self._clean_up_in(wait), name="memory-janitor")

    async def _clean_up_in(self, seconds: float) -> None:
        await self._clock.sleep(seconds)
        self._pending = None
        self.clean_up()

    def clean_up(self) -> None:
        closed, self._closed = self._closed, 0
        started = time.perf_counter()
        found = gc.collect()
        if self._trim is not None:
            self._trim(0)
        self._last = self._clock.monotonic()
        self.cleanups += 1
        logger.info(
            "memory clean-up after %d closed connections: %d objects freed in %.0f ms",
            closed,
            found,
            (time.perf_counter() - started) * 1000,
        )

    def close(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
