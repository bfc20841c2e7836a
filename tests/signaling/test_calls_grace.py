"""A dropped connection during a call: the party may come back (``rejoin``) within
``CALL_GRACE`` (20 s, on the hub's clock); otherwise the call ends as ``failed``."""

from __future__ import annotations

from signaling.models import Call, CallStatus
from tests.signaling.helpers import (
    People,
    call,
    call_log,
    error_code,
    invite,
    pass_time,
    ring_and_accept,
    wait,
)
from tests.signaling.test_calls_flow import ANSWER, OFFER
from tests.support.server import RunningHub
from tests.support.world import World


async def test_callee_comes_back_and_the_call_resumes(people: People, live_world: World) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("fo"), await people.join("citizen")
    call_id = await ring_and_accept(officer, citizen, ticket_id)
    await citizen.close()
    assert (await wait(officer, "peer_lost", call_id))["party"] == "callee"

    back = await people.join("citizen")
    ack = await call(back, "rejoin", {"call_id": call_id})
    assert ack == {"ok": True, "call_id": call_id, "party": "callee", "media": "audio"}
    assert (await wait(officer, "peer_rejoined", call_id))["party"] == "callee"
    # ICE restart: a new offer reaches the new socket, its answer comes back.
    assert (await call(officer, "offer", {"call_id": call_id, "description": OFFER}))["ok"]
    await wait(back, "offer", call_id)
    assert (await call(back, "answer", {"call_id": call_id, "description": ANSWER}))["ok"]
    await wait(officer, "answer", call_id)
    # Coming back cleared the loss, so the sweeper has nothing to end.
    async with live_world.hub.reader() as session:
        row = await session.get(Call, call_id)
        assert row is not None and row.status is CallStatus.active
        assert row.callee_lost_at is None and row.caller_lost_at is None
    assert (await call(back, "hangup", {"call_id": call_id}))["outcome"] == "completed"
    assert [e["outcome"] for e in await call_log(live_world, ticket_id)] == ["completed"]


async def test_caller_comes_back_on_a_new_socket(people: People, live_world: World) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("fo"), await people.join("citizen")
    call_id = await ring_and_accept(officer, citizen, ticket_id)
    await officer.close()
    assert (await wait(citizen, "peer_lost", call_id))["party"] == "caller"
    back = await people.join("fo")
    assert (await call(back, "rejoin", {"call_id": call_id}))["party"] == "caller"
    await wait(citizen, "peer_rejoined", call_id)
    assert (await call(back, "offer", {"call_id": call_id, "description": OFFER}))["ok"]
    await wait(citizen, "offer", call_id)


async def test_no_rejoin_within_grace_ends_the_call_failed(
    people: People, live: RunningHub, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("approver"), await people.join("citizen")
    call_id = await ring_and_accept(officer, citizen, ticket_id)
    await citizen.close()
    await wait(officer, "peer_lost", call_id)
    await pass_time(live, live.settings.call_grace)
    ended = await wait(officer, "ended", call_id, timeout=6)
    assert ended["outcome"] == "failed"
    [log] = await call_log(live_world, ticket_id)
    assert log["outcome"] == "failed" and log["answered_at"] is not None
    late = await people.join("citizen")
    assert error_code(await call(late, "rejoin", {"call_id": call_id})) == "conflict"


async def test_caller_dropping_while_ringing_cancels(people: People, live_world: World) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("fo"), await people.join("citizen")
    call_id = await invite(officer, ticket_id)
    await wait(citizen, "ringing", call_id)
    await officer.close()
    assert (await wait(citizen, "ring_stopped", call_id))["reason"] == "cancelled"
    assert [e["outcome"] for e in await call_log(live_world, ticket_id)] == ["cancelled"]
