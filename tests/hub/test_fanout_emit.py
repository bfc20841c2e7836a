"""The lean room emit (issue #10): one encode, straight onto each recipient's queue.

Real clients over real sockets: every member of the rooms gets an emit exactly once,
a skipped sid gets nothing, and a member that is gone (or going) while the emit runs
does not keep the others from getting it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator
from typing import Any

import pytest
import socketio
from socketio.async_pubsub_manager import AsyncPubSubManager

from hub.realtime.managers import HubRedisManager, LeanEmitManager
from hub.realtime.publisher import SocketPublisher
from hub.realtime.server import LeanSocket
from hub.uow import Outgoing
from tests.support.server import Client, RunningHub, connect
from tests.support.world import World

#: made-up "probe" events on a made-up room: the emit machinery, not the contract
pytestmark = pytest.mark.uncontracted

NS = "/tickets"
ROOM = "fanout:probe"
OTHER = "fanout:other"
PAYLOAD = {"author": "Siti Nurhaliza — Kelurahan Cempaka Putih", "text": "Sudah, terima kasih ✓"}


@contextlib.asynccontextmanager
async def members(live: RunningHub, world: World, count: int) -> AsyncIterator[list[Client]]:
    """``count`` connected clients, all in :data:`ROOM`, the odd ones in :data:`OTHER` too."""
    names = ["citizen", "fo"]
    clients = [await connect(live.url, world.tokens[names[i % 2]]) for i in range(count)]
    try:
        for i, client in enumerate(clients):
            await live.sio.enter_room(sid(client), ROOM, namespace=NS)
            if i % 2:
                await live.sio.enter_room(sid(client), OTHER, namespace=NS)
        yield clients
    finally:
        for client in clients:
            with contextlib.suppress(Exception):
                await client.close()


def sid(client: Client) -> str:
    value = client.sio.get_sid(NS)
    assert isinstance(value, str)
    return value


def eio_sid(live: RunningHub, client: Client) -> str:
    value = live.sio.manager.eio_sid_from_sid(sid(client), NS)
    assert isinstance(value, str)
    return value


_markers = itertools.count(1)


async def settle(
    live: RunningHub, clients: list[Client], match: Any = PAYLOAD, also: tuple[Client, ...] = ()
) -> None:
    """Wait until every client has the ``probe`` ``match``; then send each of them (and
    ``also``) a marker and wait for it. A socket gets its packets in order, so a stray
    probe would have come before the marker: what they hold now is all they get."""
    await asyncio.gather(*(c.wait_for("probe", lambda d: d == match) for c in clients))
    marker = {"marker": next(_markers)}
    everyone = [*clients, *also]
    for client in everyone:
        await live.sio.emit("marker", marker, to=sid(client), namespace=NS)
    await asyncio.gather(*(c.wait_for("marker", lambda d: d == marker) for c in everyone))


def publisher(live: RunningHub) -> SocketPublisher:
    value = live.hub.publisher
    assert isinstance(value, SocketPublisher)
    return value


def probes(client: Client) -> list[Any]:
    return client.events("probe")


def test_the_redis_manager_delivers_locally_through_the_lean_emit() -> None:
    mro = HubRedisManager.__mro__
    assert mro.index(LeanEmitManager) < mro.index(socketio.AsyncManager)
    assert mro.index(AsyncPubSubManager) < mro.index(LeanEmitManager)


async def test_every_member_of_the_rooms_gets_one_emit_exactly_once(
    live: RunningHub, live_world: World
) -> None:
    assert isinstance(live.sio.manager, LeanEmitManager)
    async with members(live, live_world, 6) as clients:
        assert all(type(live.sio.eio.sockets[eio_sid(live, c)]) is LeanSocket for c in clients)
        await publisher(live).publish([Outgoing("probe", PAYLOAD, (ROOM, OTHER), NS)])
        await settle(live, clients)
        assert [probes(c) for c in clients] == [[PAYLOAD]] * len(clients)


async def test_a_skipped_sid_gets_nothing(live: RunningHub, live_world: World) -> None:
    async with members(live, live_world, 4) as clients:
        skipped = clients[1]
        await live.sio.emit("probe", PAYLOAD, to=[ROOM, OTHER], namespace=NS, skip_sid=sid(skipped))
        others = [c for c in clients if c is not skipped]
        await settle(live, others, also=(skipped,))
        assert probes(skipped) == []
        assert [probes(c) for c in others] == [[PAYLOAD]] * len(others)


async def test_members_gone_during_the_emit_do_not_stop_the_others(
    live: RunningHub, live_world: World
) -> None:
    async with members(live, live_world, 6) as clients:
        gone, closed, timed_out, leaving = clients[0], clients[2], clients[3], clients[4]
        sockets = live.sio.eio.sockets
        # still in the room, but its engine.io socket is already gone / closed
        del sockets[eio_sid(live, gone)]
        sockets[eio_sid(live, closed)].closed = True
        # its ping timed out: engine.io closes it on send (the stock way, in a task)
        timed_out_sid, timed_out_socket = sid(timed_out), sockets[eio_sid(live, timed_out)]
        timed_out_socket.last_ping = 1.0
        # and one that disconnects while the emit runs
        await asyncio.gather(
            publisher(live).publish([Outgoing("probe", PAYLOAD, (ROOM,), NS)]),
            leaving.sio.disconnect(),
        )
        kept = [c for c in clients if c not in (gone, closed, timed_out, leaving)]
        await settle(live, kept)
        assert [probes(c) for c in kept] == [[PAYLOAD]] * len(kept)
        assert probes(gone) == probes(closed) == probes(timed_out) == []
        # engine.io closed it on the send (and ran the hub's disconnect handlers)
        assert timed_out_socket.closed
        assert not live.sio.manager.is_connected(timed_out_sid, NS)
        # the room still works for whoever is left
        await publisher(live).publish([Outgoing("probe", {"n": 2}, (ROOM,), NS)])
        await settle(live, kept, {"n": 2})
        assert [probes(c) for c in kept] == [[PAYLOAD, {"n": 2}]] * len(kept)
