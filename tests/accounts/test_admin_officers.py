"""Admins keep officer accounts; every change is in the audit trail, without personal data."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from tests.accounts.helpers import login, office_id
from tests.support.server import RunningHub, connect
from tests.support.world import PASSWORD, World


def admin(live: RunningHub, world: World) -> httpx.AsyncClient:
    return live.http(world.tokens["admin"])


async def audit(http: httpx.AsyncClient) -> list[dict[str, Any]]:
    r = await http.get("/api/admin/audit")
    assert r.status_code == 200, r.text
    entries: list[dict[str, Any]] = r.json()["entries"]
    return entries


async def test_create_an_officer_who_then_logs_in(live: RunningHub, live_world: World) -> None:
    kel = await office_id(live.hub, "BGR-BS-03")  # Empang
    async with admin(live, live_world) as http:
        r = await http.post(
            "/api/admin/officers",
            json={"username": "FO.Empang", "full_name": "Rudi Hartono", "role": "front_office",
                  "office_id": kel},
        )  # fmt: skip
        assert r.status_code == 201, r.text
        officer, temporary = r.json()["officer"], r.json()["temporary_password"]
        assert officer["username"] == "fo.empang" and officer["is_active"] is True
        again = await http.post(
            "/api/admin/officers",
            json={"username": "fo.empang", "full_name": "Lain", "role": "staff", "office_id": kel,
                  "password": "rahasia-lain-1"},
        )  # fmt: skip
        assert again.status_code == 409 and again.json()["error"]["field"] == "username"
        listed = (await http.get("/api/admin/officers", params={"office_id": kel})).json()
        assert [o["username"] for o in listed["officers"]] == ["fo.empang"]
        entries = await audit(http)
    async with live.http() as anon:
        logged = await login(anon, "fo.empang", temporary)
        assert logged.status_code == 200 and logged.json()["user"]["office_id"] == kel
    entry = entries[0]
    assert entry["action"] == "officer.create" and entry["target_id"] == officer["id"]
    assert entry["actor_id"] == live_world.users["admin"] and entry["office_id"] == kel
    assert entry["summary"] == {
        "after": {"role": "front_office", "office_id": kel, "is_active": True}
    }
    assert "Rudi" not in json.dumps(entries) and "fo.empang" not in json.dumps(entries)


@pytest.mark.both_dbs
async def test_deactivate_closes_every_socket_within_two_seconds(
    live: RunningHub, live_world: World
) -> None:
    fo = live_world.users["fo"]
    sockets = [
        await connect(live.url, live_world.tokens["fo"], ("/tickets", "/queues", "/calls")),
        await connect(live.url, live_world.tokens["fo"], ("/notifications",)),
    ]
    try:
        async with admin(live, live_world) as http:
            r = await http.post(f"/api/admin/officers/{fo}/deactivate")
            assert r.status_code == 200 and r.json()["officer"]["is_active"] is False
            async with asyncio.timeout(2):
                await asyncio.gather(*(s.gone.wait() for s in sockets))
            async with live.http(live_world.tokens["fo"]) as theirs:
                assert (await theirs.get("/api/me")).status_code == 401
            async with live.http() as anon:
                assert (await login(anon, "fo.a", PASSWORD)).status_code == 401
            r = await http.post(f"/api/admin/officers/{fo}/reactivate")
            assert r.json()["officer"]["is_active"] is True
            async with live.http() as anon:
                assert (await login(anon, "fo.a", PASSWORD)).status_code == 200
            actions = [e["action"] for e in await audit(http)][:2]
        assert actions == ["officer.reactivate", "officer.deactivate"]
    finally:
        for s in sockets:
            await s.close()


@pytest.mark.both_dbs
async def test_a_new_role_or_office_signs_the_officer_out(
    live: RunningHub, live_world: World
) -> None:
    staff = live_world.users["staff"]
    socket = await connect(live.url, live_world.tokens["staff"])
    try:
        async with admin(live, live_world) as http:
            r = await http.patch(
                f"/api/admin/officers/{staff}",
                json={"role": "approver", "office_id": live_world.offices["kel_b"]},
            )
            assert r.status_code == 200, r.text
            assert r.json()["officer"]["role"] == "approver"
            async with asyncio.timeout(2):
                await socket.gone.wait()
            renamed = await http.patch(
                f"/api/admin/officers/{staff}", json={"full_name": "Nama Baru"}
            )
            assert renamed.json()["officer"]["full_name"] == "Nama Baru"
            entries = await audit(http)
        async with live.http() as anon:
            me = await login(anon, "kasi.a", PASSWORD)
            assert me.json()["user"]["role"] == "approver"
    finally:
        await socket.close()
    assert entries[0]["summary"] == {"before": {}, "after": {"full_name_changed": True}}
    assert entries[1]["summary"] == {
        "before": {"role": "staff", "office_id": live_world.offices["kel_a"]},
        "after": {"role": "approver", "office_id": live_world.offices["kel_b"]},
    }
    assert "Nama Baru" not in json.dumps(entries)


async def test_reset_an_officers_password(live: RunningHub, live_world: World) -> None:
    approver = live_world.users["approver"]
    socket = await connect(live.url, live_world.tokens["approver"])
    try:
        async with admin(live, live_world) as http:
            r = await http.post(f"/api/admin/officers/{approver}/password", json={})
            assert r.status_code == 200
            temporary = r.json()["temporary_password"]
            async with asyncio.timeout(2):
                await socket.gone.wait()
            chosen = await http.post(
                f"/api/admin/officers/{approver}/password", json={"password": "pilihan-admin-9"}
            )
            assert "temporary_password" not in chosen.json()
            entries = await audit(http)
        async with live.http() as anon:
            assert (await login(anon, "lurah.a", temporary)).status_code == 401
            assert (await login(anon, "lurah.a", "pilihan-admin-9")).status_code == 200
    finally:
        await socket.close()
    assert entries[0]["action"] == "officer.password_reset"
    assert temporary not in json.dumps(entries) and "pilihan-admin-9" not in json.dumps(entries)


async def test_admins_cannot_lock_themselves_or_everyone_out(
    live: RunningHub, live_world: World
) -> None:
    me = live_world.users["admin"]
    async with admin(live, live_world) as http:
        own = await http.post(f"/api/admin/officers/{me}/deactivate")
        assert own.status_code == 422
        demote = await http.patch(f"/api/admin/officers/{me}", json={"role": "supervisor"})
        assert demote.status_code == 422
        # another admin may
        created = await http.post(
            "/api/admin/officers",
            json={"username": "admin.dua", "full_name": "Admin Dua", "role": "admin",
                  "office_id": live_world.offices["kota"], "password": "admin-dua-123"},
        )  # fmt: skip
        second = created.json()["officer"]["id"]
    async with live.http() as anon:
        token = (await login(anon, "admin.dua", "admin-dua-123")).json()["token"]
    async with live.http(token) as two:
        assert (await two.post(f"/api/admin/officers/{me}/deactivate")).status_code == 200
        last = await two.post(f"/api/admin/officers/{me}/reactivate")
        assert last.status_code == 200
    async with live.http(live_world.tokens["admin"]) as old:
        assert (await old.get("/api/admin/officers")).status_code == 401  # it was deactivated
    async with live.http() as anon:
        mine = (await login(anon, "admin.t", PASSWORD)).json()["token"]
    async with live.http(mine) as http:
        assert (await http.post(f"/api/admin/officers/{second}/deactivate")).status_code == 200
    async with live.http(token) as two:
        assert (await two.get("/api/admin/officers")).status_code == 401
