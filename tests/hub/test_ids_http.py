"""Every HTTP route, swept with malformed and out-of-range ids in its path, query and body.

The routes are read from the running app, so a new route is swept without being listed
here (a route with a JSON body must say what a valid body looks like: ``BODIES``).
Each bad id is answered with a typed ``invalid`` (or ``not_found``), never a 500 or
``unavailable``, and nothing is logged as an error or with a traceback.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from starlette.convertors import StringConvertor
from starlette.routing import Route

from tests.support.bad_ids import (
    BAD_JSON,
    BAD_PATH_ONLY,
    BAD_TEXT,
    MISSING_IDS,
    dumps,
    field_name,
    id_paths,
    integer_field_names,
    is_typed_refusal,
    names_field,
    replaced,
    tracebacks,
    watched_logs,
)
from tests.support.server import RunningHub, connect
from tests.support.world import World

pytestmark = pytest.mark.both_dbs

_PARAM = re.compile(r"{([^}:]+)(?::([^}]+))?}")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MISSING_CODES = ("not_found", "forbidden", "unauthenticated", "invalid")

#: A valid JSON body of each route that takes one (by method and path without
#: convertors), from the world and an existing ticket. The ids in it are swept.
BODIES: dict[tuple[str, str], Callable[[World, int], list[dict[str, Any]]]] = {
    ("POST", "/api/auth/login"): lambda w, t: [{"login": "fo.a", "password": "x"}],
    ("POST", "/api/auth/receipt"): lambda w, t: [{"ticket_number": "X-1", "access_code": "ABCD"}],
    ("POST", "/api/tickets"): lambda w, t: [
        {"service_code": "SKTM", "office_id": w.offices["kel_a"]}, {"draft_id": 1}
    ],
    ("POST", "/api/drafts"): lambda w, t: [{"service_code": "LL", "office_id": w.offices["kel_a"]}],
    ("PATCH", "/api/drafts/{draft_id}"): lambda w, t: [{"office_id": w.offices["kel_a"]}],
    ("PUT", "/api/tickets/{ticket_id}/documents/{code}"): lambda w, t: [{"state": "ok"}],
    ("PUT", "/api/admin/calendar/{year}/cuti-bersama"): lambda w, t: [{"days": []}],  # no ids
    ("PUT", "/api/admin/services/{service_id}/fields"): lambda w, t: [
        {"fields": [{"code": "KEPERLUAN", "label": "Keperluan", "label_en": "Purpose",
                     "kind": "textarea"}]}
    ],
    ("POST", "/api/tickets/{ticket_id}/transition"): lambda w, t: [
        {"action": "start_verification", "version": 1}
    ],
    ("POST", "/api/tickets/{ticket_id}/dispose"): lambda w, t: [
        {"version": 1, "note": "n", "to_user_id": w.users["staff"]}
    ],
    ("POST", "/api/tickets/{ticket_id}/transfer"): lambda w, t: [
        {"version": 1, "to_office_id": w.offices["kel_b"], "note": "n"}
    ],
    ("POST", "/api/notifications/read"): lambda w, t: [{"id": 1}, {"ticket_id": t}],
    ("PUT", "/api/notifications/preferences"): lambda w, t: [{"muted_tickets": [t]}],
    ("POST", "/api/push/subscribe"): lambda w, t: [
        {"endpoint": "https://push.example/x", "keys": {"p256dh": "x" * 87, "auth": "x" * 22}}
    ],
    ("POST", "/api/push/unsubscribe"): lambda w, t: [{"endpoint": "https://push.example/x"}],
    ("POST", "/api/accounts/code"): lambda w, t: [{"phone": "081234567890", "purpose": "register"}],
    ("POST", "/api/accounts/register"): lambda w, t: [
        {"phone": "081234567890", "code": "123456", "password": "rahasia-123",
         "full_name": "Warga Baru", "residence_office_id": w.offices["kel_a"]}
    ],
    ("POST", "/api/accounts/reset"): lambda w, t: [
        {"phone": "081234567890", "code": "123456", "password": "rahasia-123"}
    ],
    ("POST", "/api/accounts/password"): lambda w, t: [
        {"current_password": "x", "new_password": "rahasia-123"}
    ],
    ("POST", "/api/admin/officers"): lambda w, t: [
        {"username": "fo.baru", "full_name": "FO Baru", "role": "front_office",
         "office_id": w.offices["kel_a"]}
    ],
    ("PATCH", "/api/admin/officers/{user_id}"): lambda w, t: [{"office_id": w.offices["kel_a"]}],
    ("POST", "/api/admin/officers/{user_id}/password"): lambda w, t: [{}],
    ("POST", "/api/admin/citizens/search"): lambda w, t: [{"nik": "3271010101900001"}],
    ("PATCH", "/api/admin/offices/{office_id}"): lambda w, t: [{"address": "Jl. Baru"}],
    ("PATCH", "/api/admin/services/{service_id}"): lambda w, t: [
        {"sla_hours": 24, "standard_value": 1}
    ],
    ("PUT", "/api/admin/services/{service_id}/requirements"): lambda w, t: [
        {"requirements": [{"code": "KTP", "name": "KTP", "name_en": "ID card"}]}
    ],
    ("POST", "/api/tickets/{ticket_id}/letter/revoke"): lambda w, t: [{"reason": "r"}],
    ("POST", "/api/tickets/{ticket_id}/letter/receive"): lambda w, t: [{}],
    ("POST", "/api/tickets/{ticket_id}/pickup"): lambda w, t: [
        {"version": 1, "access_code": "ABCD"}
    ],
    ("PUT", "/api/admin/offices/{office_id}/letters"): lambda w, t: [
        {"electronic_delivery": True}
    ],
    ("POST", "/api/tickets/{ticket_id}/notes"): lambda w, t: [
        {"client_id": "note-0001", "body": "catatan"}
    ],
    ("POST", "/api/canned-replies"): lambda w, t: [
        {"office_id": w.offices["kel_a"], "title": "Salam", "body": "Selamat pagi"}
    ],
    ("PATCH", "/api/canned-replies/{reply_id}"): lambda w, t: [{"version": 1, "title": "Salam"}],
    ("DELETE", "/api/canned-replies/{reply_id}"): lambda w, t: [{"version": 1}],
}  # fmt: skip
#: Write routes whose body is not JSON (or that take none).
NOT_JSON = {
    ("POST", "/api/auth/logout"),
    ("POST", "/api/admin/officers/{user_id}/deactivate"),
    ("POST", "/api/admin/officers/{user_id}/reactivate"),
    ("POST", "/api/tickets/{ticket_id}/attachments"),  # the file itself
    ("POST", "/api/drafts/{draft_id}/files/{code}"),  # the file itself
    ("POST", "/api/tickets/{ticket_id}/documents/{code}/file"),  # the file itself
    ("DELETE", "/api/drafts/{draft_id}"),
    ("DELETE", "/api/drafts/{draft_id}/files/{code}"),
}


def plain(path: str) -> str:
    return _PARAM.sub(lambda m: "{" + m.group(1) + "}", path)


def routes(live: RunningHub) -> list[tuple[str, Route]]:
    out = []
    for route in live.app.routes:
        if isinstance(route, Route):
            out += [(m, route) for m in sorted(route.methods or ()) if m != "HEAD"]
    return out


def fill(route: Route, ticket: int, bad: tuple[str, str] | None = None) -> str:
    """The route's path with real values, and ``bad = (param, text)`` in one place."""

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        if bad is not None and name == bad[0]:
            return quote(bad[1], safe="")
        if isinstance(route.param_convertors[name], StringConvertor):
            return "x"
        return str(ticket)

    return _PARAM.sub(one, route.path)


