"""Internal notes stay with the office on the paths main grew since notes were written:
Web Push, comment corrections (edit and delete), the request's form and checklist, the
applicant's list of requests, the printable receipt in each layout, the letter's pickup
receipt and its public verification page (#18 item 8)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.letters.helpers import call, give_nip, letter_of, walk_in_awaiting
from tests.notifications.helpers import rows_of, runtime_of, say
from tests.notifications.push_receiver import Receiver, run_receiver
from tests.support.server import RunningHub, connect
from tests.support.world import World

SECRET = "Pemohon pernah ditolak 2023, cek ulang KK"


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with run_receiver() as r:
        yield r


async def note(live: RunningHub, w: World, who: str, tid: int, client_id: str) -> dict[str, Any]:
    r = await call(live, who, w, "POST", f"/api/tickets/{tid}/notes",
                   json={"client_id": client_id, "body": SECRET})  # fmt: skip
    assert r.status_code == 201, r.text
    event = r.json()["event"]
    assert isinstance(event, dict)
    return event


async def test_a_note_pushes_nothing_and_is_no_comment_to_correct(
    live: RunningHub, live_world: World, receiver: Receiver
) -> None:
    w = live_world
    for who, device in (("citizen", "phone"), ("fo", "fo-laptop")):
        r = await call(live, who, w, "POST", "/api/push/subscribe",
                       json=receiver.device(device).subscription())  # fmt: skip
        assert r.status_code == 201, r.text
    tid = await w.new_ticket()
    seq = (await note(live, w, "staff", tid, "note-push-01"))["seq"]
    # its author cannot turn it into a public comment_edited / comment_deleted
    staff = await connect(live.url, w.tokens["staff"])
    try:
        for event, data in (
            ("edit", {"ticket_id": tid, "seq": seq, "body": "sekarang publik"}),
            ("delete", {"ticket_id": tid, "seq": seq}),
        ):
            ack = await staff.call(event, data)
            assert ack["ok"] is False and ack["error"]["code"] == "not_found", (event, ack)
    finally:
        await staff.close()
    # a comment after the note: both concerned get its push, and only its push
    await say(w, "staff", tid, "Berkas Anda sedang kami periksa")
    pushes = [await receiver.next(), await receiver.next()]
    await runtime_of(live.sio).idle()
    assert receiver.inbox.empty()
    assert sorted(p.device for p in pushes) == ["fo-laptop", "phone"]
    for push in pushes:
        payload = receiver.decrypt(push)
        assert payload["tag"] == f"ticket-{tid}-comment" and SECRET not in str(payload)
    for who in ("citizen", "fo"):
        assert [n.kind for n in await rows_of(live.hub, w.users[who])] == ["comment"], who
    events = (await call(live, "citizen", w, "GET", f"/api/tickets/{tid}/events")).json()
    assert [e["kind"] for e in events["events"]] == ["created", "comment"]


async def test_the_applicant_s_request_list_and_receipts_carry_no_note(
    live: RunningHub, live_world: World
) -> None:
    from tests.intake.helpers import submit_online

    w = live_world
    created = await submit_online(live, w)
    tid = created["ticket"]["id"]
    await note(live, w, "fo", tid, "note-paper-01")
    await w.act("fo", tid, "start_verification")  # a public event after the note
    for url, params in (
        (f"/api/tickets/{tid}/request", {}),  # the form and the documents' checklist
        ("/api/tickets", {}),  # my requests
        (f"/api/tickets/{tid}", {}),
        (created["receipt_url"], {}),  # the resi, logged in, in each layout
        (created["receipt_url"], {"layout": "58"}),
        (created["receipt_url"], {"layout": "a4"}),
        ("/api/notifications", {}),
    ):
        r = await call(live, "citizen", w, "GET", url, params=params)
        assert r.status_code == 200, (url, r.text)
        assert SECRET not in r.text, url
    view = (await call(live, "citizen", w, "GET", f"/api/tickets/{tid}/request")).json()
    assert [d["code"] for d in view["documents"]] == ["PENGANTAR_RT_RW", "KTP", "KK"]


async def test_no_note_on_the_pickup_receipt_or_the_verification_page(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    await give_nip(live.hub, w.users["approver"])
    tid, code = await walk_in_awaiting(w)
    await note(live, w, "approver", tid, "note-pickup-1")
    await w.act("approver", tid, "approve")
    ticket = (await call(live, "fo", w, "GET", f"/api/tickets/{tid}")).json()["ticket"]
    r = await call(live, "fo", w, "POST", f"/api/tickets/{tid}/pickup",
                   json={"version": ticket["version"], "access_code": code})  # fmt: skip
    assert r.status_code == 200, r.text
    receipt = await call(live, "fo", w, "GET", r.json()["receipt_url"])
    assert receipt.status_code == 200 and SECRET not in receipt.text
    letter = await letter_of(live.hub, tid)
    assert letter is not None
    for url in (f"/verify/{letter.verify_code}", f"/api/verify/{letter.verify_code}"):
        page = await call(live, None, w, "GET", url)
        assert page.status_code == 200 and SECRET not in page.text, url
