"""Who may watch and reassign; what a delta carries."""

from __future__ import annotations

import pytest

from hub.models import Role
from tests.queues.helpers import Q, assert_no_pii, watcher
from tests.support.server import RunningHub, connect
from tests.support.world import World


@pytest.mark.parametrize(
    ("who", "office"),
    [
        ("fo", "kel_a"),
        ("approver", "kel_a"),
        ("citizen", "kel_a"),
        ("spv_other", "kec"),
        ("spv_other", "kel_a"),
        ("spv", "kota"),
        ("spv", "kel_other"),
    ],
)
async def test_watch_refused_outside_supervision(
    live: RunningHub, live_world: World, who: str, office: str
) -> None:
    client, ack = await watcher(live, live_world, who, office)
    try:
        assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
        # refused watchers get no deltas either
        await live_world.new_ticket(office="kel_a")
        await live_world.new_ticket(office="kel_other")
        probe, _ = await watcher(live, live_world, "admin", "kota")
        await live_world.new_ticket(office="kel_a")
        await probe.wait_for("queue_ticket", namespace=Q)
        await probe.close()
        assert client.events("queue_ticket", namespace=Q) == []
    finally:
        await client.close()


async def test_supervisor_and_admin_watch_their_offices(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    spv, ack = await watcher(live, w, "spv", "kec")
    admin, ack_admin = await watcher(live, w, "admin", "kota")
    try:
        assert ack["ok"] is True and ack_admin["ok"] is True
        snap = ack["snapshot"]
        ids = {o["id"] for o in snap["offices"]}
        assert {w.offices["kec"], w.offices["kel_a"], w.offices["kel_b"]} <= ids
        assert w.offices["kel_other"] not in ids
        assert str(w.offices["kec"]) in snap["summary"]
        bad = await spv.call("watch", {"office": 1}, namespace=Q)
        assert bad["error"]["code"] == "invalid"
    finally:
        await spv.close()
        await admin.close()


@pytest.mark.parametrize("who", ["admin", "spv", "spv_other", "fo", "citizen"])
async def test_watching_a_missing_office_is_not_found_for_everyone(
    live: RunningHub, live_world: World, who: str
) -> None:
    """Whoever asks: an office that does not exist is ``not_found`` (an existing office
    outside one's supervision stays ``forbidden``, above)."""
    client = await connect(live.url, live_world.tokens[who], namespaces=(Q,))
    try:
        for office_id in (999_999, 2**63 - 1):
            ack = await client.call("watch", {"office_id": office_id}, namespace=Q)
            assert ack["ok"] is False and ack["error"]["code"] == "not_found", ack
    finally:
        await client.close()


async def test_an_office_without_tickets_lists_every_open_status_at_zero(
    live: RunningHub, live_world: World
) -> None:
    await live_world.new_ticket(office="kel_a")
    client, ack = await watcher(live, live_world, "spv", "kec")
    try:
        summary = ack["snapshot"]["summary"]
        open_statuses = {
            "submitted", "verification", "documents_incomplete", "staff_verification",
            "awaiting_approval", "approved",
        }  # fmt: skip
        empty = summary[str(live_world.offices["kel_b"])]["by_status"]
        assert empty == dict.fromkeys(sorted(open_statuses), 0)
        busy = summary[str(live_world.offices["kel_a"])]["by_status"]
        assert busy == {**dict.fromkeys(sorted(open_statuses), 0), "submitted": 1}
        assert list(busy) == sorted(open_statuses)
    finally:
        await client.close()


async def test_deltas_reach_the_office_and_its_parents_without_pii(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    spv, _ = await watcher(live, w, "spv", "kec")
    other, _ = await watcher(live, w, "spv_other", "kec_other")
    try:
        tid = await w.new_ticket(office="kel_a")
        walk_in, _code = await w.walk_in(office="kel_a")
        await w.act("fo", tid, "start_verification")
        got = await spv.wait_for(
            "queue_ticket",
            lambda d: d["ticket"]["id"] == tid and d["ticket"]["version"] == 2,
            namespace=Q,
        )
        assert set(got["ticket"]) == {
            "id", "number", "queue", "office_id", "service", "status", "assignee_id",
            "assigned_role", "version", "created_at", "due_at", "at_risk_at", "decided_at",
            "closed_at",
        }  # fmt: skip
        assert got["ticket"]["status"] == "verification"
        await spv.wait_for("queue_ticket", lambda d: d["ticket"]["id"] == walk_in, namespace=Q)
        assert_no_pii(spv, w)
        assert other.events("queue_ticket", namespace=Q) == []
    finally:
        await spv.close()
        await other.close()


async def test_reassign_is_a_disposition_for_supervisors_only(
    live: RunningHub, live_world: World
) -> None:
    w = live_world
    tid = await w.new_ticket(office="kel_a")
    await w.act("fo", tid, "start_verification")
    await w.act("fo", tid, "verify")  # high risk: the staff can act on it now
    spv, _ = await watcher(live, w, "spv", "kec")
    fo = await connect(live.url, w.tokens["fo"], namespaces=(Q,))
    other = await connect(live.url, w.tokens["spv_other"], namespaces=(Q,))
    try:
        body = {"ticket_id": tid, "version": 3, "to_user_id": w.users["staff"], "note": "tolong"}
        refused = await fo.call("reassign", body, namespace=Q)
        assert refused["error"]["code"] == "forbidden"
        hidden = await other.call("reassign", body, namespace=Q)
        assert hidden["error"]["code"] == "not_found"  # a ticket one may not see
        both = await spv.call("reassign", {**body, "to_role": "staff"}, namespace=Q)
        assert both["error"]["code"] == "invalid"
        ack = await spv.call("reassign", body, namespace=Q)
        assert ack["ok"] is True
        assert ack["ticket"]["assignee_id"] == w.users["staff"]
        assert ack["ticket"]["assigned_role"] == Role.staff.value
        stale = await spv.call("reassign", body, namespace=Q)
        assert stale["error"]["code"] == "conflict"
        await spv.wait_for(
            "queue_ticket", lambda d: d["ticket"]["assignee_id"] == w.users["staff"], namespace=Q
        )
        async with live.http(w.tokens["spv"]) as http:
            r = await http.get(f"/api/tickets/{tid}/dispositions")
        last = r.json()["dispositions"][-1]
        assert last["kind"] == "disposed" and last["payload"]["note"] == "tolong"
        assert last["actor"]["id"] == w.users["spv"]
    finally:
        for c in (spv, fo, other):
            await c.close()
