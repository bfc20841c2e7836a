"""The citizen's request: a draft kept on the server, one upload per document, checked by
kind, and the submit that turns a complete draft into a ticket (and nothing otherwise)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hub.intake.models import RequestFile
from hub.models import QueueCounter, Ticket
from tests.intake.helpers import JPEG, LL_DOCS, LL_FORM, PDF, TEXT, complete_draft, data
from tests.support.server import RunningHub
from tests.support.world import World

pytestmark = pytest.mark.both_dbs


async def _count(live: RunningHub, model: type) -> int:
    async with live.hub.reader() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_draft_survives_and_takes_one_file_per_document(
    live: RunningHub, live_world: World
) -> None:
    kel_a = live_world.offices["kel_a"]
    async with live.http(live_world.tokens["citizen"]) as http:
        draft = data(await http.post("/api/drafts", json={"service_code": "LL"}), 201)["draft"]
        assert [d["code"] for d in draft["documents"]] == list(LL_DOCS)
        assert draft["ready"] is False and draft["office_id"] is None
        d = draft["id"]
        data(await http.patch(f"/api/drafts/{d}", json={"office_id": kel_a, "form": LL_FORM}))
        first = data(await http.post(f"/api/drafts/{d}/files/KTP?name=ktp.jpg", content=JPEG), 201)
        again = data(await http.post(f"/api/drafts/{d}/files/KTP?name=ktp.pdf", content=PDF), 201)
        # a reload (another request, another device) sees the same draft
        [listed] = data(await http.get("/api/drafts"))["drafts"]
        got = await http.get(again["file"]["url"])
    assert got.content == PDF and first["file"]["id"] != again["file"]["id"]
    assert listed["id"] == d and listed["form"] == LL_FORM and listed["office_id"] == kel_a
    files = {x["code"]: x["file"] for x in listed["documents"]}
    assert files["KTP"]["name"] == "ktp.pdf" and files["KK"] is None
    assert listed["missing"] == {"documents": ["PENGANTAR_RT_RW", "KK"], "fields": []}


async def test_a_wrong_file_kind_or_value_is_refused_and_nothing_is_stored(
    live: RunningHub, live_world: World
) -> None:
    async with live.http(live_world.tokens["citizen"]) as http:
        draft = data(await http.post("/api/drafts", json={"service_code": "SKCK"}), 201)["draft"]
        d = draft["id"]
        photo = next(x for x in draft["documents"] if x["code"] == "PAS_FOTO")
        assert photo["accepts"] == ["image"]
        pdf_photo = await http.post(f"/api/drafts/{d}/files/PAS_FOTO?name=foto.pdf", content=PDF)
        text_ktp = await http.post(f"/api/drafts/{d}/files/KTP?name=ktp.jpg", content=TEXT)
        unknown = await http.post(f"/api/drafts/{d}/files/AKTA?name=x.jpg", content=JPEG)
        bad_date = await http.patch(f"/api/drafts/{d}", json={"form": {"TANGGAL_LAHIR": "31-02"}})
        bad_field = await http.patch(f"/api/drafts/{d}", json={"form": {"NOPE": "x"}})
        wrong_office = await http.patch(
            f"/api/drafts/{d}", json={"office_id": live_world.offices["kec"]}
        )
        after = data(await http.get(f"/api/drafts/{d}"))["draft"]
    for r, field in ((pdf_photo, "file"), (text_ktp, "file")):
        assert r.status_code == 422 and r.json()["error"]["field"] == field, r.text
    assert pdf_photo.json()["error"]["accepts"] == ["image"]
    assert unknown.status_code == 404
    assert bad_date.json()["error"]["field"] == "form.TANGGAL_LAHIR"
    assert bad_field.json()["error"]["field"] == "form.NOPE"
    assert wrong_office.json()["error"]["field"] == "office_id"
    assert after["form"] == {} and after["office_id"] is None
    assert all(x["file"] is None for x in after["documents"])
    assert await _count(live, RequestFile) == 0
    assert list(live.settings.attachments_dir.iterdir()) == []


async def test_an_incomplete_draft_opens_nothing_and_a_complete_one_becomes_the_ticket(
    live: RunningHub, live_world: World
) -> None:
    kel_a = live_world.offices["kel_a"]
    async with live.http(live_world.tokens["citizen"]) as http:
        d = data(
            await http.post("/api/drafts", json={"service_code": "LL", "office_id": kel_a}), 201
        )["draft"]["id"]
        data(await http.post(f"/api/drafts/{d}/files/KTP?name=k.jpg", content=JPEG), 201)
        early = await http.post("/api/tickets", json={"draft_id": d})
        mixed = await http.post(
            "/api/tickets", json={"draft_id": d, "service_code": "LL", "office_id": kel_a}
        )
    assert early.status_code == 422, early.text
    problems = {f["field"] for f in early.json()["error"]["fields"]}
    assert problems == {"form.PERIHAL", "form.KEPERLUAN"}
    assert mixed.json()["error"]["field"] == "service_code"
    assert await _count(live, Ticket) == 0 and await _count(live, QueueCounter) == 0

    d = await complete_draft(live, live_world)
    async with live.http(live_world.tokens["citizen"]) as http:
        made = data(await http.post("/api/tickets", json={"draft_id": d}), 201)
        tid = made["ticket"]["id"]
        view = data(await http.get(f"/api/tickets/{tid}/request"))
        twice = await http.post("/api/tickets", json={"draft_id": d})
        gone = await http.get(f"/api/drafts/{d}")
        file = await http.get(view["documents"][0]["file"]["url"])
    assert made["ticket"]["service"]["code"] == "LL" and made["ticket"]["office_id"] == kel_a
    assert (
        made["ticket"]["channel"] == "online" and made["receipt_url"] == f"/tickets/{tid}/receipt"
    )
    assert {f["code"]: f["value"] for f in view["form"]} == LL_FORM
    assert [(x["code"], x["state"], x["file"] is not None) for x in view["documents"]] == [
        (c, "pending", True) for c in LL_DOCS
    ]
    assert view["access_code"] == made["access_code"]
    assert twice.status_code == 404 and gone.status_code == 404  # the draft is used up
    assert file.status_code == 200 and file.content in (JPEG, PDF)


async def test_drafts_are_their_owners_alone(live: RunningHub, live_world: World) -> None:
    d = await complete_draft(live, live_world)
    for who in ("citizen2", "fo", "admin"):
        async with live.http(live_world.tokens[who]) as http:
            seen = await http.get(f"/api/drafts/{d}")
            file = await http.get(f"/api/drafts/{d}/files/KTP")
            put = await http.post(f"/api/drafts/{d}/files/KTP?name=x.jpg", content=JPEG)
            submit = await http.post("/api/tickets", json={"draft_id": d})
        expected = 404 if who == "citizen2" else 403
        assert seen.status_code == file.status_code == put.status_code == expected, who
        assert submit.status_code in (403, 404), (who, submit.text)
    async with live.http() as http:
        assert (await http.get(f"/api/drafts/{d}")).status_code == 401
    async with live.http(live_world.tokens["citizen"]) as http:
        assert data(await http.get(f"/api/drafts/{d}"))["draft"]["ready"] is True
        for _ in range(4):
            data(await http.post("/api/drafts", json={"service_code": "LL"}), 201)
        sixth = await http.post("/api/drafts", json={"service_code": "LL"})
        assert sixth.json()["error"]["code"] == "conflict"
        data(await http.delete(f"/api/drafts/{d}"))
        assert (await http.get(f"/api/drafts/{d}")).status_code == 404
