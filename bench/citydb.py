"""Scenario (g)'s world written in bulk: SQLite ``executemany`` in one transaction (WAL),
PostgreSQL ``COPY`` (asyncpg); the SQLite file is cached under ``var/bench/cache``.

The schema is the real one (``alembic upgrade head`` first) and its triggers run: on SQLite
every comment and note enters ``comment_fts``, on PostgreSQL ``comment_words`` (with its
ticket's office). The rows are those the services would have written
(:mod:`bench.cityplan`); the sequences of PostgreSQL are moved past them so the services can
go on adding.
"""

from __future__ import annotations

import asyncio
import enum
import json
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import JSON, Boolean, Date, DateTime, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from bench import cityplan
from bench.cityplan import City, Office, Service, Size
from bench.world import migrate
from hub.accounts.reference import load_reference
from hub.clock import utcnow
from hub.migrate import alembic_config
from hub.models import Base, ServiceType, User, load_all_models
from hub.models import Office as OfficeRow

#: Tables in the order their rows are written (foreign keys first).
ORDER = ("users", "tickets", "ticket_events", "calls", "call_ratings", "ikm_claims",
         "ikm_responses", "queue_counters")  # fmt: skip
Convert = Callable[[Any], Any]


def _lite_time(v: datetime | None) -> str | None:
    return None if v is None else v.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _lite_day(v: date | None) -> str | None:
    return None if v is None else v.isoformat()


def _json(v: Any) -> str | None:
    return None if v is None else json.dumps(v)


def _plain(v: Any) -> Any:
    return v.value if isinstance(v, enum.Enum) else v


def _bool(v: bool | None) -> int | None:
    return None if v is None else int(v)


def _converter(column: Any, sqlite: bool) -> Convert:
    t = column.type
    if isinstance(t, JSON):
        return _json
    if (sqlite and isinstance(t, DateTime | Date)) or (sqlite and hasattr(t, "impl")):
        impl = getattr(t, "impl", t)
        return _lite_time if isinstance(impl, DateTime) else _lite_day
    if sqlite and isinstance(t, Boolean):
        return _bool
    return _plain


def _table(name: str) -> Table:
    load_all_models()
    return Base.metadata.tables[name]


def _records(name: str, rows: list[dict[str, Any]], sqlite: bool) -> tuple[list[str], list[Any]]:
    """The columns the rows name (every NOT NULL one among them) and the rows as tuples."""
    table = _table(name)
    cols = [c for c in table.columns if c.name in rows[0]]
    missing = [c.name for c in table.columns if c.name not in rows[0] and not c.nullable]
    if missing:
        raise ValueError(f"{name}: rows lack NOT NULL column(s) {missing}")
    conv = [_converter(c, sqlite) for c in cols]
    names = [c.name for c in cols]
    pairs = list(zip(names, conv, strict=True))
    return names, [tuple(f(r[n]) for n, f in pairs) for r in rows]


async def reference(url: str) -> tuple[list[Office], list[Service], int]:
    """Load the real reference data; the offices, the services and the last user id."""
    engine = create_async_engine(url)
    try:
        async with AsyncSession(engine) as session:
            await load_reference(session)
            await session.commit()
            offices = [
                Office(o.id, o.code, o.name, o.level, o.parent_id, o.queue_prefix)
                for o in await session.scalars(select(OfficeRow).order_by(OfficeRow.id))
            ]
            services = [
                Service(s.id, s.code, s.name, s.risk, s.office_level, s.sla_hours)
                for s in await session.scalars(select(ServiceType).order_by(ServiceType.id))
            ]
            last_user = await session.scalar(select(func.max(User.id))) or 0
    finally:
        await engine.dispose()
    return offices, services, int(last_user)


def plan(url: str, size: Size) -> City:
    """The city, with at least ``size.events`` timeline events: timelines cut at "now" and
    whole-number chats leave a plan short, so the planner is asked again for more chatter
    (a few rounds at most; each plan is deterministic)."""
    offices, services, last_user = asyncio.run(reference(url))
    now, asked = utcnow(), size
    for _ in range(4):
        city = cityplan.Planner(asked, offices, services, now, last_user).plan()
        short = size.events - len(city.rows["ticket_events"])
        if short <= 0:
            break
        asked = replace(asked, events=asked.events + int(short * 1.05) + 1)
    return city


def write_sqlite(path: Path, city: City) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("BEGIN")
        for name in ORDER:
            rows = city.rows[name]
            if not rows:
                continue
            cols, records = _records(name, rows, sqlite=True)
            marks = ", ".join("?" for _ in cols)
            db.executemany(f"INSERT INTO {name} ({', '.join(cols)}) VALUES ({marks})", records)
        db.execute("COMMIT")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()


async def write_pg(dsn: str, city: City) -> None:
    import asyncpg

    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            for name in ORDER:
                rows = city.rows[name]
                if rows:
                    cols, records = _records(name, rows, sqlite=False)
                    await conn.copy_records_to_table(name, records=records, columns=cols)
        for name in ("users", "tickets", "ticket_events", "ikm_responses"):
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT max(id) FROM {name}))"
            )
        # what autovacuum has done to the tables after a year of work: statistics, and the
        # visibility map and hint bits set (else the first searches write them)
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


def head_revision() -> str:
    return str(ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head())


def sqlite_world(workdir: Path, size: Size, say: Callable[[str], None]) -> tuple[str, float]:
    """A migrated SQLite file holding the city (from the cache when it is there): its URL
    and the seconds it took to build (0 when cached)."""
    key = f"city-v{cityplan.VERSION}-{head_revision()}-{size.requests}-{size.events}.db"
    cached = workdir / "cache" / key
    target = workdir / "city.db"
    if cached.exists():
        shutil.copyfile(cached, target)
        say(f"(g) SQLite city from the cache ({cached.name})")
        return f"sqlite+aiosqlite:///{target}", 0.0
    started = time.monotonic()
    url = f"sqlite+aiosqlite:///{target}"
    migrate(url)
    city = plan(url, size)
    planned = time.monotonic() - started
    write_sqlite(target, city)
    took = time.monotonic() - started
    say(f"(g) SQLite city built in {took:.1f}s (planned in {planned:.1f}s)")
    cached.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(target, cached)
    return url, took


def pg_world(url: str, dsn: str, size: Size, say: Callable[[str], None]) -> float:
    """Build the city on an empty PostgreSQL database; the seconds it took."""
    started = time.monotonic()
    migrate(url)
    city = plan(url, size)
    planned = time.monotonic() - started
    asyncio.run(write_pg(dsn, city))
    took = time.monotonic() - started
    say(f"(g) PostgreSQL city built in {took:.1f}s (planned in {planned:.1f}s)")
    return took


def counts(city: City) -> dict[str, int]:
    return {name: len(rows) for name, rows in city.rows.items()}
