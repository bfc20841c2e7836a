"""Presence across sockets and processes (expiry, no ghosts); queue position + estimate."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from redis.asyncio import Redis
from sqlalchemy import update

from hub.clock import utcnow
from hub.models import Ticket
from hub.queues.presence import Change, RedisPresence
from tests.queues.helpers import Q, watcher
from tests.support.redis_server import RedisServer
from tests.support.server import RunningHub, connect
from tests.support.world import World


async def test_officer_online_while_any_socket_is_open(live: RunningHub, live_world: World) -> None:
    w = live_world
    spv, ack = await watcher(live, w, "spv", "kec")
    uid = w.users["fo"]
    try:
        assert next(o for o in ack["snapshot"]["officers"] if o["id"] == uid)["online"] is False
        one = await connect(live.url, w.tokens["fo"], namespaces=("/tickets",))
        on = await spv.wait_for("queue_officer", lambda d: d["officer"]["id"] == uid, namespace=Q)
        assert on["officer"]["online"] is True
        two = await connect(live.url, w.tokens["fo"], namespaces=("/calls",))
        await one.close()
        await two.close()
        off = await spv.wait_for(
            "queue_officer",
            lambda d: d["officer"]["id"] == uid and not d["officer"]["online"],
            namespace=Q,
        )
        # exactly one change each way: the second socket changed nothing
        assert [d["officer"]["online"] for d in spv.events("queue_officer", namespace=Q)
                if d["officer"]["id"] == uid] == [True, False]  # fmt: skip
        assert off["officer"]["v"] > on["officer"]["v"]
    finally:
        await spv.close()


@pytest.fixture
async def redis(redis_server: RedisServer) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_server.url)
    await client.flushdb()
    try:
        yield client
    finally:
        await client.flushdb()
        await client.aclose()


async def test_redis_presence_spans_processes_and_a_crash_leaves_no_ghost(redis: Redis) -> None:
    a = RedisPresence(redis, process_id="a")
    b = RedisPresence(redis, process_id="b")
    assert await a.opened(7) == Change(7, True, 1)
    assert await b.opened(7) is None  # already online through process a
    assert await b.closed(7) is None  # still a socket on a
    assert (await b.roster()).online == {7}
    # process a holds its key on a heartbeat with expiry, never forever
    assert 0 < await redis.pttl("presence:proc:a") <= 30_000
    # a crashes: its key expires (what Redis does when the heartbeat stops)
    await redis.delete("presence:proc:a")
    changes = await b.refresh()
    assert changes == [Change(7, False, 2)]
    assert await b.refresh() == []  # announced once, by one process
    roster = await b.roster()
    assert roster.online == frozenset() and roster.versions[7] == 2


async def test_queue_position_and_estimate(live: RunningHub, live_world: World) -> None:
    w = live_world
    # history: three SKTM tickets at kel_a decided after 30, 60 and 90 minutes
    done = [await w.new_ticket("citizen2", "SKTM", "kel_a") for _ in range(3)]
    first = await w.new_ticket("citizen2", "SKTM", "kel_a")
    mine = await w.new_ticket("citizen", "SKTM", "kel_a")
    now = utcnow()
    async with w.hub.unit() as unit:
        for i, tid in enumerate(done):
            decided = now - timedelta(hours=5) + timedelta(minutes=30 * i)
            await unit.session.execute(
                update(Ticket).where(Ticket.id == tid).values(
                    status="rejected", created_at=decided - timedelta(minutes=30 * (i + 1)),
                    decided_at=decided,
                )
            )  # fmt: skip
    async with live.http(w.tokens["citizen"]) as http:
        r = await http.get(f"/api/tickets/{mine}/queue-position")
        assert r.status_code == 200
        body = r.json()
        assert (body["position"], body["ahead"], body["basis"]) == (2, 1, "service")
        # typical 60 min (ticket is fresh); pace: decisions 30 min apart, 1 ahead → 30
        assert body["estimated_wait_minutes"] == 60
        foreign = await http.get(f"/api/tickets/{first}/queue-position")
        assert foreign.status_code == 404
    async with live.http(w.tokens["fo"]) as http:
        r = await http.get(f"/api/tickets/{first}/queue-position")
        assert r.json()["position"] == 1
        r = await http.get(f"/api/tickets/{done[0]}/queue-position")
        assert r.json()["waiting"] is False and r.json()["position"] is None


async def test_without_history_the_service_standard_is_the_estimate(
    live: RunningHub, live_world: World
) -> None:
    mine = await live_world.new_ticket("citizen", "SKTM", "kel_b")  # no decisions at kel_b yet
    async with live.http(live_world.tokens["citizen"]) as http:
        body = (await http.get(f"/api/tickets/{mine}/queue-position")).json()
        ticket = (await http.get(f"/api/tickets/{mine}")).json()["ticket"]
    assert body["basis"] == "sla" and body["position"] == 1
    # SKTM's 24 h service standard runs in the office's working hours (hub.calendar): the
    # estimate is the time left until the ticket's own deadline, whatever hour it is now.
    due = datetime.fromisoformat(ticket["due_at"])
    assert due > datetime.fromisoformat(ticket["created_at"])
    left = (due - live.clock.now()).total_seconds() / 60
    assert left - 1 <= body["estimated_wait_minutes"] <= left + 1
