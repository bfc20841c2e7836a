"""What a Redis outage must not leave behind: sockets of ended sessions, watchers a transfer
cut off, dashboards whose boards missed deltas.

Two real processes on one PostgreSQL and one Redis that the test kills and restarts
(see ``test_redis_outage.py``); ``SESSION_RECHECK`` keeps its default (60 s), so what
happens here within seconds is the re-check each process runs when it re-subscribes.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from sqlalchemy import update

from hub.clock import utcnow
from hub.models import AuthSession, User
from hub.queues.board import Board
from tests.queues.helpers import DELTAS, Q
from tests.scale.cluster import Cluster, until
from tests.support.redis_server import RedisServer
from tests.support.server import Client, connect
from tests.support.world import World

#: The promise: within this long after Redis is back, every process has caught up.
CATCH_UP = 2.0


async def degraded(cluster: Cluster) -> bool:
    return all(r["checks"].get("redis") == "down" for r in await cluster.ready())


async def closed_by(client: Client, deadline: float, what: str) -> None:
    await until(
        lambda: not client.sio.connected, timeout=max(deadline - time.monotonic(), 0.1), what=what
    )


async def test_sessions_ended_during_an_outage_lose_their_sockets_everywhere_when_redis_returns(
    cluster: Cluster, world: World, redis: RedisServer
) -> None:
    # Each person holds a socket on each process.
    ended = ("citizen", "staff", "fo")
    sockets = {
        name: [await connect(n.url, world.tokens[name]) for n in cluster.nodes] for name in ended
    }
    bystanders = [await connect(n.url, world.tokens["approver"]) for n in cluster.nodes]
    try:
        redis.kill()
        await until(lambda: degraded(cluster), what="Redis seen down", timeout=10)

        # A logout through process 1: its own socket there is closed at once…
        async with cluster[0].http(world.tokens["citizen"]) as http:
            assert (await http.post("/api/auth/logout")).status_code == 200
        await closed_by(sockets["citizen"][0], time.monotonic() + CATCH_UP, "local logout")
        # …an account deactivated, and every session of another revoked (what a password
        # reset does), both in the database: no control message at all.
        async with world.hub.unit() as unit:
            await unit.session.execute(
                update(User).where(User.id == world.users["staff"]).values(is_active=False)
            )
            await unit.session.execute(
                update(AuthSession)
                .where(AuthSession.user_id == world.users["fo"])
                .values(revoked_at=utcnow())
            )
        # The logout's message could not reach process 2.
        assert sockets["citizen"][1].sio.connected

        redis.restart()
        deadline = time.monotonic() + CATCH_UP
        for name in ended:
            for i, client in enumerate(sockets[name]):
                await closed_by(client, deadline, f"{name}'s socket on process {i + 1}")
        assert all(c.sio.connected for c in bystanders)
        ack = await bystanders[1].call("join", {"ticket_id": await world.new_ticket()})
        assert ack["ok"], ack
    finally:
        for c in [*bystanders, *(c for cs in sockets.values() for c in cs)]:
            if c.sio.connected:
                await c.close()


@pytest.mark.parametrize("outage", ["killed", "hung"])
async def test_a_transfer_during_an_outage_cuts_off_the_old_office_on_its_own_process_at_once(
    cluster: Cluster, world: World, redis: RedisServer, outage: str
) -> None:
    ticket_id = await world.new_ticket(office="kel_a")
    other_ticket = await world.new_ticket(office="kel_a")
    old = await connect(cluster[0].url, world.tokens["fo"])  # the old office, on process 1
    citizen = await connect(cluster[0].url, world.tokens["citizen"])
    try:
        assert (await old.call("join", {"ticket_id": ticket_id}))["ok"]
        assert (await citizen.call("join", {"ticket_id": ticket_id}))["ok"]
        if outage == "killed":
            redis.kill()
            await until(lambda: degraded(cluster), what="Redis seen down", timeout=10)
        else:
            redis.pause()  # up but answering nothing: every call to it waits for a timeout

        async with cluster[0].http(world.tokens["spv"]) as http:  # through the same process
            transfer = asyncio.create_task(
                http.post(
                    f"/api/tickets/{ticket_id}/transfer",
                    json={"version": 1, "to_office_id": world.offices["kel_b"], "note": "Pindah"},
                )
            )
            # Told at once: nothing on this process waits for Redis first.
            revoked = await old.wait_for("ticket_revoked", timeout=1.0)
            assert revoked == {"ticket_id": ticket_id}
            r = await transfer
            assert r.status_code == 200, r.text
        redis.resume()  # (a send waits long on a hung Redis; the rest is about process 1)
        sent = await citizen.call(
            "send", {"ticket_id": ticket_id, "client_id": "after-transfer", "body": "rahasia"}
        )
        assert sent["ok"], sent
        # A round trip of the old officer's own: anything sent to it before is already here.
        assert (await old.call("join", {"ticket_id": other_ticket}))["ok"]
        seqs = [e["seq"] for e in old.events("ticket_event") if e["ticket_id"] == ticket_id]
        assert sent["event"]["seq"] not in seqs
        refused = await old.call("join", {"ticket_id": ticket_id})
        assert refused["error"]["code"] == "not_found"
    finally:
        redis.resume()
        await old.close()
        await citizen.close()


def board_since_last_snapshot(client: Client) -> Board | None:
    """The dashboard as the page keeps it: the latest ``queue_snapshot``, then the deltas."""
    board: Board | None = None
    for event, data in client.received.get(Q, []):
        if event == "queue_snapshot":
            board = Board.from_snapshot(data["snapshot"])
        elif board is not None and event in DELTAS:
            board.apply(event, data)
    return board


async def snapshot_of(url: str, token: str, office_id: int) -> dict[str, Any]:
    client = await connect(url, token, namespaces=(Q,))
    try:
        ack = await client.call("watch", {"office_id": office_id}, namespace=Q)
        assert ack["ok"], ack
        return dict(ack["snapshot"])
    finally:
        await client.close()


async def test_a_dashboard_gets_a_fresh_board_after_an_outage(
    cluster: Cluster, world: World, redis: RedisServer
) -> None:
    office = world.offices["kec"]
    dashboard = await connect(cluster[1].url, world.tokens["spv"], namespaces=(Q,))
    try:
        ack = await dashboard.call("watch", {"office_id": office}, namespace=Q)
        assert ack["ok"], ack
        redis.kill()
        await until(lambda: degraded(cluster), what="Redis seen down", timeout=10)

        # Process 1 changes the queue; process 2's dashboard misses the deltas.
        async with cluster[0].http(world.tokens["citizen"]) as http:
            r = await http.post(
                "/api/tickets", json={"service_code": "SKTM", "office_id": world.offices["kel_a"]}
            )
            assert r.status_code == 201, r.text
            created = r.json()["ticket"]["id"]
        assert not [d for e, d in dashboard.received.get(Q, []) if e == "queue_ticket"]

        # Only a snapshot sent after Redis is back counts: the process may have sent one
        # earlier (its first subscription can complete after the watch).
        before = len(dashboard.events("queue_snapshot", namespace=Q))
        redis.restart()
        await until(
            lambda: len(dashboard.events("queue_snapshot", namespace=Q)) > before,
            timeout=CATCH_UP + 1,
            what="a fresh board after Redis is back",
        )
        snap = dashboard.events("queue_snapshot", namespace=Q)[-1]
        assert created in [t["id"] for t in snap["snapshot"]["tickets"]]
        truth = await snapshot_of(cluster[0].url, world.tokens["spv"], office)
        board = board_since_last_snapshot(dashboard)
        assert board is not None
        shown = board.entities()
        for key in ("tickets", "officers", "calls"):
            assert shown[key] == truth[key], key
    finally:
        await dashboard.close()
