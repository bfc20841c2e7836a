"""Sending comments: acks after commit, idempotency, the server decides, limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.server import RunningHub, connect, make_settings, run_hub
from tests.support.world import World, build_world

pytestmark = pytest.mark.both_dbs


async def test_ack_carries_the_stored_event_and_watchers_receive_it(
    live: RunningHub, live_world: World
) -> None:
    tid = await live_world.new_ticket()
    citizen = await connect(live.url, live_world.tokens["citizen"])
    officer = await connect(live.url, live_world.tokens["fo"])
    try:
        assert (await officer.call("join", {"ticket_id": tid}))["ok"]
        ack = await citizen.call(
            "send", {"ticket_id": tid, "client_id": "c-0000001", "body": "  Selamat pagi, Bu  "}
        )
        assert ack["ok"] and ack["duplicate"] is False
        ev = ack["event"]
        assert ev["seq"] == 2 and ev["kind"] == "comment"
        assert ev["payload"]["body"] == "Selamat pagi, Bu"
        assert ev["actor"] == {
            "id": live_world.users["citizen"],
            "name": "Uji citizen",
            "role": "citizen",
        }
        assert ev["created_at"].endswith("Z")
        live_ev = await officer.wait_for("ticket_event", lambda e: e["seq"] == 2)
        assert live_ev == ev
    finally:
        await citizen.close()
        await officer.close()


async def test_resending_a_client_id_stores_once_and_acks_the_same_event(
    live: RunningHub, live_world: World
) -> None:
    tid = await live_world.new_ticket()
    citizen = await connect(live.url, live_world.tokens["citizen"])
    officer = await connect(live.url, live_world.tokens["fo"])
    try:
        await officer.call("join", {"ticket_id": tid})
        msg = {"ticket_id": tid, "client_id": "retry-abc-1", "body": "Berkas sudah saya kirim"}
        first = await citizen.call("send", msg)
        second = await citizen.call("send", msg)
        assert second["duplicate"] is True and second["event"] == first["event"]
        # another speaker may use the same client id: it is scoped per speaker
        other = await officer.call("send", {**msg, "body": "Baik, terima kasih"})
        assert other["event"]["seq"] == first["event"]["seq"] + 1
        await officer.wait_for("ticket_event", lambda e: e["seq"] == 3)
        comments = [e for e in officer.events("ticket_event") if e["kind"] == "comment"]
        assert [e["seq"] for e in comments] == [2, 3]  # the resend published nothing
    finally:
        await citizen.close()
        await officer.close()


async def test_the_server_decides_author_time_ticket_and_seq(
    live: RunningHub, live_world: World
) -> None:
    tid = await live_world.new_ticket()
    citizen = await connect(live.url, live_world.tokens["citizen"])
    try:
        for forged in ({"seq": 99}, {"author": "Lurah"}, {"created_at": "2020-01-01T00:00:00Z"}):
            ack = await citizen.call(
                "send", {"ticket_id": tid, "client_id": "forge-0001", "body": "hai", **forged}
            )
            assert ack["ok"] is False and ack["error"]["code"] == "invalid"
        history = await citizen.call("history", {"ticket_id": tid})
        assert [e["kind"] for e in history["events"]] == ["created"]
    finally:
        await citizen.close()


async def test_body_limits_and_cleaning(live: RunningHub, live_world: World) -> None:
    tid = await live_world.new_ticket()
    citizen = await connect(live.url, live_world.tokens["citizen"])
    try:

        async def send(body: object, cid: str) -> dict[str, object]:
            ack: dict[str, object] = await citizen.call(
                "send", {"ticket_id": tid, "client_id": cid, "body": body}
            )
            return ack

        assert (await send("   \n\t ", "empty-0001"))["error"]["code"] == "invalid"  # type: ignore[index]
        assert (await send("x" * 4001, "long-00001"))["error"]["code"] == "invalid"  # type: ignore[index]
        assert (await send(12345, "type-00001"))["error"]["code"] == "invalid"  # type: ignore[index]
        assert (await send("ok", "bad id!"))["error"]["code"] == "invalid"  # type: ignore[index]
        assert (await send("x" * 4000, "max-000001"))["ok"] is True
        ack = await send("a\x00b\x07c\u202ed\n<script>alert(1)</script>", "clean-0001")
        body = ack["event"]["payload"]["body"]  # type: ignore[index]
        assert body == "abcd\n<script>alert(1)</script>"  # stored as text; pages render it escaped
    finally:
        await citizen.close()


async def test_comment_rate_limit_says_when_to_retry(sqlite_url: str, tmp_path: Path) -> None:
    settings = make_settings(
        sqlite_url, tmp_path / "var", COMMENT_BURST="3", COMMENT_PER_SECOND="0.5"
    )
    async with run_hub(settings) as live:
        world = await build_world(live.hub)
        tid = await world.new_ticket()
        citizen = await connect(live.url, world.tokens["citizen"])
        try:
            acks = [
                await citizen.call(
                    "send", {"ticket_id": tid, "client_id": f"rate-000{i}", "body": f"{i}"}
                )
                for i in range(4)
            ]
            assert [a["ok"] for a in acks] == [True, True, True, False]
            assert acks[3]["error"]["code"] == "rate_limited"
            assert 0 < acks[3]["error"]["retry_after"] <= 2
            # a resend of an already stored comment is never limited
            again = await citizen.call(
                "send", {"ticket_id": tid, "client_id": "rate-0000", "body": "0"}
            )
            assert again["ok"] and again["duplicate"]
        finally:
            await citizen.close()
