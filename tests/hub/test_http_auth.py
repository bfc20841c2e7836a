"""Who is asking over HTTP: the session behind the bearer token or the cookie.

Starlette's ``AuthenticationMiddleware`` with the hub's ``SessionBackend`` sets
``request.user`` once per request; a route that needs a login gets its principal from
it (``hub.http.principal``), and a request without a live session gets the same typed
401 as before. Public routes answer whatever token comes along.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest

from hub.auth import COOKIE_NAME
from hub.principal import Principal
from tests.support.server import RunningHub
from tests.support.world import World


async def token_of(kind: str, live: RunningHub, world: World) -> str | None:
    """No token, one that is not ours, a well-signed one of no session, a logged-out one."""
    if kind == "garbage":
        return "garbage"
    if kind == "forged":
        return live.hub.signer.sign("no-such-session")
    if kind == "revoked":
        token = world.tokens["citizen2"]
        async with live.http(token) as http:
            assert (await http.post("/api/auth/logout")).status_code == 200
        return token
    return None


TOKENS = ["none", "garbage", "forged", "revoked"]


@pytest.mark.parametrize("kind", TOKENS)
@pytest.mark.parametrize("carrier", ["bearer", "cookie"])
async def test_no_live_session_is_unauthenticated_where_a_login_is_needed(
    live: RunningHub, live_world: World, kind: str, carrier: str
) -> None:
    token = await token_of(kind, live, live_world)
    headers = {"Authorization": f"Bearer {token}"} if carrier == "bearer" and token else {}
    cookies = {COOKIE_NAME: token} if carrier == "cookie" and token else {}
    async with httpx.AsyncClient(
        base_url=live.url, headers=headers, cookies=cookies, timeout=20
    ) as http:
        for path in ("/api/me", "/api/tickets", "/api/notifications"):
            r = await http.get(path)
            assert r.status_code == 401, (path, r.text)
            assert r.json()["ok"] is False
            assert r.json()["error"]["code"] == "unauthenticated"
        # public routes do not care
        assert (await http.get("/api/reference")).status_code == 200
        assert (await http.get("/healthz")).status_code == 200
        page = await http.get("/officer")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]


async def test_the_bearer_token_comes_before_the_cookie(
    live: RunningHub, live_world: World
) -> None:
    citizen, officer = live_world.tokens["citizen"], live_world.tokens["fo"]
    async with httpx.AsyncClient(
        base_url=live.url,
        headers={"Authorization": f"Bearer {citizen}"},
        cookies={COOKIE_NAME: officer},
        timeout=20,
    ) as http:
        assert (await http.get("/api/me")).json()["user"]["role"] == "citizen"
    async with httpx.AsyncClient(
        base_url=live.url,
        headers={"Authorization": "Bearer garbage"},
        cookies={COOKIE_NAME: officer},
        timeout=20,
    ) as http:
        r = await http.get("/api/me")
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"


async def test_a_cross_site_write_is_refused_before_its_session_is_read(
    live: RunningHub, live_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Origin check (``hub.origins``) stands in front of authentication."""
    asked: list[str | None] = []
    load: Callable[[str | None], Awaitable[Principal]] = live.hub.principal_from_token

    async def counting(token: str | None) -> Principal:
        asked.append(token)
        return await load(token)

    monkeypatch.setattr(live.hub, "principal_from_token", counting)
    token = live_world.tokens["fo"]
    async with httpx.AsyncClient(
        base_url=live.url, cookies={COOKIE_NAME: token}, timeout=20
    ) as http:
        r = await http.post("/api/auth/logout", headers={"Origin": "http://127.0.0.1:1"})
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
        assert asked == []
        # the same cookie, from our own origin: read once, and the write goes through
        r = await http.post("/api/auth/logout", headers={"Origin": live.url})
        assert r.status_code == 200, r.text
        assert asked == [token]


async def test_a_pages_static_files_do_not_read_its_session(
    live: RunningHub, live_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page's bundles and styles are public: loading them costs no session lookup."""
    asked: list[str | None] = []
    load: Callable[[str | None], Awaitable[Principal]] = live.hub.principal_from_token

    async def counting(token: str | None) -> Principal:
        asked.append(token)
        return await load(token)

    monkeypatch.setattr(live.hub, "principal_from_token", counting)
    token = live_world.tokens["citizen"]
    async with httpx.AsyncClient(
        base_url=live.url, cookies={COOKIE_NAME: token}, timeout=20
    ) as http:
        assert (await http.get("/static/app.css")).status_code == 200
        assert asked == []
        assert (await http.get("/api/me")).status_code == 200
        assert asked == [token]


async def test_an_unknown_api_address_is_a_typed_not_found(live: RunningHub) -> None:
    async with live.http() as http:
        r = await http.get("/api/no-such-thing")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
        r = await http.post("/api/tickets/1/no-such-action", json={})
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
        r = await http.get("/no-such-page")
        assert r.status_code == 404 and r.text == "Not Found"
