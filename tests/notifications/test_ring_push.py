"""An incoming call reaches a citizen whose browser has no hub page open: a Web Push
(checked on a real push service on loopback), and the page it opens rings at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from hub.clock import utcnow
from notifications.ringpush import RingPusher, ring_payload, seconds_left
from notifications.watching import online_key
from signaling.ringing import RINGING_OP
from tests.notifications.helpers import runtime_of
from tests.notifications.push_receiver import Receiver, run_receiver
from tests.support.server import Client, RunningHub, connect
from tests.support.world import World

CALLS = "/calls"


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with run_receiver() as r:
        yield r


def ringer_of(live: RunningHub) -> RingPusher:
    """The hub's ring pusher (the handler of the control op)."""
    (handler,) = live.hub.publisher._handlers[RINGING_OP]  # type: ignore[attr-defined]
    pusher = handler.__self__
    assert isinstance(pusher, RingPusher)
    return pusher


async def subscribe(
    live: RunningHub, world: World, who: str, receiver: Receiver, name: str
) -> None:
    async with live.http(world.tokens[who]) as http:
        r = await http.post("/api/push/subscribe", json=receiver.device(name).subscription())
        assert r.status_code == 201, r.text


async def ring(officer: Client, ticket_id: int, media: str = "video") -> str:
    ack = await officer.call("invite", {"ticket_id": ticket_id, "media": media}, namespace=CALLS)
    assert ack["ok"] is True and ack["status"] == "ringing", ack
    return str(ack["call_id"])


async def test_a_call_to_a_closed_browser_arrives_as_a_push_that_opens_the_ticket(
    live: RunningHub, live_world: World, receiver: Receiver
) -> None:
    await subscribe(live, live_world, "citizen", receiver, "phone")
    ticket = await live_world.new_ticket()
    officer = await connect(live.url, live_world.tokens["fo"], namespaces=(CALLS,))
    try:
        call_id = await ring(officer, ticket)
        push = await receiver.next()
        assert push.device == "phone"
        headers = {k.lower(): v for k, v in push.headers.items()}
        assert headers.get("urgency") == "high", headers
        assert 0 < int(headers["ttl"]) <= 45  # it lives only as long as the ring
        payload = receiver.decrypt(push)
        assert payload["kind"] == "incoming_call"
        assert payload["url"] == f"/tickets/{ticket}"
        assert payload["tag"] == f"call-{call_id}"
        assert payload["call_id"] == call_id
        assert payload["title"] == "Panggilan video masuk"
        assert payload["body"].startswith("Uji fo · ")
        assert payload["ticket_number"] in payload["body"]
        for secret in ("6281200000001", "0812"):  # the applicant's phone never travels
            assert secret not in str(payload)

        # the page the push opens connects to /calls: it rings there, with who calls
        page = await connect(live.url, live_world.tokens["citizen"], namespaces=(CALLS,))
        try:
            ringing = await page.wait_for(
                "ringing", lambda d: d["call_id"] == call_id, namespace=CALLS
            )
            assert ringing["ticket"]["id"] == ticket
            assert ringing["caller"]["role"] == "front_office"
            ack = await page.call("accept", {"call_id": call_id}, namespace=CALLS)
            assert ack["ok"] is True and ack["status"] == "active", ack
            await officer.wait_for("accepted", namespace=CALLS)
        finally:
            await page.close()
    finally:
        await officer.close()
    await ringer_of(live).idle()
    async with live.http(live_world.tokens["citizen"]) as http:
        (device,) = (await http.get("/api/push/subscriptions")).json()["subscriptions"]
        assert device["last_success_at"] is not None


async def test_no_ring_push_while_a_hub_page_is_open_or_calls_are_turned_off(
    live: RunningHub, live_world: World, receiver: Receiver
) -> None:
    await subscribe(live, live_world, "citizen", receiver, "phone")
    ticket = await live_world.new_ticket()
    officer = await connect(live.url, live_world.tokens["fo"], namespaces=(CALLS,))
    inbox = await connect(live.url, live_world.tokens["citizen"], namespaces=("/notifications",))
    try:
        call_id = await ring(officer, ticket)
        await ringer_of(live).idle()
        assert receiver.inbox.empty()  # the open page rings; no push
        assert (await officer.call("cancel", {"call_id": call_id}, namespace=CALLS))["ok"]
    finally:
        await inbox.close()
    async with asyncio.timeout(10):
        await runtime_of(live.sio).live.online.until_released(
            online_key(live_world.users["citizen"])
        )
    try:
        # "missed_call" turned off: no call pushes at all
        async with live.http(live_world.tokens["citizen"]) as http:
            r = await http.put(
                "/api/notifications/preferences", json={"push_opt_out": ["missed_call"]}
            )
            assert r.status_code == 200, r.text
        call_id = await ring(officer, ticket)
        await ringer_of(live).idle()
        assert receiver.inbox.empty()
        assert (await officer.call("cancel", {"call_id": call_id}, namespace=CALLS))["ok"]
        async with live.http(live_world.tokens["citizen"]) as http:
            await http.put("/api/notifications/preferences", json={"push_opt_out": []})
        await ring(officer, ticket)  # the sentinel: now it is pushed
        assert receiver.decrypt(await receiver.next())["kind"] == "incoming_call"
    finally:
        await officer.close()


async def test_a_socket_that_connects_while_no_call_rings_is_not_rung(
    live: RunningHub, live_world: World
) -> None:
    ticket = await live_world.new_ticket()
    officer = await connect(live.url, live_world.tokens["fo"], namespaces=(CALLS,))
    try:
        old = await ring(officer, ticket)
        assert (await officer.call("cancel", {"call_id": old}, namespace=CALLS))["ok"]
        page = await connect(live.url, live_world.tokens["citizen"], namespaces=(CALLS,))
        try:
            new = await ring(officer, ticket)  # the sentinel
            first: Any = await page.wait_for("ringing", namespace=CALLS)
            assert first["call_id"] == new
            assert [r["call_id"] for r in page.events("ringing", CALLS)] == [new]
        finally:
            await page.close()
    finally:
        await officer.close()


def test_the_ring_payload_and_its_lifetime() -> None:
    ringing = {
        "call_id": "abc",
        "ticket": {"id": 7, "number": "BGR-BT-01-261128-007"},
        "caller": {
            "id": 3,
            "name": "Rina",
            "role": "staff",
            "office_id": 9,
            "office_name": "Kel. A",
        },
        "media": "audio",
        "ring_deadline": "2026-01-05T02:00:45Z",
    }
    payload = ring_payload(ringing)
    assert payload["title"] == "Panggilan suara masuk"
    assert payload["body"] == "Rina · Kel. A — BGR-BT-01-261128-007"
    assert payload["url"] == "/tickets/7" and payload["tag"] == "call-abc"
    now = utcnow().replace(year=2026, month=1, day=5, hour=2, minute=0, second=15, microsecond=0)
    assert seconds_left("2026-01-05T02:00:45Z", now) == 30
    assert seconds_left(None, now) == 0
