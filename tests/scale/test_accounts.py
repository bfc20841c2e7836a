"""Two processes on one Redis and one PostgreSQL: ending an account's sessions closes its
sockets on both, within 2 s."""

from __future__ import annotations

import asyncio

from tests.scale.cluster import Cluster
from tests.support.server import Client, connect
from tests.support.world import PASSWORD, World

NEW_PASSWORD = "kata-sandi-baru-1"


async def closed_within(clients: list[Client], seconds: float = 2.0) -> None:
    async with asyncio.timeout(seconds):
        await asyncio.gather(*(c.gone.wait() for c in clients))


async def test_deactivating_an_officer_closes_their_sockets_on_every_process(
    cluster: Cluster, world: World
) -> None:
    async with cluster[1].http() as http:
        second = await http.post("/api/auth/login", json={"login": "fo.a", "password": PASSWORD})
        other_token = second.json()["token"]
    sockets = [
        await connect(cluster[0].url, world.tokens["fo"], ("/tickets", "/queues")),
        await connect(cluster[1].url, world.tokens["fo"], ("/notifications",)),
        await connect(cluster[1].url, other_token, ("/tickets", "/calls")),
    ]
    try:
        async with cluster[0].http(world.tokens["admin"]) as admin:
            r = await admin.post(f"/api/admin/officers/{world.users['fo']}/deactivate")
            assert r.status_code == 200, r.text
        await closed_within(sockets)
        for node in (cluster[0], cluster[1]):
            async with node.http(other_token) as http:
                assert (await http.get("/api/me")).status_code == 401
    finally:
        for s in sockets:
            await s.close()


async def test_a_password_change_closes_the_other_sessions_sockets_everywhere(
    cluster: Cluster, world: World
) -> None:
    async with cluster[1].http() as http:
        logged = await http.post(
            "/api/auth/login", json={"login": "0812-0000-0001", "password": PASSWORD}
        )
        here = logged.json()["token"]
    elsewhere = world.tokens["citizen"]
    others = [
        await connect(cluster[0].url, elsewhere, ("/tickets", "/notifications")),
        await connect(cluster[1].url, elsewhere, ("/tickets",)),
    ]
    mine = await connect(cluster[0].url, here, ("/tickets",))
    try:
        async with cluster[1].http(here) as http:
            r = await http.post(
                "/api/accounts/password",
                json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
            )
            assert r.status_code == 200, r.text
        await closed_within(others)
        assert not mine.gone.is_set()
        ack = await mine.call("leave", {"ticket_id": 1})
        assert ack["ok"] is True
    finally:
        for s in [*others, mine]:
            await s.close()
