"""Walk-in intake at the counter (NIK checked and kept only encrypted, the documents seen
marked OK by the officer) and the receipt: for the applicant and the office as they are,
for a code holder with ``?code=``, for nobody else."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, text

from hub.intake.models import TicketIntake
from tests.intake.helpers import data, request_view, submit_online
from tests.support.server import RunningHub
from tests.support.world import World

pytestmark = pytest.mark.both_dbs

NIK = "3271014507900003"
KLH_FORM = {
    "KEPERLUAN": "Akta kelahiran", "NAMA_BAYI": "Putri", "JENIS_KELAMIN": "Perempuan",
    "TANGGAL_LAHIR_ANAK": "2026-11-20", "TEMPAT_LAHIR_ANAK": "Bogor", "NAMA_AYAH": "Darto",
    "NAMA_IBU": "Tini",
}  # fmt: skip


def walk_in(world: World, **extra: Any) -> dict[str, Any]:
    return {
        "channel": "walk_in", "service_code": "KLH", "office_id": world.offices["kel_a"],
        "applicant_name": "Bu Tini", "applicant_phone": "0812-3333-4444", **extra,
    }  # fmt: skip


async def test_walk_in_intake_keeps_the_nik_sealed_and_marks_documents_seen(
    live: RunningHub, live_world: World
) -> None:
    body = walk_in(live_world, applicant_nik=NIK, form=KLH_FORM, documents_seen=["KTP_ORTU", "KK"])
    async with live.http(live_world.tokens["fo"]) as http:
        bad_nik = await http.post("/api/tickets", json={**body, "applicant_nik": "1234"})
        bad_doc = await http.post("/api/tickets", json={**body, "documents_seen": ["AKTA"]})
        part = await http.post("/api/tickets", json={**body, "form": {"KEPERLUAN": "x"}})
        made = data(await http.post("/api/tickets", json=body), 201)
    assert bad_nik.json()["error"]["field"] == "nik"
    assert bad_doc.json()["error"]["field"] == "documents_seen"
    assert part.json()["error"]["field"] == "form.NAMA_BAYI"
    tid = made["ticket"]["id"]
    assert made["ticket"]["queue"] == "A-001"  # the refused ones took no number
    async with live.http(live_world.tokens["citizen"]) as http:
        online = await http.post(
            "/api/tickets",
            json={"service_code": "KLH", "office_id": live_world.offices["kel_a"], "form": {}},
        )
    assert online.json()["error"]["field"] == "form"
    view = await request_view(live, live_world.tokens["fo"], tid)
    assert view["applicant_nik"] == "3271**********03"
    assert view["access_code"] == made["access_code"]
    states = {d["code"]: (d["state"], d["checked_by"]) for d in view["documents"]}
    assert states["KK"] == ("ok", {"id": live_world.users["fo"], "name": "Uji fo"})
    assert states["KET_LAHIR"] == ("pending", None)
    async with live.hub.reader() as session:
        row = await session.scalar(select(TicketIntake).where(TicketIntake.ticket_id == tid))
        raw = " ".join(
            str(v) for v in (await session.execute(text("SELECT * FROM ticket_intake"))).one()
        )
    assert row is not None and row.applicant_nik_hash and NIK not in raw
    assert made["access_code"] not in raw
    async with live.http(live_world.tokens["fo"]) as http:
        events = data(await http.get(f"/api/tickets/{tid}/events"))["events"]
    assert [e["kind"] for e in events] == ["created", "document_checked", "document_checked"]


async def test_receipt_url_works_as_given_for_its_owner_and_the_office(
    live: RunningHub, live_world: World
) -> None:
    made = await submit_online(live, live_world)
    url, code, number = made["receipt_url"], made["access_code"], made["ticket"]["number"]
    for who in ("citizen", "fo", "kec_fo", "spv"):
        async with live.http(live_world.tokens[who]) as http:
            page = await http.get(url)
        assert page.status_code == 200, (who, page.text)
        assert number in page.text and code in page.text and "<svg" in page.text
        assert page.headers["cache-control"] == "no-store"
        assert "default-src 'self'" in page.headers["content-security-policy"]
    for other in ("citizen2", "fo_b", None):
        async with live.http(live_world.tokens[other] if other else None) as http:
            page = await http.get(url)
        assert page.status_code == 404 and page.json()["error"]["code"] == "not_found", other
    async with live.http() as http:
        with_code = await http.get(f"{url}?code={code.lower()}&layout=58")
        wrong = await http.get(f"{url}?code=WRONG234")
        bad_layout = await http.get(f"{url}?code={code}&layout=b5")
    assert with_code.status_code == 200 and code in with_code.text
    assert "/static/receipt-58.css" in with_code.text
    assert wrong.status_code == 404
    assert bad_layout.status_code == 422


async def test_wrong_codes_on_the_receipt_stay_rate_limited(
    live: RunningHub, live_world: World
) -> None:
    tid, code = await live_world.walk_in()
    url = f"/tickets/{tid}/receipt"
    async with live.http() as http:
        answers = [(await http.get(f"{url}?code=WRONG{i:03d}")).status_code for i in range(6)]
        right = await http.get(f"{url}?code={code}")
    assert answers == [404] * 5 + [429]
    assert right.status_code == 429 and int(right.headers["retry-after"]) >= 1


async def test_the_ticket_page_data_shows_the_code_to_its_owner_only(
    live: RunningHub, live_world: World
) -> None:
    made = await submit_online(live, live_world)
    tid = made["ticket"]["id"]
    mine = await request_view(live, live_world.tokens["citizen"], tid)
    assert mine["access_code"] == made["access_code"] and mine["applicant_nik"] is None
    async with live.http(live_world.tokens["citizen2"]) as http:
        assert (await http.get(f"/api/tickets/{tid}/request")).status_code == 404
    async with live.http(live_world.tokens["fo"]) as http:
        page = await http.get(f"/tickets/{tid}/receipt?layout=80")
    assert "/static/receipt-80.css" in page.text
    assert 'role="img"' in page.text and f"/t/{tid}" in page.text
