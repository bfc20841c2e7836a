"""Verification per document: the front office checks each one, asks for the missing ones
(a status the applicant sees live and is notified of), the applicant uploads them again and
the request comes back; verify needs every required document OK."""

from __future__ import annotations

import asyncio

import pytest

from tests.intake.helpers import JPEG, LL_DOCS, TEXT, check, data, request_view, submit_online
from tests.intake.helpers import transition as act
from tests.support.server import RunningHub, connect
from tests.support.world import World

pytestmark = pytest.mark.both_dbs


async def _in_verification(live: RunningHub, world: World) -> int:
    tid = int((await submit_online(live, world))["ticket"]["id"])
    data(await act(live, world.tokens["fo"], tid, "start_verification"))
    return tid


async def test_verify_needs_every_required_document_ok_and_nothing_changes_before(
    live: RunningHub, live_world: World
) -> None:
    fo = live_world.tokens["fo"]
    tid = await _in_verification(live, live_world)
    async with live.http(fo) as http:
        before = data(await http.get(f"/api/tickets/{tid}"))["ticket"]
    refused = await act(live, fo, tid, "verify")
    assert refused.status_code == 409, refused.text
    err = refused.json()["error"]
    assert err["code"] == "invalid_transition" and err["documents"] == list(LL_DOCS)
    data(await check(live, fo, tid, "KTP", "ok"))
    data(await check(live, fo, tid, "KK", "ok"))
    still = (await act(live, fo, tid, "verify")).json()["error"]
    assert still["documents"] == ["PENGANTAR_RT_RW"]
    async with live.http(fo) as http:
        after = data(await http.get(f"/api/tickets/{tid}"))["ticket"]
    assert (after["status"], after["version"]) == (before["status"], before["version"])
    data(await check(live, fo, tid, "PENGANTAR_RT_RW", "ok"))
    verified = data(await act(live, fo, tid, "verify"))["ticket"]
    assert verified["status"] == "awaiting_approval"  # LL is low risk
    view = await request_view(live, live_world.tokens["citizen"], tid)
    assert {d["state"] for d in view["documents"]} == {"ok"}
    assert {d["checked_by"]["name"] for d in view["documents"]} == {"Uji fo"}


async def test_missing_documents_go_back_to_the_applicant_live_and_come_back(
    live: RunningHub, live_world: World
) -> None:
    fo, citizen_token = live_world.tokens["fo"], live_world.tokens["citizen"]
    tid = await _in_verification(live, live_world)
    no_reason = await check(live, fo, tid, "KTP", "missing")
    assert no_reason.json()["error"]["field"] == "reason"
    nothing_marked = await act(live, fo, tid, "request_documents")
    assert nothing_marked.json()["error"] == {
        "code": "invalid",
        "reason": "mark_missing_documents_first",
        "message": "Mark the missing documents first",
        "field": "documents",
    }
    data(await check(live, fo, tid, "KTP", "missing", "Foto KTP buram"))
    data(await check(live, fo, tid, "KK", "ok"))
    # the ticket page (watching live) and the inbox
    citizen = await connect(live.url, citizen_token, ("/tickets", "/notifications"))
    try:
        ack = await citizen.call("join", {"ticket_id": tid, "after_seq": 0})
        assert ack["ok"], ack
        checked = [e for e in ack["events"] if e["kind"] == "document_checked"]
        assert [(e["payload"]["code"], e["payload"]["state"]) for e in checked] == [
            ("KTP", "missing"),
            ("KK", "ok"),
        ]
        assert checked[0]["actor"]["name"] == "Uji fo" and checked[0]["payload"]["reason"]
        await citizen.call("leave", {"ticket_id": tid})  # not watching: the inbox is told
        asked = data(await act(live, fo, tid, "request_documents"))["ticket"]
        assert (
            asked["status"] == "documents_incomplete" and asked["assigned_role"] == "front_office"
        )
        note = await citizen.wait_for(
            "notification", lambda n: n["ticket_id"] == tid, namespace="/notifications"
        )
        assert note["kind"] == "documents_requested"
        assert "KTP-el pemohon (Foto KTP buram)" in note["preview"]
        await citizen.call("join", {"ticket_id": tid, "after_seq": 0})
        async with live.http(citizen_token) as http:
            wrong_kind = await http.post(
                f"/api/tickets/{tid}/documents/KTP/file?name=k", content=TEXT
            )
            not_asked = await http.post(
                f"/api/tickets/{tid}/documents/KK/file?name=k", content=JPEG
            )
            assert wrong_kind.json()["error"]["field"] == "file"
            assert not_asked.json()["error"]["field"] == "code"
            early = await act(live, citizen_token, tid, "resubmit")
            assert early.json()["error"]["documents"] == ["KTP"]
            up = data(
                await http.post(
                    f"/api/tickets/{tid}/documents/KTP/file?name=ktp2.jpg", content=JPEG
                ),
                201,
            )
        assert up["ticket"]["status"] == "verification"  # the last one: back by itself
        assert up["document"]["state"] == "pending" and up["document"]["file"]["name"] == "ktp2.jpg"
        back = await citizen.wait_for(
            "ticket_event",
            lambda e: e["kind"] == "status_changed" and e["payload"]["to"] == "verification",
        )
        assert back["payload"]["action"] == "resubmit" and back["actor"]["role"] == "citizen"
        kinds = [e["kind"] for e in citizen.events("ticket_event")]
        assert kinds == ["document_uploaded", "status_changed"]
    finally:
        await citizen.close()
    data(await check(live, fo, tid, "KTP", "ok"))
    data(await check(live, fo, tid, "PENGANTAR_RT_RW", "ok"))
    assert data(await act(live, fo, tid, "verify"))["ticket"]["status"] == "awaiting_approval"


