"""Escalation on the hub's clock: "at risk" and "breached" each told once, to the holder
of the request and the supervisors above its office, and counted on the wall."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from hub.context import Hub
from hub.queues import actions as queue_actions
from hub.queues.board import Roster
from hub.tickets import views
from notifications import PUSH_OP
from notifications.escalation import Escalated
from notifications.models import PushSubscription
from notifications.runtime import Runtime
from tests.notifications.helpers import rows_of, sent
from tests.support.clock import FakeClock
from tests.support.world import World


@pytest.fixture
async def runtime(hub: Hub) -> AsyncIterator[Runtime]:
    rt = Runtime(hub)
    yield rt
    await rt.stop()


async def kinds_of(world: World, who: str) -> list[str]:
    return [r.kind for r in await rows_of(world.hub, world.users[who])]


async def wall(world: World) -> dict[str, int]:
    board = await queue_actions.snapshot(
        world.hub, world.principals["spv"], world.offices["kec"], Roster()
    )
    sla: dict[str, int] = board["summary"][str(world.offices["kel_a"])]["sla"]
    return sla


async def test_at_risk_then_breached_each_notified_once(
    world: World, runtime: Runtime, clock: FakeClock
) -> None:
    ticket = await world.new_ticket()
    async with world.hub.unit() as unit:  # the supervisor has a phone subscribed to pushes
        unit.session.add(
            PushSubscription(
                user_id=world.users["spv"], endpoint="https://push.example/spv",
                p256dh="p" * 87, auth="a" * 22, created_at=clock.now(),
            )
        )  # fmt: skip
    async with world.hub.reader() as session:
        t = await views.find_ticket(session, ticket)
    assert t is not None and t.at_risk_at is not None
    assert t.created_at < t.at_risk_at < t.due_at

    assert await runtime.tick() == Escalated([], [])
    assert await wall(world) == {"at_risk": 0, "breached": 0}

    await clock.advance_to(t.at_risk_at + timedelta(seconds=1))
    assert await runtime.tick() == Escalated(at_risk=[ticket], breached=[])
    assert await runtime.tick() == Escalated([], [])  # once
    assert await wall(world) == {"at_risk": 1, "breached": 0}
    assert await kinds_of(world, "fo") == ["sla_warning"]  # the desk holding it
    assert await kinds_of(world, "spv") == ["sla_warning"]  # the kecamatan's supervisor
    (row,) = await rows_of(world.hub, world.users["spv"])
    assert row.push_pending and row.title == f"Tenggat {t.number} segera tiba"
    pushes = [c for c in sent(world.hub) if getattr(c, "op", None) == PUSH_OP]
    assert pushes and row.id in pushes[-1].args["ids"]  # type: ignore[union-attr]

    await clock.advance_to(t.due_at)
    # another process (or this one restarted) finds the markers: nobody is told twice
    other = Runtime(world.hub)
    try:
        assert await other.tick() == Escalated(at_risk=[], breached=[ticket])
    finally:
        await other.stop()
    assert await runtime.tick() == Escalated([], [])
    assert await wall(world) == {"at_risk": 0, "breached": 1}
    assert await kinds_of(world, "fo") == ["sla_warning", "sla_breached"]
    assert await kinds_of(world, "spv") == ["sla_warning", "sla_breached"]
    breached = (await rows_of(world.hub, world.users["spv"]))[-1]
    assert breached.title == f"{t.number} melewati standar layanan" and "WIB" in breached.preview
    # a foreign office's supervisor, another desk, and the citizen hear nothing
    for who in ("spv_other", "staff", "fo_b", "citizen"):
        assert await kinds_of(world, who) == []


async def test_a_request_found_already_breached_is_told_breached_only(
    world: World, runtime: Runtime, clock: FakeClock
) -> None:
    ticket = await world.new_ticket()
    await world.act("fo", ticket, "start_verification")
    async with world.hub.reader() as session:
        t = await views.find_ticket(session, ticket)
    assert t is not None
    await clock.advance_to(t.due_at + timedelta(hours=1))
    assert await runtime.tick() == Escalated(at_risk=[], breached=[ticket])
    assert await runtime.tick() == Escalated([], [])
    assert await kinds_of(world, "fo") == ["sla_breached"]
    assert await kinds_of(world, "staff") == []
    assert await kinds_of(world, "spv") == ["sla_breached"]
    assert await kinds_of(world, "spv_other") == []
