"""The database engine and sessions, built in the app's lifespan, never at import."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from asyncpg import exceptions as pg_errors
from prometheus_client import Histogram
from sqlalchemy import event, exc, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

#: Errors that say the database cannot be reached or serve now, not that the code is wrong.
_UNREACHABLE: tuple[type[BaseException], ...] = (
    exc.OperationalError,  # connection refused or lost, SQLite locked or unopenable
    exc.InterfaceError,  # "connection is closed"
    exc.DisconnectionError,
    exc.TimeoutError,  # no pooled connection in time
    OSError,  # ConnectionRefusedError, ConnectionResetError, DNS
    TimeoutError,
    pg_errors.PostgresConnectionError,
    pg_errors.OperatorInterventionError,  # shutting down, starting up
    pg_errors.TooManyConnectionsError,
)


#: What a request may raise when the database is unreachable (each is then checked by
#: :func:`is_unavailable`; a file error of a route is not among them: that stays a bug).
OUTAGE_ERRORS: tuple[type[Exception], ...] = (
    exc.SQLAlchemyError,
    pg_errors.PostgresError,
    ConnectionError,
    TimeoutError,
)


def is_unavailable(error: BaseException) -> bool:
    """Whether ``error`` means the database is down or unreachable (not a bug in the hub).

    Follows what SQLAlchemy wrapped (``orig``) and explicit causes (``raise … from``),
    not the implicit context, so a bug raised while handling an outage is still a bug.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, _UNREACHABLE):
            return True
        if isinstance(current, exc.DBAPIError) and current.connection_invalidated:
            return True
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return False


#: A pooled PostgreSQL connection left idle longer than this is pinged before it is used.
PING_IDLE = 10.0


def make_engine(url: str, *, reader: bool = False, **kwargs: Any) -> AsyncEngine:
    """An engine for PostgreSQL, or one of SQLite's two (see :func:`_sqlite_engine`)."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url, reader=reader, **kwargs)
    kwargs.setdefault("pool_size", 20)
    kwargs.setdefault("max_overflow", 20)
    engine = create_async_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: AsyncEngine) -> None:
    """Check a pooled connection before use without a round trip, unless it sat idle.

    SQLAlchemy's ``pool_pre_ping`` costs three round trips per checkout on asyncpg
    (``BEGIN``, ``;``, ``ROLLBACK``), and every session checks out: on a busy hub each is
    a turn of the event loop, for a connection that was in use a moment ago. Instead, a
    connection whose socket the server closed (a restart, ``pg_terminate_backend``) is
    known closed to asyncpg at no cost, and only one left idle longer than
    :data:`PING_IDLE` seconds (a firewall may have dropped it silently) is pinged. Either
    failure invalidates the pool, as a failed pre-ping does, and the checkout takes a new one.
    """
    pool = engine.sync_engine.pool

    @event.listens_for(pool, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("idle_since", None)
        if dbapi_conn.driver_connection.is_closed():
            raise exc.InvalidatePoolError("the server closed the connection")
        if since is not None and time.monotonic() - since > PING_IDLE:
            try:
                dbapi_conn.ping()
            except Exception as error:
                raise exc.InvalidatePoolError(f"ping failed: {error!r}") from error


def _sqlite_engine(url: str, *, reader: bool, **kwargs: Any) -> AsyncEngine:
    """SQLite in WAL mode: one pooled writer connection, a few pooled readers.

    Writers: every transaction takes SQLite's write lock up front (``BEGIN
    IMMEDIATE``) — a deferred BEGIN would let two transactions read the same
    counter and then fail to upgrade — on the engine's single connection, so the
    writers of this process queue in the pool (FIFO, no polling) instead of
    sleeping in SQLite's busy handler; other processes still wait on
    ``busy_timeout``. This keeps seq and queue numbers gap-free without retries.
    Readers: deferred transactions on their own pooled connections, which WAL lets
    run beside the writer and never blocks. Every connection runs on the event loop
    itself (:class:`InlineSQLite`): an indexed read or a write in WAL mode takes
    microseconds, far less than aiosqlite's round trips to a worker thread (several
    per statement, each waiting for a busy loop to take its result; about 1.5 ms of
    CPU for a reader session of one ``SELECT 1``, against 0.3 ms inline). Reads are
    paged and indexed, so none holds the loop for long. Nothing may open a write
    transaction while holding one (it would wait for itself): services receive the
    caller's ``Unit``.
    """
    if reader:
        kwargs.setdefault("pool_size", 4)
        kwargs.setdefault("max_overflow", 12)
    else:
        kwargs.setdefault("pool_size", 1)
        kwargs.setdefault("max_overflow", 0)
        kwargs.setdefault("pool_timeout", 120)
    path = make_url(url).database or ""
    kwargs.setdefault("async_creator", lambda: _inline_connect(path))
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


class _InlineCursor:
    """aiosqlite's cursor API over a sqlite3 cursor, answering at once."""

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    async def __aenter__(self) -> _InlineCursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, sql: str, parameters: Any = None) -> _InlineCursor:
        if parameters is None:
            self._cursor.execute(sql)
        else:
            self._cursor.execute(sql, parameters)
        return self

    async def executemany(self, sql: str, seq_of_parameters: Any) -> _InlineCursor:
        self._cursor.executemany(sql, seq_of_parameters)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size) if size is not None else self._cursor.fetchmany()

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def nextset(self) -> None:
        return None

    async def setinputsizes(self, *sizes: Sequence[Any]) -> None:
        return None

    async def close(self) -> None:
        self._cursor.close()


