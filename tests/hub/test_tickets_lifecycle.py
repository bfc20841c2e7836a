"""Tickets: creation, queue numbers, the status machine and its races, disposition."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from hub.context import Hub
from hub.errors import Conflict, Forbidden, HubError, Invalid, InvalidTransition, NotFound
from hub.models import Channel, Role, Ticket, TicketStatus
from hub.tickets import forwarding, service, views
from hub.tickets.lifecycle import DESK, TRANSITIONS
from hub.timeline import events_between
from hub.uow import Outgoing
from tests.support.server import make_settings
from tests.support.world import World, build_world, password_hash


async def ticket(world: World, ticket_id: int, who: str = "fo") -> Ticket:
    async with world.hub.reader() as session:
        return await views.visible_ticket(session, world.principals[who], ticket_id)


async def test_online_ticket_gets_number_queue_and_first_event(world: World) -> None:
    tid = await world.new_ticket(service_code="SKTM")
    t = await ticket(world, tid)
    assert t.status is TicketStatus.submitted
    assert t.queue_label == "A-001" and t.queue_no == 1
    assert t.number.startswith("BGR-BT-01-") and t.number.endswith("-001")
    assert t.applicant_id == world.users["citizen"]
    assert t.last_seq == 1
    async with world.hub.reader() as session:
        [created] = await events_between(session, tid, 0, 10)
    assert created.seq == 1 and created.kind == "created"
    assert created.payload["queue"] == "A-001"


async def test_walk_in_is_entered_by_front_office_only(world: World) -> None:
    tid, code = await world.walk_in()
    t = await ticket(world, tid)
    assert t.channel is Channel.walk_in and t.applicant_id is None
    assert t.applicant_name == "Ibu Tamu"
    assert len(code) == 8
    new = service.NewTicket("KLH", world.offices["kel_a"], Channel.walk_in, "Tamu", None)
    for who in ("citizen", "staff", "fo_b"):
        with pytest.raises(Forbidden):
            async with world.hub.unit() as unit:
                await service.create_ticket(unit, world.principals[who], new, password_hash())


async def test_service_must_match_office_level(world: World) -> None:
    # DSN (dispensasi nikah) is issued by the kecamatan, not a kelurahan
    new = service.NewTicket("DSN", world.offices["kel_a"], Channel.online)
    with pytest.raises(Invalid):
        async with world.hub.unit() as unit:
            await service.create_ticket(unit, world.principals["citizen"], new, password_hash())
    new = service.NewTicket("NOPE", world.offices["kel_a"], Channel.online)
    with pytest.raises(Invalid):
        async with world.hub.unit() as unit:
            await service.create_ticket(unit, world.principals["citizen"], new, password_hash())


async def test_fifty_concurrent_creates_get_unique_gap_free_queue_numbers(
    any_db_url: str, tmp_path: Path
) -> None:
    from tests.conftest import Recorder, with_projections

    hub = with_projections(Hub(make_settings(any_db_url, tmp_path / "var"), Recorder()))
    try:
        world = await build_world(hub)
        ids = await asyncio.gather(*(world.new_ticket() for _ in range(50)))
        async with hub.reader() as session:
            numbers = sorted(
                [
                    (await views.visible_ticket(session, world.principals["fo"], i)).queue_no
                    for i in ids
                ]
            )
    finally:
        await hub.close()
    assert numbers == list(range(1, 51))


async def walk(world: World, tid: int, steps: list[tuple[str, str]]) -> None:
    for who, action in steps:
        await world.act(who, tid, action)


async def test_low_risk_goes_from_front_office_straight_to_approver(world: World) -> None:
    tid = await world.new_ticket(service_code="KLH")
    await walk(world, tid, [("fo", "start_verification"), ("fo", "verify")])
    t = await ticket(world, tid)
    assert t.status is TicketStatus.awaiting_approval and t.assigned_role is Role.approver
    await walk(world, tid, [("approver", "approve"), ("fo", "complete")])
    t = await ticket(world, tid)
    assert t.status is TicketStatus.completed and t.closed_at is not None


async def test_high_risk_is_verified_by_staff_first(world: World) -> None:
    tid = await world.new_ticket(service_code="SKTM")
    await walk(world, tid, [("fo", "start_verification"), ("fo", "verify")])
    t = await ticket(world, tid)
    assert t.status is TicketStatus.staff_verification and t.assigned_role is Role.staff
    with pytest.raises(Forbidden):
        await world.act("approver", tid, "staff_verify")
    await walk(world, tid, [("staff", "staff_verify"), ("approver", "approve")])
    assert (await ticket(world, tid)).status is TicketStatus.approved


async def test_only_the_authority_approves_and_reject_needs_a_reason(world: World) -> None:
    tid = await world.new_ticket(service_code="KLH")
    await walk(world, tid, [("fo", "start_verification"), ("fo", "verify")])
    for who in ("fo", "staff", "spv", "fo_b"):
        with pytest.raises((Forbidden, NotFound)):
            await world.act(who, tid, "approve")
    with pytest.raises(Invalid):
        await world.act("approver", tid, "reject", "   ")
    await world.act("approver", tid, "reject", "Berkas tidak lengkap")
    t = await ticket(world, tid)
    assert t.status is TicketStatus.rejected and t.reject_reason == "Berkas tidak lengkap"


async def test_illegal_transition_changes_nothing(world: World) -> None:
    tid = await world.new_ticket(service_code="KLH")
    before = await ticket(world, tid)
    with pytest.raises(InvalidTransition):
        await world.act("approver", tid, "approve")
    with pytest.raises(Invalid):
        await world.act("fo", tid, "teleport")
    after = await ticket(world, tid)
    assert (after.status, after.version, after.last_seq) == (
        before.status,
        before.version,
        before.last_seq,
    )


async def test_stale_version_is_a_conflict(world: World) -> None:
    tid = await world.new_ticket(service_code="KLH")
    await world.act("fo", tid, "start_verification")
    with pytest.raises(Conflict):
        async with world.hub.unit() as unit:
            await service.transition(unit, world.principals["fo"], tid, "verify", 1)


async def _outcomes(*coros: object) -> list[str]:
    results = await asyncio.gather(*coros, return_exceptions=True)  # type: ignore[call-overload]
    out: list[str] = []
    for r in results:
        if isinstance(r, HubError):
            out.append(r.code)
        elif isinstance(r, BaseException):
            raise r
        else:
            out.append("ok")
    return sorted(out)


async def test_approve_and_reject_race_exactly_one_wins(any_db_url: str, tmp_path: Path) -> None:
    from tests.conftest import Recorder, with_projections

    hub = with_projections(Hub(make_settings(any_db_url, tmp_path / "var"), Recorder()))
    try:
        world = await build_world(hub)
        # a second approver in the same office
        tid = await world.new_ticket(service_code="KLH")
        await walk(world, tid, [("fo", "start_verification"), ("fo", "verify")])
        v = (await ticket(world, tid)).version
        p = world.principals["approver"]

        async def act(action: str, reason: str | None) -> None:
            async with hub.unit() as unit:
                await service.transition(unit, p, tid, action, v, reason)

        for _ in range(1):
            assert await _outcomes(act("approve", None), act("reject", "Tidak memenuhi")) == [
                "conflict",
                "ok",
            ]
        t = await ticket(world, tid)
        assert t.status in (TicketStatus.approved, TicketStatus.rejected)
        assert t.version == v + 1
        async with hub.reader() as session:
            events = await events_between(session, tid, 0, 100)
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        assert (
            sum(
                e.kind == "status_changed" and e.payload["to"] in ("approved", "rejected")
                for e in events
            )
            == 1
        )

        # two forwards at once: one wins
        tid2 = await world.new_ticket(service_code="KLH")
        await world.act("fo", tid2, "start_verification")  # the approver may now reject
        v2 = (await ticket(world, tid2)).version
        fo = world.principals["fo"]

        async def forward(to: int) -> None:
            async with hub.unit() as unit:
                await forwarding.dispose(unit, fo, tid2, v2, "tolong dicek", to_user_id=to)

        assert await _outcomes(forward(world.users["fo"]), forward(world.users["approver"])) == [
            "conflict",
            "ok",
        ]
    finally:
        await hub.close()


async def test_disposition_is_kept_in_the_history(world: World) -> None:
    tid = await world.new_ticket(service_code="SKTM")
    await world.act("fo", tid, "start_verification")
    await world.act("fo", tid, "verify")  # high risk: on the staff's desk
    t = await ticket(world, tid)
    async with world.hub.unit() as unit:
        await forwarding.dispose(
            unit, world.principals["fo"], tid, t.version, "Mohon verifikasi KK",
            to_user_id=world.users["staff"],
        )  # fmt: skip
    t = await ticket(world, tid)
    assert t.assignee_id == world.users["staff"] and t.assigned_role is Role.staff
    async with world.hub.reader() as session:
        [d] = await forwarding.dispositions(session, world.principals["staff"], tid)
    assert d["payload"]["note"] == "Mohon verifikasi KK"
    assert d["payload"]["to_user"]["id"] == world.users["staff"]
    assert d["actor"]["id"] == world.users["fo"]
    # an officer of another office is not a valid target; a citizen may not forward
    with pytest.raises(Invalid):
        async with world.hub.unit() as unit:
            await forwarding.dispose(
                unit, world.principals["fo"], tid, t.version, "x", to_user_id=world.users["fo_b"]
            )
    with pytest.raises(Forbidden):
        async with world.hub.unit() as unit:
            await forwarding.dispose(
                unit, world.principals["citizen"], tid, t.version, "x", to_role=Role.staff
            )


async def test_changes_are_published_after_commit_to_ticket_and_office_rooms(
    hub: Hub, world: World
) -> None:
    sent = hub.publisher.sent  # type: ignore[attr-defined]
    sent.clear()
    tid = await world.new_ticket(service_code="KLH")
    await world.act("fo", tid, "start_verification")
    rooms = [(o.event, o.rooms) for o in sent if isinstance(o, Outgoing)]
    assert ("ticket_event", (f"ticket:{tid}",)) in rooms
    assert ("ticket_updated", (f"office:{world.offices['kel_a']}",)) in rooms
    sent.clear()
    with pytest.raises(InvalidTransition):
        await world.act("fo", tid, "complete")
    assert sent == []  # a refused change announces nothing


def test_status_table_is_consistent() -> None:
    for rule in TRANSITIONS.values():
        assert rule.sources, rule.action
        for status in rule.sources:
            assert DESK[status] is not None, "no action may start from a closed status"
