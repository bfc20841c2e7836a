"""The real-time door: who may connect, and how bad input is answered."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
import socketio
from sqlalchemy import update

from hub.auth import revoke_session
from hub.errors import Unauthenticated
from hub.models import Role, User
from tests.support.server import RunningHub, connect
from tests.support.world import World, receipt_token


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


async def test_logged_out_session_cannot_connect_again(live: RunningHub, live_world: World) -> None:
    token = live_world.tokens["fo"]
    first = await connect(live.url, token)  # resolved (and announced online) once already
    async with live.http(token) as http:
        assert (await http.post("/api/auth/logout")).status_code == 200
    async with asyncio.timeout(5):
        await first.gone.wait()
    with pytest.raises(socketio.exceptions.ConnectionError) as err:
        await connect(live.url, token)
    assert "unauthenticated" in str(err.value)


@pytest.mark.parametrize("change", ["deactivated", "expired"])
async def test_deactivated_user_or_expired_session_cannot_connect(
    live: RunningHub, live_world: World, change: str
) -> None:
    token = live_world.tokens["staff"]
    ok = await connect(live.url, token)
    await ok.close()
    async with live.hub.unit() as unit:
        if change == "deactivated":
            await unit.session.execute(
                update(User).where(User.id == live_world.users["staff"]).values(is_active=False)
            )
    if change == "expired":  # the app's clock passes the session's end (a day, in tests)
        await live.clock.advance(timedelta(days=1).total_seconds())
    with pytest.raises(socketio.exceptions.ConnectionError) as err:
        await connect(live.url, token)
    assert "unauthenticated" in str(err.value)


async def test_principal_carries_office_scope_and_walk_in_ticket(
    live: RunningHub, live_world: World
) -> None:
    """One query resolves a session: the office and everything under it; a receipt's ticket."""
    offices = live_world.offices
    p = live_world.principals
    assert {offices["kec"], offices["kel_a"], offices["kel_b"]} <= p["spv"].office_scope
    assert not {offices["kota"], offices["kec_other"], offices["kel_other"]} & p["spv"].office_scope
    assert p["fo"].office_scope == {offices["kel_a"]}
    assert p["admin"].office_scope >= set(offices.values())
    assert p["citizen"].office_scope == frozenset() and p["citizen"].office_id is None
    ticket_id, _code = await live_world.walk_in()
    walk_in = await live.hub.principal_from_token(await receipt_token(live.hub, ticket_id))
    assert walk_in.ticket_id == ticket_id and walk_in.user_id is None
    assert walk_in.name == "Ibu Tamu" and walk_in.role is Role.citizen


async def test_concurrent_connects_share_a_read_but_not_a_revoked_session(
    live: RunningHub, live_world: World
) -> None:
    """Sessions asked for together resolve in one batch; each gets its own answer."""
    hub = live.hub
    async with hub.unit() as unit:
        await revoke_session(
            unit.session, hub.signer.unsign(live_world.tokens["citizen2"]), unit.ctx.clock.now()
        )
    names = [n for n in live_world.tokens if n != "citizen2"]
    tokens = [live_world.tokens[n] for n in names] * 3 + [live_world.tokens["citizen2"]]
    results = await asyncio.gather(
        *(hub.principal_from_token(t) for t in tokens), return_exceptions=True
    )
    assert isinstance(results[-1], Unauthenticated)
    for name, got in zip(names * 3, results[:-1], strict=True):
        assert got == live_world.principals[name]
    with pytest.raises(socketio.exceptions.ConnectionError):
        await connect(live.url, live_world.tokens["citizen2"])
