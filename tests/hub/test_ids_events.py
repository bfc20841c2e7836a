"""Every socket.io event of every namespace, swept with malformed and out-of-range ids.

The events are read from the running server's namespaces (their ``on_<event>``
handlers), so a new event must say here what a valid payload looks like. Each bad id
(``true``, ``"1"``, ``1.0``, ``-1``, ``10**30``, ``2**63``, an 8,000-digit number sent
as raw JSON) is acknowledged ``invalid`` naming the field; the socket stays usable;
nothing is logged as an error or with a traceback.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from tests.support.bad_ids import (
    BAD_JSON,
    BROKEN,
    HUGE,
    field_name,
    id_paths,
    is_typed_refusal,
    names_field,
    replaced,
    send_huge_numbers,
    tracebacks,
    watched_logs,
)
from tests.support.server import Client, RunningHub, connect
from tests.support.world import World

pytestmark = pytest.mark.both_dbs

CALL_ID = "A" * 22
OFFER = {"type": "offer", "sdp": "v=0\r\n"}
Make = Callable[[World, int], list[dict[str, Any]]]

#: Who sends the namespace's events in the sweep.
SENDER = {"/tickets": "fo", "/calls": "fo", "/notifications": "citizen", "/queues": "admin"}
#: A valid payload of each event (one or more), from the world and an existing ticket.
EVENTS: dict[tuple[str, str], Make] = {
    ("/tickets", "join"): lambda w, t: [{"ticket_id": t, "after_seq": 0}],
    ("/tickets", "leave"): lambda w, t: [{"ticket_id": t}],
    ("/tickets", "send"): lambda w, t: [{"ticket_id": t, "client_id": "c-12345678", "body": "hi"}],
    ("/tickets", "history"): lambda w, t: [{"ticket_id": t, "before_seq": 2, "limit": 10}],
    ("/tickets", "missing"): lambda w, t: [{"ticket_id": t, "after_seq": 0, "before_seq": 2}],
    ("/tickets", "edit"): lambda w, t: [{"ticket_id": t, "seq": 1, "body": "x"}],
    ("/tickets", "delete"): lambda w, t: [{"ticket_id": t, "seq": 1}],
    ("/tickets", "typing"): lambda w, t: [{"ticket_id": t, "typing": True}],
    ("/tickets", "read"): lambda w, t: [{"ticket_id": t, "seq": 1}],
    ("/calls", "invite"): lambda w, t: [{"ticket_id": t, "media": "audio"}],
    ("/calls", "accept"): lambda w, t: [{"call_id": CALL_ID}],
    ("/calls", "decline"): lambda w, t: [{"call_id": CALL_ID}],
    ("/calls", "cancel"): lambda w, t: [{"call_id": CALL_ID}],
    ("/calls", "hangup"): lambda w, t: [{"call_id": CALL_ID}],
    ("/calls", "rejoin"): lambda w, t: [{"call_id": CALL_ID}],
    ("/calls", "ice_servers"): lambda w, t: [{"call_id": CALL_ID}],
    ("/calls", "offer"): lambda w, t: [{"call_id": CALL_ID, "description": OFFER}],
    ("/calls", "answer"): lambda w, t: [{"call_id": CALL_ID, "description": OFFER}],
    ("/calls", "ice"): lambda w, t: [
        {"call_id": CALL_ID, "candidate": {"candidate": "", "sdpMid": "0", "sdpMLineIndex": 0}}
    ],
    ("/calls", "echo_offer"): lambda w, t: [{"description": {**OFFER, "n": 1}}],
    ("/notifications", "sync"): lambda w, t: [{"limit": 10}],
    ("/notifications", "mark_read"): lambda w, t: [{"id": 1}, {"ticket_id": t}],
    ("/queues", "watch"): lambda w, t: [{"office_id": w.offices["kel_a"]}],
    ("/queues", "unwatch"): lambda w, t: [{"office_id": w.offices["kel_a"]}],
    ("/queues", "reassign"): lambda w, t: [
        {"ticket_id": t, "version": 1, "note": "n", "to_user_id": w.users["staff"]}
    ],
}


def live_events(live: RunningHub) -> set[tuple[str, str]]:
    out = set()
    for ns, handler in live.sio.namespace_handlers.items():
        for attr in dir(handler):
            if attr.startswith("on_") and attr not in ("on_connect", "on_disconnect"):
                out.add((ns, attr[3:]))
    return out


async def test_every_event_is_listed(live: RunningHub, live_world: World) -> None:
    assert live_events(live) == set(EVENTS), "give the new event's valid payload in EVENTS"
    assert set(SENDER) == {ns for ns, _e in EVENTS}


async def test_every_event_id_is_checked(live: RunningHub, live_world: World) -> None:
    ticket = await live_world.new_ticket()
    clients: dict[str, Client] = {}
    swept = 0
    try:
        for ns, who in SENDER.items():
            clients[ns] = await connect(live.url, live_world.tokens[who], namespaces=(ns,))
            send_huge_numbers(clients[ns].sio)
        with watched_logs() as records:
            for (ns, event), make in sorted(EVENTS.items()):
                for base in make(live_world, ticket):
                    for where in id_paths(base):
                        if where[-1] == "sdpMLineIndex":
                            continue  # an index into the SDP, checked by signaling.sdp
                        for bad in BAD_JSON:
                            what = f"{ns} {event} {field_name(where)}={str(bad)[:30]!r}"
                            payload = replaced(base, where, bad)
                            ack = await clients[ns].sio.call(
                                event, payload, namespace=ns, timeout=5
                            )
                            assert is_typed_refusal(ack, ("invalid",)), f"{what}: {ack}"
                            assert names_field(ack, field_name(where)) or where[0] in (
                                "description",
                                "candidate",
                            ), f"{what}: {ack}"
                            swept += 1
            # the sockets are still there and answer
            for ns, client in clients.items():
                assert client.sio.connected
                ack = await client.sio.call("no_such_event", {}, namespace=ns, timeout=5)
                assert ack["error"]["code"] == "invalid"
        assert swept > 150
        assert tracebacks(records) == []
    finally:
        for client in clients.values():
            await client.close()


async def test_huge_number_anywhere_in_an_event_is_invalid(
    live: RunningHub, live_world: World
) -> None:
    """Also where no id is expected (a comment body, a nested SDP field): typed, no crash."""
    ticket = await live_world.new_ticket()
    client = await connect(live.url, live_world.tokens["fo"], namespaces=("/tickets", "/calls"))
    send_huge_numbers(client.sio)
    try:
        with watched_logs() as records:
            ack = await client.sio.call(
                "send",
                {"ticket_id": ticket, "client_id": "c-12345678", "body": HUGE},
                namespace="/tickets",
                timeout=5,
            )
            assert ack["error"]["code"] == "invalid" and names_field(ack, "body")
            ack = await client.sio.call(
                "offer",
                {"call_id": CALL_ID, "description": {"type": "offer", "sdp": HUGE}},
                namespace="/calls",
                timeout=5,
            )
            assert ack["error"]["code"] == "invalid"
            ack = await client.sio.call("join", {"ticket_id": ticket}, namespace="/tickets")
            assert ack["ok"] is True
        assert tracebacks(records) == []
    finally:
        await client.close()


async def test_an_undecodable_packet_closes_only_that_connection(
    live: RunningHub, live_world: World
) -> None:
    """Malformed JSON has no event or ack id to answer: that connection is closed, with
    one warning line and no traceback; other clients carry on."""
    ticket = await live_world.new_ticket()
    broken = await connect(live.url, live_world.tokens["fo"])
    other = await connect(live.url, live_world.tokens["fo"])
    send_huge_numbers(broken.sio)
    try:
        with watched_logs() as records:
            await broken.sio.emit("join", {"ticket_id": BROKEN}, namespace="/tickets")
            async with asyncio.timeout(10):
                await broken.gone.wait()
            ack = await other.call("join", {"ticket_id": ticket})
            assert ack["ok"] is True
        assert tracebacks(records) == []
        assert any("undecodable" in r.getMessage() for r in records)
    finally:
        await broken.close()
        await other.close()
