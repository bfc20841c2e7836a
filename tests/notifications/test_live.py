"""Live delivery over real sockets: every device of a user, nobody else, not the watcher."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from hub.tickets import views
from notifications.watching import REFRESH, watch_key
from tests.notifications.helpers import rows_of, runtime_of, say
from tests.support.server import Client, RunningHub, connect
from tests.support.world import World

NS = "/notifications"
#: The task of the notifications runtime that runs every REFRESH seconds of the hub's clock.
TICKER = "notifications-ticker"


async def inbox_client(live: RunningHub, world: World, who: str) -> Client:
    return await connect(live.url, world.tokens[who], namespaces=(NS, "/tickets"))


def for_ticket(ticket_id: int) -> Any:
    return lambda d: d["ticket_id"] == ticket_id


async def test_two_devices_see_the_notification_and_sync_read(
    live: RunningHub, live_world: World
) -> None:
    phone = await inbox_client(live, live_world, "citizen")
    laptop = await inbox_client(live, live_world, "citizen")
    try:
        ticket = await live_world.new_ticket()
        await say(live_world, "fo", ticket, "Berkas sudah kami terima")
        await say(live_world, "fo", ticket, "Mohon tunggu")
        for device in (phone, laptop):
            n = await device.wait_for("notification", lambda d: d["count"] == 2, namespace=NS)
            assert n["ticket_id"] == ticket and n["title"].startswith("2 pesan baru di ")
            await device.wait_for("counts", lambda d: d["total"] == 2, namespace=NS)
        ack = await phone.call("sync", {}, namespace=NS)
        assert ack["ok"] and ack["counts"]["tickets"] == [{"ticket_id": ticket, "unread": 2}]
        (item,) = ack["notifications"]
        assert item["read"] is False and ack["next_cursor"] is None

        ack = await phone.call("mark_read", {"ticket_id": ticket}, namespace=NS)
        assert ack == {"ok": True, "read": [item["id"]], "counts": {"total": 0, "tickets": []}}
        for device in (phone, laptop):
            await device.wait_for("counts", lambda d: d["total"] == 0, namespace=NS)
            await device.wait_for("read", lambda d: d["ids"] == [item["id"]], namespace=NS)
        (row,) = await rows_of(live.hub, live_world.users["citizen"])
        assert row.read_at is not None and row.delivered_live_at is not None
    finally:
        await phone.close()
        await laptop.close()


async def test_an_outsider_never_receives_another_users_notifications(
    live: RunningHub, live_world: World
) -> None:
    citizen = await inbox_client(live, live_world, "citizen")
    outsider = await inbox_client(live, live_world, "citizen2")
    officer_b = await inbox_client(live, live_world, "fo_b")
    try:
        mine = await live_world.new_ticket()
        await say(live_world, "citizen", mine, "Pesan rahasia saya")  # → fo
        await say(live_world, "fo", mine, "Balasan untuk Anda")  # → citizen
        await citizen.wait_for("notification", for_ticket(mine), namespace=NS)
        # Something for the outsider afterwards: events reach a socket in order, so once
        # this arrives anything leaked earlier would have arrived too.
        theirs = await live_world.new_ticket("citizen2")
        await say(live_world, "fo", theirs, "Untuk warga kedua")
        await outsider.wait_for("notification", for_ticket(theirs), namespace=NS)
        for event in ("notification", "counts", "read"):
            for data in outsider.events(event, NS):
                assert mine not in {data.get("ticket_id")} | {
                    t["ticket_id"] for t in data.get("tickets", [])
                }
        # an officer of another kelurahan hears nothing of either ticket
        ack = await officer_b.call("sync", {}, namespace=NS)
        assert ack["notifications"] == [] and officer_b.events("notification", NS) == []
        # and cannot mark someone else's notification read
        (row,) = await rows_of(live.hub, live_world.users["citizen"])
        ack = await outsider.call("mark_read", {"id": row.id}, namespace=NS)
        assert ack["ok"] is False and ack["error"]["code"] == "not_found"
    finally:
        for c in (citizen, outsider, officer_b):
            await c.close()


async def test_a_watcher_is_not_notified_a_non_watcher_is(
    live: RunningHub, live_world: World
) -> None:
    citizen = await inbox_client(live, live_world, "citizen")
    try:
        watched = await live_world.new_ticket()
        other = await live_world.new_ticket()
        ack = await citizen.call("join", {"ticket_id": watched})
        assert ack["ok"]
        await say(live_world, "fo", watched, "Anda sedang melihat tiket ini")
        await say(live_world, "fo", other, "Tiket lain")
        await citizen.wait_for("notification", for_ticket(other), namespace=NS)
        assert [n["ticket_id"] for n in citizen.events("notification", NS)] == [other]
        # the comment itself did arrive live on the ticket's room
        await citizen.wait_for("ticket_event", lambda d: d["ticket_id"] == watched)
        # after leaving, the same ticket notifies again
        assert (await citizen.call("leave", {"ticket_id": watched}))["ok"]
        await say(live_world, "fo", watched, "Sekarang Anda tidak melihat")
        await citizen.wait_for("notification", for_ticket(watched), namespace=NS)
    finally:
        await citizen.close()


async def test_closing_the_ticket_page_ends_watching(live: RunningHub, live_world: World) -> None:
    page = await connect(live.url, live_world.tokens["citizen"])
    inbox = await connect(live.url, live_world.tokens["citizen"], namespaces=(NS,))
    try:
        ticket = await live_world.new_ticket()
        assert (await page.call("join", {"ticket_id": ticket}))["ok"]
        await page.close()
        watching = runtime_of(live.sio).live.watching
        async with asyncio.timeout(10):
            await watching.until_released(watch_key(live_world.users["citizen"], ticket))
        await say(live_world, "fo", ticket, "Halo")
        await inbox.wait_for("notification", for_ticket(ticket), namespace=NS)
    finally:
        await inbox.close()


async def test_http_inbox_read_and_walk_in_has_none(live: RunningHub, live_world: World) -> None:
    from tests.support.world import receipt_token

    ticket = await live_world.new_ticket()
    await world_comment(live_world, ticket)
    async with live.http(live_world.tokens["citizen"]) as http:
        r = await http.get("/api/notifications")
        assert r.status_code == 200
        body = r.json()
        assert body["counts"]["total"] == 1 and len(body["notifications"]) == 1
        r = await http.post("/api/notifications/read", json={"all": True})
        assert r.status_code == 200 and r.json()["counts"]["total"] == 0
        r = await http.post("/api/notifications/read", json={"all": True, "id": 1})
        assert r.status_code == 422
    walk_in, _code = await live_world.walk_in()
    token = await receipt_token(live.hub, walk_in)
    async with live.http(token) as http:
        r = await http.get("/api/notifications")
        assert r.json()["notifications"] == [] and r.json()["counts"]["total"] == 0


async def world_comment(world: World, ticket: int) -> None:
    await say(world, "fo", ticket, "Halo dari kantor")


async def test_the_minute_ticker_warns_of_a_near_deadline_on_the_hubs_clock(
    live: RunningHub, live_world: World
) -> None:
    """The escalation runs once a minute of the hub's clock: moved past the instant a
    ticket becomes at risk, the desk officer's open inbox gets the warning."""
    officer = await inbox_client(live, live_world, "fo")
    try:
        ticket = await live_world.new_ticket()
        async with live.hub.reader() as session:
            t = await views.find_ticket(session, ticket)
        assert t is not None
        await live.clock.sleeping(TICKER)
        assert t.at_risk_at is not None
        await live.clock.advance_to(t.at_risk_at + timedelta(minutes=1))
        # that woke the ticker for a presence refresh; the SLA round is every other one
        await live.clock.sleeping(TICKER)
        await live.clock.advance(REFRESH)
        warned = await officer.wait_for(
            "notification", lambda d: d["kind"] == "sla_warning", namespace=NS
        )
        assert warned["ticket_id"] == ticket and "WIB" in warned["preview"]
    finally:
        await officer.close()
