"""Call steps read, then write: races are still decided once, by the write.

Each step's plan (``plan_invite``, ``plan_accept``, ``look``, ``calls_of_sid``) can be
read on a reader session before the write transaction; these tests make the plan
stale on purpose and check that the write — not the plan — decides. They run on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import event, select

from hub.context import Hub
from hub.errors import Conflict
from hub.models import Ticket
from hub.offices import CHAIN_TTL, office_chain
from hub.principal import Principal
from hub.queues.store import ancestors
from hub.settings import Settings
from signaling import ending, liveness, placing, store
from signaling.models import Call, CallOutcome, CallStatus
from signaling.negotiation import MemoryNegotiations, RedisNegotiations
from tests.signaling.helpers import CALLS, People, call, error_code, invite, wait
from tests.signaling.sdp_samples import AIORTC_OFFER
from tests.support.clock import FakeClock
from tests.support.redis_server import RedisServer
from tests.support.server import Client, RunningHub, make_settings
from tests.support.world import World


@pytest.fixture
def settings(any_db_url: str, tmp_path: Path) -> Settings:
    return make_settings(any_db_url, tmp_path / "var")


async def _plan(hub: Hub, world: World, who: str, ticket_id: int) -> placing.InvitePlan:
    async with hub.reader() as session:
        return await placing.plan_invite(session, hub.ctx, world.principals[who], ticket_id)


async def _invite(
    hub: Hub, world: World, who: str, ticket_id: int, plan: placing.InvitePlan
) -> placing.Placed:
    async with hub.unit() as unit:
        return await placing.invite(
            unit, world.principals[who], f"sid-{who}", ticket_id, "audio", plan
        )


async def _calls(hub: Hub, ticket_id: int) -> list[Call]:
    async with hub.reader() as session:
        return list(await session.scalars(select(Call).where(Call.ticket_id == ticket_id)))


async def test_office_chain_is_the_ancestors_in_one_query(hub: Hub, world: World) -> None:
    async with hub.reader() as session:
        for office_id in world.offices.values():
            assert await office_chain(session, office_id) == await ancestors(session, office_id)


async def test_two_invites_planned_on_a_free_ticket_ring_once(hub: Hub, world: World) -> None:
    ticket_id = await world.new_ticket()
    plans = [await _plan(hub, world, who, ticket_id) for who in ("fo", "staff")]
    assert not any(p.busy for p in plans)
    results = await asyncio.gather(
        _invite(hub, world, "fo", ticket_id, plans[0]),
        _invite(hub, world, "staff", ticket_id, plans[1]),
        return_exceptions=True,
    )
    placed = [r for r in results if isinstance(r, placing.Placed)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(placed) == 1 and len(refused) == 1, results
    [row] = await _calls(hub, ticket_id)
    assert row.status is CallStatus.ringing and row.live_ticket_id == ticket_id


async def test_a_callee_taken_after_the_plan_is_logged_busy(hub: Hub, world: World) -> None:
    first, second = await world.new_ticket(), await world.new_ticket()
    late = await _plan(hub, world, "staff", second)  # the citizen is free when we look
    assert not late.busy
    await _invite(hub, world, "fo", first, await _plan(hub, world, "fo", first))
    placed = await _invite(hub, world, "staff", second, late)
    assert placed.call.status is CallStatus.ended and placed.call.outcome is CallOutcome.busy
    [row] = await _calls(hub, second)
    assert row.outcome is CallOutcome.busy and row.live_callee_key is None


async def test_a_caller_in_a_call_after_the_plan_cannot_ring_again(hub: Hub, world: World) -> None:
    mine, other = await world.new_ticket(), await world.new_ticket(citizen="citizen2")
    stale = await _plan(hub, world, "fo", other)
    await _invite(hub, world, "fo", mine, await _plan(hub, world, "fo", mine))
    with pytest.raises(Conflict):
        await _invite(hub, world, "fo", other, stale)
    assert await _calls(hub, other) == []


async def test_an_accept_planned_before_a_cancel_loses(hub: Hub, world: World) -> None:
    ticket_id = await world.new_ticket()
    placed = await _invite(hub, world, "fo", ticket_id, await _plan(hub, world, "fo", ticket_id))
    citizen = world.principals["citizen"]
    async with hub.reader() as session:
        plan = await placing.plan_accept(session, hub.ctx, citizen, placed.call.id)
    async with hub.unit() as unit:
        await ending.cancel(unit, world.principals["fo"], "sid-fo", placed.call.id)
    with pytest.raises(Conflict):
        async with hub.unit() as unit:
            await placing.accept(unit, citizen, "sid-citizen", placed.call.id, plan)
    [row] = await _calls(hub, ticket_id)
    assert row.outcome is CallOutcome.cancelled


async def test_accept_clears_the_call_back_marker_read_beforehand(hub: Hub, world: World) -> None:
    ticket_id = await world.new_ticket()
    async with hub.unit() as unit:
        await store.set_callback_pending(unit.session, ticket_id, True)
    placed = await _invite(hub, world, "fo", ticket_id, await _plan(hub, world, "fo", ticket_id))
    citizen = world.principals["citizen"]
    async with hub.reader() as session:
        plan = await placing.plan_accept(session, hub.ctx, citizen, placed.call.id)
    assert plan.seen.callback_pending
    async with hub.unit() as unit:
        await placing.accept(unit, citizen, "sid-citizen", placed.call.id, plan)
    async with hub.reader() as session:
        t = await session.get(Ticket, ticket_id)
        assert t is not None and t.callback_pending is False


async def test_a_lost_caller_read_as_ringing_but_accepted_since_gets_the_grace(
    hub: Hub, world: World
) -> None:
    ticket_id = await world.new_ticket()
    placed = await _invite(hub, world, "fo", ticket_id, await _plan(hub, world, "fo", ticket_id))
    async with hub.reader() as session:
        seen = await liveness.calls_of_sid(session, hub.ctx, "sid-fo")
    assert [s.call.status for s in seen] == [CallStatus.ringing]
    async with hub.unit() as unit:
        await placing.accept(unit, world.principals["citizen"], "sid-citizen", placed.call.id)
    async with hub.unit() as unit:
        await liveness.party_lost(unit, "sid-fo", seen)
    [row] = await _calls(hub, ticket_id)
    assert row.status is CallStatus.active and row.caller_lost_at is not None


async def test_a_rejoin_after_the_grace_is_refused_before_the_sweeper_ends_the_call(
    hub: Hub, world: World
) -> None:
    ticket_id = await world.new_ticket()
    placed = await _invite(hub, world, "fo", ticket_id, await _plan(hub, world, "fo", ticket_id))
    citizen = world.principals["citizen"]
    async with hub.unit() as unit:
        await placing.accept(unit, citizen, "sid-citizen", placed.call.id)
    async with hub.unit() as unit:
        await liveness.party_lost(unit, "sid-citizen")
    with pytest.raises(Conflict):  # lost longer ago than a grace of 0 s
        async with hub.unit() as unit:
            await liveness.rejoin(unit, citizen, "sid-back", placed.call.id, grace=0)
    async with hub.unit() as unit:
        ack = await liveness.rejoin(unit, citizen, "sid-back", placed.call.id, grace=60)
    assert ack["party"] == "callee"
    [row] = await _calls(hub, ticket_id)
    assert row.answered_by_sid == "sid-back" and row.callee_lost_at is None


# ── offer/answer pairing ───────────────────────────────────────────────────────


async def test_memory_pairing_is_one_answer_per_offer_and_expires() -> None:
    pairing = MemoryNegotiations(ttl=10)
    assert not await pairing.answered("c1")
    await pairing.offered("c1", now=0)
    assert await pairing.answered("c1", now=1)
    assert not await pairing.answered("c1", now=2)
    await pairing.offered("c1", now=3)
    assert not await pairing.answered("c1", now=14)  # the offer waited too long


@pytest.fixture
async def redis(redis_server: RedisServer) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_server.url)
    try:
        yield client
    finally:
        await client.aclose()


async def test_redis_pairing_is_shared_by_processes_and_decided_once(redis: Redis) -> None:
    here, there = RedisNegotiations(redis), RedisNegotiations(redis)
    await here.offered("c2")
    answers = await asyncio.gather(*(p.answered("c2") for p in (here, there, there)))
    assert sorted(answers) == [False, False, True]
    assert await redis.exists(RedisNegotiations.key("c2")) == 0


async def test_redis_pairing_falls_back_to_memory_while_redis_is_down() -> None:
    down = Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    try:
        pairing = RedisNegotiations(down)
        await pairing.offered("c3")
        assert await pairing.answered("c3")
        assert not await pairing.answered("c3")
    finally:
        await down.aclose()


# ── what takes the writer ──────────────────────────────────────────────────────


ANSWER = {"type": "answer", "sdp": AIORTC_OFFER.replace("a=setup:actpass", "a=setup:active")}
OFFER = {"type": "offer", "sdp": AIORTC_OFFER}


def disconnect_handled(
    live: RunningHub, client: Client, monkeypatch: pytest.MonkeyPatch
) -> asyncio.Event:
    """Set once the ``/calls`` namespace has handled ``client``'s disconnect."""
    namespace = live.sio.namespace_handlers[CALLS]
    sid, handled = client.sio.get_sid(CALLS), asyncio.Event()
    original = namespace.disconnected

    async def disconnected(gone: str, principal: Principal) -> None:
        await original(gone, principal)
        if gone == sid:
            handled.set()

    monkeypatch.setattr(namespace, "disconnected", disconnected)
    return handled


