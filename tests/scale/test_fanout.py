"""Two processes, one Redis, one PostgreSQL: what happens on one is seen on the other."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import select

from notifications.models import Notification
from tests.scale.cluster import Cluster
from tests.support.server import Client, connect
from tests.support.world import World

NOTES = "/notifications"


def bodies(client: Client, ticket_id: int) -> list[tuple[int, str]]:
    return [
        (e["seq"], e["payload"]["body"])
        for e in client.events("ticket_event")
        if e["ticket_id"] == ticket_id and e["kind"] == "comment"
    ]


async def join(client: Client, ticket_id: int) -> dict[str, Any]:
    ack = await client.call("join", {"ticket_id": ticket_id})
    assert ack["ok"], ack
    return dict(ack)


async def send(client: Client, ticket_id: int, client_id: str, body: str) -> dict[str, Any]:
    ack = await client.call("send", {"ticket_id": ticket_id, "client_id": client_id, "body": body})
    assert ack["ok"], ack
    return dict(ack["event"])


@asynccontextmanager
async def officer_and_citizen_apart(
    cluster: Cluster, world: World
) -> AsyncIterator[tuple[int, Client, Client]]:
    """A new ticket, its officer on process 0 and its citizen on process 1, both joined."""
    ticket = await world.new_ticket()
    officer = await connect(cluster[0].url, world.tokens["fo"])
    citizen = await connect(cluster[1].url, world.tokens["citizen"])
    try:
        await join(officer, ticket)
        await join(citizen, ticket)
        yield ticket, officer, citizen
    finally:
        await officer.close()
        await citizen.close()


async def test_comments_cross_processes_in_order_both_ways(cluster: Cluster, world: World) -> None:
    async with officer_and_citizen_apart(cluster, world) as (ticket, officer, citizen):
        sent = [await send(officer, ticket, f"fo-msg-{i:04d}", f"pesan {i}") for i in range(20)]
        await citizen.wait_for("ticket_event", lambda e: e["payload"].get("body") == "pesan 19")
        assert bodies(citizen, ticket) == [(e["seq"], e["payload"]["body"]) for e in sent]

        reply = await send(citizen, ticket, "citizen-0001", "terima kasih")
        got = await officer.wait_for("ticket_event", lambda e: e["seq"] == reply["seq"])
        assert got["payload"]["body"] == "terima kasih"
        assert [s for s, _ in bodies(officer, ticket)] == [e["seq"] for e in sent] + [reply["seq"]]


async def test_a_burst_reaches_the_other_process_once_each_in_seq_order(
    cluster: Cluster, world: World
) -> None:
    """Comments sent at once share batches; each batch's events cross Redis in one pipelined
    round trip. The citizen on the other process gets every one, once, in seq order."""
    async with officer_and_citizen_apart(cluster, world) as (ticket, officer, citizen):
        sent = await asyncio.gather(
            *(send(officer, ticket, f"burst-{i:03d}", f"serentak {i}") for i in range(40))
        )
        last = max(e["seq"] for e in sent)
        await citizen.wait_for("ticket_event", lambda e: e["seq"] == last)
        # A marker sent after the burst: a duplicate, if any, would arrive before it.
        marker = await send(officer, ticket, "burst-marker", "penanda")
        for client in (citizen, officer):
            await client.wait_for("ticket_event", lambda e: e["seq"] == marker["seq"])
        expected = sorted((e["seq"], e["payload"]["body"]) for e in sent)
        expected.append((marker["seq"], "penanda"))
        assert bodies(citizen, ticket) == expected
        assert bodies(officer, ticket) == expected


async def test_read_receipts_and_typing_cross_processes(cluster: Cluster, world: World) -> None:
    ticket = await world.new_ticket()
    officer = await connect(cluster[0].url, world.tokens["fo"])
    officer_tab2 = await connect(cluster[1].url, world.tokens["fo"])
    citizen = await connect(cluster[1].url, world.tokens["citizen"])
    try:
        await join(officer, ticket)
        await join(citizen, ticket)
        ev = await send(citizen, ticket, "citizen-0002", "apakah berkas saya lengkap?")

        ack = await officer.call("read", {"ticket_id": ticket, "seq": ev["seq"]})
        assert ack["ok"], ack
        read = await citizen.wait_for("read", lambda r: r["reader"]["id"] == world.users["fo"])
        assert read["seq"] == ev["seq"]

        ack = await officer.call("typing", {"ticket_id": ticket, "typing": True})
        assert ack == {"ok": True, "sent": True}
        typing = await citizen.wait_for("typing")
        assert typing["who"]["id"] == world.users["fo"] and typing["typing"] is True
        # The throttle is one bucket in Redis: the same officer on the other process
        # within 2 s is throttled too.
        ack = await officer_tab2.call("typing", {"ticket_id": ticket, "typing": True})
        assert ack == {"ok": True, "sent": False}
    finally:
        for c in (officer, officer_tab2, citizen):
            await c.close()


async def test_notification_counts_and_presence_agree(cluster: Cluster, world: World) -> None:
    ticket = await world.new_ticket()
    officer = await connect(cluster[0].url, world.tokens["fo"])
    inbox = await connect(cluster[1].url, world.tokens["citizen"], namespaces=(NOTES,))
    phone = await connect(cluster[0].url, world.tokens["citizen"], namespaces=(NOTES,))
    citizen_id = world.users["citizen"]
    try:
        await join(officer, ticket)
        await send(officer, ticket, "fo-note-0001", "mohon lampirkan KK")
        await send(officer, ticket, "fo-note-0002", "dan KTP")
        # Both devices of the citizen, on either process, see the same counts.
        for device in (inbox, phone):
            counts = await device.wait_for("counts", lambda c: c["total"] == 2, namespace=NOTES)
            assert counts["tickets"] == [{"ticket_id": ticket, "unread": 2}]
        ack = await phone.call("mark_read", {"ticket_id": ticket}, namespace=NOTES)
        assert ack["ok"] and ack["counts"]["total"] == 0, ack
        await inbox.wait_for("counts", lambda c: c["total"] == 0, namespace=NOTES)
        synced = await inbox.call("sync", {}, namespace=NOTES)
        assert synced["counts"]["total"] == 0

        # Presence is shared: while the citizen watches the ticket on process 2, a
        # comment through process 1 makes no notification (they see it live).
        watcher = await connect(cluster[1].url, world.tokens["citizen"])
        try:
            await join(watcher, ticket)
            ev = await send(officer, ticket, "fo-note-0003", "sudah kami terima")
            await watcher.wait_for("ticket_event", lambda e: e["seq"] == ev["seq"])
            async with world.hub.reader() as session:
                rows = list(
                    await session.scalars(
                        select(Notification).where(
                            Notification.user_id == citizen_id, Notification.read_at.is_(None)
                        )
                    )
                )
            assert rows == []
        finally:
            await watcher.close()
    finally:
        for c in (officer, inbox, phone):
            await c.close()
