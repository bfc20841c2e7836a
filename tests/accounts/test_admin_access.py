"""Every admin endpoint: admins only (``forbidden`` for everyone else), bad input is
``invalid``, an unknown id ``not_found`` — never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.server import RunningHub
from tests.support.world import World

#: (method, path, body) — a valid request of each admin endpoint ({id}: an existing id)
ENDPOINTS: list[tuple[str, str, Any]] = [
    ("GET", "/api/admin/officers", None),
    ("POST", "/api/admin/officers", {"username": "baru.a", "full_name": "Baru", "role": "staff", "office_id": 1}),
    ("PATCH", "/api/admin/officers/{fo}", {"full_name": "Nama"}),
    ("POST", "/api/admin/officers/{fo}/deactivate", None),
    ("POST", "/api/admin/officers/{fo}/reactivate", None),
    ("POST", "/api/admin/officers/{fo}/password", {}),
    ("GET", "/api/admin/offices", None),
    ("PATCH", "/api/admin/offices/1", {"address": "Jl. Ir. H. Juanda No. 10"}),
    ("GET", "/api/admin/services", None),
    ("PATCH", "/api/admin/services/1", {"standard_value": 2}),
    ("PUT", "/api/admin/services/1/requirements", {"requirements": []}),
    ("GET", "/api/admin/audit", None),
    ("POST", "/api/admin/citizens/search", {"nik": "3271010101800001"}),
]  # fmt: skip


def _path(path: str, world: World) -> str:
    return path.replace("{fo}", str(world.users["fo"]))


@pytest.mark.parametrize("who", ["citizen", "fo", "spv", "spv_other", None])
async def test_only_admins(live: RunningHub, live_world: World, who: str | None) -> None:
    token = live_world.tokens[who] if who else None
    async with live.http(token) as http:
        for method, path, body in ENDPOINTS:
            r = await http.request(method, _path(path, live_world), json=body)
            expected = ("unauthenticated", 401) if who is None else ("forbidden", 403)
            assert (r.json()["error"]["code"], r.status_code) == expected, (method, path)


async def test_an_admin_may(live: RunningHub, live_world: World) -> None:
    async with live.http(live_world.tokens["admin"]) as http:
        for method, path, body in ENDPOINTS:
            r = await http.request(method, _path(path, live_world), json=body)
            assert r.status_code in (200, 201), (method, path, r.text)


BAD: list[tuple[str, str, Any]] = [
    ("POST", "/api/admin/officers", {"username": "12345", "full_name": "Angka", "role": "staff", "office_id": 1}),
    ("POST", "/api/admin/officers", {"username": "ok.name", "full_name": "X", "role": "staff", "office_id": 1}),
    ("POST", "/api/admin/officers", {"username": "ok.name", "full_name": "Nama", "role": "citizen", "office_id": 1}),
    ("POST", "/api/admin/officers", {"username": "ok.name", "full_name": "Nama", "role": "overlord", "office_id": 1}),
    ("POST", "/api/admin/officers", {"username": "ok.name", "full_name": "Nama", "role": "staff", "office_id": "1"}),
    ("POST", "/api/admin/officers", {"username": "ok.name", "full_name": "Nama", "role": "staff", "office_id": 2**40}),
    ("POST", "/api/admin/officers", {"username": "ok.name", "full_name": "Nama", "role": "staff", "office_id": 999999}),
    ("POST", "/api/admin/officers", {"username": "ok.name", "full_name": "Nama", "role": "staff", "office_id": 1, "password": "pendek"}),
    ("POST", "/api/admin/officers", {"username": "ok.name", "full_name": "Nama\u0000", "role": "staff", "office_id": 1}),
    ("POST", "/api/admin/officers", {"username": "ok.name", "full_name": "Nama", "role": "staff", "office_id": 1, "is_active": False}),
    ("POST", "/api/admin/officers", [1, 2]),
    ("POST", "/api/admin/officers", "not json"),
    ("PATCH", "/api/admin/officers/abc", {"full_name": "Nama"}),
    ("PATCH", "/api/admin/officers/0", {"full_name": "Nama"}),
    ("PATCH", "/api/admin/officers/99999999999999999999", {"full_name": "Nama"}),
    ("PATCH", "/api/admin/officers/{fo}", {"office_id": True}),
    ("PATCH", "/api/admin/officers/{fo}", {"role": None, "extra": 1}),
    ("POST", "/api/admin/officers/-1/deactivate", None),
    ("GET", "/api/admin/officers?office_id=abc", None),
    ("GET", "/api/admin/officers?active=maybe", None),
    ("PATCH", "/api/admin/offices/1", {"hours": {"mon": {"open": "16:00", "close": "07:30"}, "tue": None, "wed": None, "thu": None, "fri": None, "sat": None, "sun": None}}),
    ("PATCH", "/api/admin/offices/1", {"hours": {"mon": {"open": "25:00", "close": "26:00"}, "tue": None, "wed": None, "thu": None, "fri": None, "sat": None, "sun": None}}),
    ("PATCH", "/api/admin/offices/1", {"hours": {"mon": None}}),
    ("PATCH", "/api/admin/offices/1", {"hours": {"mon": {"open": "7:30", "close": "16:00"}, "tue": None, "wed": None, "thu": None, "fri": None, "sat": None, "sun": None}}),
    ("PATCH", "/api/admin/offices/1", {"name": ""}),
    ("PATCH", "/api/admin/offices/x1", {"name": "Kantor"}),
    ("PATCH", "/api/admin/services/1", {"risk": "medium"}),
    ("PATCH", "/api/admin/services/1", {"standard_value": 0}),
    ("PATCH", "/api/admin/services/1", {"standard_unit": "weeks"}),
    ("PATCH", "/api/admin/services/1", {"sla_hours": 1.5}),
    ("PUT", "/api/admin/services/1/requirements", {"requirements": [{"code": "KTP", "name": "KTP", "name_en": "ID"}, {"code": "KTP", "name": "KTP", "name_en": "ID"}]}),
    ("PUT", "/api/admin/services/1/requirements", {"requirements": [{"code": "ktp kecil", "name": "KTP", "name_en": "ID"}]}),
    ("PUT", "/api/admin/services/1/requirements", {"requirements": "KTP"}),
    ("GET", "/api/admin/audit?limit=0", None),
    ("GET", "/api/admin/audit?before=x", None),
    ("POST", "/api/admin/citizens/search", {"nik": "1234567890123456"}),
    ("POST", "/api/admin/citizens/search", {}),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body"), BAD, ids=[f"{m} {p}" for m, p, _ in BAD])
@pytest.mark.both_dbs
async def test_bad_input_is_invalid(
    live: RunningHub, live_world: World, method: str, path: str, body: Any
) -> None:
    async with live.http(live_world.tokens["admin"]) as http:
        if isinstance(body, str):
            r = await http.request(
                method,
                _path(path, live_world),
                content=body,
                headers={"Content-Type": "application/json"},
            )
        else:
            r = await http.request(method, _path(path, live_world), json=body)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == "invalid"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "/api/admin/officers/999999", {"full_name": "Nama"}),
        ("POST", "/api/admin/officers/999999/deactivate", None),
        ("POST", "/api/admin/officers/{citizen}/password", {}),  # a citizen is no officer
        ("PATCH", "/api/admin/offices/999999", {"name": "Kantor"}),
        ("PATCH", "/api/admin/services/999999", {"standard_value": 2}),
        ("PUT", "/api/admin/services/999999/requirements", {"requirements": []}),
    ],
)
@pytest.mark.both_dbs
async def test_unknown_ids_are_not_found(
    live: RunningHub, live_world: World, method: str, path: str, body: Any
) -> None:
    path = path.replace("{citizen}", str(live_world.users["citizen"]))
    async with live.http(live_world.tokens["admin"]) as http:
        r = await http.request(method, path, json=body)
    assert r.status_code == 404, r.text
    assert r.json()["error"]["code"] == "not_found"
