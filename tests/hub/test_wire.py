"""A room emit writes its frame straight to idle websockets (``hub.realtime.wire``), and
never ahead of what a socket still has queued or in hand.

Real clients over real sockets (uvicorn, websockets-sansio, as in production). The last
test pins the uvicorn and websockets internals that ``wire.write`` imitates.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from engineio import packet as eio_packet
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.asyncio.client import connect as ws_connect
from websockets.protocol import Protocol
from websockets.server import ServerProtocol
from websockets.typing import Origin

from hub.realtime import wire
from hub.realtime.server import LeanSocket
from hub.uow import Outgoing
from tests.hub.test_fanout_emit import NS, ROOM, eio_sid, members, probes, publisher, settle
from tests.support.server import RunningHub
from tests.support.world import World

pytestmark = pytest.mark.uncontracted


def lean_socket(live: RunningHub, client: Any) -> LeanSocket:
    socket = live.sio.eio.sockets[eio_sid(live, client)]
    assert isinstance(socket, LeanSocket)
    return socket


async def until(condition: Callable[[], bool]) -> None:
    """Until ``condition()`` holds (checked every few milliseconds; 5 s at most)."""
    async with asyncio.timeout(5):
        while not condition():  # noqa: ASYNC110 - the state polled has no event to wait on
            await asyncio.sleep(0.005)


async def idle(socket: LeanSocket) -> None:
    """Until the socket's writer waits, empty-handed, for its next packet."""
    await until(lambda: socket.idle and socket.queue.empty())


def probe_packet(data: Any) -> eio_packet.Packet:
    return eio_packet.Packet(eio_packet.MESSAGE, f'2{NS},["probe",{{"n":{data}}}]')


