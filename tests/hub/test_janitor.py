"""The memory janitor: one full collection per wave of closed connections, not one each."""

from __future__ import annotations

import logging

import pytest

from hub.janitor import MemoryJanitor
from hub.logs import Tally
from tests.support.clock import FakeClock

JANITOR = "memory-janitor"


async def test_a_wave_of_closures_gets_one_clean_up_and_the_next_waits_its_interval() -> None:
    clock = FakeClock(frozen=True)
    janitor = MemoryJanitor(every=3, min_interval=0.3, delay=0.01, clock=clock)
    try:
        for _ in range(2):
            janitor.connection_closed()
        await clock.advance(1.0)  # below the threshold, nothing is even scheduled
        assert janitor.cleanups == 0
        for _ in range(10):
            janitor.connection_closed()  # one wave: one clean-up, after the delay
        await clock.sleeping(JANITOR)
        await clock.advance(0.01)
        assert janitor.cleanups == 1
        for _ in range(3):
            janitor.connection_closed()  # the next wave waits for min_interval
        await clock.sleeping(JANITOR)
        await clock.advance(0.1)
        assert janitor.cleanups == 1
        await clock.advance(0.3)
        assert janitor.cleanups == 2
    finally:
        janitor.close()


async def test_a_tally_writes_one_line_per_incident_and_period(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="test.tally")
    tally = Tally(logging.getLogger("test.tally"), 60.0)
    for _ in range(500):
        tally.add("connections opened")
    tally.add("events failed: database unavailable", logging.WARNING, n=3)
    assert caplog.records == []
    tally.flush()
    assert sorted((r.levelname, r.getMessage()) for r in caplog.records) == [
        ("INFO", "500 connections opened in the last 60 s"),
        ("WARNING", "3 events failed: database unavailable in the last 60 s"),
    ]
    caplog.clear()
    tally.flush()  # nothing new: nothing written
    assert caplog.records == []
