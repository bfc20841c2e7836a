"""(g) Search and the monthly report on a city's year: 100,000 requests, ~1,000,000 events.

The world (:mod:`bench.cityplan`, written in bulk by :mod:`bench.citydb`) is built on SQLite
and on PostgreSQL. On each, in one process with the hub's own engines (``Hub.reader``):

- **search**: :func:`hub.search.actions.search` — what ``GET /api/search`` calls — with
  queries officers and supervisors type: a ticket number, a name, part of a name, a queue
  number, the end of a phone, words of a comment; as a kelurahan's front office (its one
  office), a camat's supervisor (the kecamatan and its kelurahan) and the city's admin.
  Target p99 ≤ :data:`SEARCH_P99`.
- **report**: :func:`hub.reports.actions.report` (the ``/reports`` page) and
  :func:`~hub.reports.actions.export_report` (its XLSX export) of last month, for one
  kelurahan and for the whole city. Target ≤ :data:`REPORT_MAX` each.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from bench import citydb
from bench.cityplan import Size
from bench.context import Context
from bench.stats import ms, summary
from bench.world import settings_for
from hub.clock import jakarta_today, utcnow
from hub.context import Hub
from hub.models import Office, OfficeLevel, Role, Ticket, TicketEvent
from hub.principal import Principal
from hub.reports import actions as reports
from hub.search import actions as search
from tests.support.postgres_server import PostgresServer

SEARCH_P99 = 100.0  # ms
REPORT_MAX = 2.0  # s
FULL, QUICK = Size(100_000, 1_000_000), Size(2_000, 20_000)
WORDS = ("surat domisili", "ktp", "pengantar rt", "loket tutup", "disdukcapil", "unggah ulang",
         "tanda tangan lurah", "kartu keluarga")  # fmt: skip
NAMES = ("Rahayu", "siti", "Ahmad Santoso", "wijaya", "Dedi Hidayat", "maul")


class _Quiet:
    async def publish(self, items: list[Any]) -> None:
        del items


@dataclass(frozen=True)
class Ask:
    kind: str
    who: str
    p: Principal
    q: str


def _principal(role: Role, scope: set[int], office: int | None) -> Principal:
    return Principal("bench", 1, role, "Bench", office_id=office, office_scope=frozenset(scope))


async def _asks(hub: Hub, n: int, rng: random.Random) -> list[Ask]:
    """``n`` searches, each kind and each kind of searcher in turn, on real rows."""
    async with hub.reader() as s:
        offices = (await s.execute(select(Office.id, Office.level, Office.parent_id))).all()
        below: dict[int, set[int]] = {o.id: {o.id} for o in offices}
        for o in offices:
            if o.parent_id is not None:
                below[o.parent_id].add(o.id)
        kel = [o.id for o in offices if o.level is OfficeLevel.kelurahan]
        kec = [o.id for o in offices if o.level is OfficeLevel.kecamatan]
        last = await s.scalar(select(func.max(Ticket.id))) or 1
        picks = []
        for tid in rng.sample(range(1, last + 1), min(n, last)):
            t = (await s.execute(select(Ticket).where(Ticket.id == tid))).scalar_one()
            picks.append(t)
    searchers = ("front office", "camat", "admin")
    kinds = ("number", "name", "queue no", "phone end", "words")
    asks: list[Ask] = []
    for i, t in enumerate(picks):
        kind = kinds[i % len(kinds)]
        who = searchers[(i // len(kinds)) % len(searchers)]
        if who == "front office":
            mine = t.office_id if kind in ("number", "phone end") else rng.choice(kel)
            p = _principal(Role.front_office, {mine}, mine)
        elif who == "camat":
            p = _principal(Role.supervisor, below[rng.choice(kec)], None)
        else:
            p = _principal(Role.admin, set(), None)
        q = {
            "number": t.number,
            "name": rng.choice(NAMES),
            "queue no": str(rng.randrange(1, 40)),
            "phone end": (t.applicant_phone or "6281200001234")[-8:],
            "words": rng.choice(WORDS),
        }[kind]
        asks.append(Ask(kind, who, p, q))
    return asks


async def _search(hub: Hub, asks: list[Ask]) -> dict[str, Any]:
    times: dict[str, list[float]] = {}
    found = 0
    for a in asks:
        started = time.perf_counter()
        got = await search.search(hub, a.p, a.q, 20)
        took = time.perf_counter() - started
        found += bool(got["tickets"] or got["comments"])
        times.setdefault(a.kind, []).append(took)
        times.setdefault(f"as {a.who}", []).append(took)
        times.setdefault("all", []).append(took)
    out = {k: summary(v) for k, v in times.items()}
    out["found"] = found
    return out


async def _timed(make: Any, repeat: int) -> dict[str, Any]:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        data = await make()
        runs.append(time.perf_counter() - started)
    rows = len(data["rows"]) if isinstance(data, dict) else len(data.body)
    return {"best": ms(min(runs)), "worst": ms(max(runs)), "size": rows}


async def _reports(hub: Hub, repeat: int) -> dict[str, Any]:
    today = jakarta_today(utcnow())
    last = today.replace(day=1) - timedelta(days=1)
    q = reports.Query(last.replace(day=1).isoformat(), last.isoformat())
    async with hub.reader() as s:
        busiest = (
            await s.execute(
                select(Ticket.office_id, func.count())
                .group_by(Ticket.office_id)
                .order_by(func.count().desc())
                .limit(1)
            )
        ).one()[0]
    office_q = reports.Query(q.first, q.last, office_id=busiest)
    sup = _principal(Role.supervisor, {busiest}, busiest)
    admin = _principal(Role.admin, set(), None)
    return {
        "period": f"{q.first} … {q.last}",
        "office": await _timed(lambda: reports.report(hub, sup, office_q), repeat),
        "city": await _timed(lambda: reports.report(hub, admin, q), repeat),
        "city_xlsx": await _timed(lambda: reports.export_report(hub, admin, q, "xlsx"), repeat),
    }


async def _measure(ctx: Context, url: str) -> dict[str, Any]:
    hub = Hub(settings_for(url, str(ctx.workdir / "data")), _Quiet())
    try:
        async with hub.reader() as s:
            size = {
                "requests": await s.scalar(select(func.count()).select_from(Ticket)),
                "events": await s.scalar(select(func.count()).select_from(TicketEvent)),
            }
        asks = await _asks(hub, 60 if ctx.scale.quick else 250, random.Random(7))
        await _search(hub, asks[:10])  # warm the caches and the statement cache
        found = await _search(hub, asks)
        return {"size": size, "search": found, "report": await _reports(hub, 3)}
    finally:
        await hub.close()


def run(ctx: Context) -> dict[str, Any]:
    size = QUICK if ctx.scale.quick else FULL
    res: dict[str, Any] = {"targets": {"search_p99_ms": SEARCH_P99, "report_s": REPORT_MAX}}
    url, built = citydb.sqlite_world(ctx.workdir, size, ctx.say)
    res["sqlite"] = {"built_s": round(built, 1), **asyncio.run(_measure(ctx, url))}
    ctx.say(f"(g) SQLite: search p99 {res['sqlite']['search']['all']['p99']} ms")
    with PostgresServer(ctx.workdir / "pg-city", "asinan_city") as pg:
        built = citydb.pg_world(pg.url, pg.dsn, size, ctx.say)
        res["postgresql"] = {"built_s": round(built, 1), **asyncio.run(_measure(ctx, pg.url))}
    ctx.say(f"(g) PostgreSQL: search p99 {res['postgresql']['search']['all']['p99']} ms")
    return res
