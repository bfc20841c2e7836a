"""The 64 KiB cap per event holds on every namespace: ``too_large`` in the ack, the socket
stays. A single message over the transport's hard limit (engine.io
``max_http_buffer_size``, 1,000,000 bytes) closes the connection instead."""

from __future__ import annotations

import asyncio

from tests.support.server import RunningHub, connect
from tests.support.world import World

PAD = "x" * (100 * 1024)
NAMESPACES = {
    "/tickets": "send",
    "/calls": "invite",
    "/notifications": "mark_read",
    "/queues": "watch",
}


async def test_an_event_over_the_cap_is_too_large_on_every_namespace(
    live: RunningHub, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    client = await connect(live.url, live_world.tokens["spv"], namespaces=tuple(NAMESPACES))
    try:
        for ns, event in NAMESPACES.items():
            for body in (
                {"ticket_id": ticket_id, "client_id": "c-1", "body": PAD},
                PAD,
                [PAD],
            ):
                ack = await client.call(event, body, namespace=ns)
                assert ack["error"]["code"] == "too_large", (ns, event, ack)
            ack = await client.call("no_such_event", {"pad": PAD}, namespace=ns)
            assert ack["error"]["code"] == "too_large", (ns, ack)
            ack = await client.call("no_such_event", {}, namespace=ns)  # still usable
            assert ack["error"]["code"] == "invalid", (ns, ack)
        assert client.sio.connected and not client.gone.is_set()
    finally:
        await client.close()


async def test_a_message_over_the_transport_limit_closes_the_connection(
    live: RunningHub, live_world: World
) -> None:
    client = await connect(live.url, live_world.tokens["citizen"])
    try:
        await client.sio.emit("send", {"body": "x" * 1_100_000}, namespace="/tickets")
        async with asyncio.timeout(10):
            await client.gone.wait()
    finally:
        await client.close()
