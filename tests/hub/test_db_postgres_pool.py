"""PostgreSQL sessions spend no round trip they don't need, and still never use a dead
connection: readers run without BEGIN/ROLLBACK, a checkout pings only a connection left
idle, and a connection the server closed is replaced before use."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text

from hub import db as hub_db
from hub.db import Database
from tests.conftest import PgDatabases


@pytest.fixture
def pg_url(postgres: PgDatabases) -> str:
    return postgres.fresh()


@pytest.fixture
async def database(pg_url: str) -> AsyncIterator[Database]:
    database = Database(pg_url)
    try:
        yield database
    finally:
        await database.close()


def _driver_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the pool's asyncpg connections are asked besides prepared statements: a
    transaction's BEGIN / COMMIT / ROLLBACK (``execute``) and a ping's ``;`` (``fetchrow``)."""
    seen: list[str] = []
    for name in ("execute", "fetchrow"):
        original = getattr(asyncpg.Connection, name)

        async def spy(self: Any, query: str, *args: Any, _original: Any = original) -> Any:
            seen.append(query.strip())
            return await _original(self, query, *args)

        monkeypatch.setattr(asyncpg.Connection, name, spy)
    return seen


async def test_readers_send_only_their_statements_and_writers_no_ping(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with database.transaction() as session:  # the pool holds one connection now
        await session.execute(text("SELECT 1"))
    seen = _driver_calls(monkeypatch)
    async with database.reader() as session:
        assert await session.scalar(text("SELECT 2")) == 2
    assert seen == []  # no pre-ping (BEGIN, ';', ROLLBACK), no BEGIN/ROLLBACK around it
    async with database.transaction() as session:
        await session.execute(text("SELECT 3"))
    assert [q.split()[0] for q in seen] == ["BEGIN", "COMMIT;"], seen


async def test_an_idle_connection_is_pinged_and_a_closed_one_replaced(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with database.reader() as session:
        first = await session.scalar(text("SELECT pg_backend_pid()"))
    # idle past PING_IDLE: the checkout pings it first
    monkeypatch.setattr(hub_db, "PING_IDLE", 0.0)
    await asyncio.sleep(0.01)
    seen = _driver_calls(monkeypatch)
    async with database.reader() as session:
        assert await session.scalar(text("SELECT pg_backend_pid()")) == first
    assert ";" in seen, seen
    monkeypatch.undo()
    # the server ends that backend (a restart does the same to all): the pooled connection
    # is known closed without a round trip, and the checkout takes a new one
    admin = await asyncpg.connect(database.url.replace("+asyncpg", ""))
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", first)
    finally:
        await admin.close()
    await asyncio.sleep(0.2)  # the loop reads the server's goodbye
    async with database.reader() as session:
        again = await session.scalar(text("SELECT pg_backend_pid()"))
    assert again != first
