"""``GET /api/audit/trail``: a supervisor reads their offices' chains, newest first, in
pages; nobody else, and no office outside their own."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.letters.helpers import approved
from tests.support.server import RunningHub
from tests.support.world import World

pytestmark = pytest.mark.both_dbs


async def trail(live: RunningHub, token: str, **params: Any) -> Any:
    async with live.http(token) as http:
        return await http.get("/api/audit/trail", params=params)


async def test_supervisor_pages_through_their_offices_trail(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    await w.walk_in("kel_a")  # a phone and a name on the ticket: neither reaches the trail
    tid = await approved(w)
    await approved(w)
    kel_a = w.offices["kel_a"]
    first = (await trail(live, w.tokens["spv"], office_id=kel_a, limit=5)).json()
    codes = [o["code"] for o in first["offices"]]
    assert codes[:3] == ["BGR-BT", "BGR-BT-01", "BGR-BT-02"] and "BGR-BU" not in codes
    assert [e["seq"] for e in first["entries"]] == [8, 7, 6, 5, 4] and first["more"]
    newest = first["entries"][0]
    assert newest["action"] == "letter.issue" and newest["actor_name"] == "Uji approver"
    assert newest["prev_hash"] == first["entries"][1]["hash"]
    rest = (await trail(live, w.tokens["spv"], office_id=kel_a, before=4, limit=5)).json()
    assert [e["seq"] for e in rest["entries"]] == [3, 2, 1] and not rest["more"]
    text = json.dumps([first, rest])
    assert "6281211112222" not in text and "Ibu Tamu" not in text and "Uji citizen" not in text
    assert str(tid) in text  # the ticket is named by its id and number
    # another kecamatan's supervisor, an officer, a citizen: no
    other = await trail(live, w.tokens["spv_other"], office_id=kel_a)
    assert other.status_code == 404 and other.json()["error"]["code"] == "not_found"
    assert (await trail(live, w.tokens["fo"], office_id=kel_a)).status_code == 403
    assert (await trail(live, w.tokens["citizen"])).status_code == 403
    # without an office: the first of one's own
    default = (await trail(live, w.tokens["spv_other"])).json()
    assert default["office_id"] == w.offices["kec_other"] and default["entries"] == []