class _RunNow:
    """Stands in for aiosqlite's request queue (SQLAlchemy sets isolation_level through it)."""

    def put_nowait(self, item: tuple[Any, Any]) -> None:
        future, function = item
        try:
            future.set_result(function())
        except Exception as exc:
            future.set_exception(exc)


class InlineSQLite:
    """An aiosqlite-shaped connection whose calls run at once, on the event loop.

    Nothing else in the process writes (one writer connection, ``BEGIN IMMEDIATE``),
    and under WAL readers and the writer never block each other, so a call waits only
    for SQLite's own work. Another *process* writing the same file would make the
    writer wait up to ``busy_timeout`` on the loop; several processes use PostgreSQL.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._connection: sqlite3.Connection | None = conn
        self._tx = _RunNow()

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def cursor(self) -> _InlineCursor:
        return _InlineCursor(self._conn.cursor())

    async def commit(self) -> None:
        self._conn.commit()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()


async def _inline_connect(path: str) -> InlineSQLite:
    return InlineSQLite(sqlite3.connect(path, check_same_thread=False))


def _time_pool(engine: AsyncEngine, wait: Any) -> None:
    """Observe how long each checkout waits in ``engine``'s pool (on SQLite's writer: the
    wait for the one writer connection), and nothing else: the connection is still taken
    lazily, at a session's first statement.

    Wraps the pool's ``_do_get`` (where a checkout waits in the queue, or connects); a
    pool made again by ``dispose`` (only at close) is no longer timed.
    """
    pool = engine.sync_engine.pool
    get = pool._do_get

    def timed_get() -> Any:
        start = time.perf_counter()
        try:
            return get()
        finally:
            wait.observe(time.perf_counter() - start)

    pool._do_get = timed_get  # type: ignore[method-assign]


class Database:
    """Owns the engine and the session factory for one app."""

    def __init__(self, url: str, wait: Histogram | None = None) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite reads run on their own pooled connections beside the one writer.
        # PostgreSQL reads share the writers' pool, in autocommit: under READ COMMITTED
        # each statement takes its own snapshot inside a transaction too, so a reader's
        # BEGIN and ROLLBACK were two round trips that changed nothing.
        self.read_engine = (
            make_engine(url, reader=True)
            if self.is_sqlite
            else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        self.read_sessions = async_sessionmaker(self.read_engine, expire_on_commit=False)
        if wait is not None:  # ``asinan_db_pool_wait_seconds`` (hub.metrics)
            _time_pool(self.engine, wait.labels("writer"))
            if self.is_sqlite:
                _time_pool(self.read_engine, wait.labels("reader"))

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
        if self.is_sqlite:
            await self.read_engine.dispose()
