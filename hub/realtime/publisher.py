"""The one publisher: a unit's events and control messages, here first, then to every process."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from redis.asyncio import Redis

from hub.metrics import Metrics
from hub.realtime.managers import PUBLISH_TIMEOUT, HubRedisManager
from hub.realtime.server import HubServer
from hub.redisconn import connect_redis
from hub.settings import Settings
from hub.uow import Control, Outgoing

logger = logging.getLogger("hub.realtime")

CONTROL_CHANNEL = "asinan:control"
ControlHandler = Callable[[dict[str, Any]], Awaitable[None]]


class SocketPublisher:
    """The single way events leave the hub (see ``tests/test_architecture.py``).

    A control message is applied on this process at once, then published to the
    others (tagged with ``process_id``, so this process skips its own copy): what it
    does here — close a logged-out session's sockets, drop the watchers a transfer
    cut off — never waits for, or depends on, Redis. A control handler is a local
    op when no unit sends it (``resubscribed``, run on every Redis (re)subscription).
    """

    def __init__(
        self,
        sio: HubServer,
        settings: Settings,
        process_id: str = "",
        metrics: Metrics | None = None,
    ) -> None:
        self.sio = sio
        self._metrics = metrics
        self.process_id = process_id
        self._handlers: dict[str, list[ControlHandler]] = {}
        self._redis: Redis | None = (
            connect_redis(settings.redis_url) if settings.redis_url else None
        )
        self._listener: asyncio.Task[None] | None = None
        if isinstance(sio.manager, HubRedisManager):
            sio.manager.on_subscribed = self._resubscribed

    async def _resubscribed(self) -> None:
        await self._apply({"op": "resubscribed", "args": {}})

    def on_control(self, op: str, handler: ControlHandler) -> None:
        """Run ``handler`` for every ``op`` message, after those registered before it."""
        self._handlers.setdefault(op, []).append(handler)

    async def publish(self, items: list[Outgoing | Control]) -> None:
        """Send a unit's events and control messages: first here, in their order (events to
        this process's sockets, control handlers run), then to the other processes —
        the events in one round trip (see ``relay``), then the control messages.

        Nothing done here waits for Redis: while it is down or hanging, this process's
        clients are served, and a control message (a logout, a transfer) takes effect
        here at once.
        """
        manager = self.sio.manager
        run: list[Outgoing] = []
        controls: list[dict[str, Any]] = []
        for item in [*items, None]:
            if isinstance(item, Outgoing):
                run.append(item)
                if self._metrics is not None:
                    self._metrics.events_out.labels(item.namespace, item.event).inc()
                continue
            if run:
                await manager.deliver(run)
                run = []
            if item is not None:
                message = {"op": item.op, "args": item.args, "from": self.process_id}
                await self._apply(message)
                controls.append(message)
        await manager.relay([item for item in items if isinstance(item, Outgoing)])
        for message in controls:
            await self._broadcast(message)

    async def _broadcast(self, message: dict[str, Any]) -> None:
        if self._redis is None:
            return
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT):
                await self._redis.publish(CONTROL_CHANNEL, json.dumps(message))
        except Exception as exc:
            # Redis is down: the other processes catch up when they re-subscribe
            # (``resubscribed``) or at the next periodic session re-check.
            logger.warning("control %s not sent to other processes (%r)", message["op"], exc)

    async def _apply(self, message: dict[str, Any]) -> None:
        op = str(message.get("op"))
        for handler in self._handlers.get(op, []):
            try:
                await handler(message.get("args") or {})
            except Exception:
                logger.exception("control %s failed", op)

    async def start(self) -> None:
        if not self.sio.manager_initialized:
            # Subscribed to the other processes before the first socket is served (the
            # stock server does it on the first connection, racing that socket's events).
            self.sio.manager_initialized = True
            self.sio.manager.initialize()
        if self._redis is not None:
            self._listener = asyncio.create_task(self._listen(self._redis))

    async def _listen(self, redis: Redis) -> None:
        """Re-subscribes by itself after Redis comes back; a CancelledError ends it."""
        while True:
            try:
                async with redis.pubsub() as pubsub:
                    await pubsub.subscribe(CONTROL_CHANNEL)
                    await self._resubscribed()
                    async for msg in pubsub.listen():
                        if msg.get("type") != "message":
                            continue
                        message = json.loads(msg["data"])
                        if not self.process_id or message.get("from") != self.process_id:
                            await self._apply(message)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("control channel lost; reconnecting")
                await asyncio.sleep(0.5)

    async def stop(self) -> None:
        thread = getattr(self.sio.manager, "thread", None)
        if isinstance(thread, asyncio.Task):
            thread.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await thread
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        if self._redis is not None:
            await self._redis.aclose()
