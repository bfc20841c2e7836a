"""Kota Bogor's offices and the 16 services as reference data, and admins editing them."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from hub import catalog
from hub.accounts.models import OfficeHours, ServiceRequirement
from hub.accounts.reference import load_reference
from hub.context import Hub
from tests.support.server import RunningHub
from tests.support.world import World

CLOSED: dict[str, Any] = {"sat": None, "sun": None}
WEEK = {
    "mon": {"open": "07:30", "close": "16:00"},
    "tue": {"open": "07:30", "close": "16:00"},
    "wed": {"open": "07:30", "close": "16:00"},
    "thu": {"open": "07:30", "close": "16:00"},
    "fri": {"open": "07:30", "close": "16:30"},
    **CLOSED,
}


async def test_kota_bogor_six_kecamatan_sixty_eight_kelurahan(
    live: RunningHub, live_world: World
) -> None:
    async with live.http(live_world.tokens["admin"]) as http:
        offices = (await http.get("/api/admin/offices")).json()["offices"]
    levels = Counter(o["level"] for o in offices)
    assert levels == {"kota": 1, "kecamatan": 6, "kelurahan": 68}
    by_id = {o["id"]: o for o in offices}
    per_kecamatan = Counter(
        by_id[o["parent_id"]]["name"] for o in offices if o["level"] == "kelurahan"
    )
    assert per_kecamatan == {
        "Kecamatan Bogor Selatan": 16, "Kecamatan Bogor Timur": 6, "Kecamatan Bogor Utara": 8,
        "Kecamatan Bogor Tengah": 11, "Kecamatan Bogor Barat": 16, "Kecamatan Tanah Sareal": 11,
    }  # fmt: skip
    by_code = {o["kemendagri_code"]: o for o in offices}
    assert by_code["32.71"]["name"] == "Pemerintah Kota Bogor"
    assert by_code["32.71.02.1002"]["name"] == "Kelurahan Baranangsiang"
    assert by_code["32.71.02.1002"]["code"] == "BGR-BT-02"
    assert by_code["32.71.06.1011"]["name"] == "Kelurahan Cibadak"
    assert by_code["32.71.01.1016"]["code"] == "BGR-BS-16"
    for o in offices:  # every kelurahan under its kecamatan's code
        if o["level"] == "kelurahan":
            assert o["kemendagri_code"].startswith(by_id[o["parent_id"]]["kemendagri_code"] + ".")
        assert o["hours"] == WEEK  # the documented defaults


async def test_loading_the_reference_again_adds_nothing_and_keeps_edits(
    hub: Hub,
) -> None:
    async with hub.unit() as unit:
        offices = await load_reference(unit.session)
        offices["BGR-BT-02"].name = "Kelurahan Baranangsiang (diubah)"
    async with hub.unit() as unit:
        again = await load_reference(unit.session)
    assert len(again) == 75 and again["BGR-BT-02"].name.endswith("(diubah)")
    async with hub.reader() as session:
        from sqlalchemy import func, select

        assert await session.scalar(select(func.count()).select_from(OfficeHours)) == 75 * 7
        reqs = await session.scalar(select(func.count()).select_from(ServiceRequirement))
    assert reqs == sum(len(s.requirements) for s in catalog.SERVICES)


async def test_edit_an_office_name_address_and_hours(live: RunningHub, live_world: World) -> None:
    kel = live_world.offices["kel_a"]
    week = {
        **WEEK,
        "fri": {"open": "07:30", "close": "11:30"},
        "sat": {"open": "08:00", "close": "12:00"},
    }
    async with live.http(live_world.tokens["admin"]) as http:
        r = await http.patch(
            f"/api/admin/offices/{kel}",
            json={"address": "Jl. Raya Pajajaran No. 5, Bogor", "hours": week},
        )
        assert r.status_code == 200, r.text
        assert r.json()["office"]["hours"] == week
        offices = (await http.get("/api/admin/offices")).json()["offices"]
        entry = (await http.get("/api/admin/audit")).json()["entries"][0]
    office = next(o for o in offices if o["id"] == kel)
    assert office["address"] == "Jl. Raya Pajajaran No. 5, Bogor" and office["hours"] == week
    assert entry["action"] == "office.update" and entry["office_id"] == kel
    assert entry["summary"]["before"]["hours"]["sat"] is None
    assert entry["summary"]["after"]["hours"]["sat"] == {"open": "08:00", "close": "12:00"}


async def test_sixteen_services_with_standards_and_documents(
    live: RunningHub, live_world: World
) -> None:
    async with live.http(live_world.tokens["admin"]) as http:
        services = (await http.get("/api/admin/services")).json()["services"]
    assert len(services) == 16
    sktm = next(s for s in services if s["code"] == "SKTM")
    assert sktm["risk"] == "high" and sktm["office_level"] == "kelurahan"
    assert sktm["standard"] == {"value": 1, "unit": "working_days"}
    assert [r["code"] for r in sktm["requirements"]] == ["PENGANTAR_RT_RW", "KTP", "KK"]
    assert all(s["requirements"] for s in services)


@pytest.mark.both_dbs
async def test_edit_a_service_and_its_documents(live: RunningHub, live_world: World) -> None:
    async with live.http(live_world.tokens["admin"]) as http:
        services = (await http.get("/api/admin/services")).json()["services"]
        klh = next(s for s in services if s["code"] == "KLH")
        ktp_ortu = next(r for r in klh["requirements"] if r["code"] == "KTP_ORTU")
        r = await http.patch(
            f"/api/admin/services/{klh['id']}",
            json={"risk": "high", "standard_value": 4, "standard_unit": "working_hours",
                  "name_en": "Birth statement letter"},
        )  # fmt: skip
        assert r.status_code == 200, r.text
        assert r.json()["service"]["standard"] == {"value": 4, "unit": "working_hours"}
        new_list = [
            {"code": "KTP_ORTU", "name": "KTP-el ayah dan ibu", "name_en": "Parents' ID cards"},
            {"code": "KK", "name": "Kartu Keluarga", "name_en": "Family card", "required": False},
            {"code": "SURAT_RS", "name": "Surat dari rumah sakit", "name_en": "Hospital letter"},
        ]
        r = await http.put(
            f"/api/admin/services/{klh['id']}/requirements", json={"requirements": new_list}
        )
        assert r.status_code == 200, r.text
        stored = r.json()["service"]["requirements"]
        entries = (await http.get("/api/admin/audit")).json()["entries"]
        reference = (await http.get("/api/reference")).json()["services"]
    assert [x["code"] for x in stored] == ["KTP_ORTU", "KK", "SURAT_RS"]
    assert [x["position"] for x in stored] == [0, 1, 2]
    assert stored[0]["id"] == ktp_ortu["id"]  # kept its id: uploads will hang on it
    assert stored[0]["name"] == "KTP-el ayah dan ibu" and stored[1]["required"] is False
    assert entries[0]["action"] == "service.requirements"
    assert entries[0]["summary"]["after"]["codes"] == ["KTP_ORTU", "KK", "SURAT_RS"]
    assert entries[1]["summary"] == {
        "before": {"name_en": "Birth statement", "risk": "low", "standard_value": 1,
                   "standard_unit": "working_days"},
        "after": {"name_en": "Birth statement letter", "risk": "high", "standard_value": 4,
                  "standard_unit": "working_hours"},
    }  # fmt: skip
    assert next(s for s in reference if s["code"] == "KLH")["risk"] == "high"


async def test_the_audit_log_is_append_only(hub: Hub) -> None:
    from sqlalchemy import select

    from hub import audit_chain as audit
    from hub.audit_models import AuditEntry

    async with hub.unit() as unit:
        await audit.record(unit, None, "office.update", "office", None, after={"name": "x"})
    for change in ("update", "delete"):
        with pytest.raises(RuntimeError, match="append-only"):
            async with hub.unit() as unit:
                entry = await unit.session.scalar(select(AuditEntry))
                assert entry is not None
                if change == "update":
                    entry.action = "officer.create"
                else:
                    await unit.session.delete(entry)
                await unit.session.flush()
    async with hub.reader() as session:
        kept = list(await session.scalars(select(AuditEntry)))
    assert [(e.action, e.summary) for e in kept] == [("office.update", {"after": {"name": "x"}})]
