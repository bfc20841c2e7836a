"""Reconnecting: everything after ``after_seq``, in order; gaps filled; resync when too far."""

from __future__ import annotations

import pytest

from hub.ratelimit import Rule
from hub.timeline import MAX_REPLAY
from tests.support.server import RunningHub, connect
from tests.support.world import World

pytestmark = pytest.mark.both_dbs


async def say(world: World, live: RunningHub, tid: int, n: int) -> None:
    from chat import posting

    p = world.principals["fo"]
    comments = [posting.NewComment(p, tid, f"bulk-{i:06d}", f"pesan {i}") for i in range(n)]
    async with live.hub.unit() as unit:
        results = await posting.post_comments(
            unit, live.hub.limiter, comments, rule=Rule(10_000, 1000.0)
        )
    assert all(isinstance(r, tuple) and r[1] for r in results)


async def test_join_after_seq_replays_what_was_missed_in_order(
    live: RunningHub, live_world: World
) -> None:
    tid = await live_world.new_ticket()
    await say(live_world, live, tid, 5)  # seq 2..6
    citizen = await connect(live.url, live_world.tokens["citizen"])
    try:
        ack = await citizen.call("join", {"ticket_id": tid, "after_seq": 3})
        assert [e["seq"] for e in ack["events"]] == [4, 5, 6]
        assert ack["last_seq"] == 6
        ack = await citizen.call("join", {"ticket_id": tid, "after_seq": 6})
        assert ack["events"] == []
        ack = await citizen.call("join", {"ticket_id": tid, "after_seq": 60})
        assert ack["error"]["code"] == "invalid"
        gap = await citizen.call("missing", {"ticket_id": tid, "after_seq": 1, "before_seq": 4})
        assert [e["seq"] for e in gap["events"]] == [2, 3]
    finally:
        await citizen.close()


async def test_too_far_behind_gets_resync_required_then_pages_history(
    live: RunningHub, live_world: World
) -> None:
    tid = await live_world.new_ticket()
    await say(live_world, live, tid, MAX_REPLAY + 10)
    citizen = await connect(live.url, live_world.tokens["citizen"])
    try:
        ack = await citizen.call("join", {"ticket_id": tid, "after_seq": 1})
        assert ack["ok"] is False and ack["error"]["code"] == "resync_required"
        assert ack["error"]["last_seq"] == MAX_REPLAY + 11
        # the client reloads: the newest page, then older pages until the start
        seqs: list[int] = []
        page = await citizen.call("history", {"ticket_id": tid, "limit": 200})
        while True:
            seqs = [e["seq"] for e in page["events"]] + seqs
            if not page["has_more"]:
                break
            page = await citizen.call(
                "history", {"ticket_id": tid, "before_seq": seqs[0], "limit": 200}
            )
        assert seqs == list(range(1, MAX_REPLAY + 12))
        # and then joins live from where its history ends
        ack = await citizen.call("join", {"ticket_id": tid, "after_seq": seqs[-1]})
        assert ack["ok"] and ack["events"] == []
    finally:
        await citizen.close()
