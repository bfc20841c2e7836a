"""A batch of comments costs a fixed handful of statements, whatever its size.

On PostgreSQL each statement is a round trip and a few loop turns of the hub's CPU, paid
once per batch: with two hub processes the batches are half as big and that cost is paid
twice as often (docs/benchmarks.md, (e)). These tests pin the statements of a batch, one
per question, on SQLite and on PostgreSQL, so a new one is a conscious choice.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from sqlalchemy import func, select

from chat import posting
from hub.context import Hub
from hub.models import Ticket, TicketEvent
from hub.ratelimit import Rule
from hub.settings import Settings
from tests.support.server import make_settings
from tests.support.statements import recorded
from tests.support.world import World

RULE = Rule(10_000, 1000.0)

#: What a batch asks, in order (PostgreSQL). SQLite does not read the tickets again
#: locked (its writer holds the database since BEGIN), and has no data-modifying CTE.
BATCH = [
    "WITH stored",  # the tickets, unlocked, with the comments already stored (resends)
    "SELECT users.id",  # the desk's officers (the ticket has no assignee)
    "SELECT users.id,",  # the recipients' preferences and push subscriptions
    "SELECT tickets.id, FOR UPDATE",  # the lock
    "WITH bump",  # the tickets' last seq raised (a CTE) and the events inserted
]
SQLITE_WRITE = ["UPDATE tickets", "INSERT INTO ticket_events"]
#: The notification rows: the open ones read locked, raised, the new ones inserted.
RAISED = ["SELECT notifications.id, FOR UPDATE", "UPDATE notifications"]


@pytest.fixture
def settings(any_db_url: str, tmp_path: Path) -> Settings:
    return make_settings(any_db_url, tmp_path / "var")


def _name(sql: str) -> str:
    """``WITH stored``, ``SELECT users.id,``, ``INSERT INTO ticket_events``, ``… FOR UPDATE``."""
    words = sql.split()
    name = " ".join(words[:3] if words[0] == "INSERT" else words[:2])
    return name + " FOR UPDATE" if sql.endswith("FOR UPDATE") else name


def statements(hub: Hub) -> AbstractContextManager[list[str]]:
    return recorded(hub.db.engine, lambda sql: _name(" ".join(sql.split())))


async def _post(hub: Hub, comments: list[posting.NewComment]) -> list[str]:
    with statements(hub) as seen:
        async with hub.unit() as unit:
            results = await posting.post_comments(unit, hub.limiter, comments, RULE)
    assert all(isinstance(r, tuple) and r[1] for r in results), results
    return seen


def _expected(hub: Hub, notified: list[str]) -> list[str]:
    batch = BATCH + notified
    if hub.db.engine.dialect.name == "sqlite":  # no row locks: FOR UPDATE is not rendered
        batch.remove("SELECT tickets.id, FOR UPDATE")
        at = batch.index("WITH bump")
        batch[at : at + 1] = SQLITE_WRITE
        batch = [name.removesuffix(" FOR UPDATE") for name in batch]
    return batch


@pytest.mark.parametrize("size", [1, 10])
async def test_a_batch_on_distinct_tickets_is_a_fixed_handful_of_statements(
    hub: Hub, world: World, size: int
) -> None:
    tickets = [await world.new_ticket() for _ in range(size)]
    p = world.principals["citizen"]
    await _post(hub, [posting.NewComment(p, tickets[0], "warm", "siapkan")])  # caches, a row
    started = hub.clock.now()
    seen = await _post(
        hub, [posting.NewComment(p, t, f"c-{i}", f"isi {i}") for i, t in enumerate(tickets)]
    )
    # the first ticket's officers have an open row (raised); the others' are new
    new = ["INSERT INTO notifications"] * (size - 1)
    if hub.db.engine.dialect.name == "postgresql":
        new = new[:1]  # one INSERT … VALUES for all (insertmanyvalues)
    assert seen == _expected(hub, RAISED + new), seen
    async with hub.reader() as session:  # the tickets' counters moved with the events
        rows = await session.execute(
            select(Ticket.id, Ticket.last_seq, Ticket.updated_at, func.max(TicketEvent.seq))
            .join(TicketEvent, TicketEvent.ticket_id == Ticket.id)
            .where(Ticket.id.in_(tickets))
            .group_by(Ticket.id)
        )
        for _id, last_seq, updated_at, top in rows:
            assert last_seq == top and started <= updated_at <= hub.clock.now()


async def test_ten_comments_on_one_ticket_are_as_many_statements_as_one(
    hub: Hub, world: World
) -> None:
    ticket = await world.new_ticket()
    p = world.principals["citizen"]
    await _post(hub, [posting.NewComment(p, ticket, "warm", "siapkan")])
    one = await _post(hub, [posting.NewComment(p, ticket, "c-one", "satu")])
    ten = await _post(hub, [posting.NewComment(p, ticket, f"c-{i}", f"isi {i}") for i in range(10)])
    assert one == ten == _expected(hub, RAISED)
