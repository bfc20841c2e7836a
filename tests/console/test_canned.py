"""Canned replies: per office, read by its officers, kept by its supervisors only."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.server import RunningHub
from tests.support.world import World

pytestmark = pytest.mark.both_dbs


async def call(
    live: RunningHub, w: World, who: str, method: str, path: str, body: Any = None
) -> Any:
    async with live.http(w.tokens[who]) as http:
        return await http.request(method, path, json=body)


async def test_replies_are_per_office_and_only_supervisors_manage_them(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    kel_a, kel_b = w.offices["kel_a"], w.offices["kel_b"]
    new = {"office_id": kel_a, "title": "Berkas kurang", "body": "Mohon unggah KK terbaru."}
    for who in ("fo", "staff", "approver", "admin", "citizen"):
        r = await call(live, w, who, "POST", "/api/canned-replies", new)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden", who
    r = await call(live, w, "spv_other", "POST", "/api/canned-replies", new)  # other kecamatan
    assert r.json()["error"]["code"] == "forbidden"
    r = await call(live, w, "spv", "POST", "/api/canned-replies", new)
    assert r.status_code == 201, r.text
    reply = r.json()["reply"]
    assert (reply["office_id"], reply["title"], reply["version"]) == (kel_a, "Berkas kurang", 1)
    r = await call(live, w, "spv", "POST", "/api/canned-replies", {**new, "body": "lain"})
    assert r.json()["error"] == {**r.json()["error"], "code": "invalid", "field": "title"}
    r = await call(live, w, "spv", "POST", "/api/canned-replies", {**new, "office_id": kel_b})
    assert r.status_code == 201  # the same title at another office is another reply

    # the office's officers read their office's replies; another office's, no
    r = await call(live, w, "fo", "GET", f"/api/canned-replies?office_id={kel_a}")
    assert [x["body"] for x in r.json()["replies"]] == ["Mohon unggah KK terbaru."]
    r = await call(live, w, "fo_b", "GET", f"/api/canned-replies?office_id={kel_b}")
    assert [x["office_id"] for x in r.json()["replies"]] == [kel_b]
    r = await call(live, w, "fo_b", "GET", f"/api/canned-replies?office_id={kel_a}")
    assert r.status_code == 403
    for who in ("citizen", "admin"):
        r = await call(live, w, who, "GET", f"/api/canned-replies?office_id={kel_a}")
        assert r.status_code == 403, who
    # the supervisor's listing: every office of the scope, which ones it manages
    r = await call(live, w, "spv", "GET", "/api/canned-replies")
    offices = {o["id"]: o["manage"] for o in r.json()["offices"]}
    assert offices[kel_a] is offices[kel_b] is offices[w.offices["kec"]] is True
    assert len(r.json()["replies"]) == 2
    r = await call(live, w, "fo", "GET", "/api/canned-replies")
    assert [o["manage"] for o in r.json()["offices"]] == [False]

    # changes: supervisors only, at the version they saw
    path = f"/api/canned-replies/{reply['id']}"
    r = await call(live, w, "fo", "PATCH", path, {"version": 1, "body": "x"})
    assert r.status_code == 403
    r = await call(live, w, "spv_other", "PATCH", path, {"version": 1, "body": "x"})
    assert r.status_code == 404  # not in their scope: as if it did not exist
    r = await call(live, w, "spv", "PATCH", path, {"version": 1, "body": "Mohon unggah KK."})
    assert r.status_code == 200 and r.json()["reply"]["version"] == 2
    r = await call(live, w, "spv", "PATCH", path, {"version": 1, "title": "Lama"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"
    r = await call(live, w, "fo", "DELETE", path, {"version": 2})
    assert r.status_code == 403
    r = await call(live, w, "spv", "DELETE", path, {"version": 2})
    assert r.status_code == 200
    r = await call(live, w, "fo", "GET", f"/api/canned-replies?office_id={kel_a}")
    assert r.json()["replies"] == []
    r = await call(live, w, "spv", "DELETE", path, {"version": 2})
    assert r.status_code == 404
