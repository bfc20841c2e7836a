"""The clocks: the machine's, and the one tests move (it drives every timeout in the suite)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from hub.clock import Clock, SystemClock
from tests.support.clock import FakeClock

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def test_both_clocks_tell_aware_utc() -> None:
    clocks: list[Clock] = [SystemClock(), FakeClock(), FakeClock(T0, frozen=True)]
    for clock in clocks:
        assert clock.now().utcoffset() == timedelta(0)


async def _finished(task: asyncio.Task[None]) -> None:
    """``task`` ends within 5 s of real time (a sleeper never woken would not)."""
    async with asyncio.timeout(5):
        await task


async def test_a_frozen_clock_moves_only_when_advanced_and_wakes_sleepers_in_time() -> None:
    clock = FakeClock(T0, frozen=True)
    start = clock.monotonic()
    woke: list[str] = []

    async def nap(name: str, seconds: float) -> None:
        await clock.sleep(seconds)
        woke.append(name)

    short = asyncio.create_task(nap("short", 5), name="short")
    long = asyncio.create_task(nap("long", 60), name="long")
    await clock.sleeping("short")
    await clock.sleeping("long")
    assert clock.now() == T0 and woke == []
    await clock.advance(4.5)
    assert woke == [] and clock.now() == T0 + timedelta(seconds=4.5)
    await clock.advance(0.5)
    await _finished(short)  # woken: it runs to its end (on a busy loop, a few turns later)
    assert woke == ["short"] and not long.done()
    await clock.advance_to(T0 + timedelta(minutes=1))
    await _finished(long)
    assert woke == ["short", "long"]
    assert clock.monotonic() - start == 60


async def test_a_flowing_clock_runs_with_real_time_plus_what_was_added() -> None:
    clock = FakeClock()
    before = datetime.now(UTC)
    await clock.advance(3600)
    assert clock.now() - before >= timedelta(hours=1)
    nap = asyncio.create_task(clock.sleep(0.01))  # short enough to pass by itself
    async with asyncio.timeout(5):
        await nap
    nap = asyncio.create_task(clock.sleep(3600), name="hour")
    await clock.sleeping("hour")
    await clock.advance(3600)
    await _finished(nap)
    nap = asyncio.create_task(clock.sleep(3600), name="almost")
    await clock.sleeping("almost")
    # the 2 seconds left pass by themselves (a margin a busy machine cannot eat up between
    # the sleep and the advance, as half a second once was)
    await clock.advance(3600 - 2)
    assert not nap.done()
    async with asyncio.timeout(10):
        await nap


async def test_a_cancelled_sleeper_is_forgotten() -> None:
    clock = FakeClock(frozen=True)
    nap = asyncio.create_task(clock.sleep(10), name="nap")
    await clock.sleeping("nap")
    nap.cancel()
    await asyncio.gather(nap, return_exceptions=True)
    await clock.advance(10)  # nothing left to wake
    assert nap.cancelled()
