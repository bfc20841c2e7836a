"""What an idle socket holds (hub.realtime.lean): the lean queue and event, and the pins on
the engine.io / uvicorn internals they stand in for."""

from __future__ import annotations

import asyncio
import inspect
import re

import pytest
from engineio import async_server as eio_server
from engineio import async_socket as eio_socket
from engineio.async_drivers import asgi as eio_asgi
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from hub.realtime import lean, managers, server
from hub.realtime.lean import LeanEvent, LeanQueue, LeanReader, LeanWebSocketProtocol
from tests.support.server import RunningHub, connect
from tests.support.world import World


async def test_the_queue_is_first_in_first_out_and_says_when_it_is_empty() -> None:
    q = LeanQueue()
    assert q.empty() and q.qsize() == 0 and not q.full()
    with pytest.raises(asyncio.QueueEmpty):
        q.get_nowait()
    for i in range(100):  # past the compaction point, and back to empty
        await q.put(i)
    assert [q.get_nowait() for _ in range(60)] == list(range(60))
    q.put_nowait(100)
    assert [await q.get() for _ in range(41)] == list(range(60, 101))
    assert q.empty()


async def test_a_getter_waits_for_a_put_and_getters_are_served_in_turn() -> None:
    q = LeanQueue()
    first = asyncio.create_task(q.get())
    second = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    assert not first.done()
    q.put_nowait("a")
    q.put_nowait("b")
    assert await first == "a"
    assert await second == "b"


async def test_a_woken_getter_that_is_cancelled_passes_the_item_on() -> None:
    q = LeanQueue()
    first = asyncio.create_task(q.get())
    second = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    q.put_nowait("x")  # wakes the first …
    first.cancel()  # … which is cancelled before it runs
    assert await second == "x"
    with pytest.raises(asyncio.CancelledError):
        await first


async def test_join_waits_for_every_task_done() -> None:
    q = LeanQueue()
    await q.join()  # nothing unfinished
    q.put_nowait(1)
    q.put_nowait(2)
    joined = asyncio.create_task(q.join())
    q.get_nowait()
    q.task_done()
    await asyncio.sleep(0)
    assert not joined.done()
    q.get_nowait()
    q.task_done()
    await asyncio.wait_for(joined, 1)
    with pytest.raises(ValueError):
        q.task_done()


async def test_the_event_wakes_its_waiters_and_can_be_cleared() -> None:
    ev = LeanEvent()
    assert not ev.is_set()
    waiter = asyncio.create_task(ev.wait())
    await asyncio.sleep(0)
    ev.set()
    assert await waiter is True
    ev.clear()
    assert not ev.is_set()
    cancelled = asyncio.create_task(ev.wait())
    await asyncio.sleep(0)
    cancelled.cancel()
    await asyncio.gather(cancelled, return_exceptions=True)
    ev.set()
    assert await ev.wait() is True


def _used(source: str, name: str) -> set[str]:
    return set(re.findall(rf"\b{name}\.(\w+)", source))


def test_the_libraries_ask_no_more_of_a_queue_or_event_than_the_lean_ones_have() -> None:
    """Pins the internals: a new call on engine.io's or uvicorn's queue (or uvicorn's
    ``writable``) must be given to LeanQueue / LeanEvent before a version bump."""
    queue_api = {n for n in dir(LeanQueue) if not n.startswith("_")}
    event_api = {n for n in dir(LeanEvent) if not n.startswith("_")}
    engineio = "".join(inspect.getsource(m) for m in (eio_socket, eio_server))
    ours = "".join(inspect.getsource(m) for m in (server, managers))
    uvicorn = inspect.getsource(WebSocketsSansIOProtocol)
    assert _used(engineio + ours, "queue") <= queue_api
    assert _used(uvicorn, "self.queue") <= queue_api
    assert _used(uvicorn, "self.writable") <= event_api
    assert "self.server.create_queue()" in inspect.getsource(eio_socket.base_socket.BaseSocket)
    # what the protocol lets go of after the handshake is read only before it
    after_accept = uvicorn.split('if message["type"] == "websocket.send"')[1]
    assert "self.request" not in after_accept and "self.response" not in after_accept
    # engine.io still makes the body reader per request: dropping it is what saves memory
    assert "class AwaitablePayload" in inspect.getsource(eio_asgi.translate_request)


async def test_an_idle_socket_holds_the_lean_parts_and_still_talks(
    live: RunningHub, live_world: World
) -> None:
    client = await connect(live.url, live_world.tokens["citizen"])
    try:
        ack = await client.call("join", {"ticket_id": await live_world.new_ticket()})
        assert ack["ok"], ack
        sockets = list(live.sio.eio.sockets.values())
        assert sockets and all(type(s.queue) is LeanQueue for s in sockets)
        assert all("wsgi.input" not in env for env in live.sio.environ.values())
        protocols = [
            c for c in live.server.server_state.connections if isinstance(c, LeanWebSocketProtocol)
        ]
        assert protocols, "the hub serves websockets with hub.realtime.lean's protocol"
        for proto in protocols:
            state = vars(proto)
            assert type(state["queue"]) is LeanQueue and type(state["writable"]) is LeanEvent
            assert proto.request is None and proto.response is None
        # the websocket is read in place: no task per message waiting to be read
        readers = [t for t in asyncio.all_tasks() if "websocket_wait" in repr(t.get_coro())]
        assert readers == []
        assert all(isinstance(s, LeanReader) for s in sockets)
        ack = await client.call("join", {"ticket_id": await live_world.new_ticket()})
        assert ack["ok"], ack
    finally:
        await client.close()
    assert lean.WS_PROTOCOL.endswith(":LeanWebSocketProtocol")
