"""A clock the test moves: timeouts happen when the test says, not after real seconds.

Hand it to the app (``run_hub(settings, clock=...)``, ``Hub(..., clock=...)``); the
services read the time from it and the background loops (call sweeper, session re-check,
notifications ticker, log summary) sleep on it. :meth:`FakeClock.advance` jumps the
time forward and wakes every sleeper whose deadline it passed.

By default time also flows as usual between jumps (``now()`` is the real time plus what
the test added): a served app keeps its ordering by time (newest first), its durations
and its short real intervals, and a 45 s ring timeout only fires when the test advances
past it. ``frozen=True`` stops the flow: the time moves only by :meth:`advance`, for
rules checked to the second (one-time codes).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(eq=False)
class _Sleeper:
    deadline: float
    future: asyncio.Future[None]
    task: str
    #: Unless frozen: the real-time wake-up at the deadline (moved earlier by an advance).
    timer: asyncio.TimerHandle | None = None


class FakeClock:
    def __init__(self, start: datetime | None = None, *, frozen: bool = False) -> None:
        self._start = start or datetime.now(UTC)
        assert self._start.tzinfo is not None, "a clock tells aware UTC"
        self._frozen = frozen
        self._real0 = time.monotonic()
        self._added = 0.0
        self._sleepers: list[_Sleeper] = []
        self._watchers: set[asyncio.Event] = set()

    def _elapsed(self) -> float:
        flowed = 0.0 if self._frozen else time.monotonic() - self._real0
        return self._added + flowed

    def now(self) -> datetime:
        return (self._start + timedelta(seconds=self._elapsed())).astimezone(UTC)

    def monotonic(self) -> float:
        return self._real0 + self._elapsed()

    async def sleep(self, seconds: float) -> None:
        """Until the clock has passed ``seconds`` from now (by :meth:`advance`, or by real
        time flowing unless frozen)."""
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        sleeper = _Sleeper(
            self._elapsed() + max(seconds, 0.0),
            loop.create_future(),
            task.get_name() if task is not None else "",
        )
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        self._sleepers.append(sleeper)
        self._notify()
        self._set_timer(sleeper)
        try:
            await sleeper.future
        finally:
            if sleeper.timer is not None:
                sleeper.timer.cancel()
            if sleeper in self._sleepers:
                self._sleepers.remove(sleeper)

    async def advance(self, seconds: float) -> None:
        """Move the time forward, wake the sleepers whose deadline passed, and let them run
        up to their next wait (what they start — a query, a publish — may take longer:
        wait for its outcome)."""
        assert seconds >= 0, "time only moves forward"
        self._added += seconds
        now = self._elapsed()
        for sleeper in list(self._sleepers):
            if sleeper.deadline <= now:
                self._wake(sleeper)
            else:
                self._set_timer(sleeper)
        for _ in range(3):
            await asyncio.sleep(0)

    async def advance_to(self, when: datetime) -> None:
        """:meth:`advance` until it is ``when``."""
        await self.advance((when - self.now()).total_seconds())

    async def sleeping(self, task_name: str, timeout: float = 10) -> None:
        """Wait until the task named ``task_name`` sleeps on this clock: then an
        :meth:`advance` wakes it, rather than passing while it is busy."""
        async with asyncio.timeout(timeout):
            while not any(s.task == task_name for s in self._sleepers):
                changed = asyncio.Event()
                self._watchers.add(changed)
                try:
                    await changed.wait()
                finally:
                    self._watchers.discard(changed)

    def _set_timer(self, sleeper: _Sleeper) -> None:
        """Unless frozen, real time alone reaches the deadline too."""
        if self._frozen:
            return
        if sleeper.timer is not None:
            sleeper.timer.cancel()
        left = sleeper.deadline - self._elapsed()
        sleeper.timer = asyncio.get_running_loop().call_later(left, self._wake, sleeper)

    def _notify(self) -> None:
        for changed in self._watchers:
            changed.set()

    def _wake(self, sleeper: _Sleeper) -> None:
        if sleeper in self._sleepers:
            self._sleepers.remove(sleeper)
        if not sleeper.future.done():
            sleeper.future.set_result(None)
