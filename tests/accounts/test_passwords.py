"""Password reset by code and password change: the other sessions end, their sockets close."""

from __future__ import annotations

import asyncio

import pytest

from tests.accounts.gateway import Gateway
from tests.accounts.helpers import PASSWORD, ask_code, login
from tests.support.server import RunningHub, connect
from tests.support.world import PASSWORD as OLD_PASSWORD
from tests.support.world import World

CITIZEN_PHONE, NORMAL = "081200000001", "6281200000001"


@pytest.mark.both_dbs
async def test_reset_by_code_ends_every_session_and_closes_its_sockets(
    live: RunningHub, live_world: World, gateway: Gateway
) -> None:
    token = live_world.tokens["citizen"]
    socket = await connect(live.url, token, ("/tickets", "/notifications"))
    try:
        async with live.http() as http:
            assert (await ask_code(http, CITIZEN_PHONE, "reset")).status_code == 200
            code = await gateway.code_for(NORMAL)
            r = await http.post(
                "/api/accounts/reset",
                json={"phone": CITIZEN_PHONE, "code": code, "password": PASSWORD},
            )
            assert r.status_code == 200, r.text
            async with asyncio.timeout(2):
                await socket.gone.wait()
            assert (
                await http.get("/api/me", headers={"Authorization": f"Bearer {token}"})
            ).status_code == 401
            assert (await login(http, CITIZEN_PHONE, OLD_PASSWORD)).status_code == 401
            assert (await login(http, CITIZEN_PHONE, PASSWORD)).status_code == 200
            # the code is used up (asked without the new session's cookie: a cookie
            # without an Origin is refused as a cross-site write)
            http.cookies.clear()
            again = await http.post(
                "/api/accounts/reset",
                json={"phone": CITIZEN_PHONE, "code": code, "password": "lagi-lagi-123"},
            )
            assert again.status_code == 422
    finally:
        await socket.close()


async def test_a_reset_for_an_unknown_phone_answers_the_same_and_sends_nothing(
    live: RunningHub, live_world: World, gateway: Gateway
) -> None:
    async with live.http() as http:
        unknown = await ask_code(http, "081299998888", "reset")
        known = await ask_code(http, CITIZEN_PHONE, "reset")
    assert unknown.status_code == known.status_code == 200
    assert unknown.json() == known.json()
    assert (await gateway.next()).phone == NORMAL
    assert gateway.deliveries.empty() and len(gateway.requests) == 1


@pytest.mark.both_dbs
async def test_change_keeps_this_session_and_ends_the_others(
    live: RunningHub, live_world: World
) -> None:
    async with live.http() as http:
        here = (await login(http, "fo.a", OLD_PASSWORD)).json()["token"]
        elsewhere = live_world.tokens["fo"]
        other_socket = await connect(live.url, elsewhere, ("/tickets", "/queues"))
        this_socket = await connect(live.url, here)
        try:
            wrong = await http.post(
                "/api/accounts/password",
                json={"current_password": "bukan-ini", "new_password": PASSWORD},
                headers={"Authorization": f"Bearer {here}"},
            )
            assert wrong.status_code == 422
            assert wrong.json()["error"]["field"] == "current_password"
            r = await http.post(
                "/api/accounts/password",
                json={"current_password": OLD_PASSWORD, "new_password": PASSWORD},
                headers={"Authorization": f"Bearer {here}"},
            )
            assert r.status_code == 200 and r.json()["sessions_ended"] == 1
            async with asyncio.timeout(2):
                await other_socket.gone.wait()
            assert not this_socket.gone.is_set()
            ack = await this_socket.call("leave", {"ticket_id": 1})
            assert ack["ok"] is True  # this one still talks
            me = await http.get("/api/me", headers={"Authorization": f"Bearer {here}"})
            assert me.status_code == 200
            gone = await http.get("/api/me", headers={"Authorization": f"Bearer {elsewhere}"})
            assert gone.status_code == 401
            assert (await login(http, "fo.a", PASSWORD)).status_code == 200
        finally:
            await other_socket.close()
            await this_socket.close()


async def test_change_needs_a_login_and_a_new_password(live: RunningHub, live_world: World) -> None:
    async with live.http() as http:
        anonymous = await http.post(
            "/api/accounts/password", json={"current_password": "x", "new_password": PASSWORD}
        )
        assert anonymous.status_code == 401
        same = await http.post(
            "/api/accounts/password",
            json={"current_password": OLD_PASSWORD, "new_password": OLD_PASSWORD},
            headers={"Authorization": f"Bearer {live_world.tokens['citizen']}"},
        )
        assert same.status_code == 422 and same.json()["error"]["field"] == "new_password"
