"""Connections that never authenticate, namespaces the hub does not serve, and the socket cap.

Here ``AUTH_TIMEOUT`` is 1 s and a session may hold 2 sockets per namespace.
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import time
from pathlib import Path

import pytest
import socketio
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect

from hub.settings import Settings
from tests.scale.cluster import until
from tests.support.server import RunningHub, connect, make_settings
from tests.support.world import World

AUTH_TIMEOUT = 1.0
CAP = 2


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return make_settings(
        db_url,
        tmp_path / "var",
        AUTH_TIMEOUT=str(AUTH_TIMEOUT),
        MAX_SOCKETS_PER_SESSION=str(CAP),
    )


async def raw_websocket(live: RunningHub) -> ClientConnection:
    """A bare websocket that completes the engine.io handshake and then reads nothing more.

    It never joins a namespace and never looks at the packets the hub sends (the
    engine.io CLOSE included); only the websocket library answers a close frame.
    """
    url = live.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    ws = await ws_connect(url, origin=live.url, ping_interval=None, compression=None)  # type: ignore[arg-type]
    opened = await ws.recv()
    assert isinstance(opened, str) and opened.startswith("0{")  # engine.io OPEN
    return ws


async def closed_within(ws: ClientConnection, seconds: float) -> float:
    started = time.monotonic()
    async with asyncio.timeout(seconds):
        await ws.wait_closed()
    return time.monotonic() - started


async def test_a_connection_that_ignores_the_close_packet_is_hung_up_on(
    live: RunningHub, live_world: World
) -> None:
    ws = await raw_websocket(live)
    # Closed at the transport level at AUTH_TIMEOUT: not only told to go (engine.io
    # CLOSE, which this client ignores) but its websocket closed by the hub.
    await closed_within(ws, AUTH_TIMEOUT + 1.0)
    assert ws.close_code is not None


async def test_a_connection_that_leaves_its_last_namespace_is_closed_too(
    live: RunningHub, live_world: World
) -> None:
    ws = await raw_websocket(live)
    token = live_world.tokens["citizen"]
    await ws.send("40/tickets," + json.dumps({"token": token}))
    assert str(await ws.recv()).startswith("40/tickets,{")  # connected
    await ws.send("41/tickets,")  # leaves the namespace, keeps the connection
    await closed_within(ws, AUTH_TIMEOUT + 1.5)


async def test_a_polling_handshake_never_followed_up_leaves_nothing_behind(
    live: RunningHub, live_world: World, caplog: pytest.LogCaptureFixture
) -> None:
    async with live.http() as http:
        r = await http.get(
            "/socket.io/", params={"EIO": "4", "transport": "polling"}, headers={"Origin": live.url}
        )
        assert r.status_code == 200
        eio_sid = json.loads(r.text[1:])["sid"]
    sockets = live.sio.eio.sockets
    assert eio_sid in sockets
    # Released at AUTH_TIMEOUT, though no poll ever comes to take the CLOSE packet.
    await until(lambda: eio_sid not in sockets, timeout=AUTH_TIMEOUT + 1.0, what="released")
    await until(lambda: not live.sio.tasks, timeout=1.0, what="the door's tasks done")
    async with live.http() as http:
        r = await http.get(
            "/socket.io/",
            params={"EIO": "4", "transport": "polling", "sid": eio_sid},
            headers={"Origin": live.url},
        )
        assert r.status_code == 400  # the session is gone
    with caplog.at_level(logging.ERROR, logger="asyncio"):
        gc.collect()
        await asyncio.sleep(0)
    assert not [r for r in caplog.records if "destroyed but it is pending" in r.getMessage()]


@pytest.mark.parametrize("namespace", ["/", "/nope"])
@pytest.mark.parametrize("who", [None, "citizen"])
async def test_a_namespace_the_hub_does_not_serve_is_refused_at_once(
    live: RunningHub, live_world: World, namespace: str, who: str | None
) -> None:
    token = live_world.tokens[who] if who else None
    started = time.monotonic()
    with pytest.raises(socketio.exceptions.ConnectionError) as err:
        await connect(live.url, token, namespaces=(namespace,))
    assert "not_found" in str(err.value)
    assert time.monotonic() - started < AUTH_TIMEOUT  # refused, not accepted and closed later


async def test_a_session_holds_at_most_the_cap_of_sockets_per_namespace(
    live: RunningHub, live_world: World
) -> None:
    token = live_world.tokens["fo"]
    first = [await connect(live.url, token) for _ in range(CAP)]
    other = await connect(live.url, live_world.tokens["staff"])  # another session: its own cap
    extra: list[object] = []
    try:
        with pytest.raises(socketio.exceptions.ConnectionError) as err:
            extra.append(await connect(live.url, token))
        assert "too_many_connections" in str(err.value) and f"'limit': {CAP}" in str(err.value)
        # The cap is per namespace: the same session may still open its inbox.
        extra.append(await connect(live.url, token, namespaces=("/notifications",)))
        # The sockets it holds are untouched, and one closing makes room.
        assert all(c.sio.connected for c in first)
        ack = await first[0].call("join", {"ticket_id": await live_world.new_ticket()})
        assert ack["ok"], ack
        await first.pop().close()
        first.append(await connect(live.url, token))
    finally:
        for c in [*first, other, *extra]:
            if hasattr(c, "close"):
                await c.close()


async def test_a_flood_of_anonymous_connections_is_summed_up_not_logged_one_by_one(
    live: RunningHub, live_world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    sockets = [await raw_websocket(live) for _ in range(20)]
    await asyncio.gather(*(closed_within(ws, AUTH_TIMEOUT + 2.0) for ws in sockets))
    lines = [r for r in caplog.records if r.name.startswith(("hub", "socketio", "engineio"))]
    assert len(lines) < 5, [r.getMessage() for r in lines]
    live.hub.tally.flush()
    summary = [r.getMessage() for r in caplog.records if r.name == "hub.summary"]
    assert any(m.startswith("20 connections closed: no namespace joined") for m in summary), summary


async def test_an_authenticated_connection_outlives_the_deadline(
    live: RunningHub, live_world: World
) -> None:
    client = await connect(live.url, live_world.tokens["citizen"])
    try:
        await asyncio.sleep(
            AUTH_TIMEOUT + 0.3
        )  # the time itself is under test: the deadline passes
        ack = await client.call("join", {"ticket_id": await live_world.new_ticket()})
        assert ack["ok"], ack
        assert client.sio.connected
    finally:
        await client.close()
