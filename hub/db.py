"""The database engine and sessions, built in the app's lifespan, never at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def make_engine(url: str, *, reader: bool = False, **kwargs: Any) -> AsyncEngine:
    """An engine for PostgreSQL, or one of SQLite's two (see :func:`_sqlite_engine`)."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url, reader=reader, **kwargs)
    kwargs.setdefault("pool_size", 20)
    kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


def _sqlite_engine(url: str, *, reader: bool, **kwargs: Any) -> AsyncEngine:
    """SQLite in WAL mode: one pooled writer connection, a few pooled readers.

    Writers: every transaction takes SQLite's write lock up front (``BEGIN
    IMMEDIATE``) — a deferred BEGIN would let two transactions read the same
    counter and then fail to upgrade — on the engine's single connection, so the
    writers of this process queue in the pool (FIFO, no polling) instead of
    sleeping in SQLite's busy handler; other processes still wait on
    ``busy_timeout``. This keeps seq and queue numbers gap-free without retries.
    Readers: deferred transactions on their own connections, which WAL lets run
    beside the writer. Connections (a thread each, under aiosqlite) are kept, not
    reopened per transaction. Nothing may open a write transaction while holding
    one (it would wait for itself): services receive the caller's ``Unit``.
    """
    if reader:
        kwargs.setdefault("pool_size", 4)
        kwargs.setdefault("max_overflow", 4)
    else:
        kwargs.setdefault("pool_size", 1)
        kwargs.setdefault("max_overflow", 0)
        kwargs.setdefault("pool_timeout", 120)
    engine = create_async_engine(url, **kwargs)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN" if reader else "BEGIN IMMEDIATE")

    return engine


class Database:
    """Owns the engine and the session factory for one app."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite reads run on their own pooled connections beside the one writer;
        # PostgreSQL needs no such split.
        self.read_engine = make_engine(url, reader=True) if self.is_sqlite else self.engine
        self.read_sessions = (
            async_sessionmaker(self.read_engine, expire_on_commit=False)
            if self.is_sqlite
            else self.sessions
        )

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on error."""
        async with self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def reader(self) -> AsyncIterator[AsyncSession]:
        """A session for reading; on SQLite it never waits for the writer."""
        async with self.read_sessions() as session:
            yield session

    async def ping(self) -> None:
        async with self.read_engine.connect() as conn:
            await conn.exec_driver_sql("SELECT 1")

    async def close(self) -> None:
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()
