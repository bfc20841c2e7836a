"""Pickup: at the counter with the access code or the receipt's QR, or by download where the
office allows electronic delivery; a wrong code changes nothing."""

from __future__ import annotations

from hub.models import TicketStatus
from hub.ratelimit import RECEIPT_FAILURES
from tests.letters.helpers import approved, call, kinds_of, letter_of, ticket_of, walk_in_awaiting
from tests.support.server import RunningHub
from tests.support.world import World


async def _ready_walk_in(live: RunningHub, w: World) -> tuple[int, str]:
    tid, code = await walk_in_awaiting(w)
    await w.act("approver", tid, "approve")
    return tid, code


async def test_siap_diambil_shows_the_place_and_the_hours(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    tid = await approved(w)
    r = await call(live, "citizen", w, "GET", f"/api/tickets/{tid}/letter")
    assert r.status_code == 200, r.text
    info = r.json()
    assert info["pickup"]["office"]["name"] == "Kelurahan Sukasari"
    assert info["pickup"]["hours"]["mon"] == {"open": "07:30", "close": "16:00"}
    assert info["pickup"]["hours"]["sun"] is None
    assert info["pickup"]["ready"] is True and info["pickup"]["electronic_delivery"] is False
    assert info["letter"]["status"] == "valid" and info["letter"]["handed_over_at"] is None
    other = await call(live, "citizen2", w, "GET", f"/api/tickets/{tid}/letter")
    assert other.status_code == 404


async def test_a_wrong_code_changes_nothing_the_right_one_hands_it_over(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    tid, code = await _ready_walk_in(live, w)
    before = await ticket_of(live.hub, tid)
    events = await kinds_of(live.hub, tid)
    url = f"/api/tickets/{tid}/pickup"
    wrong = await call(live, "fo", w, "POST", url, json={"version": before.version,
                                                         "access_code": "ZZZZZZZZ"})  # fmt: skip
    assert wrong.status_code == 422
    assert wrong.json()["error"] == {
        "code": "invalid", "reason": "access_code_wrong", "message": "Wrong access code",
        "field": "access_code",
    }  # fmt: skip
    after = await ticket_of(live.hub, tid)
    assert (after.status, after.version) == (TicketStatus.approved, before.version)
    assert await kinds_of(live.hub, tid) == events
    for who, status in (("staff", 403), ("approver", 403), ("fo_b", 404), ("citizen", 404)):
        r = await call(live, who, w, "POST", url, json={"version": 1, "access_code": code})
        assert r.status_code == status, (who, r.text)
    plain = await call(live, "fo", w, "POST", f"/api/tickets/{tid}/transition",
                       json={"action": "complete", "version": before.version})  # fmt: skip
    assert plain.status_code == 422 and plain.json()["error"]["field"] == "action"
    r = await call(live, "fo", w, "POST", url, json={
        "version": before.version, "access_code": code.lower(), "collector_name": "Pak Suami",
    })  # fmt: skip
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ticket"]["status"] == "completed"
    assert body["letter"]["collector_name"] == "Pak Suami"
    assert body["letter"]["pickup_method"] == "access_code"
    assert body["receipt_url"] == f"/tickets/{tid}/pickup-receipt"
    assert (await kinds_of(live.hub, tid))[-2:] == ["status_changed", "letter_handed_over"]
    receipt = await call(live, "fo", w, "GET", body["receipt_url"])
    letter = await letter_of(live.hub, tid)
    assert letter is not None
    assert receipt.status_code == 200
    for text in (letter.number, "Pak Suami", "Uji fo", "Tanda terima pengambilan"):
        assert text in receipt.text
    again = await call(live, "fo", w, "POST", url, json={"version": 99, "access_code": code})
    assert again.json()["error"]["code"] == "invalid_transition"
    stranger = await call(live, "citizen", w, "GET", body["receipt_url"])
    assert stranger.status_code == 404


async def test_wrong_codes_are_limited_per_ticket(live: RunningHub, live_world: World) -> None:
    w = live_world
    tid, code = await _ready_walk_in(live, w)
    url = f"/api/tickets/{tid}/pickup"
    for _ in range(RECEIPT_FAILURES.burst):
        r = await call(live, "fo", w, "POST", url, json={"version": 1, "access_code": "XXXX"})
        assert r.json()["error"]["field"] == "access_code"
    r = await call(live, "fo", w, "POST", url, json={"version": 1, "access_code": code})
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited"


async def test_the_receipt_qr_finds_the_ticket_and_hands_over_with_the_id_checked(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    tid, _code = await _ready_walk_in(live, w)
    other = await approved(w)
    version = (await ticket_of(live.hub, tid)).version
    scanned = f"{live.url}/t/{tid}"
    found = await call(live, "fo", w, "GET", "/api/pickup/lookup", params={"q": scanned})
    assert found.json()["ticket_id"] == tid
    number = (await ticket_of(live.hub, tid)).number
    by_number = await call(live, "fo", w, "GET", "/api/pickup/lookup", params={"q": number})
    assert by_number.json()["ticket_id"] == tid
    for who in ("citizen", "fo_b"):
        r = await call(live, who, w, "GET", "/api/pickup/lookup", params={"q": scanned})
        assert r.status_code == 404
    url = f"/api/tickets/{tid}/pickup"
    wrong = await call(live, "fo", w, "POST", url,
                       json={"version": version, "scanned": f"{live.url}/t/{other}",
                             "id_checked": True})  # fmt: skip
    assert wrong.json()["error"]["field"] == "scanned"
    unchecked = await call(live, "fo", w, "POST", url, json={"version": version,
                                                             "scanned": scanned})  # fmt: skip
    assert unchecked.json()["error"]["field"] == "id_checked"
    both = await call(live, "fo", w, "POST", url, json={"version": version})
    assert both.json()["error"]["code"] == "invalid"
    r = await call(live, "fo", w, "POST", url,
                   json={"version": version, "scanned": scanned, "id_checked": True})  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["letter"]["pickup_method"] == "qr"
    assert r.json()["letter"]["collector_name"] == "Ibu Tamu"


async def test_electronic_delivery_the_download_completes_the_request(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    tid = await approved(w)
    receive = f"/api/tickets/{tid}/letter/receive"
    closed = await call(live, "citizen", w, "POST", receive, json={})
    assert closed.status_code == 403  # this office hands letters over at the counter
    version = (await ticket_of(live.hub, tid)).version
    generic = await call(live, "citizen", w, "POST", f"/api/tickets/{tid}/transition",
                         json={"action": "complete", "version": version})  # fmt: skip
    assert generic.json()["error"]["field"] == "action"  # only through the hand-over
    assert (await ticket_of(live.hub, tid)).version == version
    settings = f"/api/admin/offices/{w.offices['kel_a']}/letters"
    r = await call(live, "admin", w, "PUT", settings, json={"electronic_delivery": True})
    assert r.status_code == 200 and r.json()["settings"]["electronic_delivery"] is True
    info = (await call(live, "citizen", w, "GET", f"/api/tickets/{tid}/letter")).json()
    assert info["pickup"]["electronic_delivery"] is True
    assert (await call(live, "fo", w, "POST", receive, json={})).status_code == 403
    got = await call(live, "citizen", w, "POST", receive, json={})
    assert got.status_code == 200, got.text
    assert got.json()["ticket"]["status"] == "completed"
    assert got.json()["letter"]["delivery"] == "download"
    assert (await call(live, "citizen", w, "POST", receive, json={})).status_code == 200
    pdf = await call(live, "citizen", w, "GET", f"/api/tickets/{tid}/letter.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    kinds = await kinds_of(live.hub, tid)
    assert kinds[-2:] == ["status_changed", "letter_handed_over"]
    assert kinds.count("letter_handed_over") == 1
    receipt = await call(live, "citizen", w, "GET", f"/tickets/{tid}/pickup-receipt")
    assert receipt.status_code == 200 and "Diunduh pemohon" in receipt.text  # the e-receipt
    counter = await call(live, "fo", w, "POST", f"/api/tickets/{tid}/pickup",
                         json={"version": 9, "access_code": "X"})  # fmt: skip
    assert counter.json()["error"]["code"] == "invalid_transition"


async def test_a_revoked_letter_is_not_handed_over(live: RunningHub, live_world: World) -> None:
    w = live_world
    tid, code = await _ready_walk_in(live, w)
    await call(live, "approver", w, "POST", f"/api/tickets/{tid}/letter/revoke",
               json={"reason": "Salah nama"})  # fmt: skip
    version = (await ticket_of(live.hub, tid)).version
    r = await call(live, "fo", w, "POST", f"/api/tickets/{tid}/pickup",
                   json={"version": version, "access_code": code})  # fmt: skip
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"
