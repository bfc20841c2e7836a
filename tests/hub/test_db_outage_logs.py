"""While the database is down: one line per failed event, no traceback, and a periodic sum.

The hub reaches PostgreSQL through a proxy whose link the test cuts (connections
reset, new ones refused), so the outage is real for this hub only.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import socketio
from sqlalchemy import make_url

from tests.conftest import PgDatabases
from tests.scale.cluster import until
from tests.support.server import RunningHub, connect, make_settings, run_hub
from tests.support.tcpproxy import TcpProxy
from tests.support.world import World, build_world

SUMMARY = re.compile(r"^(\d+) events failed: database unavailable in the last 60 s$")


@pytest.fixture
def pg_url(postgres: PgDatabases) -> str:
    return postgres.fresh()


@pytest.fixture
async def proxy(pg_url: str) -> AsyncIterator[tuple[TcpProxy, str]]:
    url = make_url(pg_url)
    assert url.host and url.port
    link = TcpProxy(url.host, url.port)
    await link.start()
    try:
        yield link, url.set(port=link.port).render_as_string(hide_password=False)
    finally:
        await link.cut()


@pytest.fixture
async def outage_hub(
    proxy: tuple[TcpProxy, str], tmp_path: Path
) -> AsyncIterator[tuple[RunningHub, World]]:
    settings = make_settings(proxy[1], tmp_path / "var")
    async with run_hub(settings) as live:
        yield live, await build_world(live.hub)


REQUESTS = re.compile(r"^(\d+) requests failed: database unavailable in the last 60 s$")


def requests_summed(caplog: pytest.LogCaptureFixture) -> int:
    return sum(
        int(m.group(1))
        for r in caplog.records
        if r.name == "hub.summary" and (m := REQUESTS.match(r.getMessage()))
    )


def summed(caplog: pytest.LogCaptureFixture) -> int:
    total = 0
    for record in caplog.records:
        if record.name == "hub.summary" and (m := SUMMARY.match(record.getMessage())):
            assert record.levelno == logging.WARNING
            total += int(m.group(1))
    return total


async def test_each_failed_event_is_one_line_without_traceback_then_summed_up(
    outage_hub: tuple[RunningHub, World],
    proxy: tuple[TcpProxy, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    live, world = outage_hub
    ticket_id = await world.new_ticket()
    client = await connect(live.url, world.tokens["citizen"])
    try:
        assert (await client.call("join", {"ticket_id": ticket_id}))["ok"]
        caplog.clear()
        caplog.set_level(logging.INFO)
        await proxy[0].cut()

        calls = [
            ("send", {"ticket_id": ticket_id, "client_id": "down-0001", "body": "halo"}),
            ("history", {"ticket_id": ticket_id}),
            ("join", {"ticket_id": ticket_id, "after_seq": 0}),
        ]
        for event, payload in calls:
            ack = await client.call(event, payload)
            assert ack["ok"] is False and ack["error"]["code"] == "unavailable", ack
        # A connect needs the session: refused with a reason, not left hanging.
        with pytest.raises(socketio.exceptions.ConnectionError) as err:
            await connect(live.url, world.tokens["fo"])
        assert "unavailable" in str(err.value)

        # HTTP too: a typed 503, one line, no traceback
        async with live.http(world.tokens["fo"]) as http:
            r = await http.get("/api/tickets")
            assert r.status_code == 503 and r.json()["error"]["code"] == "unavailable", r.text
            r = await http.get(f"/api/tickets/{ticket_id}/events")
            assert r.status_code == 503 and r.json()["error"]["code"] == "unavailable", r.text
        http_failed = [
            r for r in caplog.records
            if r.name == "hub.http" and "database unavailable" in r.getMessage()
        ]  # fmt: skip
        assert len(http_failed) == 2 and all(r.levelno == logging.WARNING for r in http_failed)

        failed = [
            r
            for r in caplog.records
            if r.name == "hub.realtime" and "database unavailable" in r.getMessage()
        ]
        assert len(failed) == len(calls) + 1, [r.getMessage() for r in failed]
        assert all(r.levelno == logging.WARNING for r in failed)
        assert [r.getMessage() for r in caplog.records if r.exc_info] == []  # no traceback
        # The periodic summary (once per LOG_SUMMARY_PERIOD, on the hub's clock) adds them up.
        await live.clock.sleeping("log-tally")
        await live.clock.advance(live.settings.log_summary_period)
        await until(lambda: summed(caplog) == len(calls) + 1, timeout=5, what="summary")
        await until(lambda: requests_summed(caplog) == 2, timeout=5, what="request summary")

        await proxy[0].start()  # the database is back: events work again
        ack = await client.call("history", {"ticket_id": ticket_id})
        assert ack["ok"], ack
    finally:
        await client.close()


async def test_a_bug_still_logs_its_traceback(
    live: RunningHub, live_world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Only unreachable-database errors lose their traceback; anything else is a bug."""
    namespace = live.sio.namespace_handlers["/tickets"]

    async def broken(sid: str, p: object, data: object) -> dict[str, object]:
        raise KeyError("a bug")

    namespace.on_broken = broken
    client = await connect(live.url, live_world.tokens["citizen"])
    try:
        ack = await client.call("broken", {})
        assert ack["error"]["code"] == "unavailable"
    finally:
        await client.close()
    bugs = [r for r in caplog.records if r.name == "hub.realtime" and r.exc_info]
    assert len(bugs) == 1 and "event broken on /tickets failed" in bugs[0].getMessage()
