"""The pre-call echo check: the hub's aiortc peer sends media back and echoes pings."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from hub.errors import Unavailable
from signaling.echo import EchoPeers
from tests.signaling.helpers import People, call, error_code
from tests.signaling.peers import Peer
from tests.signaling.test_calls_flow import OFFER
from tests.support.server import RunningHub


def _echo(live: RunningHub) -> EchoPeers:
    echo = live.sio.namespace_handlers["/calls"].echo
    assert isinstance(echo, EchoPeers)
    return echo


async def test_echo_returns_media_and_round_trip_time(people: People, live: RunningHub) -> None:
    client = await people.join("citizen2")
    peer = Peer.make([])
    channel = peer.pc.createDataChannel("echo")
    opened, echoed = asyncio.Event(), asyncio.get_running_loop().create_future()

    def on_message(message: Any) -> None:
        if not echoed.done():
            echoed.set_result((message, time.perf_counter()))

    channel.on("open", opened.set)
    channel.on("message", on_message)
    try:
        ack = await call(client, "echo_offer", {"description": await peer.offer()})
        assert ack["ok"], ack
        await peer.accept_answer(ack["description"])
        frames = await peer.frames()
        assert frames["video"].width == 160 and frames["audio"].samples > 0
        async with asyncio.timeout(10):
            await opened.wait()
            sent = time.perf_counter()
            channel.send(f"ping {sent}")
            message, received = await echoed
        assert message == f"ping {sent}"
        assert 0 < received - sent < 5  # the round-trip time the client reports
        assert len(_echo(live)) == 1
    finally:
        await peer.close()
    await client.close()  # the hub closes the socket's echo peer
    async with asyncio.timeout(10):
        await _echo(live).idle()


async def test_echo_refuses_bad_sdp(people: People) -> None:
    client = await people.join("fo")
    bad = {"description": {"type": "offer", "sdp": "v=0\r\n"}}
    assert error_code(await call(client, "echo_offer", bad)) == "invalid"


async def test_registry_limits_peers_and_closes_them() -> None:
    echo = EchoPeers(limit=1, lifetime=60)
    try:
        await echo.answer("a", OFFER)
        with pytest.raises(Unavailable):
            await echo.answer("b", OFFER)
        await echo.answer("a", OFFER)  # the same socket offering again replaces its peer
        assert len(echo) == 1
        await echo.close("a")
        await echo.answer("b", OFFER)
    finally:
        await echo.close_all()
    assert len(echo) == 0


async def test_peer_is_closed_after_its_lifetime() -> None:
    echo = EchoPeers(lifetime=0.2)
    try:
        await echo.answer("a", OFFER)
        async with asyncio.timeout(5):
            await echo.idle()
    finally:
        await echo.close_all()
