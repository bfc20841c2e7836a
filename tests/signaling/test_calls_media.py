"""Real media through the hub's signaling: two aiortc peers on loopback see each other."""

from __future__ import annotations

from tests.signaling.helpers import People, call, invite, wait
from tests.signaling.peers import Peer
from tests.support.world import World


async def test_officer_and_citizen_exchange_audio_and_video(
    people: People, live_world: World
) -> None:
    ticket_id = await live_world.new_ticket()
    officer, citizen = await people.join("fo"), await people.join("citizen")
    call_id = await invite(officer, ticket_id, media="video")
    await wait(citizen, "ringing", call_id)
    accepted = await call(citizen, "accept", {"call_id": call_id})
    await wait(officer, "accepted", call_id)

    caller, callee = Peer.make([]), Peer.make(accepted["ice_servers"])
    try:
        offer = await caller.offer()
        assert (await call(officer, "offer", {"call_id": call_id, "description": offer}))["ok"]
        relayed = await wait(citizen, "offer", call_id)
        answer = await callee.answer(relayed["description"])
        assert (await call(citizen, "answer", {"call_id": call_id, "description": answer}))["ok"]
        await caller.accept_answer((await wait(officer, "answer", call_id))["description"])

        at_citizen, at_officer = await callee.frames(), await caller.frames()
        assert at_citizen["video"].width == 160 and at_officer["video"].height == 120
        assert at_citizen["audio"].sample_rate > 0 and at_officer["audio"].samples > 0
    finally:
        await caller.close()
        await callee.close()
    ack = await call(officer, "hangup", {"call_id": call_id})
    assert ack["outcome"] == "completed" and ack["duration"] > 0
