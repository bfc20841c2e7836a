"""``create_app(settings)``: the one place the hub is assembled."""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import socketio
from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from hub import auth_routes, metrics_routes, spec
from hub.clock import Clock, SystemClock
from hub.context import Hub
from hub.db import OUTAGE_ERRORS
from hub.errors import HubError
from hub.http import (
    HubState,
    SessionBackend,
    hub_error_handler,
    hub_of,
    no_route_handler,
    outage_handler,
    register_convertors,
)
from hub.logs import RequestId, Tally
from hub.metrics import Metrics
from hub.origins import OriginGuard
from hub.processes import new_process_id
from hub.realtime.namespace import disconnect_session
from hub.realtime.publisher import SocketPublisher
from hub.realtime.server import build_server
from hub.sessions import SessionRecheck
from hub.settings import Settings

#: How long a scrape waits for Redis's PING before it reports Redis down.
REDIS_PING_TIMEOUT = 1.0

#: Each feature package contributes ``install(hub, sio, publisher) -> list[routes]``.
Installer = Callable[[Hub, Any, SocketPublisher], list[BaseRoute]]


def tune_process() -> None:
    """For a serving process, once its app is built: a garbage collector for a server.

    Everything alive now (modules, the app, SQLAlchemy's mappers) lives as long as the
    process: frozen, the collector stops walking it; and the young generation is
    collected every 20,000 allocations rather than 700, so a burst of packets does not
    trigger full collections that stall every socket (p99 of a 1,000-watcher fan-out
    ~300 → ~150 ms here). Not for tests, which build many apps in one process.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 100)


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"ok": True, "status": "alive"})


async def ping_redis(redis: Redis, metrics: Metrics) -> None:
    """``asinan_redis_up`` and ``asinan_redis_latency_seconds``, read at each scrape."""
    assert metrics.redis_up is not None and metrics.redis_latency is not None
    start = time.perf_counter()
    try:
        async with asyncio.timeout(REDIS_PING_TIMEOUT):
            await redis.ping()
    except Exception:
        metrics.redis_up.set(0)
        metrics.redis_latency.set(float("nan"))
        return
    metrics.redis_up.set(1)
    metrics.redis_latency.set(time.perf_counter() - start)


async def readyz(request: Request) -> JSONResponse:
    """Ready when the database answers; ``degraded`` (503) while Redis does not."""
    hub = hub_of(request)
    checks: dict[str, str] = {}
    try:
        await hub.db.ping()
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "down"
    if hub.redis is not None:
        try:
            await hub.redis.ping()
            checks["redis"] = "ok"
        except Exception:
            checks["redis"] = "down"
    healthy = all(v == "ok" for v in checks.values())
    status = "ready" if healthy else ("degraded" if checks["database"] == "ok" else "down")
    return JSONResponse(
        {"ok": healthy, "status": status, "checks": checks}, status_code=200 if healthy else 503
    )


def _installers() -> list[Installer]:
    from chat.handlers import install as chat
    from hub.accounts.routes import install as accounts
    from hub.audit.routes import install as audit
    from hub.calendar.routes import install as calendar
    from hub.console.routes import install as console
    from hub.ikm.routes import install as ikm
    from hub.intake.routes import install as intake
    from hub.letters.routes import install as letters
    from hub.queues.handlers import install as queues
    from hub.reports.routes import install as reports
    from hub.search.routes import install as search
    from hub.tickets.routes import install as tickets
    from notifications.handlers import install as notifications
    from signaling.handlers import install as signaling
    from web.routes import install as web

    return [
        tickets,
        intake,
        chat,
        notifications,
        signaling,
        queues,
        accounts,
        calendar,
        letters,
        audit,
        search,
        console,
        ikm,
        reports,
        web,
    ]


class HubApp(socketio.ASGIApp):  # type: ignore[misc]
    """The ASGI app a server runs: socket.io at ``/socket.io``, Starlette for the rest.

    ``hub`` is the handle for whoever runs it in process (the tests); requests
    read theirs from the lifespan state (:func:`hub.http.hub_of`).
    """

    def __init__(self, hub: Hub, sio: Any, app: Starlette) -> None:
        super().__init__(sio, other_asgi_app=app, socketio_path="socket.io")
        self.hub = hub
        self.sio = sio
        self.starlette = app


def create_app(settings: Settings, clock: Clock | None = None) -> HubApp:
    """The app: its :class:`Hub` (on ``clock``, the machine's by default), the socket.io
    server, every package's routes and namespaces, and the lifespan that runs them."""
    clock = clock or SystemClock()
    process_id = new_process_id()
    tally = Tally(logging.getLogger("hub.summary"), settings.log_summary_period, clock)
    metrics = Metrics(redis=settings.redis_url is not None)
    sio = build_server(settings, process_id, tally)
    publisher = SocketPublisher(sio, settings, process_id, metrics)
    hub = Hub(settings, publisher, process_id, tally, clock, metrics)
    if hub.redis is not None:
        metrics.on_scrape(functools.partial(ping_redis, hub.redis, metrics))
    sessions = SessionRecheck(hub, sio, settings.session_recheck)

    async def _disconnect(args: dict[str, Any]) -> None:
        await disconnect_session(sio, str(args["session_id"]))

    publisher.on_control("disconnect_session", _disconnect)
    # First of the "resubscribed" handlers: close revoked sessions before anything is re-sent.
    publisher.on_control("resubscribed", sessions.on_resubscribed)
    hub.on_lifespan(tally.start, tally.stop)
    hub.on_lifespan(sessions.start, sessions.stop)
    hub.on_lifespan(stop=sio.shutdown)

    register_convertors()  # {ticket_id:id} in the packages' route paths
    routes: list[BaseRoute] = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        *metrics_routes.routes,
        *auth_routes.routes,
        *spec.routes(),
    ]
    for install in _installers():
        routes.extend(install(hub, sio, publisher))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[HubState]:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        settings.attachments_dir.mkdir(parents=True, exist_ok=True)
        await publisher.start()
        await hub.processes.start()
        await hub.start_background()
        try:
            yield {"hub": hub}
        finally:
            await hub.stop_background()
            await hub.processes.stop()
            await publisher.stop()
            await hub.close()

    guard = Middleware(
        OriginGuard,
        allowed_origins=settings.allowed_origins,
        open_writes=auth_routes.OPEN_WRITES,
    )
    # The Origin check first: a cross-site write is refused before any session is read.
    authentication = Middleware(AuthenticationMiddleware, backend=SessionBackend(hub))
    # First of all: every log line of the request carries its id (X-Request-ID).
    request_id = Middleware(RequestId)
    app = Starlette(
        routes=routes,
        middleware=[request_id, guard, authentication],
        lifespan=lifespan,
        exception_handlers={
            HubError: hub_error_handler,
            **dict.fromkeys(OUTAGE_ERRORS, outage_handler),
            404: no_route_handler,
        },
    )
    return HubApp(hub, sio, app)
