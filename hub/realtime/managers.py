"""Client managers: a room emit encoded once, and Redis fan-out bounded for a Redis that is down."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import socketio
from engineio import packet as eio_packet
from socketio import packet as sio_packet

from hub.realtime import wire
from hub.redisconn import redis_options
from hub.uow import Outgoing

logger = logging.getLogger("hub.realtime")

SIO_CHANNEL = "asinan:sio"
#: Longest an emit waits for Redis before giving up (logged; clients resume by seq).
PUBLISH_TIMEOUT = 2.0
#: Longest pause between attempts to re-subscribe while Redis is down.
MAX_RESUBSCRIBE_DELAY = 2.0
Hook = Callable[[], Awaitable[None]]


class LeanEmitManager(socketio.AsyncManager):  # type: ignore[misc]
    """``AsyncManager`` whose callback-less emit needs no task per recipient (issue #10).

    python-socketio 5.x encodes an event once, then starts one asyncio task per
    recipient (``server._send_eio_packet``) and waits for them all; each task only
    puts the packet on that socket's engine.io queue, whose writer task does the
    write. Here the one engine.io packet goes on each recipient's queue in a plain
    loop. Emits with a callback go the stock way; so does a socket whose ping has
    timed out (sending to it closes it and runs the disconnect handlers, so that
    runs in its own task, as before). A socket that is gone or closed is skipped,
    as engine.io's ``send_packet`` does. A socket whose writer is idle gets the event's
    websocket frame, made once per emit, written straight to its connection instead of
    queued (:mod:`hub.realtime.wire`): no writer wake-up, no per-socket framing.

    :class:`HubRedisManager` puts this class after the pub/sub manager in its MRO,
    so with Redis the local delivery of every emit (``_handle_emit`` →
    ``super().emit``) lands here too.
    """

    async def emit(
        self,
        event: str,
        data: Any,
        namespace: str,
        room: Any = None,
        skip_sid: Any = None,
        callback: Any = None,
        to: Any = None,
        **kwargs: Any,
    ) -> None:
        if callback:
            await super().emit(
                event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, to=to
            )
            return
        room = to or room
        if namespace not in self.rooms:
            return
        # the same argument handling as AsyncManager.emit
        if isinstance(data, tuple):
            args = list(data)
        elif data is not None:
            args = [data]
        else:
            args = []
        skip = set(skip_sid) if isinstance(skip_sid, list) else {skip_sid}
        encoded = self.server.packet_class(
            sio_packet.EVENT, namespace=namespace, data=[event, *args]
        ).encode()
        if not isinstance(encoded, list):
            encoded = [encoded]
        packets = [eio_packet.Packet(eio_packet.MESSAGE, part) for part in encoded]
        for pkt in packets:
            pkt.encode()  # fills the packet's encode cache once, for every writer
        # one text packet (no binary attachment): its frame is made once, for every socket
        # that can take it straight away (hub.realtime.wire)
        text = packets[0].encode() if len(packets) == 1 else None
        direct = isinstance(text, str)
        data = frame = b""
        if isinstance(text, str):
            data = text.encode()
            frame = wire.text_frame(text)
        eio = self.server.eio
        sockets = eio.sockets
        ping_timeout = eio.ping_timeout
        now = time.time()
        slow: list[asyncio.Task[Any]] = []
        for sid, eio_sid in self.get_participants(namespace, room):
            if sid in skip:
                continue
            socket = sockets.get(eio_sid)
            if socket is None or socket.closed:
                continue
            last_ping = socket.last_ping
            if last_ping and now - last_ping > ping_timeout:
                # engine.io closes such a socket on send; let it, off this loop
                slow.extend(asyncio.create_task(socket.send(pkt)) for pkt in packets)
                continue
            queue = socket.queue
            if direct and queue.empty() and getattr(socket, "idle", False):
                conn = socket.wire  # the writer is idle: nothing sent before is in flight
                if conn is not None and wire.write(conn, data, frame):
                    continue
            for pkt in packets:
                queue.put_nowait(pkt)
        if slow:
            for result in await asyncio.gather(*slow, return_exceptions=True):
                if isinstance(result, Exception):
                    logger.warning("send to a timed-out socket failed: %r", result)

    async def emit_all(self, items: list[Outgoing]) -> None:
        """A unit's run of events, in order: to this process's sockets, then to the others."""
        await self.deliver(items)
        await self.relay(items)

    async def deliver(self, items: list[Outgoing]) -> None:
        """Events to this process's sockets, in order. An event that fails is logged and the
        rest go on: the writes are committed, and clients fill a gap by resuming from seq."""
        for item in items:
            try:
                await self.emit(item.event, item.data, item.namespace, to=list(item.rooms))
            except Exception:
                logger.exception("emit of %s failed", item.event)

    async def relay(self, items: list[Outgoing]) -> None:
        """Events to the sockets of the other processes (none: one process)."""


class HubRedisManager(socketio.AsyncRedisManager, LeanEmitManager):  # type: ignore[misc]
    """python-socketio's Redis manager, bounded for a Redis that is down.

    The stock one (5.x) tries a publish twice, each with redis-py's own retries
    inside, so an emit — and the ack that waits for it — could stall for seconds;
    and its listener backs off up to 60 s, so a process re-subscribed long after
    Redis came back. Here a publish gives up after :data:`PUBLISH_TIMEOUT` (local
    sockets already got the event: the manager delivers locally first), the
    listener retries at least every :data:`MAX_RESUBSCRIBE_DELAY` seconds, and
    every (re)subscription runs ``on_subscribed`` (what was missed meanwhile).

    :class:`LeanEmitManager` comes after the pub/sub manager in the MRO, so the local
    delivery of an emit (``_handle_emit`` → ``super().emit``) is the lean one.
    """

    def __init__(self, url: str) -> None:
        super().__init__(url, channel=SIO_CHANNEL, redis_options=redis_options())
        self.on_subscribed: Hook | None = None

    async def _publish(self, data: Any) -> Any:
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT):
                return await super()._publish(data)
        except TimeoutError:
            self.connected = False
            logger.warning("socket.io publish timed out; other processes miss it")
            return None

    def _message(self, item: Outgoing) -> dict[str, Any]:
        """The message of the stock emit (no callback, no binary data: events are JSON)."""
        return {
            "method": "emit", "event": item.event, "data": [item.data], "binary": False,
            "namespace": item.namespace, "room": list(item.rooms), "skip_sid": None,
            "callback": None, "host_id": self.host_id,
        }  # fmt: skip

    async def deliver(self, items: list[Outgoing]) -> None:
        for item in items:
            try:
                await self._handle_emit(self._message(item))  # this process's sockets
            except Exception:
                logger.exception("emit of %s failed", item.event)

    async def relay(self, items: list[Outgoing]) -> None:
        """Many events to the other processes in order, in one pipelined round trip to Redis.

        The stock emit awaits one ``PUBLISH`` per event; a group commit of a burst of
        comments would then wait for a round trip — a full turn of a busy event loop —
        per event before its next batch. The messages are those of the stock emit, so
        every process's listener handles them unchanged, in the same order.
        """
        if not items:
            return
        messages = [self.json.dumps(self._message(item)) for item in items]
        try:
            async with asyncio.timeout(PUBLISH_TIMEOUT):
                if not self.connected:
                    self._redis_connect()
                async with self.redis.pipeline(transaction=False) as pipe:
                    for data in messages:
                        pipe.publish(self.channel, data)
                    await pipe.execute()
        except Exception as exc:
            self.connected = False
            logger.warning("socket.io publish failed (%r); other processes miss it", exc)

    async def _redis_listen_with_retries(self) -> Any:
        delay = 0.1
        subscribed = False
        while True:
            try:
                if not subscribed:
                    self._redis_connect()
                    await self.pubsub.subscribe(self.channel)
                    subscribed, delay = True, 0.1
                    if self.on_subscribed is not None:
                        await self.on_subscribed()
                async for message in self.pubsub.listen():
                    yield message
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("socket.io channel lost; re-subscribing in %.1f s", delay)
                subscribed = False
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_RESUBSCRIBE_DELAY)
