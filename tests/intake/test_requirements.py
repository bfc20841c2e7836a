"""Requirements per letter type: every one of the 16 with its documents (and the file kinds
each accepts) and its form, public in ``/api/reference``, edited by admins; migration 0007
adds what older databases lack without overwriting admins' edits."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from alembic import command
from sqlalchemy import text

from hub import catalog
from hub.db import Database
from hub.migrate import alembic_config
from tests.intake.helpers import data
from tests.support.server import RunningHub
from tests.support.world import World

pytestmark = pytest.mark.both_dbs


async def test_citizens_see_each_letters_documents_and_form(
    live: RunningHub, live_world: World
) -> None:
    async with live.http() as http:  # public: no login
        services = {s["code"]: s for s in data(await http.get("/api/reference"))["services"]}
    assert len(services) == 16
    for code, s in services.items():
        docs = {r["code"] for r in s["requirements"]}
        fields = {f["code"]: f for f in s["fields"]}
        assert "KEPERLUAN" in fields and fields["KEPERLUAN"]["kind"] == "textarea", code
        assert all(r["accepts"] for r in s["requirements"]), code
        if code not in ("DYO", "PMW"):  # an organisation's or an area's letters
            assert {"PENGANTAR_RT_RW", "KK"} <= docs or code == "DYO", code
    kwni = {r["code"]: r for r in services["KWNI"]["requirements"]}
    assert kwni["KET_RS"]["required"] is True and "RT/RW" in kwni["KET_RS"]["name"]
    assert "KTP_PASANGAN" in {r["code"] for r in services["NA"]["requirements"]}
    na_fields = {f["code"] for f in services["NA"]["fields"]}
    assert {"NAMA_PASANGAN", "TANGGAL_LAHIR_PASANGAN"} <= na_fields
    photo = next(r for r in services["SKCK"]["requirements"] if r["code"] == "PAS_FOTO")
    assert photo["accepts"] == ["image"]
    status = {f["code"]: f for f in services["JD"]["fields"]}["STATUS"]
    assert status["kind"] == "select" and status["options"] == ["Janda", "Duda"]


async def test_admins_edit_accepted_kinds_and_form_fields(
    live: RunningHub, live_world: World
) -> None:
    async with live.http(live_world.tokens["admin"]) as http:
        [ll] = [
            s for s in data(await http.get("/api/admin/services"))["services"] if s["code"] == "LL"
        ]
        sid = ll["id"]
        reqs: list[dict[str, Any]] = [
            {"code": "KTP", "name": "KTP-el", "name_en": "ID card", "accepts": ["pdf"]},
            {"code": "SURAT_RT", "name": "Surat RT", "name_en": "RT letter", "required": False},
        ]
        r = data(
            await http.put(f"/api/admin/services/{sid}/requirements", json={"requirements": reqs})
        )
        assert [(x["code"], x["accepts"]) for x in r["service"]["requirements"]] == [
            ("KTP", ["pdf"]),
            ("SURAT_RT", ["image", "pdf"]),
        ]
        fields: list[dict[str, Any]] = [
            {"code": "KEPERLUAN", "label": "Keperluan", "label_en": "Purpose", "kind": "textarea"},
            {"code": "JENIS", "label": "Jenis usaha", "label_en": "Business", "kind": "select",
             "options": ["Dagang", "Jasa"], "required": False},
        ]  # fmt: skip
        r = data(await http.put(f"/api/admin/services/{sid}/fields", json={"fields": fields}))
        assert [(f["code"], f["kind"], f["options"]) for f in r["service"]["fields"]] == [
            ("KEPERLUAN", "textarea", []),
            ("JENIS", "select", ["Dagang", "Jasa"]),
        ]
        select_without = await http.put(
            f"/api/admin/services/{sid}/fields",
            json={"fields": [{**fields[1], "options": []}]},
        )
        bad_kind = await http.put(
            f"/api/admin/services/{sid}/requirements",
            json={"requirements": [{**reqs[0], "accepts": ["doc"]}]},
        )
        audit = data(await http.get("/api/admin/audit"))["entries"]
    assert select_without.status_code == bad_kind.status_code == 422
    assert audit[0]["action"] == "service.fields"
    assert audit[0]["summary"]["after"]["codes"] == ["KEPERLUAN", "JENIS"]
    async with live.http(live_world.tokens["fo"]) as http:
        refused = await http.put(f"/api/admin/services/{sid}/fields", json={"fields": fields})
    assert refused.status_code == 403
    async with live.http() as http:
        ref = {s["code"]: s for s in data(await http.get("/api/reference"))["services"]}
    assert [f["code"] for f in ref["LL"]["fields"]] == ["KEPERLUAN", "JENIS"]
    async with live.http(live_world.tokens["citizen"]) as http:
        d = data(await http.post("/api/drafts", json={"service_code": "LL"}), 201)["draft"]
        bad = await http.patch(f"/api/drafts/{d['id']}", json={"form": {"JENIS": "Tani"}})
        good = await http.patch(f"/api/drafts/{d['id']}", json={"form": {"JENIS": "Jasa"}})
    assert bad.json()["error"]["field"] == "form.JENIS" and good.status_code == 200


OLD_SERVICES = [
    "INSERT INTO service_types (id, code, name, name_en, risk, office_level, sla_hours, "
    "standard_value, standard_unit) VALUES "
    "(1, 'KWNI', 'Kematian', 'Death', 'high', 'kelurahan', 24, 1, 'working_days'),"
    "(2, 'NA', 'Nikah', 'Marriage', 'low', 'kelurahan', 24, 1, 'working_days'),"
    "(3, 'SKCK', 'SKCK', 'Police', 'high', 'kelurahan', 24, 1, 'working_days')",
    "INSERT INTO service_requirements (service_type_id, code, name, name_en, position, required) "
    "VALUES (1, 'KET_RS', 'Surat keterangan kematian dari rumah sakit/dokter', "
    "'Death statement from the hospital or doctor', 0, false),"
    "(2, 'KET_RS', 'Surat keterangan kematian dari rumah sakit/dokter', "
    "'Death statement from the hospital or doctor', 0, false),"
    "(2, 'KK', 'KK (admin)', 'Family card', 1, true),"
    "(3, 'PAS_FOTO', 'Pas foto', 'Photo', 0, true)",
]


async def _sql(url: str, statements: list[str]) -> list[tuple[object, ...]]:
    db = Database(url)
    rows: list[tuple[object, ...]] = []
    try:
        async with db.transaction() as session:
            for sql in statements:
                result = await session.execute(text(sql))
                if sql.startswith("SELECT"):
                    rows += [tuple(r) for r in result]
    finally:
        await db.close()
    return rows


async def test_0007_adds_what_is_missing_and_keeps_admins_edits(any_db_url: str) -> None:
    cfg = alembic_config(any_db_url)
    await asyncio.to_thread(command.downgrade, cfg, "0006")
    await _sql(any_db_url, OLD_SERVICES)
    await asyncio.to_thread(command.upgrade, cfg, "head")
    reqs = await _sql(
        any_db_url,
        ["SELECT service_type_id, code, required, accepts FROM service_requirements "
         "ORDER BY service_type_id, position"],
    )  # fmt: skip
    assert reqs == [
        (1, "KET_RS", True, "image,pdf"),  # as 0005 shipped it: now required
        (2, "KET_RS", False, "image,pdf"),  # not NA's own: left alone
        (2, "KK", True, "image,pdf"),
        (2, "KTP_PASANGAN", True, "image,pdf"),  # new for NA
        (3, "PAS_FOTO", True, "image"),
    ]
    fields = await _sql(any_db_url, ["SELECT service_type_id, code FROM service_form_fields"])
    expected = {
        (sid, f.code)
        for sid, code in ((1, "KWNI"), (2, "NA"), (3, "SKCK"))
        for f in catalog.FORM_FIELDS[code]
    }
    assert set(fields) == expected
    # idempotent: down and up again gives the same
    await asyncio.to_thread(command.downgrade, cfg, "0006")
    await asyncio.to_thread(command.upgrade, cfg, "head")
    assert len(await _sql(any_db_url, ["SELECT id FROM service_form_fields"])) == len(expected)
