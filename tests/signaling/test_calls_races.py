"""Races decided exactly once by the database: the loser hears ``conflict``."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from signaling.models import Call, CallStatus
from tests.signaling.helpers import People, call, call_log, invite, wait
from tests.support.world import World


async def _calls(world: World, ticket_id: int) -> list[Call]:
    async with world.hub.reader() as session:
        rows = await session.scalars(select(Call).where(Call.ticket_id == ticket_id))
        return list(rows)


def _one_winner(acks: list[dict[str, object]]) -> dict[str, object]:
    winners = [a for a in acks if a["ok"]]
    losers = [a for a in acks if not a["ok"]]
    assert len(winners) == 1, acks
    for loser in losers:
        error = loser["error"]
        assert isinstance(error, dict) and error["code"] == "conflict", acks
    return winners[0]


async def test_two_devices_accepting_at_once(people: People, live_world: World) -> None:
    ticket_id = await live_world.new_ticket()
    officer = await people.join("fo")
    devices = [await people.join("citizen") for _ in range(3)]
    call_id = await invite(officer, ticket_id)
    for device in devices:
        await wait(device, "ringing", call_id)
    acks = await asyncio.gather(*(call(d, "accept", {"call_id": call_id}) for d in devices))
    _one_winner(list(acks))
    [row] = await _calls(live_world, ticket_id)
    assert row.status is CallStatus.active and row.answered_by_sid is not None
    await wait(officer, "accepted", call_id)
    losers = [d for d, a in zip(devices, acks, strict=True) if not a["ok"]]
    for device in losers:
        assert (await wait(device, "ring_stopped", call_id))["reason"] == "answered"


async def test_accept_racing_cancel(people: People, live_world: World) -> None:
    for _ in range(3):
        ticket_id = await live_world.new_ticket()
        officer, citizen = await people.join("fo"), await people.join("citizen")
        call_id = await invite(officer, ticket_id)
        await wait(citizen, "ringing", call_id)
        accept, cancel = await asyncio.gather(
            call(citizen, "accept", {"call_id": call_id}),
            call(officer, "cancel", {"call_id": call_id}),
        )
        _one_winner([accept, cancel])
        [row] = await _calls(live_world, ticket_id)
        if accept["ok"]:
            assert row.status is CallStatus.active
            assert await call_log(live_world, ticket_id) == []
            await call(officer, "hangup", {"call_id": call_id})
        else:
            assert row.status is CallStatus.ended and row.outcome == "cancelled"
            assert [e["outcome"] for e in await call_log(live_world, ticket_id)] == ["cancelled"]


async def test_two_officers_ringing_the_same_ticket(people: People, live_world: World) -> None:
    ticket_id = await live_world.new_ticket()
    officers = [await people.join(name) for name in ("fo", "staff", "approver")]
    citizen = await people.join("citizen")
    acks = await asyncio.gather(
        *(call(o, "invite", {"ticket_id": ticket_id, "media": "audio"}) for o in officers)
    )
    winner = _one_winner(list(acks))
    await wait(citizen, "ringing", str(winner["call_id"]))
    async with live_world.hub.reader() as session:
        live = await session.scalar(
            select(func.count()).select_from(Call).where(Call.live_ticket_id == ticket_id)
        )
    assert live == 1
    assert len(await _calls(live_world, ticket_id)) == 1
    assert len(citizen.events("ringing", namespace="/calls")) == 1
