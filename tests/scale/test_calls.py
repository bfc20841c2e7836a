"""Calls across processes: an officer on one, a citizen on the other — and a process that dies."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from signaling.models import Call, CallStatus
from tests.scale.cluster import Cluster
from tests.signaling.helpers import CALLS, call, check_schema, invite, wait
from tests.signaling.peers import Peer
from tests.support.server import connect
from tests.support.world import World

PROCESS_TTL = 1.5
CALL_GRACE = 1.5


@pytest.fixture
def cluster_env() -> dict[str, str]:
    return {
        "RING_TIMEOUT": "20",
        "CALL_GRACE": str(CALL_GRACE),
        "PROCESS_TTL": str(PROCESS_TTL),
    }


async def call_status(world: World, call_id: str) -> tuple[CallStatus, str | None]:
    async with world.hub.reader() as session:
        c = await session.scalar(select(Call).where(Call.id == call_id))
        assert c is not None
        return c.status, c.outcome.value if c.outcome else None


async def test_a_call_rings_and_connects_across_processes(cluster: Cluster, world: World) -> None:
    ticket_id = await world.new_ticket()
    officer = await connect(cluster[0].url, world.tokens["fo"], namespaces=(CALLS,))
    citizen = await connect(cluster[1].url, world.tokens["citizen"], namespaces=(CALLS,))
    caller, callee = Peer.make([], ("audio",)), Peer.make([], ("audio",))
    try:
        call_id = await invite(officer, ticket_id)
        await wait(citizen, "ringing", call_id)
        assert (await call(citizen, "accept", {"call_id": call_id}))["ok"]
        await wait(officer, "accepted", call_id)

        offer = await caller.offer()
        assert (await call(officer, "offer", {"call_id": call_id, "description": offer}))["ok"]
        relayed = await wait(citizen, "offer", call_id)
        answer = await callee.answer(relayed["description"])
        assert (await call(citizen, "answer", {"call_id": call_id, "description": answer}))["ok"]
        await caller.accept_answer((await wait(officer, "answer", call_id))["description"])
        at_citizen, at_officer = await callee.frames(), await caller.frames()
        assert at_citizen["audio"].sample_rate > 0 and at_officer["audio"].samples > 0

        ack = await call(citizen, "hangup", {"call_id": call_id})
        assert ack["outcome"] == "completed", ack
        assert (await wait(officer, "ended", call_id))["outcome"] == "completed"
        check_schema(officer)
        check_schema(citizen)
    finally:
        await caller.close()
        await callee.close()
        await officer.close()
        await citizen.close()


async def test_a_killed_callers_process_leaves_nothing_ringing(
    cluster: Cluster, world: World
) -> None:
    ticket_id = await world.new_ticket()
    officer = await connect(cluster[0].url, world.tokens["fo"], namespaces=(CALLS,))
    citizen = await connect(cluster[1].url, world.tokens["citizen"], namespaces=(CALLS,))
    try:
        call_id = await invite(officer, ticket_id)
        await wait(citizen, "ringing", call_id)
        cluster[0].kill()
        # Far sooner than the 20 s ring timeout: process 2 saw process 1 stop beating.
        stopped = await wait(citizen, "ring_stopped", call_id, timeout=4 * PROCESS_TTL + 5)
        assert stopped["reason"] == "cancelled"
        assert await call_status(world, call_id) == (CallStatus.ended, "cancelled")

        # The officer is not stuck "in a call": from the other process they ring again.
        again = await connect(cluster[1].url, world.tokens["fo"], namespaces=(CALLS,))
        try:
            second = await invite(again, ticket_id)
            await wait(citizen, "ringing", second)
        finally:
            await again.close()
    finally:
        await officer.close()
        await citizen.close()


async def test_a_killed_process_ends_its_active_calls_after_the_grace(
    cluster: Cluster, world: World
) -> None:
    ticket_id = await world.new_ticket()
    officer = await connect(cluster[0].url, world.tokens["fo"], namespaces=(CALLS,))
    citizen = await connect(cluster[1].url, world.tokens["citizen"], namespaces=(CALLS,))
    try:
        call_id = await invite(officer, ticket_id)
        await wait(citizen, "ringing", call_id)
        assert (await call(citizen, "accept", {"call_id": call_id}))["ok"]
        await wait(officer, "accepted", call_id)

        cluster[0].kill()
        lost = await wait(citizen, "peer_lost", call_id, timeout=4 * PROCESS_TTL + 5)
        assert lost["party"] == "caller"
        ended = await wait(citizen, "ended", call_id, timeout=CALL_GRACE + 5)
        assert ended["outcome"] == "failed"
        assert await call_status(world, call_id) == (CallStatus.ended, "failed")

        again = await connect(cluster[1].url, world.tokens["fo"], namespaces=(CALLS,))
        try:
            second = await invite(again, ticket_id)
            await wait(citizen, "ringing", second)
        finally:
            await again.close()
    finally:
        await officer.close()
        await citizen.close()
