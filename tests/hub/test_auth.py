"""Logging in and out: passwords, phone numbers, one generic error, rate limits."""

from __future__ import annotations

import logging

import pytest

from tests.support.server import RunningHub, connect
from tests.support.world import PASSWORD, World


async def test_officer_by_username_citizen_by_phone(live: RunningHub, live_world: World) -> None:
    async with live.http() as http:
        r = await http.post("/api/auth/login", json={"login": "FO.A", "password": PASSWORD})
        assert r.status_code == 200, r.text
        assert r.json()["user"]["role"] == "front_office"
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
        r = await http.post(
            "/api/auth/login", json={"login": "0812-0000-0001", "password": PASSWORD}
        )
        assert r.status_code == 200 and r.json()["user"]["role"] == "citizen"
        token = r.json()["token"]
    # the bearer token works on the socket too
    client = await connect(live.url, token)
    await client.close()


async def test_wrong_credentials_get_one_generic_error(live: RunningHub, live_world: World) -> None:
    async with live.http() as http:
        wrong_pw = await http.post("/api/auth/login", json={"login": "fo.a", "password": "nope"})
        no_user = await http.post("/api/auth/login", json={"login": "ghost", "password": "nope"})
    assert wrong_pw.status_code == no_user.status_code == 401
    assert wrong_pw.json() == no_user.json()


async def test_login_is_rate_limited(live: RunningHub, live_world: World) -> None:
    async with live.http() as http:
        codes = []
        for _ in range(7):
            r = await http.post("/api/auth/login", json={"login": "fo.a", "password": "salah"})
            codes.append(r.status_code)
        assert codes[:5] == [401] * 5
        assert codes[-1] == 429
        assert r.json()["error"]["code"] == "rate_limited"
        assert float(r.json()["error"]["retry_after"]) > 0
        assert int(r.headers["retry-after"]) >= 1
        # even the right password is refused while limited
        r = await http.post("/api/auth/login", json={"login": "fo.a", "password": PASSWORD})
        assert r.status_code == 429


async def test_no_password_or_phone_in_logs(
    live: RunningHub, live_world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    async with live.http() as http:
        await http.post("/api/auth/login", json={"login": "081200000001", "password": PASSWORD})
    text = caplog.text
    assert PASSWORD not in text and "81200000001" not in text