async def test_only_the_front_office_of_the_office_checks_and_only_the_applicant_uploads(
    live: RunningHub, live_world: World
) -> None:
    tid = await _in_verification(live, live_world)
    tokens = live_world.tokens
    for who, status in (("fo_b", 404), ("citizen2", 404), ("staff", 403), ("citizen", 403)):
        r = await check(live, tokens[who], tid, "KTP", "ok")
        assert r.status_code == status, (who, r.text)
    data(await check(live, tokens["kec_fo"], tid, "KTP", "ok"))  # the kecamatan above it
    data(await check(live, tokens["fo"], tid, "KK", "missing", "Tidak terbaca"))
    data(await act(live, tokens["fo"], tid, "request_documents"))
    for who, status in (("fo", 403), ("fo_b", 404), ("citizen2", 404)):
        async with live.http(tokens[who]) as http:
            r = await http.post(f"/api/tickets/{tid}/documents/KK/file?name=k.jpg", content=JPEG)
        assert r.status_code == status, (who, r.text)
    for who in ("fo_b", "citizen2"):
        async with live.http(tokens[who]) as http:
            assert (await http.get(f"/api/tickets/{tid}/request")).status_code == 404
    view = await request_view(live, tokens["citizen"], tid)
    file_url = next(d for d in view["documents"] if d["code"] == "KTP")["file"]["url"]
    async with live.http(tokens["citizen2"]) as http:
        assert (await http.get(file_url)).status_code == 404
    async with live.http(tokens["fo_b"]) as http:
        assert (await http.get(file_url)).status_code == 404
    # checks happen in verification only
    late = await check(live, tokens["fo"], tid, "KTP", "ok")
    assert late.json()["error"]["code"] == "invalid_transition"


async def test_two_officers_checking_at_once_both_land_in_the_timeline(
    live: RunningHub, live_world: World
) -> None:
    tid = await _in_verification(live, live_world)
    results = await asyncio.gather(
        check(live, live_world.tokens["fo"], tid, "KTP", "ok"),
        check(live, live_world.tokens["kec_fo"], tid, "KTP", "missing", "Kedaluwarsa"),
    )
    assert [r.status_code for r in results] == [200, 200]
    async with live.http(live_world.tokens["fo"]) as http:
        events = data(await http.get(f"/api/tickets/{tid}/events"))["events"]
    checks = [e for e in events if e["kind"] == "document_checked"]
    assert sorted(e["actor"]["name"] for e in checks) == ["Uji fo", "Uji kec_fo"]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
