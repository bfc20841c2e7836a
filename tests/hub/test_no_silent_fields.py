"""No field is silently ignored: it is used, or refused ``invalid`` naming it.

(Fields the server accepts and does not use are listed in ``docs/protocol.md``.)
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.server import RunningHub
from tests.support.world import World, receipt_token


async def call_api(
    live: RunningHub, token: str, method: str, url: str, **kwargs: Any
) -> httpx.Response:
    async with live.http(token) as http:
        return await http.request(method, url, **kwargs)


async def test_a_citizen_cannot_name_another_applicant(live: RunningHub, live_world: World) -> None:
    """Online, the applicant is the account: a name or phone sent along is refused."""
    w = live_world
    token = w.tokens["citizen"]
    for extra in ({"applicant_name": "Orang Lain"}, {"applicant_phone": "081299998888"}):
        body = {"service_code": "SKTM", "office_id": w.offices["kel_a"], **extra}
        r = await call_api(live, token, "POST", "/api/tickets", json=body)
        assert r.status_code == 422, r.text
        error = r.json()["error"]
        assert error["code"] == "invalid" and error["field"] == next(iter(extra))
    mine = await call_api(live, token, "GET", "/api/tickets")
    assert mine.json()["tickets"] == []  # nothing was created
    ok = await call_api(
        live,
        token,
        "POST",
        "/api/tickets",
        json={"service_code": "SKTM", "office_id": w.offices["kel_a"]},
    )
    assert ok.status_code == 201 and ok.json()["ticket"]["applicant_name"] == "Uji citizen"


async def test_every_list_filter_applies_to_citizens_and_receipts(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    online = await w.new_ticket(office="kel_a")
    token = w.tokens["citizen"]

    async def ids(tok: str, query: str) -> list[int]:
        r = await call_api(live, tok, "GET", f"/api/tickets?{query}")
        assert r.status_code == 200, r.text
        return [t["id"] for t in r.json()["tickets"]]

    assert await ids(token, "") == [online]
    assert await ids(token, "channel=online") == [online]
    assert await ids(token, "channel=walk_in") == []
    assert await ids(token, f"office={w.offices['kel_b']}") == []
    assert await ids(token, f"office={w.offices['kel_a']}") == [online]
    assert await ids(token, "date=2001-01-01") == []
    assert await ids(token, f"assignee={w.users['fo']}") == []
    walk_in, _code = await w.walk_in()
    receipt = await receipt_token(w.hub, walk_in)
    assert await ids(receipt, "") == [walk_in]
    assert await ids(receipt, "status=approved") == []
    assert await ids(receipt, "channel=online") == []


async def test_call_history_takes_one_scope_and_a_missing_office_is_not_found(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    ticket = await w.new_ticket(office="kel_a")
    both = f"/api/calls/history?office_id={w.offices['kec']}&ticket_id={ticket}"
    r = await call_api(live, w.tokens["spv"], "GET", both)
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid"
    for who in ("spv", "admin", "spv_other"):
        r = await call_api(live, w.tokens[who], "GET", "/api/calls/history?office_id=999999")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", (who, r.text)
    # an existing office outside one's supervision stays forbidden
    r = await call_api(
        live, w.tokens["spv_other"], "GET", f"/api/calls/history?office_id={w.offices['kec']}"
    )
    assert r.status_code == 403
