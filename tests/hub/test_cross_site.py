"""Cross-site writes: a cookie alone never changes anything; JSON only as JSON.

Header by header, what the Origin check (``hub/origins.py``) accepts and refuses; the
browser's own view of the same attack is ``tests/web/test_cross_site_browser.py``.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hub.auth import COOKIE_NAME
from tests.support.server import RunningHub
from tests.support.world import PASSWORD, World

EVIL = "http://127.0.0.1:1"  # another port of the same host: the same site, not the same origin
PREFS = "/api/notifications/preferences"
MUTE = {"muted_tickets": [], "push_opt_out": ["comment"], "quiet_hours": None}


def cookie_client(live: RunningHub, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=live.url, cookies={COOKIE_NAME: token}, timeout=20)


async def prefs_of(live: RunningHub, token: str) -> Any:
    async with live.http(token) as http:
        return (await http.get(PREFS)).json()["preferences"]


def own(live: RunningHub) -> str:
    return live.url


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Origin": EVIL},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "same-site"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Referer": f"{EVIL}/attack.html"},
    ],
    ids=["nothing", "foreign-origin", "null-origin", "same-site", "cross-site", "foreign-referer"],
)
async def test_cookie_write_without_our_origin_is_forbidden(
    live: RunningHub, live_world: World, headers: dict[str, str]
) -> None:
    token = live_world.tokens["fo"]
    before = await prefs_of(live, token)
    async with cookie_client(live, token) as http:
        r = await http.put(PREFS, json=MUTE, headers=headers)
        assert r.status_code == 403, r.text
        assert r.json() == {
            "ok": False,
            "error": {
                "code": "forbidden",
                "reason": "cross_site",
                "message": "Cross-site request refused",
            },
        }
        # reads are not writes: the same cookie still reads
        assert (await http.get(PREFS, headers=headers)).status_code == 200
        # logout too is a write
        assert (await http.post("/api/auth/logout", headers=headers)).status_code == 403
    assert await prefs_of(live, token) == before
    async with live.http(token) as http:
        assert (await http.get("/api/me")).status_code == 200


@pytest.mark.parametrize("kind", ["origin", "sec-fetch-site", "referer"])
async def test_cookie_write_from_our_own_pages_passes(
    live: RunningHub, live_world: World, kind: str
) -> None:
    headers = {
        "origin": {"Origin": own(live)},
        "sec-fetch-site": {"Sec-Fetch-Site": "same-origin"},
        "referer": {"Referer": f"{own(live)}/officer"},
    }[kind]
    token = live_world.tokens["fo"]
    async with cookie_client(live, token) as http:
        r = await http.put(PREFS, json=MUTE, headers=headers)
    assert r.status_code == 200, r.text
    assert (await prefs_of(live, token))["push_opt_out"] == ["comment"]


async def test_bearer_clients_are_not_asked_for_an_origin(
    live: RunningHub, live_world: World
) -> None:
    async with live.http(live_world.tokens["fo"]) as http:
        r = await http.put(PREFS, json=MUTE, headers={"Origin": EVIL})
    assert r.status_code == 200, r.text


async def test_uploads_are_writes_too(live: RunningHub, live_world: World) -> None:
    tid = await live_world.new_ticket()
    async with cookie_client(live, live_world.tokens["citizen"]) as http:
        path = f"/api/tickets/{tid}/attachments?name=kk.pdf"
        r = await http.post(path, content=b"%PDF-1.4 forged", headers={"Origin": EVIL})
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
        r = await http.post(path, content=b"%PDF-1.4 forged")
        assert r.status_code == 403
        r = await http.post(path, content=b"%PDF-1.4 mine", headers={"Origin": own(live)})
        assert r.status_code == 201, r.text


async def test_login_from_another_origin_is_refused(live: RunningHub, live_world: World) -> None:
    """Login CSRF: another site must not sign the victim's browser into its own account."""
    body = {"login": "fo.a", "password": PASSWORD}
    async with live.http() as http:
        forged = await http.post("/api/auth/login", json=body, headers={"Origin": EVIL})
        assert forged.status_code == 403 and "set-cookie" not in forged.headers
        receipt = await http.post(
            "/api/auth/receipt",
            json={"ticket_number": "BGR-X", "access_code": "AAAA2222"},
            headers={"Sec-Fetch-Site": "cross-site"},
        )
        assert receipt.status_code == 403
        # our page, or a client with no browser headers at all (an app, curl), may log in
        assert (
            await http.post("/api/auth/login", json=body, headers={"Origin": own(live)})
        ).status_code == 200
        assert (await http.post("/api/auth/login", json=body)).status_code == 200


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None],
)
async def test_json_endpoints_take_only_json(
    live: RunningHub, live_world: World, content_type: str | None
) -> None:
    office = live_world.offices["kel_a"]
    raw = f'{{"service_code": "KLH", "office_id": {office}}}'.encode()
    headers = {"Content-Type": content_type} if content_type else {}
    async with live.http(live_world.tokens["citizen"]) as http:
        r = await http.post("/api/tickets", content=raw, headers=headers)
        assert r.status_code == 415, r.text
        assert r.json()["error"]["code"] == "invalid"
        assert (await http.get("/api/tickets")).json()["tickets"] == []
        typed = {"Content-Type": "application/json; charset=utf-8"}
        assert (await http.post("/api/tickets", content=raw, headers=typed)).status_code == 201
