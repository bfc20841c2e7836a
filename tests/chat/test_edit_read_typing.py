"""Editing and deleting one's own comment, read receipts, the typing indicator."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from hub.clock import utcnow
from hub.models import TicketEvent
from tests.support.server import RunningHub, connect
from tests.support.world import World

pytestmark = pytest.mark.both_dbs


async def test_edit_and_delete_own_comment_keep_the_original_for_audit(
    live: RunningHub, live_world: World
) -> None:
    tid = await live_world.new_ticket()
    citizen = await connect(live.url, live_world.tokens["citizen"])
    officer = await connect(live.url, live_world.tokens["fo"])
    try:
        await officer.call("join", {"ticket_id": tid})
        sent = await citizen.call(
            "send", {"ticket_id": tid, "client_id": "typo-00001", "body": "Saya lahir 1909"}
        )
        seq = sent["event"]["seq"]
        # not someone else's comment
        assert (await officer.call("edit", {"ticket_id": tid, "seq": seq, "body": "x"}))["error"][
            "code"
        ] == "forbidden"
        edit = await citizen.call("edit", {"ticket_id": tid, "seq": seq, "body": "Saya lahir 1990"})
        assert edit["ok"] and edit["event"]["kind"] == "comment_edited"
        assert edit["event"]["payload"] == {"target_seq": seq, "body": "Saya lahir 1990"}
        await officer.wait_for("ticket_event", lambda e: e["kind"] == "comment_edited")
        page = await officer.call("history", {"ticket_id": tid})
        original = next(e for e in page["events"] if e["seq"] == seq)
        assert original["payload"]["body"] == "Saya lahir 1990" and original["payload"]["edited"]
        assert "_audit" not in original["payload"]
        deleted = await citizen.call("delete", {"ticket_id": tid, "seq": seq})
        assert deleted["ok"] and deleted["event"]["payload"] == {"target_seq": seq}
        page = await officer.call("history", {"ticket_id": tid})
        original = next(e for e in page["events"] if e["seq"] == seq)
        assert original["payload"]["deleted"] and original["payload"]["body"] == ""
        async with live.hub.reader() as session:
            row = await session.scalar(
                select(TicketEvent).where(TicketEvent.ticket_id == tid, TicketEvent.seq == seq)
            )
        assert row is not None
        assert [a["body"] for a in row.payload["_audit"]] == ["Saya lahir 1909", "Saya lahir 1990"]
    finally:
        await citizen.close()
        await officer.close()


async def test_edit_window_is_fifteen_minutes(live: RunningHub, live_world: World) -> None:
    tid = await live_world.new_ticket()
    citizen = await connect(live.url, live_world.tokens["citizen"])
    try:
        sent = await citizen.call(
            "send", {"ticket_id": tid, "client_id": "old-000001", "body": "lama"}
        )
        async with live.hub.unit() as unit:
            await unit.session.execute(
                update(TicketEvent)
                .where(TicketEvent.ticket_id == tid, TicketEvent.seq == sent["event"]["seq"])
                .values(created_at=utcnow() - timedelta(minutes=16))
            )
        ack = await citizen.call(
            "edit", {"ticket_id": tid, "seq": sent["event"]["seq"], "body": "baru"}
        )
        assert ack["error"]["code"] == "forbidden"
    finally:
        await citizen.close()


async def test_read_receipts_tell_the_citizen_the_officer_read(
    live: RunningHub, live_world: World
) -> None:
    tid = await live_world.new_ticket()
    citizen = await connect(live.url, live_world.tokens["citizen"])
    officer = await connect(live.url, live_world.tokens["fo"])
    try:
        await citizen.call("join", {"ticket_id": tid})
        sent = await citizen.call(
            "send", {"ticket_id": tid, "client_id": "read-00001", "body": "Halo"}
        )
        ack = await officer.call("read", {"ticket_id": tid, "seq": sent["event"]["seq"]})
        assert ack["ok"] and ack["seq"] == sent["event"]["seq"]
        receipt = await citizen.wait_for("read", lambda r: r["reader"]["role"] == "front_office")
        assert receipt["seq"] == sent["event"]["seq"]
        # never backwards, never past the end
        assert (await officer.call("read", {"ticket_id": tid, "seq": 1}))["seq"] == sent["event"][
            "seq"
        ]
        assert (await officer.call("read", {"ticket_id": tid, "seq": 999}))["seq"] == sent["event"][
            "seq"
        ]
        joined = await citizen.call("join", {"ticket_id": tid})
        assert any(r["reader"]["role"] == "front_office" for r in joined["reads"])
    finally:
        await citizen.close()
        await officer.close()


async def test_typing_is_relayed_throttled_and_expires(live: RunningHub, live_world: World) -> None:
    tid = await live_world.new_ticket()
    citizen = await connect(live.url, live_world.tokens["citizen"])
    officer = await connect(live.url, live_world.tokens["fo"])
    try:
        await officer.call("join", {"ticket_id": tid})
        first = await citizen.call("typing", {"ticket_id": tid})
        second = await citizen.call("typing", {"ticket_id": tid})
        assert first["sent"] is True and second["sent"] is False  # throttled
        typing = await officer.wait_for("typing")
        assert typing["who"]["id"] == live_world.users["citizen"] and typing["expires_in"] > 0
        stop = await citizen.call("typing", {"ticket_id": tid, "typing": False})
        assert stop["sent"] is True
        history = await officer.call("history", {"ticket_id": tid})
        assert [e["kind"] for e in history["events"]] == ["created"]  # typing is never stored
    finally:
        await citizen.close()
        await officer.close()
