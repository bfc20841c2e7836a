"""A real hub on a free loopback port, and real clients to talk to it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import socketio
import uvicorn

from hub.app import create_app
from hub.context import Hub
from hub.realtime.lean import WS_PROTOCOL
from hub.settings import Settings
from tests.support.clock import FakeClock
from tests.support.services import free_port


@dataclass
class RunningHub:
    url: str
    settings: Settings
    hub: Hub
    sio: Any
    server: uvicorn.Server
    #: the Starlette app (its ``routes``), inside the socket.io ASGI wrapper
    app: Any = None
    #: the app's clock: advance it to pass a ring timeout, a grace period, an SLA…
    clock: FakeClock = field(default_factory=FakeClock)

    def http(self, token: str | None = None) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.AsyncClient(base_url=self.url, headers=headers, timeout=20)


@contextlib.asynccontextmanager
async def run_hub(settings: Settings, clock: FakeClock | None = None) -> AsyncIterator[RunningHub]:
    """Serve ``create_app(settings, clock)`` with uvicorn in this event loop until the block
    ends; the app runs on a :class:`FakeClock` (a new one unless given)."""
    port = settings.port
    clock = clock or FakeClock()
    app = create_app(settings, clock)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", ws=WS_PROTOCOL
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    async with asyncio.timeout(15):
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.02)
    try:
        yield RunningHub(
            f"http://127.0.0.1:{port}",
            settings,
            app.hub,
            app.sio,
            server,
            app.starlette,
            clock,
        )
    finally:
        server.should_exit = True
        async with asyncio.timeout(15):
            await task


def make_settings(database_url: str, data_dir: Any, **overrides: str) -> Settings:
    port = free_port()
    env = {
        "DATABASE_URL": database_url,
        "DATA_DIR": str(data_dir),
        "PORT": str(port),
        "SECRET_KEY": "test-secret-key-" + "x" * 32,
        "ALLOWED_ORIGINS": f"http://127.0.0.1:{port},http://localhost:{port}",
        **overrides,
    }
    return Settings.from_env(env)


@dataclass
class Client:
    """A socket.io client that records every event it receives, per namespace."""

    sio: socketio.AsyncClient
    received: dict[str, list[tuple[str, Any]]] = field(default_factory=dict)
    waiters: list[tuple[str, str, Any, asyncio.Future[Any]]] = field(default_factory=list)
    gone: asyncio.Event = field(default_factory=asyncio.Event)

    async def call(self, event: str, data: Any = None, namespace: str = "/tickets") -> Any:
        return await self.sio.call(event, data, namespace=namespace, timeout=15)

    def events(self, event: str, namespace: str = "/tickets") -> list[Any]:
        return [d for (e, d) in self.received.get(namespace, []) if e == event]

    async def wait_for(
        self, event: str, predicate: Any = None, namespace: str = "/tickets", timeout: float = 10
    ) -> Any:
        """The first matching event, already received or arriving within ``timeout``."""
        for data in self.events(event, namespace):
            if predicate is None or predicate(data):
                return data
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.waiters.append((namespace, event, predicate, fut))
        async with asyncio.timeout(timeout):
            return await fut

    async def close(self) -> None:
        await self.sio.disconnect()
        await _close_http(self.sio)


async def _close_http(sio: socketio.AsyncClient) -> None:
    http = getattr(sio.eio, "http", None)
    if http is not None and not http.closed:
        await http.close()


async def connect(
    url: str,
    token: str | None,
    namespaces: tuple[str, ...] = ("/tickets",),
    *,
    headers: dict[str, str] | None = None,
    reconnection: bool = False,
) -> Client:
    sio = socketio.AsyncClient(reconnection=reconnection, reconnection_delay=0.2)
    client = Client(sio)

    def _record(namespace: str) -> Any:
        async def handler(event: str, *args: Any) -> None:
            data = args[0] if args else None
            client.received.setdefault(namespace, []).append((event, data))
            for w in list(client.waiters):
                ns, ev, pred, fut = w
                matches = ns == namespace and ev == event and not fut.done()
                if matches and (pred is None or pred(data)):
                    fut.set_result(data)
                    client.waiters.remove(w)

        return handler

    refusals: list[Any] = []

    async def _refused(data: Any = None) -> None:
        refusals.append(data)

    async def _gone(*_args: Any) -> None:
        client.gone.set()

    for ns in namespaces:
        sio.on("*", _record(ns), namespace=ns)
        sio.on("disconnect", _gone, namespace=ns)
        sio.on("connect_error", _refused, namespace=ns)
    try:
        await sio.connect(
            url,
            namespaces=list(namespaces),
            transports=["websocket"],
            auth={"token": token} if token else None,
            headers={"Origin": url, **(headers or {})},
            wait_timeout=10,
        )
    except socketio.exceptions.ConnectionError as exc:
        await sio.disconnect()
        await _close_http(sio)
        raise socketio.exceptions.ConnectionError(f"{exc} {refusals!r}") from exc
    return client
