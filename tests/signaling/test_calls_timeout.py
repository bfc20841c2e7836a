"""An unanswered call times out into a missed call: logged, notified, marked "call back".

The hub rings for its usual 45 s (``RING_TIMEOUT``): the test moves the hub's clock
past the deadline and waits for the events, never for real seconds.
"""

from __future__ import annotations

import pytest

from signaling.sweeper import tick_for
from tests.signaling.helpers import (
    People,
    call,
    call_log,
    callback_pending,
    error_code,
    invite,
    pass_time,
    ring_and_accept,
    wait,
)
from tests.support.server import RunningHub
from tests.support.world import World


async def test_unanswered_call_becomes_missed(
    people: People, live: RunningHub, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer = await people.join("fo")
    phone, laptop = await people.join("citizen"), await people.join("citizen")
    call_id = await invite(officer, ticket_id, media="video")
    await wait(phone, "ringing", call_id)

    await pass_time(live, live.settings.ring_timeout)
    ended = await wait(officer, "ended", call_id, timeout=5)
    assert ended == {"call_id": call_id, "outcome": "missed", "duration": 0.0}
    for device in (phone, laptop):
        assert (await wait(device, "ring_stopped", call_id))["reason"] == "timeout"
        missed = await wait(device, "missed_call", call_id)
        assert missed["ticket"]["id"] == ticket_id and missed["media"] == "video"
        assert missed["caller"]["name"] == "Uji fo"
    [log] = await call_log(live_world, ticket_id)
    assert log["outcome"] == "missed" and log["answered_at"] is None
    assert log["duration_s"] == 0.0 and log["_actor"] == live_world.users["fo"]
    assert await callback_pending(live_world, ticket_id)
    assert error_code(await call(phone, "accept", {"call_id": call_id})) == "conflict"
    # and the citizen's inbox keeps it, for when they were not looking
    async with live.http(live_world.tokens["citizen"]) as http:
        inbox = (await http.get("/api/notifications")).json()["notifications"]
    assert [n["kind"] for n in inbox] == ["missed_call"]
    assert inbox[0]["ticket_id"] == ticket_id


async def test_calling_back_and_being_answered_clears_the_marker(
    people: People, live: RunningHub, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("staff"), await people.join("citizen")
    missed = await invite(officer, ticket_id)
    await wait(citizen, "ringing", missed)
    await pass_time(live, live.settings.ring_timeout)
    await wait(citizen, "missed_call", missed, timeout=5)
    assert await callback_pending(live_world, ticket_id)
    answered = await ring_and_accept(officer, citizen, ticket_id)
    assert not await callback_pending(live_world, ticket_id)
    # An answered call does not time out while active.
    assert (await call(officer, "hangup", {"call_id": answered}))["outcome"] == "completed"
    outcomes = [e["outcome"] for e in await call_log(live_world, ticket_id)]
    assert outcomes == ["missed", "completed"]


def test_sweeper_tick_follows_the_shortest_deadline() -> None:
    assert tick_for(45, 20) == 1.0
    assert tick_for(0.5, 20) == pytest.approx(0.1)
    assert tick_for(0.01, 0.01) == 0.05