async def test_an_idle_websocket_gets_the_emit_straight_from_the_emit(
    live: RunningHub, live_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[bool] = []
    real = wire.write

    def spy(proto: WebSocketsSansIOProtocol, data: bytes, frame: bytes) -> bool:
        written.append(real(proto, data, frame))
        return written[-1]

    monkeypatch.setattr(wire, "write", spy)
    async with members(live, live_world, 4) as clients:
        sockets = [lean_socket(live, c) for c in clients]
        assert all(s.wire is not None for s in sockets)  # opened as websockets, on uvicorn
        for socket in sockets:
            await idle(socket)
        await publisher(live).publish([Outgoing("probe", {"n": 1}, (ROOM,), NS)])
        assert written == [True] * 4
        assert all(s.queue.empty() for s in sockets)  # nothing went through the queues
        await settle(live, clients, {"n": 1})
        assert [probes(c) for c in clients] == [[{"n": 1}]] * 4


async def test_an_emit_never_overtakes_what_a_socket_has_queued_or_in_hand(
    live: RunningHub, live_world: World
) -> None:
    async with members(live, live_world, 2) as clients:
        client, other = clients
        socket = lean_socket(live, client)
        proto = socket.wire
        assert proto is not None
        await idle(socket)
        # 1 is queued: the room emit of 2 must queue behind it
        socket.queue.put_nowait(probe_packet(1))
        await publisher(live).publish([Outgoing("probe", {"n": 2}, (ROOM,), NS)])
        await client.wait_for("probe", lambda d: d == {"n": 2})
        await idle(socket)
        # the connection is paused (flow control): the writer takes 3 and holds it
        proto.writable.clear()
        socket.queue.put_nowait(probe_packet(3))
        await until(lambda: socket.queue.empty() and not socket.idle)
        # writable again, the writer not yet resumed: its queue is empty and the connection
        # writable, but the writer still holds 3, so 4 must wait behind it
        proto.writable.set()
        await publisher(live).publish([Outgoing("probe", {"n": 4}, (ROOM,), NS)])
        # and while paused, nothing is written past the pause either
        await settle(live, [client], {"n": 4}, also=(other,))
        proto.writable.clear()
        await publisher(live).publish([Outgoing("probe", {"n": 5}, (ROOM,), NS)])
        await asyncio.sleep(0.05)
        assert [d["n"] for d in probes(client)] == [1, 2, 3, 4]
        proto.writable.set()
        await settle(live, [client], {"n": 5}, also=(other,))
        assert [d["n"] for d in probes(client)] == [1, 2, 3, 4, 5]
        assert [d["n"] for d in probes(other)] == [2, 4, 5]


async def test_a_closing_connection_is_left_to_the_queue(
    live: RunningHub, live_world: World
) -> None:
    async with members(live, live_world, 1) as (client,):
        socket = lean_socket(live, client)
        proto = socket.wire
        assert proto is not None
        await idle(socket)
        proto.close_sent = True
        assert not wire.write(proto, b"x", wire.text_frame("x"))
        proto.close_sent = False
        assert wire.write(
            proto, b'42/tickets,["probe",{"n":5}]', wire.text_frame('42/tickets,["probe",{"n":5}]')
        )
        await client.wait_for("probe", lambda d: d == {"n": 5})


def test_the_uvicorn_and_websockets_internals_wire_imitates_are_unchanged() -> None:
    """``wire.write`` does what uvicorn's ``send`` does for a text message, reading the same
    state; if a release reshapes it, this says what moved (pin, re-read, adapt)."""
    send = inspect.getsource(WebSocketsSansIOProtocol.send)
    for line in (
        "await self.writable.wait()",
        "if self.disconnected:",
        "if not self.handshake_complete and self.initial_response is None:",
        "elif not self.close_sent and self.initial_response is None:",
        "self.conn.send_text(text_data.encode())",
        "output = self.conn.data_to_send()",
        'self.transport.write(b"".join(output))',
    ):
        assert line in send, f"uvicorn's websockets-sansio send no longer has {line!r}"
    init = inspect.getsource(WebSocketsSansIOProtocol.__init__)
    for attr in ("close_sent", "disconnected", "handshake_complete", "initial_response", "conn"):
        assert re.search(rf"self\.{attr}\b[^=\n]*= ", init), f"uvicorn no longer sets {attr}"
    conn = ServerProtocol()
    for attr in ("state", "writes", "extensions", "expect_continuation_frame"):
        assert hasattr(conn, attr), f"websockets' protocol no longer has {attr}"
    assert "self.writes.append(" in inspect.getsource(Protocol.send_frame)
    # a server's text frame: FIN + text opcode, unmasked length, the UTF-8 payload
    assert wire.text_frame("é") == b"\x81\x02" + "é".encode()


async def test_a_compressed_connection_gets_the_emits_framed_by_its_own_connection(
    live: RunningHub, live_world: World
) -> None:
    """A client that negotiated per-message deflate (browsers do; uvicorn allows it by
    default) has each emit framed, and compressed, by its own connection, in order."""
    url = live.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    async with ws_connect(url, origin=Origin(live.url), compression="deflate") as ws:
        assert str(await ws.recv()).startswith("0{")  # engine.io open
        await ws.send(f'40{NS},{{"token":"{live_world.tokens["citizen"]}"}}')
        opened = str(await ws.recv())
        assert opened.startswith(f"40{NS},"), opened
        sid = json.loads(opened.split(",", 1)[1])["sid"]
        socket = live.sio.eio.sockets[live.sio.manager.eio_sid_from_sid(sid, NS)]
        assert isinstance(socket, LeanSocket) and socket.wire is not None
        assert socket.wire.conn.extensions  # deflate was negotiated
        await live.sio.enter_room(sid, ROOM, namespace=NS)
        for n in (1, 2):
            await idle(socket)
            await publisher(live).publish([Outgoing("probe", {"n": n}, (ROOM,), NS)])
        got: list[Any] = []
        async with asyncio.timeout(5):
            while len(got) < 2:
                message = str(await ws.recv())
                if message.startswith(f"42{NS},"):
                    got.append(json.loads(message.split(",", 1)[1]))
        assert got == [["probe", {"n": 1}], ["probe", {"n": 2}]]
