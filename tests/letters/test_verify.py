"""The public check a letter's QR code leads to, and revocation by the approver."""

from __future__ import annotations

import pytest

from hub.letters import service
from hub.letters.verify import VERIFY_LOOKUPS
from tests.letters.helpers import approved, call, kinds_of, letter_of
from tests.support.server import RunningHub
from tests.support.world import World


async def test_the_public_check_names_the_letter_and_nothing_personal(
    live: RunningHub, live_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = live_world

    async def form(unit: object, t: object) -> tuple[list[tuple[str, str, str]], None]:
        return [("KEPERLUAN", "Keperluan", "Melamar pekerjaan")], None

    monkeypatch.setattr(service, "request_of", form)
    tid = await approved(w, service_code="KLH")
    letter = await letter_of(live.hub, tid)
    assert letter is not None
    r = await call(live, None, w, "GET", f"/api/verify/{letter.verify_code}")
    assert r.status_code == 200
    found = r.json()["letter"]
    assert set(found) == {"type", "number", "date", "office", "status", "revoked_on"}
    assert found["type"] == "Surat Keterangan Kelahiran" and found["number"] == letter.number
    assert found["office"] == "Kelurahan Sukasari" and found["status"] == "valid"
    page = await call(live, None, w, "GET", f"/verify/{letter.verify_code}")
    assert page.status_code == 200 and "SAH" in page.text and letter.number in page.text
    assert "content-security-policy" in page.headers
    assert letter.content["purpose"] == "Melamar pekerjaan"
    for personal in ("Uji citizen", "Uji approver", "6281200000001", "Melamar pekerjaan"):
        assert personal not in page.text and personal not in r.text
    unknown = await call(live, None, w, "GET", f"/verify/{'A' * 32}")
    assert unknown.status_code == 404 and "tidak ditemukan" in unknown.text
    bad = await call(live, None, w, "GET", "/api/verify/short")
    assert bad.status_code == 404 and bad.json()["error"]["code"] == "not_found"


async def test_revoked_by_the_approver_with_a_reason_the_page_says_when_not_why(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    tid = await approved(w)
    letter = await letter_of(live.hub, tid)
    assert letter is not None
    url = f"/api/tickets/{tid}/letter/revoke"
    reason = {"reason": "Data kelahiran keliru"}
    for who, status in (("fo", 403), ("staff", 403), ("approver_b", 404), ("citizen", 403)):
        r = await call(live, who, w, "POST", url, json=reason)
        assert r.status_code == status, (who, r.text)
    empty = await call(live, "approver", w, "POST", url, json={"reason": "   "})
    assert empty.status_code == 422 and empty.json()["error"]["field"] == "reason"
    r = await call(live, "approver", w, "POST", url, json=reason)
    assert r.status_code == 200, r.text
    assert r.json()["letter"]["status"] == "revoked"
    again = await call(live, "approver", w, "POST", url, json=reason)
    assert again.json()["error"]["code"] == "invalid_transition"
    assert (await kinds_of(live.hub, tid))[-1] == "letter_revoked"
    found = (await call(live, None, w, "GET", f"/api/verify/{letter.verify_code}")).json()
    assert found["letter"]["status"] == "revoked" and found["letter"]["revoked_on"]
    page = await call(live, None, w, "GET", f"/verify/{letter.verify_code}")
    assert "DICABUT" in page.text and "Data kelahiran keliru" not in page.text
    mine = await call(live, "citizen", w, "GET", f"/api/tickets/{tid}/letter")
    assert mine.json()["letter"]["revoke_reason"] == "Data kelahiran keliru"


async def test_lookups_are_limited_per_address(live: RunningHub, live_world: World) -> None:
    w = live_world
    async with live.http() as http:
        codes = [
            (await http.get(f"/api/verify/{'B' * 32}")).status_code
            for _ in range(VERIFY_LOOKUPS.burst)
        ]
        assert set(codes) == {404}
        limited = await http.get(f"/verify/{'C' * 32}")
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        r = await http.get(f"/api/verify/{'D' * 32}")
        assert r.json()["error"]["code"] == "rate_limited"
    del w