def _count_write_transactions(hub: Hub) -> list[str]:
    begun: list[str] = []

    def on_begin(conn: object) -> None:
        begun.append("begin")

    event.listen(hub.db.engine.sync_engine, "begin", on_begin)
    return begun


@pytest.mark.parametrize("any_db_url", ["sqlite"], indirect=True)
async def test_offer_answer_ice_and_idle_disconnects_take_no_write_transaction(
    people: People, live: RunningHub, live_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("fo"), await people.join("citizen")
    bystander = await people.join("staff")
    call_id = await invite(officer, ticket_id)
    await wait(citizen, "ringing", call_id)
    assert (await call(citizen, "accept", {"call_id": call_id}))["ok"]
    await wait(officer, "accepted", call_id)

    writes = _count_write_transactions(live_world.hub)
    for _ in range(2):  # a first offer, then an ICE restart
        assert (await call(officer, "offer", {"call_id": call_id, "description": OFFER}))["ok"]
        await wait(citizen, "offer", call_id)
        assert (await call(citizen, "answer", {"call_id": call_id, "description": ANSWER}))["ok"]
        assert (
            error_code(await call(citizen, "answer", {"call_id": call_id, "description": ANSWER}))
            == "conflict"
        )
    ice = {"call_id": call_id, "candidate": None}
    assert (await call(officer, "ice", ice))["ok"]
    handled = disconnect_handled(live, bystander, monkeypatch)
    await bystander.close()
    await asyncio.wait_for(handled.wait(), 10)  # the bystander's disconnect handler has run
    assert writes == []
    assert (await call(officer, "hangup", {"call_id": call_id}))["ok"]
    assert writes == ["begin"]  # … and ending the call does write, once


async def test_dashboard_rooms_are_read_once_per_office_until_the_cache_ttl(
    hub: Hub, world: World, clock: FakeClock
) -> None:
    office_id = world.offices["kel_a"]
    async with hub.reader() as session:
        first = await hub.ctx.offices.above(session, office_id)
        assert first == await ancestors(session, office_id)
    statements: list[str] = []

    def on_execute(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(hub.db.read_engine.sync_engine, "before_cursor_execute", on_execute)
    try:
        async with hub.reader() as session:
            assert await hub.ctx.offices.above(session, office_id) == first
        assert statements == []
        await clock.advance(CHAIN_TTL)  # the app's clock says the chain is stale: read again
        async with hub.reader() as session:
            assert await hub.ctx.offices.above(session, office_id) == first
    finally:
        event.remove(hub.db.read_engine.sync_engine, "before_cursor_execute", on_execute)
    assert [s for s in statements if "chain" in s] == statements[-1:]  # one query
