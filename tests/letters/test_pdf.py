"""The letter's PDF: what it prints, that it is the same every time, and who may have it."""

from __future__ import annotations

import pytest

from hub.clock import JAKARTA, utcnow
from hub.letters import service
from hub.letters.document import long_date
from tests.letters.helpers import NIK, NIP, approved, call, give_nik, give_nip, letter_of, pdf_text
from tests.support.server import RunningHub
from tests.support.world import World


async def test_the_pdf_prints_the_letter_with_its_qr_link(
    live: RunningHub, live_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = live_world

    async def form(unit: object, t: object) -> tuple[list[tuple[str, str, str]], None]:
        return [("KEPERLUAN", "Keperluan", "Pembuatan akta kelahiran"),
                 ("NAMA_BAYI", "Nama anak", "Budi Santoso")], None  # fmt: skip

    monkeypatch.setattr(service, "request_of", form)  # the request's form (intake, #18)
    await give_nip(live.hub, w.users["approver"])
    await give_nik(live.hub, w.users["citizen"])
    tid = await approved(w, service_code="KLH")
    letter = await letter_of(live.hub, tid)
    assert letter is not None
    r = await call(live, "fo", w, "GET", f"/api/tickets/{tid}/letter.pdf")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["content-disposition"].startswith("attachment;")
    text = pdf_text(r.content)
    today = utcnow().astimezone(JAKARTA).date()
    for expected in (
        "PEMERINTAH KOTA BOGOR",
        "KECAMATAN BOGOR TIMUR",
        "KELURAHAN SUKASARI",  # kel_a: BGR-BT-01
        "SURAT KETERANGAN KELAHIRAN",
        f"Nomor: {letter.number}",
        "Uji citizen",
        NIK,  # the applicant's own letter: the NIK, decrypted only to print it
        "keperluan: Pembuatan akta kelahiran",
        "Nama anak",
        "Budi Santoso",
        "Uji approver",
        f"NIP. {NIP}",
        "LURAH SUKASARI",
        f"Bogor, {long_date(today)}",
        f"{live.url}/verify/{letter.verify_code}",
    ):
        assert expected in text, expected
    again = await call(live, "approver", w, "GET", f"/api/tickets/{tid}/letter.pdf")
    assert again.content == r.content  # regenerated, byte for byte


async def test_only_the_applicant_and_the_office_officers_get_the_pdf(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    tid = await approved(w)
    url = f"/api/tickets/{tid}/letter.pdf"
    expected = {
        "fo": 200, "staff": 200, "approver": 200, "kec_fo": 200, "spv": 200,
        "citizen": 409,  # the applicant: once it was handed over
        "citizen2": 404, "fo_b": 404, "approver_b": 404, "spv_other": 404,
        "admin": 403,  # admins audit; personal data is not theirs to print
        None: 401,
    }  # fmt: skip
    got = {who: (await call(live, who, w, "GET", url)).status_code for who in expected}
    assert got == expected
    r = await call(live, "citizen", w, "GET", url)
    assert r.json()["error"]["code"] == "invalid_transition"
    none = await call(live, "fo", w, "GET", f"/api/tickets/{await w.new_ticket()}/letter.pdf")
    assert none.status_code == 404 and none.json()["error"]["code"] == "not_found"


async def test_without_a_form_the_purpose_is_the_service(
    live: RunningHub, live_world: World
) -> None:
    tid = await approved(live_world, service_code="KLH")
    r = await call(live, "fo", live_world, "GET", f"/api/tickets/{tid}/letter.pdf")
    text = pdf_text(r.content)
    assert "keperluan: Surat Keterangan Kelahiran" in text
    assert "NIK" not in text  # none stored: none printed
