"""Calls as an operator's Prometheus sees them: by outcome, and how long set-up takes."""

from __future__ import annotations

from tests.signaling.helpers import People, call, invite, ring_and_accept, wait
from tests.support.metrics import scrape
from tests.support.server import RunningHub
from tests.support.world import World


async def test_a_declined_call_is_counted_by_its_outcome(
    people: People, live: RunningHub, live_world: World
) -> None:
    before = await scrape(live)
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("staff"), await people.join("citizen")
    call_id = await invite(officer, ticket_id)
    await wait(citizen, "ringing", call_id)
    assert (await call(citizen, "decline", {"call_id": call_id}))["ok"]
    await wait(officer, "ended", call_id)
    after = await scrape(live)
    calls = "asinan_calls_total"
    assert after.value(calls, outcome="declined") == before.value(calls, outcome="declined") + 1
    assert after.value(calls, outcome="completed") == before.value(calls, outcome="completed")
    ns = {"namespace": "/calls"}
    assert after.value("asinan_acks_total", **ns, event="decline", outcome="ok") == 1
    assert after.value("asinan_events_out_total", **ns, event="ringing") >= 1
    # declined before it was answered: no set-up time
    assert after.value("asinan_call_setup_seconds_count") == 0


async def test_an_answered_call_records_its_set_up_time_and_its_end(
    people: People, live: RunningHub, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("staff"), await people.join("citizen")
    call_id = await ring_and_accept(officer, citizen, ticket_id)
    answered = await scrape(live)
    assert answered.value("asinan_call_setup_seconds_count") == 1
    assert answered.value("asinan_call_setup_seconds_bucket", le="60.0") == 1
    assert (await call(officer, "hangup", {"call_id": call_id}))["ok"]
    await wait(citizen, "ended", call_id)
    ended = await scrape(live)
    assert ended.value("asinan_calls_total", outcome="completed") == 1
