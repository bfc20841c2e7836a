"""The call story on the /calls namespace: ring, answer, talk (relay), hang up — and each
way a call ends without being answered, every one logged on the ticket's timeline."""

from __future__ import annotations

from tests.signaling.helpers import (
    People,
    call,
    call_log,
    callback_pending,
    error_code,
    got,
    invite,
    ring_and_accept,
    wait,
)
from tests.signaling.sdp_samples import AIORTC_OFFER, HOST
from tests.support.world import World, receipt_token

OFFER = {"type": "offer", "sdp": AIORTC_OFFER}
ANSWER = {"type": "answer", "sdp": AIORTC_OFFER.replace("a=setup:actpass", "a=setup:active")}
CANDIDATE = {"candidate": HOST, "sdpMid": "0", "sdpMLineIndex": 0}


async def test_every_device_rings_first_accept_wins_and_the_others_stop(
    people: People, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer = await people.join("fo")
    phone, laptop = await people.join("citizen"), await people.join("citizen")
    ack = await call(officer, "invite", {"ticket_id": ticket_id, "media": "video"})
    assert ack["ok"] and ack["status"] == "ringing" and ack["media"] == "video"
    assert ack["ice_servers"] == []  # no STUN/TURN configured in this hub
    call_id = ack["call_id"]

    for device in (phone, laptop):
        ringing = await wait(device, "ringing", call_id)
        assert ringing["ticket"]["id"] == ticket_id
        assert ringing["caller"]["name"] == "Uji fo"
        assert ringing["caller"]["office_name"]
        assert ringing["media"] == "video"

    accepted = await call(phone, "accept", {"call_id": call_id})
    assert accepted["ok"] and accepted["status"] == "active"
    await wait(officer, "accepted", call_id)
    stopped = await wait(laptop, "ring_stopped", call_id)
    assert stopped["reason"] == "answered"
    assert error_code(await call(laptop, "accept", {"call_id": call_id})) == "conflict"


async def test_offer_answer_and_ice_reach_only_the_peer_device(
    people: People, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer = await people.join("fo")
    phone, laptop = await people.join("citizen"), await people.join("citizen")
    call_id = await invite(officer, ticket_id)
    await wait(laptop, "ringing", call_id)
    assert (await call(phone, "accept", {"call_id": call_id}))["ok"]
    await wait(officer, "accepted", call_id)

    assert (await call(officer, "offer", {"call_id": call_id, "description": OFFER}))["ok"]
    offer = await wait(phone, "offer", call_id)
    assert offer["description"] == OFFER
    assert (await call(phone, "answer", {"call_id": call_id, "description": ANSWER}))["ok"]
    answer = await wait(officer, "answer", call_id)
    assert answer["description"] == ANSWER

    assert (await call(officer, "ice", {"call_id": call_id, "candidate": CANDIDATE}))["ok"]
    assert (await wait(phone, "ice", call_id))["candidate"] == CANDIDATE
    assert (await call(phone, "ice", {"call_id": call_id, "candidate": CANDIDATE}))["ok"]
    assert (await wait(officer, "ice", call_id))["candidate"] == CANDIDATE
    assert (await call(phone, "ice", {"call_id": call_id, "candidate": None}))["ok"]
    await wait(officer, "ice", call_id, timeout=5)

    # An ICE restart is simply a new offer; it needs its own answer.
    assert (await call(officer, "offer", {"call_id": call_id, "description": OFFER}))["ok"]
    assert (await call(phone, "answer", {"call_id": call_id, "description": ANSWER}))["ok"]
    assert len(got(phone, "offer")) == 2 and len(got(officer, "answer")) == 2
    # The device that did not answer the call saw none of it.
    for event in ("offer", "answer", "ice", "accepted"):
        assert got(laptop, event) == []


async def test_hangup_ends_for_both_and_logs_a_completed_call(
    people: People, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("approver"), await people.join("citizen")
    call_id = await ring_and_accept(officer, citizen, ticket_id)
    ack = await call(citizen, "hangup", {"call_id": call_id})
    assert ack["ok"] and ack["outcome"] == "completed" and ack["duration"] >= 0
    for side in (officer, citizen):
        ended = await wait(side, "ended", call_id)
        assert ended["outcome"] == "completed"
    assert error_code(await call(officer, "hangup", {"call_id": call_id})) == "conflict"
    [log] = await call_log(live_world, ticket_id)
    assert log["call_id"] == call_id and log["outcome"] == "completed"
    assert log["media"] == "audio" and log["caller"]["name"] == "Uji approver"
    assert log["answered_at"] and log["ended_at"] and log["started_at"]
    assert log["_actor"] == live_world.users["approver"]
    # The ticket is free again: a new call can ring.
    await invite(officer, ticket_id)


async def test_decline_tells_the_caller_and_stops_every_device(
    people: People, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer = await people.join("staff")
    phone, laptop = await people.join("citizen"), await people.join("citizen")
    call_id = await invite(officer, ticket_id)
    await wait(laptop, "ringing", call_id)
    ack = await call(phone, "decline", {"call_id": call_id})
    assert ack["ok"] and ack["outcome"] == "declined"
    await wait(officer, "declined", call_id)
    assert (await wait(officer, "ended", call_id))["outcome"] == "declined"
    assert (await wait(laptop, "ring_stopped", call_id))["reason"] == "declined"
    assert error_code(await call(laptop, "accept", {"call_id": call_id})) == "conflict"
    assert [e["outcome"] for e in await call_log(live_world, ticket_id)] == ["declined"]


async def test_cancel_and_hangup_while_ringing_stop_the_ringing(
    people: People, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("fo"), await people.join("citizen")
    call_id = await invite(officer, ticket_id)
    await wait(citizen, "ringing", call_id)
    assert error_code(await call(citizen, "cancel", {"call_id": call_id})) == "forbidden"
    assert (await call(officer, "cancel", {"call_id": call_id}))["outcome"] == "cancelled"
    assert (await wait(citizen, "ring_stopped", call_id))["reason"] == "cancelled"
    assert error_code(await call(citizen, "accept", {"call_id": call_id})) == "conflict"

    second = await invite(officer, ticket_id)
    ack = await call(officer, "hangup", {"call_id": second})
    assert ack["ok"] and ack["outcome"] == "cancelled"
    third = await invite(officer, ticket_id)
    ack = await call(citizen, "hangup", {"call_id": third})
    assert ack["ok"] and ack["outcome"] == "declined"
    outcomes = [e["outcome"] for e in await call_log(live_world, ticket_id)]
    assert outcomes == ["cancelled", "cancelled", "declined"]
    assert not await callback_pending(live_world, ticket_id)


async def test_busy_when_the_callee_is_already_in_a_call(people: People, live_world: World) -> None:
    first, second = await live_world.new_ticket(), await live_world.new_ticket()
    fo, staff = await people.join("fo"), await people.join("staff")
    citizen = await people.join("citizen")
    ringing = await invite(fo, first)
    await wait(citizen, "ringing", ringing)
    # Busy while the other call merely rings…
    ack = await call(staff, "invite", {"ticket_id": second, "media": "audio"})
    assert ack["ok"] and ack["status"] == "ended" and ack["outcome"] == "busy"
    assert ack["ice_servers"] == []
    assert (await call(citizen, "accept", {"call_id": ringing}))["ok"]
    # …and while it is active.
    again = await call(staff, "invite", {"ticket_id": second, "media": "video"})
    assert again["outcome"] == "busy"
    logs = await call_log(live_world, second)
    assert [(e["call_id"], e["outcome"]) for e in logs] == [
        (ack["call_id"], "busy"),
        (again["call_id"], "busy"),
    ]
    assert [d["call_id"] for d in got(citizen, "ringing")] == [ringing]


async def test_caller_already_in_a_call_cannot_ring_another_ticket(
    people: People, live_world: World
) -> None:
    first = await live_world.new_ticket()
    second = await live_world.new_ticket(citizen="citizen2")
    officer = await people.join("fo")
    await invite(officer, first)
    assert error_code(await call(officer, "invite", {"ticket_id": second})) == "conflict"


async def test_a_walk_in_receipt_holder_is_rung_and_answers(
    people: People, live_world: World
) -> None:
    ticket_id, _code = await live_world.walk_in()
    receipt = await people.join("walk-in", await receipt_token(live_world.hub, ticket_id))
    officer = await people.join("fo")
    call_id = await ring_and_accept(officer, receipt, ticket_id)
    assert (await call(officer, "hangup", {"call_id": call_id}))["outcome"] == "completed"
    await wait(receipt, "ended", call_id)
