"""Live queue numbers and officer presence agree across processes."""

from __future__ import annotations

from typing import Any

from tests.queues.helpers import Q, board_of
from tests.scale.cluster import Cluster
from tests.support.server import Client, connect
from tests.support.world import World


async def watch(client: Client, office_id: int) -> dict[str, Any]:
    ack = await client.call("watch", {"office_id": office_id}, namespace=Q)
    assert ack["ok"], ack
    return dict(ack["snapshot"])


async def test_a_dashboard_on_one_process_follows_the_other(cluster: Cluster, world: World) -> None:
    office = world.offices["kec"]
    dashboard = await connect(cluster[1].url, world.tokens["spv"], namespaces=(Q,))
    officer: Client | None = None
    try:
        snapshot = await watch(dashboard, office)

        # An officer comes online on process 1; the dashboard on process 2 sees it.
        officer = await connect(cluster[0].url, world.tokens["fo"])
        await dashboard.wait_for(
            "queue_officer",
            lambda d: d["officer"]["id"] == world.users["fo"] and d["officer"]["online"],
            namespace=Q,
        )
        # A citizen takes a number through process 1.
        async with cluster[0].http(world.tokens["citizen"]) as http:
            r = await http.post(
                "/api/tickets",
                json={"service_code": "SKTM", "office_id": world.offices["kel_a"]},
            )
            assert r.status_code == 201, r.text
            ticket = r.json()["ticket"]
        await dashboard.wait_for(
            "queue_ticket", lambda d: d["ticket"]["id"] == ticket["id"], namespace=Q
        )

        # The board built from deltas equals a fresh snapshot taken on the other process.
        fresh_client = await connect(cluster[0].url, world.tokens["spv"], namespaces=(Q,))
        try:
            fresh = await watch(fresh_client, office)
        finally:
            await fresh_client.close()
        followed = board_of(snapshot, dashboard).entities()
        for key in ("tickets", "officers", "calls"):
            assert followed[key] == fresh[key], key
        queued = [t for t in fresh["tickets"] if t["id"] == ticket["id"]]
        assert queued and queued[0]["queue"] == ticket["queue"]
    finally:
        await dashboard.close()
        if officer is not None:
            await officer.close()
