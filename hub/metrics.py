"""The app's Prometheus metrics: one registry per app, filled at a few single places.

Built once in ``create_app`` (two apps in one process, the tests, share nothing) and
reached as ``hub.metrics`` (the door, the runtimes) or ``unit.ctx.metrics`` (services,
through :meth:`hub.uow.Unit.after_commit`, so a rolled-back change counts nothing).
Every label comes from a closed set — namespaces, the events a namespace declares,
error codes, call outcomes, office ids — never a user, ticket or socket id.

What is measured where (``docs/protocol.md`` §16 lists the names):

- sockets, connects, disconnects, events in, acks and their latency:
  :class:`hub.realtime.namespace.HubNamespace`;
- events out: :class:`hub.realtime.publisher.SocketPublisher` (one per emit, not per
  recipient);
- group-commit batch sizes: :class:`hub.batching.Batcher` (``observe``);
- database pool wait: :class:`hub.db.Database` (writer and reader);
- Redis up and latency, requests waiting per office: read at scrape time
  (:meth:`Metrics.on_scrape`);
- pushes: ``notifications.runtime`` and ``notifications.ringpush``;
- calls by outcome and set-up time: ``signaling`` (the call log and the accept).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

logger = logging.getLogger("hub.metrics")

#: Read before each exposition (a ping, a count); one failing leaves its values as they were.
ScrapeHook = Callable[[], Awaitable[None]]
#: Seconds a scrape hook may take before it is given up (its values stay as they were).
SCRAPE_HOOK_TIMEOUT = 2.0
CONTENT_TYPE = CONTENT_TYPE_LATEST

_FAST = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_BATCH = (1, 2, 4, 8, 16, 32, 64, 128, 256)
_SETUP = (1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 20.0, 30.0, 45.0, 60.0)


class Metrics:
    """Every metric of one app, on its own :class:`CollectorRegistry`."""

    def __init__(self, redis: bool = False) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.sockets = Gauge(
            "asinan_sockets", "Authenticated sockets open now", ["namespace"], registry=r
        )
        self.connects = Counter(
            "asinan_socket_connects", "Sockets authenticated", ["namespace"], registry=r
        )
        self.disconnects = Counter(
            "asinan_socket_disconnects", "Authenticated sockets closed", ["namespace"], registry=r
        )
        self.events_in = Counter(
            "asinan_events_in",
            "Client events received (unknown names count as 'unknown')",
            ["namespace", "event"],
            registry=r,
        )
        self.acks = Counter(
            "asinan_acks",
            "Acks answered, by outcome ('ok' or the error code)",
            ["namespace", "event", "outcome"],
            registry=r,
        )
        self.ack_seconds = Histogram(
            "asinan_ack_seconds",
            "Time from a client event to its ack",
            ["namespace", "event"],
            buckets=_FAST,
            registry=r,
        )
        self.events_out = Counter(
            "asinan_events_out",
            "Server events published after commit (one per emit, not per recipient)",
            ["namespace", "event"],
            registry=r,
        )
        self.batch_size = Histogram(
            "asinan_batch_size",
            "Items per group-commit batch",
            ["batcher"],
            buckets=_BATCH,
            registry=r,
        )
        self.db_wait = Histogram(
            "asinan_db_pool_wait_seconds",
            "Time a database checkout waits in its pool",
            ["pool"],
            buckets=_FAST,
            registry=r,
        )
        self.pushes = Counter(
            "asinan_pushes",
            "Web pushes posted, by kind and outcome (sent, gone, failed)",
            ["kind", "outcome"],
            registry=r,
        )
        self.calls = Counter("asinan_calls", "Calls ended, by outcome", ["outcome"], registry=r)
        self.call_setup = Histogram(
            "asinan_call_setup_seconds",
            "Time from an invite to its acceptance",
            buckets=_SETUP,
            registry=r,
        )
        self.waiting = Gauge(
            "asinan_requests_waiting",
            "Requests waiting for an officer, per office (read at scrape time)",
            ["office"],
            registry=r,
        )
        self.redis_up: Gauge | None = None
        self.redis_latency: Gauge | None = None
        if redis:  # absent without REDIS_URL: "not applicable", not "down"
            self.redis_up = Gauge(
                "asinan_redis_up", "1 if Redis answered PING at the last scrape", registry=r
            )
            self.redis_latency = Gauge(
                "asinan_redis_latency_seconds",
                "Round trip of the last scrape's PING to Redis",
                registry=r,
            )
        self._hooks: list[ScrapeHook] = []

    def on_scrape(self, hook: ScrapeHook) -> None:
        """Run ``hook`` before each exposition (values read on demand: a ping, a count)."""
        self._hooks.append(hook)

    async def exposition(self) -> bytes:
        """The text format of every metric, the scrape hooks run first (each bounded)."""
        for hook in self._hooks:
            try:
                async with asyncio.timeout(SCRAPE_HOOK_TIMEOUT):
                    await hook()
            except Exception as exc:
                logger.warning("metrics: %s failed (%s)", _name(hook), type(exc).__name__)
        return generate_latest(self.registry)

    def observer(self, batcher: str) -> Callable[[int], None]:
        """What a :class:`hub.batching.Batcher` calls with each batch's size."""
        return self.batch_size.labels(batcher).observe

    def names(self) -> set[str]:
        """Every sample name this registry exposes (``_total``, ``_bucket``… included)."""
        return {s.name for family in self.registry.collect() for s in family.samples}


def _name(hook: ScrapeHook) -> str:
    return getattr(hook, "__qualname__", repr(hook))
