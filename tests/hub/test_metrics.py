"""``GET /metrics``: what an operator's Prometheus sees, and who may see it (protocol §16)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from hub.app import create_app
from tests.support.metrics import Scrape, parse, scrape
from tests.support.server import RunningHub, connect, make_settings, run_hub
from tests.support.world import World

TICKETS = "/tickets"


async def test_a_posted_comment_moves_the_event_ack_and_batch_metrics(
    live: RunningHub, live_world: World
) -> None:
    tid = await live_world.new_ticket()
    citizen = await connect(live.url, live_world.tokens["citizen"])
    officer = await connect(live.url, live_world.tokens["fo"])
    try:
        assert (await officer.call("join", {"ticket_id": tid}))["ok"]
        before = await scrape(live)
        ack = await citizen.call(
            "send", {"ticket_id": tid, "client_id": "c-metrics-1", "body": "Halo"}
        )
        assert ack["ok"]
        await officer.wait_for("ticket_event", lambda e: e["seq"] == 2)
        bad = await citizen.call("no_such_event", {"x": 1})
        assert bad["error"]["code"] == "invalid"
        after = await scrape(live)
    finally:
        await citizen.close()
        await officer.close()

    def moved(name: str, **labels: str) -> float:
        return moved_since(before, after, name, **labels)

    send = {"namespace": TICKETS, "event": "send"}
    assert moved("asinan_events_in_total", **send) == 1
    assert moved("asinan_acks_total", **send, outcome="ok") == 1
    assert moved("asinan_ack_seconds_count", **send) == 1
    assert moved("asinan_ack_seconds_bucket", **send, le="+Inf") == 1
    assert moved("asinan_events_out_total", namespace=TICKETS, event="ticket_event") >= 1
    assert moved("asinan_batch_size_count", batcher="comments") == 1
    assert moved("asinan_db_pool_wait_seconds_count", pool="writer") >= 1
    # a made-up event name is counted, but never becomes a label of its own
    unknown = {"namespace": TICKETS, "event": "unknown"}
    assert moved("asinan_acks_total", **unknown, outcome="invalid") == 1
    assert not any("no_such_event" in str(labels) for _n, labels in after.samples)
    assert after.value("asinan_sockets", namespace=TICKETS) == 2
    assert moved("asinan_socket_connects_total", namespace=TICKETS) == 0
    # no user id, ticket id or socket id in any label
    label_names = {k for _n, labels in after.samples for k, _v in labels}
    bounded = {"namespace", "event", "outcome", "le", "batcher", "pool", "kind", "office"}
    assert label_names <= bounded
    async with asyncio.timeout(10):  # the server sees the two sockets close
        while True:
            gone = await scrape(live)
            if gone.value("asinan_sockets", namespace=TICKETS) == 0:
                break
            await asyncio.sleep(0.05)
    assert moved_since(before, gone, "asinan_socket_disconnects_total", namespace=TICKETS) == 2


def moved_since(before: Scrape, after: Scrape, name: str, **labels: str) -> float:
    return after.value(name, **labels) - before.value(name, **labels)


async def test_requests_waiting_are_counted_per_office(live: RunningHub, live_world: World) -> None:
    before = await scrape(live)
    tid = await live_world.new_ticket()
    async with live.hub.reader() as session:
        from hub.models import Ticket

        ticket = await session.get(Ticket, tid)
        assert ticket is not None
        office = str(ticket.office_id)
    after = await scrape(live)
    waiting = "asinan_requests_waiting"
    assert after.value(waiting, office=office) == before.value(waiting, office=office) + 1
    assert len(after.series(waiting)) >= 2  # every office, the empty ones at 0


async def test_a_foreign_address_is_refused_with_a_typed_error(live: RunningHub) -> None:
    # uvicorn trusts X-Forwarded-For from loopback (a local proxy): the client is foreign
    async with live.http() as http:
        far = await http.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        near = await http.get("/metrics")
    assert far.status_code == 403
    assert far.json()["error"]["code"] == "forbidden"
    assert near.status_code == 200 and "asinan_sockets" in near.text


async def test_with_a_token_anyone_may_scrape_and_nobody_else(
    tmp_path: Path, sqlite_url: str
) -> None:
    token = "scrape-token-" + "s" * 20
    settings = make_settings(
        sqlite_url, tmp_path / "var", METRICS_ALLOW="10.9.0.0/16", METRICS_TOKEN=token
    )
    async with run_hub(settings) as live:
        async with live.http() as http:
            anonymous = await http.get("/metrics")
            wrong = await http.get("/metrics", headers={"Authorization": "Bearer nope-nope"})
        assert anonymous.status_code == 401 and wrong.status_code == 401
        assert anonymous.json()["error"]["code"] == "unauthenticated"
        assert wrong.json()["error"]["code"] == "unauthenticated"
        assert "asinan_sockets" in (await scrape(live, token)).names()


async def test_without_a_token_the_allowed_addresses_are_the_only_way_in(
    tmp_path: Path, sqlite_url: str
) -> None:
    settings = make_settings(sqlite_url, tmp_path / "var", METRICS_ALLOW="10.9.0.0/16")
    async with run_hub(settings) as live, live.http("some-session-token") as http:
        refused = await http.get("/metrics")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"


async def test_two_apps_in_one_process_keep_their_own_metrics(
    tmp_path: Path, sqlite_url: str
) -> None:
    one = create_app(make_settings(sqlite_url, tmp_path / "one"))
    two = create_app(make_settings(sqlite_url, tmp_path / "two"))
    try:
        assert one.hub.metrics.registry is not two.hub.metrics.registry
        one.hub.metrics.calls.labels("completed").inc()
        text = (await two.hub.metrics.exposition()).decode()
        assert parse(text).value("asinan_calls_total", outcome="completed") == 0
    finally:
        await one.hub.close()
        await two.hub.close()


async def test_the_response_is_prometheus_text_and_not_cached(live: RunningHub) -> None:
    async with httpx.AsyncClient(base_url=live.url) as http:
        response = await http.get("/metrics")
    assert response.headers["cache-control"] == "no-store"
    assert "# TYPE asinan_ack_seconds histogram" in response.text
