"""Search answers from its indexes (migration 0013, hub.search) exactly what one scan would:
tickets by text through the trigram index, merged with queue numbers and phone endings;
comments newest first across PostgreSQL's two steps."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import or_, select, text, update

from hub.models import ServiceType, Ticket, TicketEvent
from hub.principal import Principal
from hub.search import service
from hub.timeline import append_event
from tests.support.world import World

pytestmark = pytest.mark.both_dbs


async def _one_scan(world: World, p: Principal, q: str, limit: int) -> list[int]:
    """What one query asking for every way of matching answers (the reference)."""
    digits = service._digit_match(q)
    match = service._text_match(q) if digits is None else or_(service._text_match(q), digits)
    query = (
        select(Ticket.id)
        .join(ServiceType, ServiceType.id == Ticket.service_type_id)
        .where(service.scope(p), match)
        .order_by(Ticket.id.desc())
        .limit(limit)
    )
    async with world.hub.reader() as session:
        return list(await session.scalars(query))


async def _found(world: World, p: Principal, q: str, limit: int) -> list[int]:
    async with world.hub.reader() as session:
        return [t["id"] for t in await service.search_tickets(session, p, q, limit)]


async def test_tickets_by_text_and_digits_as_one_scan_finds_them(world: World) -> None:
    ids = [await world.new_ticket() for _ in range(3)]
    walk_ins = [(await world.walk_in("kel_a"))[0] for _ in range(3)]
    ids += [await world.new_ticket("citizen2", office="kel_b") for _ in range(2)]
    async with world.hub.unit() as unit:
        await unit.session.execute(
            update(Ticket).where(Ticket.id == walk_ins[1]).values(applicant_name="Siti Rahayu")
        )
        number = await unit.session.scalar(select(Ticket.number).where(Ticket.id == ids[0]))
    assert number is not None
    admin, fo = world.principals["admin"], world.principals["fo"]
    queries = ["tamu", "TAMU", "u t", "ta", "uji", "siti r", "rahayu", "ibu tamu", number,
               number[-9:].upper(), "2222", "12111", "1", "001", "0812 1111 2222", "%", "_a",
               '"tamu"', "zzz"]  # fmt: skip
    for q in queries:
        for p in (admin, fo):
            for limit in (1, 2, 20):
                assert await _found(world, p, q, limit) == await _one_scan(world, p, q, limit), q
    # the index follows a change of name (SQLite's triggers; PostgreSQL's own index)
    assert await _found(world, admin, "siti rahayu", 20) == [walk_ins[1]]
    assert walk_ins[1] not in await _found(world, admin, "ibu tamu", 20)


async def test_postgres_ticket_text_uses_the_trigram_index(world: World) -> None:
    await world.new_ticket()
    async with world.hub.unit() as unit:
        if unit.session.get_bind().dialect.name != "postgresql":
            pytest.skip("PostgreSQL's index")
        await unit.session.execute(text("SET LOCAL enable_seqscan = off"))
        query = select(Ticket.id).where(service._text_index("postgresql", "Tamu"))
        sql = query.compile(unit.session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = "\n".join(str(r[0]) for r in await unit.session.execute(text(f"EXPLAIN {sql}")))
    assert "ix_tickets_text_trgm" in plan, plan


async def test_comments_newest_first_across_both_steps(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "RECENT", 3)  # most matches lie before the newest events
    mine, theirs = await world.new_ticket(), await world.new_ticket("citizen2", office="kel_b")
    async with world.hub.unit() as unit:
        for i in range(12):
            body = f"Surat domisili nomor {i}" if i % 3 else f"Kartu keluarga {i}"
            tid = mine if i % 2 else theirs
            await append_event(unit, tid, "comment", world.principals["fo"], {"body": body})
    for who in ("admin", "fo", "spv", "fo_b"):
        p = world.principals[who]
        for q, limit in (("domisili", 20), ("domisili", 3), ("kartu", 2), ("nomor 1", 20)):
            async with world.hub.reader() as session:
                got = await service.search_comments(session, p, q, limit)
                want = await _reference_comments(session, p, q, limit)
            assert [(c["ticket_id"], c["seq"]) for c in got] == want, (who, q, limit)


async def _reference_comments(session: Any, p: Principal, q: str, limit: int) -> list[Any]:
    dialect = session.get_bind().dialect.name
    query = (
        select(Ticket.id, TicketEvent.seq)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(
            TicketEvent.kind.in_(service.searched_kinds(p)),
            service.comment_match(dialect, service.words(q)),
            service.scope(p),
        )
        .order_by(TicketEvent.id.desc())
        .limit(limit)
    )
    return [tuple(r) for r in (await session.execute(query)).all()]
