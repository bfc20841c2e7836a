"""Group commit: many comments in one transaction, each with its own outcome.

Under load the ``send`` handler hands every comment that arrives while a batch is
committing to the next batch (``hub.batching.Batcher``); these tests pin what a batch
must still guarantee to each sender: its own error, no lost or doubled comment, seqs
in arrival order, a resend answered with the stored event.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from chat import posting
from hub.errors import Forbidden, Invalid, NotFound, RateLimited
from hub.models import TicketEvent
from hub.ratelimit import Rule
from notifications.models import Notification
from tests.support.server import RunningHub, connect
from tests.support.world import World

pytestmark = pytest.mark.both_dbs

RULE = Rule(10_000, 1000.0)


async def _comments_on(world: World, ticket_id: int) -> list[TicketEvent]:
    async with world.hub.reader() as session:
        rows = await session.scalars(
            select(TicketEvent)
            .where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind == "comment")
            .order_by(TicketEvent.seq)
        )
        return list(rows)


async def test_each_comment_of_a_batch_gets_its_own_outcome(world: World) -> None:
    mine = await world.new_ticket()
    other = await world.new_ticket()
    foreign = await world.new_ticket("citizen2")
    p = world.principals["citizen"]
    async with world.hub.unit() as unit:
        [first] = await posting.post_comments(
            unit, world.hub.limiter, [posting.NewComment(p, mine, "c-old", "lama")], RULE
        )
    assert isinstance(first, tuple)
    batch = [
        posting.NewComment(p, mine, "c-1", "satu"),
        posting.NewComment(p, foreign, "c-2", "bukan tiket saya"),
        posting.NewComment(p, other, "c-3", "   \u200b  "),
        posting.NewComment(p, mine, "c-old", "lama lagi"),  # resent from an earlier batch
        posting.NewComment(p, other, "c-4", "empat"),
        posting.NewComment(p, mine, "c-1", "satu lagi"),  # resent within this batch
        posting.NewComment(p, mine, "c-5", "lima"),
    ]
    async with world.hub.unit() as unit:
        results = await posting.post_comments(unit, world.hub.limiter, batch, RULE)

    assert isinstance(results[1], NotFound)
    assert isinstance(results[2], Invalid)
    one, old, four, one_again, five = (results[i] for i in (0, 3, 4, 5, 6))
    assert isinstance(one, tuple) and isinstance(five, tuple) and isinstance(four, tuple)
    assert one[1] is True and five[1] is True and four[1] is True
    assert isinstance(old, tuple) and old[1] is False and old[0].seq == first[0].seq
    assert isinstance(one_again, tuple) and one_again == (one[0], False)
    # Seqs follow arrival order per ticket, with no gap after the rejected ones.
    assert [e.payload["body"] for e in await _comments_on(world, mine)] == ["lama", "satu", "lima"]
    assert [e.seq for e in await _comments_on(world, mine)] == [
        first[0].seq,
        first[0].seq + 1,
        first[0].seq + 2,
    ]
    assert [e.payload["body"] for e in await _comments_on(world, other)] == ["empat"]


async def test_a_batch_that_cannot_speak_changes_nothing(world: World) -> None:
    tid = await world.new_ticket()
    async with world.hub.reader() as session:
        before = await session.scalar(select(func.count()).select_from(TicketEvent))
    p = world.principals["admin"]  # admins audit; they do not speak on a citizen's case
    async with world.hub.unit() as unit:
        results = await posting.post_comments(
            unit, world.hub.limiter, [posting.NewComment(p, tid, "c-x", "halo")], RULE
        )
    assert isinstance(results[0], Forbidden)
    async with world.hub.reader() as session:
        assert await session.scalar(select(func.count()).select_from(TicketEvent)) == before


async def test_concurrent_senders_share_batches_and_lose_nothing(
    live: RunningHub, live_world: World
) -> None:
    """30 sends at once from 3 sockets (each within its burst of 10) share batches.

    Every ack comes after its commit, seqs match acks one to one, the watcher gets all.
    """
    tid = await live_world.new_ticket()
    batcher = live.sio.namespace_handlers["/tickets"].comments.batcher
    sizes: list[int] = []
    flush = batcher._flush

    async def counting(items: list[posting.NewComment]) -> list[object]:
        sizes.append(len(items))
        return [*await flush(items)]

    batcher._flush = counting
    names = ["citizen", "fo", "staff"]
    clients = [await connect(live.url, live_world.tokens[n]) for n in names]
    watcher = await connect(live.url, live_world.tokens["approver"])
    try:
        assert (await watcher.call("join", {"ticket_id": tid}))["ok"]
        sends = [
            clients[i % 3].call(
                "send", {"ticket_id": tid, "client_id": f"burst-{i:04d}", "body": f"pesan {i}"}
            )
            for i in range(30)
        ]
        acks = await asyncio.gather(*sends)
        assert all(a["ok"] and not a["duplicate"] for a in acks), acks
        assert sum(sizes) == 30 and max(sizes) > 1  # some went out together
        seqs = sorted(a["event"]["seq"] for a in acks)
        assert seqs == list(range(seqs[0], seqs[0] + 30))
        stored = await _comments_on(live_world, tid)
        assert sorted(e.client_id or "" for e in stored) == [f"burst-{i:04d}" for i in range(30)]
        got = [await watcher.wait_for("ticket_event", lambda e, s=s: e["seq"] == s) for s in seqs]
        assert [g["client_id"] for g in got] == [
            a["event"]["client_id"] for a in sorted(acks, key=lambda a: a["event"]["seq"])
        ]
        # Resending the whole burst (a reconnect) stores nothing new.
        again = await asyncio.gather(
            *[
                clients[i % 3].call(
                    "send", {"ticket_id": tid, "client_id": f"burst-{i:04d}", "body": "x"}
                )
                for i in range(30)
            ]
        )
        assert all(a["ok"] and a["duplicate"] for a in again)
        assert len(await _comments_on(live_world, tid)) == 30
    finally:
        for c in [*clients, watcher]:
            await c.close()


async def test_rate_limit_in_a_batch_refuses_a_speakers_latest_only(world: World) -> None:
    tid = await world.new_ticket()
    citizen, officer = world.principals["citizen"], world.principals["fo"]
    batch = [posting.NewComment(citizen, tid, f"c-{i:02d}", f"pesan {i}") for i in range(12)]
    batch.insert(5, posting.NewComment(officer, tid, "o-1", "dari petugas"))
    async with world.hub.unit() as unit:
        results = await posting.post_comments(unit, world.hub.limiter, batch, Rule(10, 0.001))
    refused = [
        c.client_id for c, r in zip(batch, results, strict=True) if isinstance(r, RateLimited)
    ]
    assert refused == ["c-10", "c-11"]  # the citizen's burst of 10 is spent in order
    assert [e.client_id for e in await _comments_on(world, tid)] == [
        *[f"c-{i:02d}" for i in range(5)],
        "o-1",
        *[f"c-{i:02d}" for i in range(5, 10)],
    ]


async def test_a_large_batch_finds_each_resend_and_only_those(world: World) -> None:
    """The resend lookup asks per (ticket, speaker, client_id), in chunks: a stored key
    past the first chunk is found, and another speaker's or ticket's use of a client_id
    (a combination of the asked tickets, speakers and ids) is not a resend."""
    mine, other = await world.new_ticket(), await world.new_ticket()
    citizen, officer = world.principals["citizen"], world.principals["fo"]
    earlier = [
        posting.NewComment(citizen, mine, "k-citizen", "dulu"),
        posting.NewComment(officer, other, "k-officer", "dulu juga"),
    ]
    async with world.hub.unit() as unit:
        stored = await posting.post_comments(unit, world.hub.limiter, earlier, RULE)
    batch = [posting.NewComment(citizen, other, f"n-{i:03d}", f"pesan {i}") for i in range(68)]
    batch += [
        posting.NewComment(officer, mine, "k-citizen", "bukan kiriman ulang"),
        posting.NewComment(citizen, other, "k-officer", "bukan juga"),
        posting.NewComment(officer, other, "k-officer", "kiriman ulang"),
        posting.NewComment(citizen, mine, "k-citizen", "kiriman ulang"),
    ]
    async with world.hub.unit() as unit:
        results = await posting.post_comments(unit, world.hub.limiter, batch, RULE)
    assert all(isinstance(r, tuple) for r in results)
    created = [r[1] for r in results if isinstance(r, tuple)]
    assert created == [True] * 70 + [False, False]
    resent = [r[0].seq for r in results[-2:] if isinstance(r, tuple)]
    assert resent == [s[0].seq for s in reversed(stored) if isinstance(s, tuple)]


async def test_a_batch_of_comments_on_one_ticket_makes_one_row_with_the_last_preview(
    world: World,
) -> None:
    tid = await world.new_ticket()
    officer = world.principals["fo"]
    batch = [posting.NewComment(officer, tid, f"g-{b}", b) for b in ("satu", "dua", "tiga")]
    async with world.hub.unit() as unit:
        await posting.post_comments(unit, world.hub.limiter, batch, RULE)
    async with world.hub.reader() as session:
        (row,) = await session.scalars(
            select(Notification).where(Notification.user_id == world.users["citizen"])
        )
    assert row.count == 3 and row.title.startswith("3 pesan baru di ")
    assert row.preview.endswith("tiga")
    assert row.last_seq == max(e.seq for e in await _comments_on(world, tid))
