"""A flood of connections that never authenticate: the hub hangs up on each, keeps no
memory of them, and writes a summary instead of a log line per connection.

One real ``asinan-hub serve`` process (SQLite, as ``make run``), ``AUTH_TIMEOUT`` = 1 s;
each connection is a bare websocket that completes the engine.io handshake, then
ignores everything the hub sends (the engine.io CLOSE packet included).
"""

from __future__ import annotations

import asyncio
import re
import resource
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from websockets.asyncio.client import connect as ws_connect

from tests.scale.cluster import Node, run_cluster, until

AUTH_TIMEOUT = 1.0
ROUNDS = 3
PER_ROUND = 2_000
#: Handshakes in flight at once (the others wait their turn).
CONCURRENCY = 200
MiB = 1024 * 1024


def rss(node: Node) -> int:
    assert node.proc is not None
    status = Path(f"/proc/{node.proc.pid}/status").read_text()
    match = re.search(r"^VmRSS:\s+(\d+) kB$", status, re.MULTILINE)
    assert match, status
    return int(match.group(1)) * 1024


@pytest.fixture
async def node(sqlite_url: str, tmp_path: Path) -> AsyncIterator[Node]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = CONCURRENCY * 2 + 1_000
    if soft < want:
        if hard != resource.RLIM_INFINITY and hard < want:
            pytest.skip(f"needs {want} open files; the hard limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    async with run_cluster(
        1,
        database_url=sqlite_url,
        redis_url=None,
        secret_key="flood-test-secret-" + "x" * 32,
        data_dir=tmp_path / "node",
        AUTH_TIMEOUT=str(AUTH_TIMEOUT),
        LOG_LEVEL="INFO",
        LOG_SUMMARY_PERIOD="1",
    ) as cluster:
        yield cluster[0]


async def anonymous(node: Node, gate: asyncio.Semaphore) -> float:
    """One connection that never joins a namespace; how long the hub let it live."""
    url = node.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    async with gate:
        ws = await ws_connect(
            url,
            origin=node.url,  # type: ignore[arg-type]
            ping_interval=None,
            compression=None,
            open_timeout=30,
        )
        opened = time.monotonic()
        assert str(await ws.recv()).startswith("0{")
    try:
        async with asyncio.timeout(AUTH_TIMEOUT + 10):
            await ws.wait_closed()
    finally:
        await ws.close()
    return time.monotonic() - opened


async def flood(node: Node, n: int) -> list[float]:
    gate = asyncio.Semaphore(CONCURRENCY)
    return await asyncio.gather(*(anonymous(node, gate) for _ in range(n)))


async def test_rounds_of_anonymous_connections_leave_no_memory_and_no_log_flood(
    node: Node,
) -> None:
    # Warm-up: one round first. CPython's allocators keep the pages of their high-water
    # mark (2,000 connections open at once, ~80 MiB here), so "where it started" is the
    # process that has served one such round; a leak shows as growth round after round.
    await flood(node, PER_ROUND)
    start = rss(node)
    for _ in range(ROUNDS):
        lived = await flood(node, PER_ROUND)
        # Hung up on by the hub (the client ignores the CLOSE packet), not left to time out.
        assert max(lived) < AUTH_TIMEOUT + 5, max(lived)
    await until(
        lambda: rss(node) - start < 50 * MiB,
        timeout=15,
        what=f"RSS back within 50 MiB of {start // MiB} MiB (now {rss(node) // MiB} MiB)",
    )

    total = (1 + ROUNDS) * PER_ROUND
    closed = re.compile(r"(\d+) connections closed: no namespace joined within AUTH_TIMEOUT")

    def summed() -> int:
        return sum(int(n) for n in closed.findall(node.log.read_text(errors="replace")))

    # One summary line per second (LOG_SUMMARY_PERIOD), adding up to every connection…
    await until(lambda: summed() == total, timeout=5, what=f"{total} closures summed up")
    # …and not a line per connection (uvicorn's "WebSocket … [accepted]" included).
    lines = node.log.read_text(errors="replace").splitlines()
    assert len(lines) < 200, "\n".join(lines[-20:])
