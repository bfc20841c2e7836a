"""The tickets HTTP API as a client sees it: create, list, filter, page, act, read the timeline."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.server import RunningHub
from tests.support.world import World, receipt_token

pytestmark = pytest.mark.both_dbs


async def post(live: RunningHub, token: str, path: str, body: dict[str, Any]) -> Any:
    async with live.http(token) as http:
        return await http.post(path, json=body)


async def get(live: RunningHub, token: str | None, path: str) -> Any:
    async with live.http(token) as http:
        return await http.get(path)


async def test_citizen_creates_online_ticket_and_prints_receipt(
    live: RunningHub, live_world: World
) -> None:
    r = await post(
        live,
        live_world.tokens["citizen"],
        "/api/tickets",
        {"service_code": "KLH", "office_id": live_world.offices["kel_a"]},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    ticket, code = body["ticket"], body["access_code"]
    assert ticket["queue"] == "A-001" and ticket["status"] == "submitted"
    assert ticket["applicant_phone"] == "6281200000001"  # own ticket: unmasked
    page = await get(live, None, f"{body['receipt_url']}?code={code}")
    assert page.status_code == 200
    assert ticket["number"] in page.text and code in page.text and "A-001" in page.text
    wrong = await get(live, None, f"{body['receipt_url']}?code=WRONG123")
    assert wrong.status_code == 404


async def test_walk_in_receipt_login_sees_only_its_ticket(
    live: RunningHub, live_world: World
) -> None:
    r = await post(
        live,
        live_world.tokens["fo"],
        "/api/tickets",
        {
            "service_code": "KLH",
            "office_id": live_world.offices["kel_a"],
            "channel": "walk_in",
            "applicant_name": "Bu Tini",
            "applicant_phone": "0812-3333-4444",
        },
    )
    assert r.status_code == 201, r.text
    number, code, tid = (
        r.json()["ticket"]["number"],
        r.json()["access_code"],
        r.json()["ticket"]["id"],
    )
    other = await live_world.new_ticket()
    async with live.http() as http:
        bad = await http.post(
            "/api/auth/receipt", json={"ticket_number": number, "access_code": "AAAA2222"}
        )
        assert bad.status_code == 401
        ok = await http.post(
            "/api/auth/receipt", json={"ticket_number": number, "access_code": code}
        )
        assert ok.status_code == 200
        token = ok.json()["token"]
    mine = await get(live, token, f"/api/tickets/{tid}")
    assert mine.status_code == 200 and mine.json()["ticket"]["applicant_name"] == "Bu Tini"
    assert (await get(live, token, f"/api/tickets/{other}")).status_code == 404
    listed = (await get(live, token, "/api/tickets")).json()["tickets"]
    assert [t["id"] for t in listed] == [tid]


async def test_foreign_and_missing_tickets_answer_the_same(
    live: RunningHub, live_world: World
) -> None:
    theirs = await live_world.new_ticket(citizen="citizen2")
    foreign = await get(live, live_world.tokens["citizen"], f"/api/tickets/{theirs}")
    missing = await get(live, live_world.tokens["citizen"], "/api/tickets/99999")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    other_office = await get(live, live_world.tokens["fo_b"], f"/api/tickets/{theirs}")
    assert other_office.json() == missing.json()
    for path in ("/events", "/dispositions"):
        assert (
            await get(live, live_world.tokens["citizen"], f"/api/tickets/{theirs}{path}")
        ).json() == missing.json()


async def test_lists_are_scoped_filtered_and_paged(live: RunningHub, live_world: World) -> None:
    mine = [await live_world.new_ticket(service_code="KLH") for _ in range(3)]
    theirs = await live_world.new_ticket(citizen="citizen2", service_code="SKTM")
    elsewhere = await live_world.new_ticket(citizen="citizen2", office="kel_b")
    await live_world.act("fo", mine[0], "start_verification")

    citizen = (await get(live, live_world.tokens["citizen"], "/api/tickets")).json()["tickets"]
    assert sorted(t["id"] for t in citizen) == sorted(mine)

    officer = (await get(live, live_world.tokens["fo"], "/api/tickets")).json()["tickets"]
    assert elsewhere not in [t["id"] for t in officer]
    assert {*mine, theirs} <= {t["id"] for t in officer}
    assert all(t["applicant_phone"] is None or "*" in t["applicant_phone"] for t in officer)

    kecamatan = (await get(live, live_world.tokens["kec_fo"], "/api/tickets")).json()["tickets"]
    assert {*mine, theirs, elsewhere} <= {t["id"] for t in kecamatan}

    by_status = await get(live, live_world.tokens["fo"], "/api/tickets?status=verification")
    assert [t["id"] for t in by_status.json()["tickets"]] == [mine[0]]
    by_service = await get(live, live_world.tokens["fo"], "/api/tickets?service=SKTM")
    assert [t["id"] for t in by_service.json()["tickets"]] == [theirs]

    seen: list[int] = []
    cursor = None
    while True:
        q = "/api/tickets?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = (await get(live, live_world.tokens["fo"], q)).json()
        seen += [t["id"] for t in page["tickets"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted({*mine, theirs}, reverse=True)

    bad = await get(live, live_world.tokens["fo"], "/api/tickets?status=lost&limit=9999")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid"


async def test_transition_dispose_and_timeline_over_http(
    live: RunningHub, live_world: World
) -> None:
    tid = await live_world.new_ticket(service_code="SKTM")
    fo = live_world.tokens["fo"]
    r = await post(
        live, fo, f"/api/tickets/{tid}/transition", {"action": "start_verification", "version": 1}
    )
    assert r.status_code == 200 and r.json()["ticket"]["status"] == "verification"
    stale = await post(
        live, fo, f"/api/tickets/{tid}/transition", {"action": "verify", "version": 1}
    )
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    illegal = await post(
        live, fo, f"/api/tickets/{tid}/transition", {"action": "start_verification", "version": 2}
    )
    assert illegal.json()["error"]["code"] == "invalid_transition"
    d = await post(
        live, fo, f"/api/tickets/{tid}/dispose",
        {"version": 2, "note": "Cek slip gaji", "to_role": "approver"},
    )  # fmt: skip
    assert d.status_code == 200, d.text
    extra = await post(
        live,
        fo,
        f"/api/tickets/{tid}/dispose",
        {"version": 3, "note": "x", "to_role": "approver", "seq": 9},
    )
    assert extra.json()["error"]["code"] == "invalid"
    events = (await get(live, fo, f"/api/tickets/{tid}/events?after_seq=1")).json()["events"]
    assert [(e["seq"], e["kind"]) for e in events] == [(2, "status_changed"), (3, "disposed")]
    staff = (await get(live, fo, f"/api/tickets/{tid}/dispositions")).json()
    assert staff["dispositions"][0]["payload"]["note"] == "Cek slip gaji"
    # the applicant sees that it went to the lurah's desk, not the office's note
    history = (
        await get(live, live_world.tokens["citizen"], f"/api/tickets/{tid}/dispositions")
    ).json()
    assert history["dispositions"][0]["payload"] == {"to_role": "approver"}
    assert history["dispositions"][0]["redacted"] is True


async def test_malformed_and_oversize_bodies(live: RunningHub, live_world: World) -> None:
    json_type = {"Content-Type": "application/json"}
    async with live.http(live_world.tokens["citizen"]) as http:
        r = await http.post("/api/tickets", content=b"{not json", headers=json_type)
        assert r.status_code == 422 and r.json()["error"]["code"] == "invalid"
        r = await http.post("/api/tickets", content=b"[1,2]", headers=json_type)
        assert r.json()["error"]["code"] == "invalid"
        r = await http.post("/api/tickets", json={"service_code": "KLH", "office_id": "nine"})
        assert r.json()["error"]["code"] == "invalid"
        big = b'{"pad":"' + b"x" * 70_000 + b'"}'
        r = await http.post("/api/tickets", content=big, headers=json_type)
        assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
        assert (await http.get("/api/tickets")).json()["tickets"] == []


async def test_receipt_token_helper_matches_receipt_login(
    live: RunningHub, live_world: World
) -> None:
    tid, _code = await live_world.walk_in()
    token = await receipt_token(live.hub, tid)
    assert (await get(live, token, f"/api/tickets/{tid}")).status_code == 200
