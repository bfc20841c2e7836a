"""Redis is a speed-up, the database is the truth: Redis dies mid-conversation and comes back."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from hub.timeline import events_between
from tests.scale.cluster import Cluster, until
from tests.support.chat_client import NS, ChatClient
from tests.support.redis_server import RedisServer
from tests.support.server import connect
from tests.support.world import World


async def stored_comments(world: World, ticket_id: int) -> dict[int, str | None]:
    """seq → client_id of every comment in the database."""
    async with world.hub.reader() as session:
        rows = await events_between(session, ticket_id, 0, 10_000)
    return {e.seq: e.client_id for e in rows if e.kind == "comment"}


async def readiness(cluster: Cluster) -> list[tuple[str, str]]:
    return [(r["status"], r["checks"].get("redis", "")) for r in await cluster.ready()]


async def raw_send(client: ChatClient, client_id: str, body: str) -> dict[str, Any]:
    assert client.sio is not None
    ack: dict[str, Any] = await client.sio.call(
        "send",
        {"ticket_id": client.ticket_id, "client_id": client_id, "body": body},
        namespace=NS,
        timeout=15,
    )
    return ack


def held(client: ChatClient) -> dict[int, str | None]:
    return {s: e["client_id"] for s, e in client.timeline.items() if e["kind"] == "comment"}


async def test_nothing_acknowledged_is_lost_while_redis_is_down_and_back(
    cluster: Cluster, world: World, redis: RedisServer
) -> None:
    ticket_id = await world.new_ticket()
    officer = ChatClient(cluster[0].url, world.tokens["fo"], ticket_id)
    citizen = ChatClient(cluster[1].url, world.tokens["citizen"], ticket_id)
    await officer.connect()
    await citizen.connect()
    try:
        for i in range(3):
            await officer.say(f"sebelum {i}")
            await citizen.say(f"before {i}")
        await until(lambda: len(held(officer)) == len(held(citizen)) == 6, what="first six")

        redis.kill()
        await until(lambda: _all_degraded(cluster), what="/readyz degraded on both", timeout=10)
        acked: dict[int, str] = {}
        for i in range(10):
            sender = officer if i % 2 else citizen
            started = time.monotonic()
            ack = await raw_send(sender, f"outage-{i:04d}", f"saat Redis mati {i}")
            # Bounded: an emit that cannot reach Redis gives up instead of stalling the ack.
            assert time.monotonic() - started < 5.0
            if ack["ok"]:
                acked[ack["event"]["seq"]] = f"outage-{i:04d}"
            else:
                assert ack["error"]["code"] == "unavailable", ack
        assert acked, "the rate limiter fails open: sends still commit"
        stored = await stored_comments(world, ticket_id)
        assert all(stored.get(seq) == cid for seq, cid in acked.items())

        redis.restart()
        await until(lambda: _all_ready(cluster), what="/readyz ready again", timeout=10)
        # Each process re-subscribed by itself and re-sent each room its latest event:
        # both clients saw the gap and filled it by seq, with no new message needed.
        stored = await stored_comments(world, ticket_id)
        for client in (officer, citizen):
            await until(lambda c=client: held(c) == stored, what="gap filled", timeout=10)

        # And live fan-out across processes works again.
        await officer.say("Redis kembali")
        await until(lambda: len(held(citizen)) == len(stored) + 1, what="live again")
        final = await stored_comments(world, ticket_id)
        assert held(officer) == held(citizen) == final
        assert len(set(final.values())) == len(final) == 6 + len(acked) + 1
    finally:
        await officer.disconnect()
        await citizen.disconnect()


async def _all_degraded(cluster: Cluster) -> bool:
    return await readiness(cluster) == [("degraded", "down")] * len(cluster.nodes)


async def _all_ready(cluster: Cluster) -> bool:
    return await readiness(cluster) == [("ready", "ok")] * len(cluster.nodes)


async def test_taken_off_a_ticket_during_an_outage_gets_nothing_after(
    cluster: Cluster, world: World, redis: RedisServer
) -> None:
    ticket_id = await world.new_ticket(office="kel_a")
    old = await connect(cluster[1].url, world.tokens["fo"])  # the old office, on process 2
    citizen = await connect(cluster[0].url, world.tokens["citizen"])
    try:
        assert (await old.call("join", {"ticket_id": ticket_id}))["ok"]
        assert (await citizen.call("join", {"ticket_id": ticket_id}))["ok"]

        redis.kill()
        # The transfer goes through process 1; its "re-check the watchers" control
        # message cannot reach process 2 while Redis is down.
        async with cluster[0].http(world.tokens["spv"]) as http:
            r = await http.post(
                f"/api/tickets/{ticket_id}/transfer",
                json={"version": 1, "to_office_id": world.offices["kel_b"], "note": "Pindah"},
            )
            assert r.status_code == 200, r.text
            transfer_seq = r.json()["ticket"]["last_seq"]
        assert old.events("ticket_revoked") == []

        redis.restart()
        # Process 2 re-subscribes and re-checks every local room against the database.
        async with asyncio.timeout(10):
            assert await old.wait_for("ticket_revoked", timeout=10) == {"ticket_id": ticket_id}
        ack = await citizen.call(
            "send", {"ticket_id": ticket_id, "client_id": "after-outage", "body": "rahasia"}
        )
        assert ack["ok"], ack
        new = await connect(cluster[1].url, world.tokens["fo_b"])
        try:
            assert (await new.call("join", {"ticket_id": ticket_id}))["ok"]
            last = await citizen.call(
                "send", {"ticket_id": ticket_id, "client_id": "after-outage-2", "body": "lagi"}
            )
            # The new office's officer, on the same process as the old one, gets it live…
            await new.wait_for("ticket_event", lambda e: e["seq"] == last["event"]["seq"])
        finally:
            await new.close()
        # …the old one got nothing of the ticket after the transfer.
        assert all(e["seq"] < transfer_seq for e in old.events("ticket_event"))
        refused = await old.call("join", {"ticket_id": ticket_id})
        assert refused["error"]["code"] == "not_found"
    finally:
        await old.close()
        await citizen.close()
