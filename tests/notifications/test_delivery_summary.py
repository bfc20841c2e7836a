"""The supervisor's overview of the delivery record: per officer, how many of today's
notifications reached them (live, push or read) and the latest that did not."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from hub.clock import iso, utcnow
from notifications.delivery import start_of_day
from notifications.models import Notification
from tests.support.server import RunningHub
from tests.support.world import World

pytestmark = pytest.mark.both_dbs


async def add(world: World, who: str, ticket: int, kind: str, at: datetime, **times: Any) -> None:
    """A notification of ``who`` last updated ``at``, with the delivery ``times`` given."""
    row = Notification(
        user_id=world.users[who], kind=kind, ticket_id=ticket, ticket_number="X-1", title="t",
        preview="p", created_at=at, updated_at=at, **times,
    )  # fmt: skip
    async with world.hub.unit() as unit:
        unit.session.add(row)


async def test_who_was_told_today(live: RunningHub, live_world: World) -> None:
    w = live_world
    ticket = await w.new_ticket()
    now = utcnow()
    await add(w, "fo", ticket, "comment", at=now, delivered_live_at=now)  # live
    await add(w, "fo", ticket, "disposed", at=now, pushed_at=now + timedelta(seconds=2))  # push
    await add(w, "fo", ticket, "sla_warning", at=now)  # nobody was there
    await add(w, "staff", ticket, "comment", at=now, read_at=now)  # read on the inbox page
    # an update after the live send: the latest update did not reach the officer
    await add(w, "staff", ticket, "disposed", at=now, delivered_live_at=now - timedelta(minutes=1))
    await add(w, "approver", ticket, "comment", at=start_of_day(now) - timedelta(minutes=1))
    await add(w, "fo_b", ticket, "comment", at=now)  # kel_b lies in the supervisor's kecamatan
    await add(w, "citizen", ticket, "status_changed", at=now)  # citizens are nobody's staff

    async with live.http(w.tokens["spv"]) as http:
        r = await http.get("/api/notifications/delivery/summary")
    assert r.status_code == 200, r.text
    got = {o["user_id"]: o for o in r.json()["officers"]}
    fo, staff = got[w.users["fo"]], got[w.users["staff"]]
    assert (fo["notifications"], fo["reached"], fo["not_reached"]) == (3, 2, 1)
    assert fo["latest_not_reached_at"] == iso(now)
    assert (staff["notifications"], staff["reached"], staff["not_reached"]) == (2, 1, 1)
    assert w.users["approver"] not in got  # yesterday's does not count today
    assert w.users["citizen"] not in got
    assert got[w.users["fo_b"]]["not_reached"] == 1

    async with live.http(w.tokens["spv"]) as http:
        r = await http.get(
            "/api/notifications/delivery/summary", params={"office_id": w.offices["kel_b"]}
        )
        assert [o["user_id"] for o in r.json()["officers"]] == [w.users["fo_b"]]
        r = await http.get("/api/notifications/delivery/summary", params={"office_id": 999_999})
        assert r.status_code == 404
        r = await http.get(
            "/api/notifications/delivery/summary", params={"office_id": w.offices["kel_other"]}
        )
        assert r.status_code == 403
    async with live.http(w.tokens["spv_other"]) as http:
        r = await http.get("/api/notifications/delivery/summary")
        assert r.json()["officers"] == []  # not their officers
    for who in ("fo", "citizen"):
        async with live.http(w.tokens[who]) as http:
            r = await http.get("/api/notifications/delivery/summary")
            assert r.status_code == 403, who
