"""A process dies with SIGKILL mid-conversation: its clients move to the other one."""

from __future__ import annotations

import asyncio

from hub.timeline import events_between
from tests.scale.cluster import Cluster, until
from tests.support.chat_client import ChatClient
from tests.support.world import World


async def comments_in_db(world: World, ticket_id: int) -> dict[int, tuple[str, str | None]]:
    async with world.hub.reader() as session:
        rows = await events_between(session, ticket_id, 0, 10_000)
    return {e.seq: (e.payload["body"], e.client_id) for e in rows if e.kind == "comment"}


def comments_held(client: ChatClient) -> dict[int, tuple[str, str | None]]:
    return {seq: (body, cid) for seq, body, cid in client.comments()}


async def test_clients_of_a_killed_process_resume_on_the_other(
    cluster: Cluster, world: World
) -> None:
    ticket_id = await world.new_ticket()
    officer = ChatClient(cluster[0].url, world.tokens["fo"], ticket_id)
    citizen = ChatClient(cluster[1].url, world.tokens["citizen"], ticket_id)
    await officer.connect()
    await citizen.connect()
    try:
        for i in range(10):
            await citizen.say(f"warga {i}")
            await officer.say(f"petugas {i}")

        async def citizen_talks() -> None:
            for i in range(10, 30):
                await citizen.say(f"warga {i}")

        async def officer_talks() -> None:
            for i in range(10, 30):
                await officer.say(f"petugas {i}")

        talking = asyncio.gather(citizen_talks(), officer_talks())
        await until(lambda: len(citizen.outbox) > 0, what="a citizen send in flight")
        cluster[1].kill()  # sends in flight: stored or not, the client cannot know
        await citizen.disconnect()
        await talking  # the rest waits in the citizen's outbox

        citizen.url = cluster[0].url  # what the balancer does for a dead backend
        await citizen.connect()  # join after_seq, fill gaps, resend outbox, same client_ids
        assert citizen.outbox == {}

        stored = await comments_in_db(world, ticket_id)
        await until(lambda: comments_held(officer) == stored, what="officer has everything")
        assert comments_held(citizen) == stored
        bodies = sorted(body for body, _cid in stored.values())
        expected = sorted([f"warga {i}" for i in range(30)] + [f"petugas {i}" for i in range(30)])
        assert bodies == expected  # nothing lost, nothing twice
        assert sorted(stored) == list(range(min(stored), min(stored) + 60))
    finally:
        await officer.disconnect()
        await citizen.disconnect()