async def send(
    http: httpx.AsyncClient, method: str, url: str, content: str | None = None
) -> httpx.Response:
    headers = {"Content-Type": "application/json"} if content is not None else {}
    return await http.request(method, url, content=content, headers=headers)


def refused(r: httpx.Response, what: str) -> dict[str, Any]:
    assert 400 <= r.status_code < 500, f"{what}: HTTP {r.status_code} {r.text[:200]}"
    assert r.headers.get("content-type", "").startswith("application/json"), (
        f"{what}: not a typed JSON error: {r.status_code} {r.text[:200]}"
    )
    body: dict[str, Any] = r.json()
    assert is_typed_refusal(body), f"{what}: {body}"
    return body


async def test_integer_path_params_are_ids(live: RunningHub, live_world: World) -> None:
    """Every non-text path parameter uses the ``id`` convertor (so the sweep below holds)."""
    loose = [
        f"{route.path} ({name}: {type(conv).__name__})"
        for _m, route in routes(live)
        for name, conv in route.param_convertors.items()
        if type(conv).__name__ not in ("IdConvertor", "StringConvertor")
    ]
    assert loose == []


async def test_every_path_id_is_checked(live: RunningHub, live_world: World) -> None:
    ticket = await live_world.new_ticket()
    swept = 0
    with watched_logs() as records:
        for who in ("admin", "fo", None):
            async with live.http(live_world.tokens[who] if who else None) as http:
                for method, route in routes(live):
                    ids = [
                        n
                        for n, c in route.param_convertors.items()
                        if not isinstance(c, StringConvertor)
                    ]
                    for name in ids:
                        for text in (*BAD_TEXT, *BAD_PATH_ONLY):
                            url = fill(route, ticket, (name, text))
                            r = await send(http, method, url, "{}" if method != "GET" else None)
                            refused(r, f"{who} {method} {route.path} {name}={text[:30]!r}")
                            swept += 1
                        for text in MISSING_IDS:
                            url = fill(route, ticket, (name, text))
                            r = await send(http, method, url, "{}" if method != "GET" else None)
                            what = f"{who} {method} {route.path} {name}={text}"
                            if route.path.startswith("/api/"):
                                # a real id: who may not ask is told so, before not_found
                                assert 400 <= r.status_code < 500, f"{what}: {r.status_code}"
                                assert is_typed_refusal(r.json(), MISSING_CODES), what
                            else:  # a page: its shell, which then asks the API
                                assert r.status_code < 500, what
    assert swept > 100
    assert tracebacks(records) == []


