"""Forwarding with no dead ends (#18 item 7): a ticket goes only to a desk, or a colleague,
that can act on it now; the picker lists exactly those; the view says who holds it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.server import RunningHub
from tests.support.world import World

pytestmark = pytest.mark.both_dbs


async def forward(live: RunningHub, who: str, w: World, tid: int, **body: Any) -> Any:
    async with live.http(w.tokens[who]) as http:
        return await http.post(f"/api/tickets/{tid}/dispose", json={"note": "tolong", **body})


async def ticket_of(live: RunningHub, w: World, who: str, tid: int) -> dict[str, Any]:
    async with live.http(w.tokens[who]) as http:
        r = await http.get(f"/api/tickets/{tid}")
    view: dict[str, Any] = r.json()["ticket"]
    return view


async def targets(live: RunningHub, w: World, who: str, tid: int) -> Any:
    async with live.http(w.tokens[who]) as http:
        return await http.get(f"/api/tickets/{tid}/forward-targets")


def picker(body: dict[str, Any]) -> dict[str, list[str]]:
    return {d["role"]: [o["name"] for o in d["officers"]] for d in body["desks"]}


async def test_a_desk_nobody_can_act_at_is_refused_and_nothing_changes(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    # kel_b has a front office and an approver, no staff (kasi)
    tid = await w.new_ticket(office="kel_b")
    await w.act("fo_b", tid, "start_verification")
    await w.act("fo_b", tid, "verify")  # high risk: to the staff's desk, which is empty
    before = await ticket_of(live, w, "fo_b", tid)
    r = await forward(live, "fo_b", w, tid, version=3, to_role="staff")
    assert r.status_code == 422
    error = r.json()["error"]
    assert (error["code"], error["field"], error["reason"]) == (
        "invalid", "to_role", "no_active_officer",
    )  # fmt: skip
    # a desk whose role has nothing to do in this status
    r = await forward(live, "fo_b", w, tid, version=3, to_role="front_office")
    assert (r.json()["error"]["field"], r.json()["error"]["reason"]) == ("to_role", "cannot_act")
    # a colleague who cannot act on it now, and one from another office
    r = await forward(live, "fo_b", w, tid, version=3, to_user_id=w.users["fo_b"])
    assert (r.json()["error"]["field"], r.json()["error"]["reason"]) == ("to_user_id", "cannot_act")
    r = await forward(live, "fo_b", w, tid, version=3, to_user_id=w.users["staff"])
    assert r.json()["error"]["reason"] == "not_an_officer_here"
    after = await ticket_of(live, w, "fo_b", tid)
    assert after == before  # same version, desk, assignee, last seq
    async with live.http(w.tokens["fo_b"]) as http:
        events = (await http.get(f"/api/tickets/{tid}/events")).json()["events"]
    assert "disposed" not in [e["kind"] for e in events]
    # the picker offers only the approver (who may reject here)
    r = await targets(live, w, "fo_b", tid)
    assert r.status_code == 200 and picker(r.json()) == {"approver": ["Uji approver_b"]}
    r = await forward(live, "fo_b", w, tid, version=3, to_user_id=w.users["approver_b"])
    assert r.status_code == 200, r.text
    assert r.json()["ticket"]["holder"]["officer"]["name"] == "Uji approver_b"


async def test_an_inactive_officer_is_no_target(live: RunningHub, live_world: World) -> None:
    w = live_world
    tid = await w.new_ticket(service_code="KLH")  # low risk
    await w.act("fo", tid, "start_verification")
    await w.act("fo", tid, "verify")  # awaiting the lurah's approval
    assert picker((await targets(live, w, "fo", tid)).json()) == {"approver": ["Uji approver"]}
    async with live.http(w.tokens["admin"]) as http:
        r = await http.post(f"/api/admin/officers/{w.users['approver']}/deactivate")
        assert r.status_code == 200, r.text
    assert (await targets(live, w, "fo", tid)).json()["desks"] == []
    for body in ({"to_role": "approver"}, {"to_user_id": w.users["approver"]}):
        r = await forward(live, "fo", w, tid, version=3, **body)
        assert r.status_code == 422 and r.json()["error"]["code"] == "invalid", body
    assert (await ticket_of(live, w, "fo", tid))["version"] == 3


async def test_the_picker_lists_who_can_act_now_grouped_by_desk(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    tid = await w.new_ticket()
    r = await targets(live, w, "staff", tid)
    body = r.json()
    assert picker(body) == {"front_office": ["Uji fo"]}  # submitted: the counter only
    assert body["status"] == "submitted" and body["version"] == 1
    assert body["desks"][0]["current"] is True
    await w.act("fo", tid, "start_verification")
    body = (await targets(live, w, "fo", tid)).json()
    assert picker(body) == {"front_office": ["Uji fo"], "approver": ["Uji approver"]}
    assert body["desks"][0]["officers"][0]["me"] is True
    r = await forward(live, "fo", w, tid, version=2, to_user_id=w.users["approver"])
    assert r.status_code == 200
    view = r.json()["ticket"]
    assert view["holder"] == {
        "desk": "approver",
        "officer": {"id": w.users["approver"], "name": "Uji approver", "active": True},
    }
    body = (await targets(live, w, "spv", tid)).json()  # the kecamatan's supervisor
    holder = [o for d in body["desks"] for o in d["officers"] if o["holder"]]
    assert [o["name"] for o in holder] == ["Uji approver"]
    # who may not forward may not list; a ticket one may not see is not found
    assert (await targets(live, w, "citizen", tid)).json()["error"]["code"] == "forbidden"
    assert (await targets(live, w, "fo_b", tid)).json()["error"]["code"] == "not_found"
    # closed: nobody
    await w.act("approver", tid, "reject", "berkas palsu")
    assert (await targets(live, w, "fo", tid)).json()["desks"] == []
