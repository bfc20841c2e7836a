"""Events over the 64 KiB cap get ``too_large`` and the socket stays connected and usable;
only a message over the transport's hard limit (1,000,000 bytes) closes the connection."""

from __future__ import annotations

from tests.signaling.helpers import People, call, error_code, ring_and_accept, wait
from tests.signaling.test_calls_flow import ANSWER, CANDIDATE, OFFER
from tests.support.world import World

PAD = "x" * (100 * 1024)


async def test_every_calls_event_over_the_cap_is_too_large(
    people: People, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("fo"), await people.join("citizen")
    call_id = await ring_and_accept(officer, citizen, ticket_id)
    big_sdp = OFFER["sdp"] + "a=x-pad:" + PAD + "\r\n"
    for event, body in (
        ("offer", {"call_id": call_id, "description": {"type": "offer", "sdp": big_sdp}}),
        ("answer", {"call_id": call_id, "description": {"type": "answer", "sdp": big_sdp}}),
        ("ice", {"call_id": call_id, "candidate": {**CANDIDATE, "candidate": PAD}}),
        ("echo_offer", {"description": {"type": "offer", "sdp": big_sdp}}),
        ("invite", {"ticket_id": ticket_id, "media": "audio", "pad": PAD}),
        *(
            (event, {"call_id": call_id, "pad": PAD})
            for event in ("accept", "decline", "cancel", "hangup", "rejoin", "ice_servers")
        ),
        ("hangup", PAD),  # not an object, and too big: the size is what it hears about
        ("no_such_event", {"pad": PAD}),
    ):
        assert error_code(await call(officer, event, body)) == "too_large", event
    assert officer.sio.connected
    # Still usable: the call goes on.
    assert (await call(officer, "offer", {"call_id": call_id, "description": OFFER}))["ok"]
    await wait(citizen, "offer", call_id)
    assert (await call(citizen, "answer", {"call_id": call_id, "description": ANSWER}))["ok"]
    await wait(officer, "answer", call_id)
