"""The frame recorder (``tests/support/contract.py``) catches what it is there to catch."""

from __future__ import annotations

from hub.spec import namespaces
from tests.support.contract import FrameRecorder
from tests.support.server import RunningHub, connect
from tests.support.world import World


def test_an_event_off_its_model_or_without_one_is_a_problem() -> None:
    frames = FrameRecorder(namespaces())
    frames.event("/tickets", "ticket_removed", {"id": 7})
    assert frames.take() == []
    frames.event("/tickets", "ticket_removed", {"id": "7"})  # strict: a string is not an id
    frames.event("/tickets", "ticket_removed", {"id": 7, "extra": 1})  # unknown field
    frames.event("/tickets", "made_up", {})
    problems = frames.take()
    assert len(problems) == 3
    assert "TicketRemovedOut" in problems[0] and "extra" in problems[1]
    assert "'made_up' has no model" in problems[2] and "NamespaceContract" in problems[2]


def test_acks_are_checked_ok_and_error_alike() -> None:
    frames = FrameRecorder(namespaces())
    frames.ack("/tickets", "read", {"ok": True, "seq": 3})
    frames.ack("/tickets", "read", {"ok": False, "error": {"code": "invalid", "message": "x"}})
    assert frames.take() == []
    frames.ack("/tickets", "read", {"ok": True})
    frames.ack("/tickets", "read", {"ok": False, "error": {"code": "oops", "message": "x"}})
    frames.ack("/tickets", "shout", {"ok": True})
    problems = frames.take()
    assert len(problems) == 3 and "has no contract" in problems[2]


async def test_the_recorder_sees_the_live_hubs_frames(
    live: RunningHub, live_world: World, frame_recorder: FrameRecorder
) -> None:
    ticket = await live_world.new_ticket()
    frame_recorder.seen.clear()
    client = await connect(live.url, live_world.tokens["fo"])
    try:
        ack = await client.call("join", {"ticket_id": ticket, "after_seq": 0})
        assert ack["ok"]
        await client.call("typing", {"ticket_id": ticket, "typing": True})
        await client.wait_for("typing")
    finally:
        await client.close()
    assert {("/tickets", "ack", "join"), ("/tickets", "event", "typing")} <= frame_recorder.seen
