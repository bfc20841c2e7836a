"""N real ``asinan-hub serve`` processes on one PostgreSQL and one Redis.

Each node is ``python -m hub.cli serve`` in its own process, with the environment a
production deployment would give it: the same ``DATABASE_URL``, ``REDIS_URL``,
``SECRET_KEY`` and ``DATA_DIR``, its own ``PORT``, and ``ALLOWED_ORIGINS`` listing
every node (a page served by one node may talk to another behind the balancer).
Every process is killed when the block ends, whatever happened.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.support.services import free_port

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 30.0


@dataclass
class Node:
    index: int
    port: int
    log: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def http(self, token: str | None = None) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.AsyncClient(base_url=self.url, headers=headers, timeout=20)

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs, sockets just vanish."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM)

    def _signal(self, sig: int) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


@dataclass
class Cluster:
    nodes: list[Node]
    env: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, index: int) -> Node:
        return self.nodes[index]

    async def ready(self, path: str = "/readyz") -> list[dict[str, Any]]:
        """Each running node's answer to ``path``."""
        out: list[dict[str, Any]] = []
        for node in self.nodes:
            if node.running:
                async with node.http() as client:
                    out.append((await client.get(path)).json())
        return out


def _spawn(node: Node, env: dict[str, str]) -> None:
    with node.log.open("ab") as log:
        node.proc = subprocess.Popen(
            [sys.executable, "-m", "hub.cli", "serve"],
            cwd=ROOT,
            env={**env, "PORT": str(node.port)},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


async def _wait_healthy(node: Node, deadline: float) -> None:
    async with httpx.AsyncClient(timeout=1.0) as client:
        while True:
            if node.proc is None or node.proc.poll() is not None:
                raise RuntimeError(f"node {node.index} exited:\n{node.log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(node.url + "/healthz")).status_code == 200:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"node {node.index} not healthy in time:\n{node.log_tail()}")
            await asyncio.sleep(0.05)  # polling: a starting process has no event to wait on


@contextlib.asynccontextmanager
async def run_cluster(
    n: int,
    *,
    database_url: str,
    redis_url: str | None,
    secret_key: str,
    data_dir: Path,
    **overrides: str,
) -> AsyncIterator[Cluster]:
    """Start ``n`` nodes, wait until each answers ``/healthz``, kill them all at the end.

    Without ``redis_url``, one node on SQLite is what ``make run`` serves.
    """
    await asyncio.to_thread(data_dir.mkdir, parents=True, exist_ok=True)
    nodes = [Node(i, free_port(), data_dir / f"node{i}.log") for i in range(n)]
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env = {
        **base,
        "PYTHONUNBUFFERED": "1",
        "DATABASE_URL": database_url,
        **({"REDIS_URL": redis_url} if redis_url else {}),
        "SECRET_KEY": secret_key,
        "DATA_DIR": str(data_dir),
        "ALLOWED_ORIGINS": ",".join(node.url for node in nodes),
        "LOG_LEVEL": "WARNING",
        "COMMENT_BURST": "1000",
        "COMMENT_PER_SECOND": "1000",
        **overrides,
    }
    cluster = Cluster(nodes, env)
    try:
        for node in nodes:
            _spawn(node, env)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        await asyncio.gather(*(_wait_healthy(node, deadline) for node in nodes))
        yield cluster
    finally:
        for node in nodes:
            node.kill()


async def restart_node(cluster: Cluster, index: int) -> Node:
    """Start node ``index`` again on its port (after a kill)."""
    node = cluster[index]
    node.kill()
    _spawn(node, cluster.env)
    await _wait_healthy(node, time.monotonic() + STARTUP_TIMEOUT)
    return node


async def until(predicate: Any, timeout: float = 15.0, what: str = "condition") -> None:
    """Poll an async or plain predicate (for state with no event to wait on: DB rows)."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)
