"""The Grafana dashboard that ships in docs/ is one of Prometheus queries (that each metric
it uses exists on live processes: ``tests/scale/test_metrics.py``); Redis's health is read
at each scrape."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.metrics import scrape
from tests.support.server import make_settings, run_hub

DASHBOARD = Path(__file__).resolve().parents[2] / "docs" / "grafana-asinan-hub.json"
METRIC = re.compile(r"\basinan_[a-z_]+\b")


def expressions(dashboard: dict[str, Any]) -> list[str]:
    return [t["expr"] for panel in dashboard["panels"] for t in panel.get("targets", [])]


def test_the_dashboard_is_a_grafana_dashboard_of_prometheus_queries() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["uid"] and dashboard["title"] and dashboard["panels"]
    for panel in dashboard["panels"]:
        assert panel["datasource"]["type"] == "prometheus", panel["title"]
        assert panel["targets"] and all(METRIC.search(t["expr"]) for t in panel["targets"])
    assert len({p["id"] for p in dashboard["panels"]}) == len(dashboard["panels"])


@pytest.mark.redis
async def test_redis_down_reads_as_zero(tmp_path: Path, sqlite_url: str) -> None:
    from tests.support.services import free_port

    nowhere = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    settings = make_settings(sqlite_url, tmp_path / "var", REDIS_URL=nowhere)
    async with run_hub(settings) as live:
        exposed = await scrape(live)
    assert exposed.value("asinan_redis_up") == 0
