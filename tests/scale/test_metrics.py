"""Two processes on one Redis: each answers ``/metrics`` for itself, and every metric the
shipped Grafana dashboard uses is there (docs/deploy.md, docs/grafana-asinan-hub.json)."""

from __future__ import annotations

import json

from tests.hub.test_metrics_dashboard import DASHBOARD, METRIC, expressions
from tests.scale.cluster import Cluster
from tests.support.metrics import Scrape, parse
from tests.support.server import connect
from tests.support.world import World


async def scrape_node(cluster: Cluster, index: int) -> Scrape:
    async with cluster[index].http() as http:
        response = await http.get("/metrics")
    assert response.status_code == 200, response.text
    return parse(response.text)


async def test_every_metric_of_the_dashboard_exists_on_each_process(
    cluster: Cluster, world: World
) -> None:
    used = {m for e in expressions(json.loads(DASHBOARD.read_text())) for m in METRIC.findall(e)}
    tid = await world.new_ticket()
    citizen = await connect(cluster[0].url, world.tokens["citizen"])
    try:
        comment = {"ticket_id": tid, "client_id": "c-dashboard-1", "body": "Halo"}
        assert (await citizen.call("send", comment))["ok"]
        first, second = await scrape_node(cluster, 0), await scrape_node(cluster, 1)
    finally:
        await citizen.close()
    missing = used - first.names()
    assert not missing, f"the dashboard uses metrics the hub does not expose: {sorted(missing)}"
    # each process counts its own: the comment was sent to the first one only
    send = {"namespace": "/tickets", "event": "send"}
    assert first.value("asinan_events_in_total", **send) == 1
    assert second.value("asinan_events_in_total", **send) == 0
    assert first.value("asinan_sockets", namespace="/tickets") == 1
    for node in (first, second):
        assert node.value("asinan_redis_up") == 1
        assert 0 < node.value("asinan_redis_latency_seconds") < 1
