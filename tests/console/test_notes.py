"""Internal notes: the office's officers read and write them; the applicant never gets one,
live, on resume, in history, in a gap fill, over HTTP or in the inbox (#18 item 8)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.chat_client import ChatClient
from tests.support.server import Client, RunningHub, connect
from tests.support.world import World, receipt_token

pytestmark = pytest.mark.both_dbs

SECRET = "Pemohon pernah ditolak 2023, cek ulang KK"


async def note(live: RunningHub, token: str, tid: int, body: str, client_id: str) -> Any:
    async with live.http(token) as http:
        return await http.post(
            f"/api/tickets/{tid}/notes", json={"client_id": client_id, "body": body}
        )


def kinds(events: list[dict[str, Any]]) -> list[str]:
    return [e["kind"] for e in events]


async def joined(live: RunningHub, token: str, tid: int) -> Client:
    client = await connect(live.url, token)
    ack = await client.call("join", {"ticket_id": tid, "after_seq": 0})
    assert ack["ok"], ack
    return client


async def test_a_note_reaches_the_office_live_and_never_the_applicant(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    tid, _code = await w.walk_in()
    citizen_tid = await w.new_ticket()
    receipt = await joined(live, await receipt_token(live.hub, tid), tid)
    applicant = await joined(live, w.tokens["citizen"], citizen_tid)
    fo = await joined(live, w.tokens["fo"], tid)  # in the ticket's room and the office's
    staff = await connect(live.url, w.tokens["staff"])  # in the office's room only
    try:
        r = await note(live, w.tokens["fo"], tid, SECRET, "note-live-1")
        assert r.status_code == 201, r.text
        stored = r.json()["event"]
        assert stored["kind"] == "internal_note" and stored["payload"] == {"body": SECRET}
        again = await note(live, w.tokens["fo"], tid, SECRET, "note-live-1")
        assert again.status_code == 200 and again.json()["duplicate"] is True
        assert again.json()["event"]["seq"] == stored["seq"]
        for officer in (fo, staff):
            ev = await officer.wait_for("ticket_event", lambda e: e["kind"] == "internal_note")
            assert ev["payload"]["body"] == SECRET
        # a sentinel after the note: once it arrives, the note would have too
        async with live.http(w.tokens["fo"]) as http:
            await http.post(f"/api/tickets/{tid}/transition",
                            json={"action": "start_verification", "version": 1})  # fmt: skip
        await receipt.wait_for("ticket_event", lambda e: e["kind"] == "status_changed")
        await staff.wait_for("ticket_updated", lambda t: t["id"] == tid)
        assert "internal_note" not in kinds(receipt.events("ticket_event"))
        assert all(e["ticket_id"] == tid for e in receipt.events("ticket_event"))
        assert applicant.events("ticket_event") == []  # another ticket's room: nothing
        # the office's officers got the note once (never through the ticket's room)
        notes = [e for e in fo.events("ticket_event") if e["kind"] == "internal_note"]
        assert len(notes) == 1
    finally:
        for c in (receipt, applicant, fo, staff):
            await c.close()


async def test_resume_history_gap_fill_and_http_leave_notes_out_for_the_applicant(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    tid = await w.new_ticket()  # seq 1: created
    assert (await note(live, w.tokens["staff"], tid, SECRET, "note-read-1")).status_code == 201
    async with live.http(w.tokens["fo"]) as http:  # seq 3: a status change everyone sees
        r = await http.post(f"/api/tickets/{tid}/transition",
                            json={"action": "start_verification", "version": 1})  # fmt: skip
        assert r.status_code == 200
    citizen = await connect(live.url, w.tokens["citizen"])
    officer = await connect(live.url, w.tokens["approver"])
    try:
        ack = await citizen.call("join", {"ticket_id": tid, "after_seq": 0})
        assert kinds(ack["events"]) == ["created", "status_changed"]
        assert ack["last_seq"] == 3 and ack["through_seq"] == 3
        mine = await officer.call("join", {"ticket_id": tid, "after_seq": 0})
        assert kinds(mine["events"]) == ["created", "internal_note", "status_changed"]
        # the hidden seq 2, asked for as a gap: nothing, and covered (never asked again)
        gap = await citizen.call("missing", {"ticket_id": tid, "after_seq": 1, "before_seq": 3})
        assert gap["events"] == [] and gap["through_seq"] == 2
        gap = await officer.call("missing", {"ticket_id": tid, "after_seq": 1, "before_seq": 3})
        assert kinds(gap["events"]) == ["internal_note"] and gap["through_seq"] == 2
        page = await citizen.call("history", {"ticket_id": tid})
        assert kinds(page["events"]) == ["created", "status_changed"]
        assert page["through_seq"] == 3 and page["has_more"] is False
        page = await officer.call("history", {"ticket_id": tid, "before_seq": 3})
        assert kinds(page["events"]) == ["created", "internal_note"]
    finally:
        await citizen.close()
        await officer.close()
    for who, expected in (
        ("citizen", ["created", "status_changed"]),
        ("admin", ["created", "status_changed"]),  # admins audit the public record only
        ("kec_fo", ["created", "internal_note", "status_changed"]),  # the kecamatan above
    ):
        async with live.http(w.tokens[who]) as http:
            body = (await http.get(f"/api/tickets/{tid}/events")).json()
            assert kinds(body["events"]) == expected, who
            assert body["through_seq"] == 3
            assert SECRET not in (await http.get(f"/api/tickets/{tid}")).text
            assert SECRET not in (await http.get(f"/api/tickets/{tid}/dispositions")).text
    # the inbox: a note notifies no one, the applicant least of all
    async with live.http(w.tokens["citizen"]) as http:
        inbox = (await http.get("/api/notifications")).json()
    assert SECRET not in str(inbox)
    assert {n["kind"] for n in inbox["notifications"]} <= {"status_changed"}


async def test_a_client_skips_a_hidden_seq_once(live: RunningHub, live_world: World) -> None:
    """A citizen's client sees seq 3 after seq 1: it asks for 2 once, is told it is covered,
    and goes on (its position is 3, so a resume asks only for what follows)."""
    w = live_world
    tid = await w.new_ticket()
    client = ChatClient(live.url, w.tokens["citizen"], tid)
    await client.connect()
    try:
        assert (await note(live, w.tokens["fo"], tid, SECRET, "note-gap-01")).status_code == 201
        officer = ChatClient(live.url, w.tokens["fo"], tid)
        await officer.connect()
        await officer.say("Berkas sudah kami terima")  # seq 3
        await officer.disconnect()
        await client.wait_until(3)
        assert client.last_seq == 3 and client.gap_calls == 1
        assert [ev["kind"] for _s, ev in sorted(client.timeline.items())] == ["created", "comment"]
        await client.say("Terima kasih")  # seq 4, acked: nothing missing, nothing asked
        assert client.last_seq == 4 and client.gap_calls == 1
    finally:
        await client.disconnect()


async def test_who_may_write_and_read_notes(live: RunningHub, live_world: World) -> None:
    w = live_world
    tid = await w.new_ticket()
    for who, status, code in (
        ("citizen", 403, "forbidden"),  # sees the ticket, not as an officer
        ("admin", 403, "forbidden"),
        ("fo_b", 404, "not_found"),  # a foreign office's officer: no such ticket
        ("spv_other", 404, "not_found"),
        ("citizen2", 404, "not_found"),
    ):
        r = await note(live, w.tokens[who], tid, "coba", f"note-{who}-01")
        assert r.status_code == status and r.json()["error"]["code"] == code, who
    r = await note(live, w.tokens["fo"], tid, SECRET, "note-ok-0001")
    assert r.status_code == 201
    for who in ("fo_b", "spv_other"):
        async with live.http(w.tokens[who]) as http:
            assert (await http.get(f"/api/tickets/{tid}/events")).status_code == 404
        outsider = await connect(live.url, w.tokens[who])
        try:
            for event, data in (
                ("join", {"ticket_id": tid, "after_seq": 0}),
                ("history", {"ticket_id": tid}),
                ("missing", {"ticket_id": tid, "after_seq": 0}),
            ):
                ack = await outsider.call(event, data)
                assert ack["error"]["code"] == "not_found", (who, event)
        finally:
            await outsider.close()
    async with live.http(w.tokens["spv"]) as http:  # the kecamatan's supervisor: yes
        r = await http.post(
            f"/api/tickets/{tid}/notes", json={"client_id": "note-spv-001", "body": "  "}
        )
        assert r.json()["error"] == {**r.json()["error"], "code": "invalid", "field": "body"}
        r = await http.post(
            f"/api/tickets/{tid}/notes", json={"client_id": "note-spv-001", "body": "Cek"}
        )
        assert r.status_code == 201
    # a client_id already used by a comment is not silently turned into a note
    fo = await connect(live.url, w.tokens["fo"])
    try:
        sent = await fo.call("send", {"ticket_id": tid, "client_id": "shared-01", "body": "Hai"})
        assert sent["ok"]
    finally:
        await fo.close()
    r = await note(live, w.tokens["fo"], tid, "lain", "shared-01")
    assert r.status_code == 422 and r.json()["error"]["field"] == "client_id"
    # and the other way round: a note's client_id is no comment's (nor echoes the note)
    fo = await connect(live.url, w.tokens["fo"])
    try:
        ack = await fo.call("send", {"ticket_id": tid, "client_id": "note-ok-0001", "body": "x"})
        assert ack["ok"] is False and ack["error"]["field"] == "client_id", ack
    finally:
        await fo.close()


async def test_a_disposition_shows_the_applicant_the_desk_not_the_note(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    tid = await w.new_ticket()
    await w.act("fo", tid, "start_verification")
    await w.act("fo", tid, "verify")  # SKTM is high risk: on the staff's desk
    citizen = await joined(live, w.tokens["citizen"], tid)
    staff = await joined(live, w.tokens["staff"], tid)
    try:
        async with live.http(w.tokens["fo"]) as http:
            r = await http.post(
                f"/api/tickets/{tid}/dispose",
                json={"version": 3, "note": SECRET, "to_user_id": w.users["staff"]},
            )
            assert r.status_code == 200, r.text
        public = await citizen.wait_for("ticket_event", lambda e: e["kind"] == "disposed")
        assert public["payload"] == {"to_role": "staff"} and public["redacted"] is True
        # the officer in both rooms gets the redacted copy and the whole one
        await staff.wait_for("ticket_event", lambda e: "note" in e["payload"])
        copies = [e for e in staff.events("ticket_event") if e["kind"] == "disposed"]
        assert sorted(bool(e.get("redacted")) for e in copies) == [False, True]
        whole = next(e for e in copies if not e.get("redacted"))
        assert whole["payload"]["note"] == SECRET
        assert whole["payload"]["to_user"] == {"id": w.users["staff"], "name": "Uji staff"}
        # resume and the ticket view follow the same line
        ack = await citizen.call("join", {"ticket_id": tid, "after_seq": 3})
        assert ack["events"][0]["payload"] == {"to_role": "staff"}
        async with live.http(w.tokens["citizen"]) as http:
            view = (await http.get(f"/api/tickets/{tid}")).json()["ticket"]
        assert view["holder"] == {"desk": "staff", "officer": None}
        assert view["assignee_id"] is None
        async with live.http(w.tokens["fo"]) as http:
            view = (await http.get(f"/api/tickets/{tid}")).json()["ticket"]
        assert view["holder"]["officer"]["name"] == "Uji staff"
        assert view["assignee_id"] == w.users["staff"]
        assert "internal_note" not in kinds(citizen.events("ticket_event"))
        assert SECRET not in str(citizen.received)
    finally:
        await citizen.close()
        await staff.close()


async def test_no_note_is_printed_on_the_receipt_or_the_letter(
    live: RunningHub, live_world: World
) -> None:
    from tests.letters.helpers import NIP, give_nip, pdf_text, walk_in_awaiting

    w = live_world
    await give_nip(live.hub, w.users["approver"])
    tid, code = await walk_in_awaiting(w)
    assert (await note(live, w.tokens["fo"], tid, SECRET, "note-print-1")).status_code == 201
    await w.act("approver", tid, "approve")
    async with live.http(w.tokens["fo"]) as http:
        pdf = await http.get(f"/api/tickets/{tid}/letter.pdf")
        letter = await http.get(f"/api/tickets/{tid}/letter")
    assert pdf.status_code == 200, pdf.text
    text = pdf_text(pdf.content)
    assert f"NIP. {NIP}" in text and SECRET not in text
    assert SECRET not in letter.text
    async with live.http() as http:
        receipt = await http.get(f"/tickets/{tid}/receipt", params={"code": code})
    assert receipt.status_code == 200 and SECRET not in receipt.text


async def test_after_an_outage_the_ticket_room_is_resent_its_latest_public_event(
    live: RunningHub, live_world: World
) -> None:
    """The re-send after a Redis re-subscription goes to the ticket's room, where the
    applicant is: it is the latest event the public may see, never a newer note."""
    from chat import actions

    w = live_world
    tid = await w.new_ticket()
    assert (await note(live, w.tokens["fo"], tid, SECRET, "note-late-01")).status_code == 201
    latest = await actions.latest_event(live.hub, tid)
    assert latest is not None and latest["kind"] == "created" and latest["seq"] == 1
