"""Each process listens to the others from its start, not from its first socket: the
first dashboard on a process sees the other process's changes as they happen."""

from __future__ import annotations

from redis.asyncio import Redis

from hub.realtime.managers import SIO_CHANNEL
from tests.queues.helpers import Q
from tests.scale.cluster import Cluster
from tests.support.redis_server import RedisServer
from tests.support.server import connect
from tests.support.world import World


async def test_every_process_is_subscribed_before_its_first_socket(
    cluster: Cluster, world: World, redis: RedisServer
) -> None:
    client = Redis.from_url(redis.url)
    try:
        # no socket has connected to either process yet
        [(_channel, listeners)] = await client.pubsub_numsub(SIO_CHANNEL)
    finally:
        await client.aclose()
    assert listeners == 2

    office = world.offices["kel_a"]
    dashboard = await connect(cluster[1].url, world.tokens["spv"], namespaces=(Q,))
    try:
        assert (await dashboard.call("watch", {"office_id": office}, namespace=Q))["ok"]
        async with cluster[0].http(world.tokens["citizen"]) as http:
            r = await http.post("/api/tickets", json={"service_code": "SKTM", "office_id": office})
            assert r.status_code == 201, r.text
            created = r.json()["ticket"]["id"]
        delta = await dashboard.wait_for(
            "queue_ticket", lambda d: d["ticket"]["id"] == created, namespace=Q
        )
        assert delta["ticket"]["id"] == created
    finally:
        await dashboard.close()
