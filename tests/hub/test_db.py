"""SQLite's writer runs on the event loop (hub.db.InlineSQLite): transactions still hold."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from hub.context import Hub
from hub.db import InlineSQLite


async def _count(hub: Hub) -> int:
    async with hub.reader() as session:
        return int(await session.scalar(text("SELECT count(*) FROM scratch")) or 0)


async def test_the_writer_commits_rolls_back_and_reports_constraint_errors(hub: Hub) -> None:
    if not hub.db.is_sqlite:
        pytest.skip("SQLite only")
    async with hub.db.engine.connect() as conn:
        raw = await conn.get_raw_connection()
        assert isinstance(raw.driver_connection, InlineSQLite)
    async with hub.db.transaction() as session:
        await session.execute(text("CREATE TABLE scratch (k INTEGER PRIMARY KEY)"))
    async with hub.db.transaction() as session:
        await session.execute(text("INSERT INTO scratch VALUES (1)"))
    with pytest.raises(RuntimeError):
        async with hub.db.transaction() as session:
            await session.execute(text("INSERT INTO scratch VALUES (2)"))
            raise RuntimeError("the change fails half-way")
    with pytest.raises(IntegrityError):
        async with hub.db.transaction() as session:
            await session.execute(text("INSERT INTO scratch VALUES (3)"))
            await session.execute(text("INSERT INTO scratch VALUES (1)"))
    assert await _count(hub) == 1  # neither failed transaction left anything behind


async def test_writers_queue_and_readers_see_only_what_was_committed(hub: Hub) -> None:
    if not hub.db.is_sqlite:
        pytest.skip("SQLite only")
    async with hub.db.transaction() as session:
        await session.execute(text("CREATE TABLE scratch (k INTEGER PRIMARY KEY)"))
    inside = asyncio.Event()
    release = asyncio.Event()

    async def slow_writer() -> None:
        async with hub.db.transaction() as session:
            await session.execute(text("INSERT INTO scratch VALUES (1)"))
            inside.set()
            await release.wait()

    async def second_writer() -> None:
        async with hub.db.transaction() as session:
            await session.execute(text("INSERT INTO scratch VALUES (2)"))

    first = asyncio.create_task(slow_writer())
    await inside.wait()
    second = asyncio.create_task(second_writer())
    await asyncio.sleep(0.05)
    assert not second.done()  # it waits for the one writer connection, not for a lock error
    assert await _count(hub) == 0  # uncommitted rows are invisible to readers (WAL)
    release.set()
    await asyncio.gather(first, second)
    assert await _count(hub) == 2
