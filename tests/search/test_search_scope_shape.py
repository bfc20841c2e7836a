"""Search as the scope changes shape: a transferred request's comments are found by its new
office and no longer by its old one (PostgreSQL keeps them in ``comment_words`` under the
office's lexeme, migration 0014); text shorter than three characters is looked for among
the newest requests one may see, while its queue number still reaches them all."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from hub.models import Ticket
from hub.search import service
from hub.tickets import actions as tickets
from hub.timeline import append_event
from tests.support.world import World

pytestmark = pytest.mark.both_dbs


async def _comments(world: World, who: str, q: str) -> list[int]:
    async with world.hub.reader() as session:
        found = await service.search_comments(session, world.principals[who], q, 20)
    return [c["ticket_id"] for c in found]


async def _tickets(world: World, who: str, q: str) -> list[int]:
    async with world.hub.reader() as session:
        found = await service.search_tickets(session, world.principals[who], q, 20)
    return [t["id"] for t in found]


async def test_a_transferred_requests_comments_follow_it_to_its_new_office(world: World) -> None:
    tid = await world.new_ticket("citizen", "KLH", "kel_a")
    async with world.hub.unit() as unit:
        await append_event(
            unit, tid, "comment", world.principals["citizen"], {"body": "Surat pindah sekolah"}
        )
        await append_event(
            unit, tid, "internal_note", world.principals["fo"], {"body": "Pindah ke loket dua"}
        )
    assert await _comments(world, "fo", "pindah") == [tid, tid]
    assert await _comments(world, "fo_b", "pindah") == []
    assert await _comments(world, "spv", "pindah") == [tid, tid]

    async with world.hub.reader() as session:
        version = await session.scalar(select(Ticket.version).where(Ticket.id == tid))
    assert version is not None
    spv = world.principals["spv"]
    await tickets.transfer(world.hub, spv, tid, version, world.offices["kel_b"], "salah kantor")

    assert await _comments(world, "fo_b", "pindah") == [tid, tid]  # the note too: same scope
    assert await _comments(world, "fo", "pindah") == []
    assert await _comments(world, "spv", "pindah sekolah") == [tid]
    assert await _comments(world, "citizen", "pindah") == [tid]  # the applicant: comments only
    assert await _comments(world, "spv_other", "pindah") == []


async def test_short_text_looks_among_the_newest_requests_queue_numbers_among_all(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    oldest, middle, newest = [await world.new_ticket() for _ in range(3)]
    await world.new_ticket("citizen2", office="kel_b")  # another office: never in fo's window
    async with world.hub.reader() as session:
        rows = await session.execute(
            select(Ticket.id, Ticket.queue_no, Ticket.applicant_name).where(
                Ticket.id.in_([oldest, middle, newest])
            )
        )
        tickets_ = {r.id: r for r in rows}
    name = tickets_[oldest].applicant_name
    assert all(t.applicant_name == name for t in tickets_.values())
    short, long_ = name[:2], name[:3]

    monkeypatch.setattr(service, "SHORT_WINDOW", 2)
    assert await _tickets(world, "fo", short) == [newest, middle]
    assert await _tickets(world, "fo", long_) == [newest, middle, oldest]
    assert oldest in await _tickets(world, "fo", str(tickets_[oldest].queue_no))
    monkeypatch.setattr(service, "SHORT_WINDOW", 5000)
    assert await _tickets(world, "fo", short) == [newest, middle, oldest]


async def test_a_scope_is_named_by_its_whole_subtrees_and_its_lone_offices(world: World) -> None:
    kec, kel_a, kel_b = (world.offices[k] for k in ("kec", "kel_a", "kel_b"))
    async with world.hub.reader() as session:
        # an officer's scope is their office and every office below it: one lexeme
        spv = await service.scope_lexemes(session, world.principals["spv"].office_scope)
        fo = await service.scope_lexemes(session, world.principals["fo"].office_scope)
        # a kecamatan without all of its kelurahan: the kecamatan's own tickets only
        part = await service.scope_lexemes(session, frozenset({kec, kel_a, kel_b}))
        unknown = await service.scope_lexemes(session, frozenset({10**12}))
    assert spv == [f"@{kec}"]
    assert fo == [f"@{kel_a}"]
    assert part == [f"#{kec}", f"@{kel_a}", f"@{kel_b}"]
    assert unknown == []
    # an officer whose offices are unknown finds none of the comments of the known ones
    tid = await world.new_ticket()
    async with world.hub.unit() as unit:
        await append_event(unit, tid, "comment", world.principals["fo"], {"body": "Tanpa kantor"})
    stray = replace(world.principals["fo"], office_scope=frozenset({10**12}))
    async with world.hub.reader() as session:
        assert await service.search_comments(session, stray, "kantor", 20) == []
    assert await _comments(world, "fo", "kantor") == [tid]
