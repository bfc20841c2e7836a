"""Nobody where they don't belong: outsiders refused; a moved ticket cuts its watchers off."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.server import RunningHub, connect
from tests.support.world import World

pytestmark = pytest.mark.both_dbs

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def test_outsiders_are_refused_on_join_send_history_and_download(
    live: RunningHub, live_world: World
) -> None:
    tid = await live_world.new_ticket()
    async with live.http(live_world.tokens["citizen"]) as http:
        up = await http.post(f"/api/tickets/{tid}/attachments?name=ktp.png", content=PNG)
        assert up.status_code == 201, up.text
        url = up.json()["attachment"]["url"]
    owner = await connect(live.url, live_world.tokens["citizen"])
    await owner.call("join", {"ticket_id": tid})
    for outsider in ("citizen2", "fo_b", "spv_other"):
        client = await connect(live.url, live_world.tokens[outsider])
        try:
            for event, data in (
                ("join", {"ticket_id": tid}),
                ("send", {"ticket_id": tid, "client_id": "intrude-01", "body": "halo"}),
                ("history", {"ticket_id": tid}),
                ("missing", {"ticket_id": tid, "after_seq": 0}),
                ("read", {"ticket_id": tid, "seq": 1}),
                ("typing", {"ticket_id": tid}),
            ):
                ack = await client.call(event, data)
                assert ack["ok"] is False and ack["error"]["code"] == "not_found", (outsider, event)
        finally:
            await client.close()
        async with live.http(live_world.tokens[outsider]) as http:
            assert (await http.get(url)).status_code == 404
            r = await http.post(f"/api/tickets/{tid}/attachments?name=x.png", content=PNG)
            assert r.status_code == 404
    # the owner saw nothing from them
    history = await owner.call("history", {"ticket_id": tid})
    assert [e["kind"] for e in history["events"]] == ["created"]
    await owner.close()


async def test_admin_reads_but_does_not_speak(live: RunningHub, live_world: World) -> None:
    tid = await live_world.new_ticket()
    admin = await connect(live.url, live_world.tokens["admin"])
    try:
        assert (await admin.call("join", {"ticket_id": tid}))["ok"]
        ack = await admin.call("send", {"ticket_id": tid, "client_id": "admin-0001", "body": "x"})
        assert ack["error"]["code"] == "forbidden"
    finally:
        await admin.close()


async def test_moving_a_ticket_cuts_the_old_office_off_within_two_seconds(
    live: RunningHub, live_world: World
) -> None:
    await live_world.new_ticket(citizen="citizen2", office="kel_b")  # A-001 is taken at kel_b
    tid = await live_world.new_ticket(office="kel_a")
    old = await connect(live.url, live_world.tokens["fo"])
    new = await connect(live.url, live_world.tokens["fo_b"])
    citizen = await connect(live.url, live_world.tokens["citizen"])
    try:
        assert (await old.call("join", {"ticket_id": tid}))["ok"]
        async with live.http(live_world.tokens["spv"]) as http:
            r = await http.post(
                f"/api/tickets/{tid}/transfer",
                json={
                    "version": 1,
                    "to_office_id": live_world.offices["kel_b"],
                    "note": "Salah kelurahan",
                },
            )
            assert r.status_code == 200, r.text
            assert r.json()["ticket"]["queue"] == "A-002"  # queues anew at the new office
        async with asyncio.timeout(2):
            revoked = await old.wait_for("ticket_revoked")
        assert revoked == {"ticket_id": tid}
        assert (await new.call("join", {"ticket_id": tid}))["ok"]
        await citizen.call("join", {"ticket_id": tid})
        ack = await citizen.call(
            "send", {"ticket_id": tid, "client_id": "after-move", "body": "rahasia"}
        )
        assert ack["ok"]
        await new.wait_for("ticket_event", lambda e: e["seq"] == ack["event"]["seq"])
        assert all(e["seq"] != ack["event"]["seq"] for e in old.events("ticket_event"))
        rejoin = await old.call("join", {"ticket_id": tid})
        assert rejoin["error"]["code"] == "not_found"
    finally:
        for c in (old, new, citizen):
            await c.close()
