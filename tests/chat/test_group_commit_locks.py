"""Group commit on PostgreSQL: a batch locks its tickets late, and decides on the locked rows.

A batch reads its tickets without a lock first (checks, resends, rate limit, who to
notify), so another process's batch on the same tickets is not kept waiting for those
round trips; only then does it lock the rows. What another transaction commits in
between must count: the seq goes on from the newest one, and a ticket that moved away
from the speaker's office refuses the comment. (On SQLite nothing can commit in between:
the writer holds the database's write lock from ``BEGIN IMMEDIATE``.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from sqlalchemy import select, update

from chat import posting
from hub.context import Context
from hub.errors import NotFound
from hub.models import Ticket, TicketEvent
from hub.ratelimit import Rule
from hub.timeline import NewEvent, append_event
from notifications.fanout import audience_of
from notifications.models import Notification, NotificationPrefs
from tests.conftest import PgDatabases
from tests.support.world import World

RULE = Rule(10_000, 1000.0)


@pytest.fixture
def db_url(postgres: PgDatabases) -> str:
    return postgres.fresh()


def _meanwhile(monkeypatch: pytest.MonkeyPatch, world: World, change: Any) -> None:
    """Run ``change`` in its own committed transaction after the batch's unlocked read and
    before its lock (the batch reads who to notify in between)."""
    original = audience_of

    async def audience_then_change(
        session: Any, ctx: Context, tickets: Mapping[int, Ticket], new: Sequence[NewEvent]
    ) -> Any:
        found = await original(session, ctx, tickets, new)
        async with world.hub.unit() as other:
            await change(other)
        return found

    monkeypatch.setattr(posting, "audience_of", audience_then_change)


async def test_seq_goes_on_from_what_another_writer_committed_meanwhile(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket = await world.new_ticket()
    officer = world.principals["fo"]

    async def other_process_comments(unit: Any) -> None:
        await append_event(unit, ticket, "comment", officer, {"body": "dari proses lain"}, "x-1")

    _meanwhile(monkeypatch, world, other_process_comments)
    batch = [
        posting.NewComment(world.principals["citizen"], ticket, "c-1", "satu"),
        posting.NewComment(world.principals["citizen"], ticket, "c-2", "dua"),
    ]
    async with world.hub.unit() as unit:
        results = await posting.post_comments(unit, world.hub.limiter, batch, RULE)

    async with world.hub.reader() as session:
        rows = list(
            await session.scalars(
                select(TicketEvent)
                .where(TicketEvent.ticket_id == ticket, TicketEvent.kind == "comment")
                .order_by(TicketEvent.seq)
            )
        )
    assert [e.payload["body"] for e in rows] == ["dari proses lain", "satu", "dua"]
    assert [r[0].seq for r in results if isinstance(r, tuple)] == [rows[1].seq, rows[2].seq]
    assert rows[1].seq == rows[0].seq + 1 and rows[2].seq == rows[0].seq + 2


async def test_a_ticket_moved_away_meanwhile_refuses_the_officer(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    moving = await world.new_ticket()
    staying = await world.new_ticket()

    async def transferred(unit: Any) -> None:
        await unit.session.execute(
            update(Ticket).where(Ticket.id == moving).values(office_id=world.offices["kel_other"])
        )

    _meanwhile(monkeypatch, world, transferred)
    officer = world.principals["fo"]
    batch = [
        posting.NewComment(officer, moving, "o-1", "tiket yang pindah"),
        posting.NewComment(officer, staying, "o-2", "tiket yang tetap"),
    ]
    async with world.hub.unit() as unit:
        moved, kept = await posting.post_comments(unit, world.hub.limiter, batch, RULE)

    assert isinstance(moved, NotFound)
    assert isinstance(kept, tuple) and kept[0].payload["body"] == "tiket yang tetap"
    async with world.hub.reader() as session:
        stored = await session.scalars(
            select(TicketEvent.ticket_id).where(TicketEvent.client_id.in_(["o-1", "o-2"]))
        )
        assert list(stored) == [staying]


@pytest.mark.parametrize("muted", [False, True])
async def test_an_officer_assigned_meanwhile_is_notified_unless_muted(
    world: World, monkeypatch: pytest.MonkeyPatch, muted: bool
) -> None:
    """Who to notify was read before the lock; the assignee found on the locked row is
    told, with their own preferences (read then, since nobody asked for them before)."""
    ticket = await world.new_ticket()
    staff = world.users["staff"]
    if muted:
        async with world.hub.unit() as unit:
            unit.session.add(NotificationPrefs(user_id=staff, muted_tickets=[ticket]))

    async def assigned(unit: Any) -> None:
        await unit.session.execute(
            update(Ticket).where(Ticket.id == ticket).values(assignee_id=staff)
        )

    _meanwhile(monkeypatch, world, assigned)
    comment = posting.NewComment(world.principals["citizen"], ticket, "c-1", "halo petugas")
    async with world.hub.unit() as unit:
        [posted] = await posting.post_comments(unit, world.hub.limiter, [comment], RULE)

    assert isinstance(posted, tuple)
    async with world.hub.reader() as session:
        told = await session.scalars(
            select(Notification.user_id).where(
                Notification.ticket_id == ticket, Notification.kind == "comment"
            )
        )
        assert (staff in set(told)) is not muted
