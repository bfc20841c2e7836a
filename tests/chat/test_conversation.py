"""Nothing lost, nothing twice: a long conversation over unreliable connections."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from hub.timeline import events_between
from tests.support.chat_client import ChatClient
from tests.support.server import make_settings, run_hub
from tests.support.world import build_world


async def test_500_comments_with_random_disconnects_end_identical(
    sqlite_url: str, tmp_path: Path
) -> None:
    settings = make_settings(sqlite_url, tmp_path / "var", COMMENT_BURST="1000")
    rng = random.Random(20261127)
    async with run_hub(settings) as live:
        world = await build_world(live.hub)
        tid = await world.new_ticket()
        citizen = ChatClient(live.url, world.tokens["citizen"], tid)
        officer = ChatClient(live.url, world.tokens["fo"], tid)
        await citizen.connect()
        await officer.connect()

        said: list[str] = []
        drops = {"between": 0, "in_flight": 0}

        async def talk(me: ChatClient, name: str) -> None:
            for i in range(250):
                body = f"{name} {i}"
                said.append(body)
                roll = rng.random()
                if roll < 0.03:
                    # the connection dies between two messages; typed offline, sent later
                    drops["between"] += 1
                    await me.disconnect()
                    await me.say(body)
                    await me.connect()
                elif roll < 0.06:
                    # the connection dies while the comment is in flight: the ack may be lost
                    drops["in_flight"] += 1
                    sending = asyncio.create_task(me.say(body))
                    await asyncio.sleep(0)
                    await me.disconnect()
                    await sending
                    await me.connect()
                else:
                    await me.say(body)

        await asyncio.gather(talk(citizen, "warga"), talk(officer, "petugas"))
        # both flush their outboxes and catch up
        for me in (citizen, officer):
            await me.disconnect()
            await me.connect()
        async with live.hub.reader() as session:
            stored = await events_between(session, tid, 0, 10_000)
        for me in (citizen, officer):
            await me.disconnect()

    comments = [e for e in stored if e.kind == "comment"]
    assert len(comments) == 500
    assert [e.seq for e in stored] == list(range(1, len(stored) + 1))
    assert len({(e.actor_key, e.client_id) for e in comments}) == 500
    assert citizen.outbox == {} and officer.outbox == {}
    assert citizen.comments() == officer.comments()
    assert citizen.comments() == [(e.seq, e.payload["body"], e.client_id) for e in comments]
    assert sorted(b for _s, b, _c in citizen.comments()) == sorted(said)
    assert drops["between"] > 3 and drops["in_flight"] > 3
