"""A call is bound to the exact device of each party: the caller's inviting (or rejoined)
socket and the callee's accepting (or rejoined) socket. Another tab or phone of the same
person may not end, steer or take over the call; ``rejoin`` works only after a real loss."""

from __future__ import annotations

from tests.signaling.helpers import (
    People,
    call,
    call_log,
    error_code,
    got,
    invite,
    ring_and_accept,
    wait,
)
from tests.signaling.test_calls_flow import ANSWER, CANDIDATE, OFFER
from tests.support.server import Client
from tests.support.world import World


async def relayed(sender: Client, receiver: Client, call_id: str) -> None:
    """A candidate from ``sender``'s device reaches ``receiver``: the call is still on,
    and everything sent before it has been handled (the sentinel of "nothing else came")."""
    before = len(got(receiver, "ice"))
    assert (await call(sender, "ice", {"call_id": call_id, "candidate": CANDIDATE}))["ok"]
    await wait(receiver, "ice", call_id)
    assert len(got(receiver, "ice")) == before + 1


async def test_another_socket_of_a_party_may_not_end_or_steer_the_call(
    people: People, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, other_tab = await people.join("fo"), await people.join("fo")
    phone, laptop = await people.join("citizen"), await people.join("citizen")
    call_id = await invite(officer, ticket_id)
    await wait(laptop, "ringing", call_id)
    # While it rings, only the inviting socket may cancel (a hangup is a cancel then).
    for event in ("cancel", "hangup"):
        assert error_code(await call(other_tab, event, {"call_id": call_id})) == "forbidden"
    assert (await call(phone, "accept", {"call_id": call_id}))["ok"]
    await wait(officer, "accepted", call_id)

    for who in (other_tab, laptop):
        for event, body in (
            ("hangup", {"call_id": call_id}),
            ("offer", {"call_id": call_id, "description": OFFER}),
            ("answer", {"call_id": call_id, "description": ANSWER}),
            ("ice", {"call_id": call_id, "candidate": CANDIDATE}),
        ):
            assert error_code(await call(who, event, body)) == "forbidden", (event, who)
    assert error_code(await call(other_tab, "cancel", {"call_id": call_id})) == "forbidden"

    await relayed(phone, officer, call_id)
    await relayed(officer, phone, call_id)
    assert got(officer, "ended") == [] and got(phone, "ended") == []
    assert got(laptop, "ice") == [] and got(other_tab, "ice") == []
    ack = await call(phone, "hangup", {"call_id": call_id})
    assert ack["ok"] and ack["outcome"] == "completed"
    await wait(officer, "ended", call_id)
    assert [e["outcome"] for e in await call_log(live_world, ticket_id)] == ["completed"]


async def test_while_it_rings_any_device_of_the_callee_may_decline(
    people: People, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer = await people.join("fo")
    phone, laptop = await people.join("citizen"), await people.join("citizen")
    call_id = await invite(officer, ticket_id)
    await wait(phone, "ringing", call_id)
    ack = await call(laptop, "hangup", {"call_id": call_id})
    assert ack["ok"] and ack["outcome"] == "declined"
    await wait(officer, "declined", call_id)


async def test_rejoin_while_the_party_is_connected_is_forbidden_and_tells_nobody(
    people: People, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, other_tab = await people.join("fo"), await people.join("fo")
    phone, laptop = await people.join("citizen"), await people.join("citizen")
    call_id = await ring_and_accept(officer, phone, ticket_id)

    for who in (other_tab, laptop):
        assert error_code(await call(who, "rejoin", {"call_id": call_id})) == "forbidden"
    # A repeat from the device itself is acknowledged and changes nothing.
    ack = await call(phone, "rejoin", {"call_id": call_id})
    assert ack == {"ok": True, "call_id": call_id, "party": "callee", "media": "audio"}

    # The call stays on the original devices.
    assert (await call(officer, "offer", {"call_id": call_id, "description": OFFER}))["ok"]
    await wait(phone, "offer", call_id)
    assert (await call(phone, "answer", {"call_id": call_id, "description": ANSWER}))["ok"]
    await wait(officer, "answer", call_id)
    await relayed(phone, officer, call_id)
    for client in (officer, other_tab, phone, laptop):
        assert got(client, "peer_rejoined") == [] and got(client, "peer_lost") == []
    assert got(laptop, "offer") == [] and got(other_tab, "answer") == []


async def test_after_a_real_loss_one_new_socket_rejoins_and_the_peer_hears_it_once(
    people: People, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, phone = await people.join("fo"), await people.join("citizen")
    call_id = await ring_and_accept(officer, phone, ticket_id)
    await phone.close()
    assert (await wait(officer, "peer_lost", call_id))["party"] == "callee"

    back, also = await people.join("citizen"), await people.join("citizen")
    # A new socket acts in the call only after it has rejoined.
    assert error_code(await call(back, "hangup", {"call_id": call_id})) == "forbidden"
    assert (await call(back, "rejoin", {"call_id": call_id}))["party"] == "callee"
    assert error_code(await call(also, "rejoin", {"call_id": call_id})) == "forbidden"
    assert (await wait(officer, "peer_rejoined", call_id))["party"] == "callee"
    await relayed(back, officer, call_id)
    assert len(got(officer, "peer_rejoined")) == 1
    assert error_code(await call(also, "hangup", {"call_id": call_id})) == "forbidden"
    assert (await call(back, "hangup", {"call_id": call_id}))["outcome"] == "completed"
