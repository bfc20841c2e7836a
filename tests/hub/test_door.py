"""The real-time door: who may connect, and how bad input is answered."""

from __future__ import annotations

import asyncio

import pytest
import socketio

from tests.support.server import RunningHub, connect
from tests.support.world import World


async def test_connect_with_token_in_auth_payload(live: RunningHub, live_world: World) -> None:
    client = await connect(live.url, live_world.tokens["citizen"])
    try:
        assert client.sio.connected
        assert "/tickets" in client.sio.namespaces
    finally:
        await client.close()


@pytest.mark.parametrize("token", [None, "garbage", "x.y"])
async def test_connect_without_valid_token_is_refused(
    live: RunningHub, live_world: World, token: str | None
) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError) as err:
        await connect(live.url, token)
    assert "unauthenticated" in str(err.value)


async def test_connect_with_session_cookie(live: RunningHub, live_world: World) -> None:
    token = live_world.tokens["fo"]
    client = await connect(live.url, None, headers={"Cookie": f"asinan_session={token}"})
    try:
        assert client.sio.connected
    finally:
        await client.close()


async def test_foreign_origin_is_refused(live: RunningHub, live_world: World) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        await connect(
            live.url, live_world.tokens["citizen"], headers={"Origin": "http://evil.example"}
        )


async def test_unknown_event_and_bad_payload_get_typed_errors(
    live: RunningHub, live_world: World
) -> None:
    client = await connect(live.url, live_world.tokens["citizen"])
    try:
        ack = await client.call("no_such_event", {})
        assert ack["ok"] is False and ack["error"]["code"] == "invalid"
        ack = await client.call("join", "not an object")
        assert ack["error"]["code"] == "invalid"
        ack = await client.call("join", {"ticket_id": 1, "surprise": True})
        assert ack["error"]["code"] == "invalid"
        ack = await client.call("join", {"ticket_id": 1, "pad": "x" * 70_000})
        assert ack["error"]["code"] == "too_large"
        # the connection is still usable afterwards
        ticket = await live_world.new_ticket()
        ack = await client.call("join", {"ticket_id": ticket})
        assert ack["ok"] is True
    finally:
        await client.close()


async def test_logout_closes_every_socket_of_the_session(
    live: RunningHub, live_world: World
) -> None:
    token = live_world.tokens["citizen"]
    a = await connect(live.url, token)
    b = await connect(live.url, token)
    other = await connect(live.url, live_world.tokens["citizen2"])
    try:
        async with live.http(token) as http:
            r = await http.post("/api/auth/logout")
            assert r.status_code == 200
            r = await http.get("/api/me")
            assert r.status_code == 401
            assert r.json()["error"]["code"] == "unauthenticated"
        async with asyncio.timeout(5):
            await a.gone.wait()
            await b.gone.wait()
        assert other.sio.connected
    finally:
        for c in (a, b, other):
            if c.sio.connected:
                await c.close()