async def test_every_query_id_is_checked(live: RunningHub, live_world: World) -> None:
    """Routes that read a query string refuse unknown names; so each name they accept is
    found by asking, and every integer one is swept with the bad forms."""
    ticket = await live_world.new_ticket()
    candidates = integer_field_names()
    swept: set[tuple[str, str]] = set()
    with watched_logs() as records:
        async with live.http(live_world.tokens["admin"]) as http:
            for method, route in routes(live):
                if method != "GET":
                    continue
                url = fill(route, ticket)
                probe = await send(http, method, url + "?zz_not_a_field=1")
                if not (probe.status_code == 422 and names_field(probe.json(), "zz_not_a_field")):
                    continue  # this route reads no query model
                for name in sorted(candidates):
                    r = await send(http, method, f"{url}?{name}=1")
                    extra = r.status_code == 422 and names_field(r.json(), name)
                    if extra and "Extra inputs" in r.text:
                        continue  # not a field of this route
                    for text in BAD_TEXT:
                        what = f"{method} {route.path}?{name}={text[:30]!r}"
                        r = await send(http, method, f"{url}?{name}={quote(text, safe='')}")
                        body = refused(r, what)
                        assert body["error"]["code"] == "invalid", what
                        assert names_field(body, name), f"{what}: {body}"
                    swept.add((route.path, name))
                # a name given twice would leave one value unchecked: refused too
                for name in sorted(n for p, n in swept if p == route.path)[:1]:
                    r = await send(http, method, f"{url}?{name}=1&{name}={quote(str(2**63))}")
                    assert refused(r, f"{route.path} twice")["error"]["code"] == "invalid"
    assert {n for _p, n in swept} >= {"ticket_id", "office_id", "user_id", "after_seq", "cursor"}
    assert tracebacks(records) == []


async def test_every_body_id_is_checked(live: RunningHub, live_world: World) -> None:
    ticket = await live_world.new_ticket()
    write_routes = {(m, plain(r.path)): r for m, r in routes(live) if m in WRITE_METHODS}
    assert set(write_routes) == set(BODIES) | NOT_JSON, "list the new route's body in BODIES"
    swept = 0
    with watched_logs() as records:
        for (method, path), make in BODIES.items():
            # admin routes refuse anyone else before they read the body
            who = "admin" if path.startswith("/api/admin/") else "fo"
            async with live.http(live_world.tokens[who]) as http:
                url = fill(write_routes[(method, path)], ticket)
                for base in make(live_world, ticket):
                    for where in id_paths(base):
                        for bad in BAD_JSON:
                            what = f"{method} {path} {field_name(where)}={str(bad)[:30]!r}"
                            r = await send(http, method, url, dumps(replaced(base, where, bad)))
                            body = refused(r, what)
                            assert body["error"]["code"] == "invalid", what
                            assert names_field(body, field_name(where)), f"{what}: {body}"
                            swept += 1
    assert swept > 50
    assert tracebacks(records) == []


async def test_json_too_deep_is_invalid_not_a_crash(live: RunningHub, live_world: World) -> None:
    with watched_logs() as records:
        async with live.http(live_world.tokens["citizen"]) as http:
            r = await send(http, "POST", "/api/tickets", "[" * 50_000)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid"
    assert tracebacks(records) == []


async def test_a_notification_cursor_with_an_out_of_range_id_is_invalid(
    live: RunningHub, live_world: World
) -> None:
    """The inbox cursor is opaque text the client hands back: an id forged into it is
    checked like any other id (it reached the database, which overflowed)."""
    forged = [
        base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
        for raw in ("0:" + "9" * 30, f"0:{2**63}", "0:+1", "0: 1", "0:٣", "9" * 25 + ":1")
    ]
    client = await connect(live.url, live_world.tokens["citizen"], namespaces=("/notifications",))
    try:
        with watched_logs() as records:
            async with live.http(live_world.tokens["citizen"]) as http:
                for cursor in forged:
                    r = await http.get("/api/notifications", params={"cursor": cursor})
                    assert refused(r, cursor)["error"]["code"] == "invalid"
                    ack = await client.call("sync", {"cursor": cursor}, namespace="/notifications")
                    assert ack["error"]["code"] == "invalid", ack
        assert tracebacks(records) == []
    finally:
        await client.close()
