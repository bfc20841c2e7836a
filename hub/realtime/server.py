"""The socket.io server: engine.io sockets without a task per wake-up, bounded packet JSON,
and the deadline that closes connections which never authenticate a namespace."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Coroutine
from typing import Any

import socketio
from engineio import async_socket as eio_socket
from engineio import exceptions as eio_exceptions
from engineio import packet as eio_packet
from socketio import packet as sio_packet
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from hub.janitor import MemoryJanitor
from hub.logs import Tally
from hub.processes import SEPARATOR
from hub.realtime.managers import HubRedisManager, LeanEmitManager
from hub.realtime.wire import protocol_of
from hub.schemas import loads as bounded_loads
from hub.settings import Settings

logger = logging.getLogger("hub.realtime")


class LeanSocket(eio_socket.AsyncSocket):  # type: ignore[misc]
    """engine.io's socket, with a ``poll`` that makes no task per wake-up (issue #10),
    and a ping that is a timer rather than a sleeping task.

    A socket's writer task waits in ``poll`` for its next packet; engine.io waits
    with ``asyncio.wait_for``, which on Python 3.11 wraps ``queue.get()`` in a new
    task each time — a thousand extra tasks when a room of a thousand gets one
    event. ``asyncio.timeout`` gives the same bound (``ping_interval +
    ping_timeout``) without one. Otherwise as engine.io's: every queued packet is
    taken, ``None`` (the writer's stop) ends the batch and stays queued, and a
    timeout or cancellation is ``QueueEmpty``. :class:`HubServer` makes each new
    socket one of these.

    engine.io schedules each ping as a task that sleeps ``ping_interval`` (20 s) and
    holds the socket all that time, closed or not: a flood of short connections
    stayed in memory 20 s after they were gone. Here the ping is a timer, cancelled
    when the socket closes (same packet, same ``last_ping`` bookkeeping).

    A socket that opened as a websocket on uvicorn keeps its connection in ``wire``,
    and ``idle`` says its writer has nothing in hand: a room emit may then write the
    event's frame itself (:mod:`hub.realtime.wire`), behind everything sent before.
    """

    _ping_timer: asyncio.TimerHandle | None = None
    last_ping: float | None  # engine.io's: when the unanswered ping went out
    #: The uvicorn connection of a socket that opened as a websocket (see hub.realtime.wire).
    wire: WebSocketsSansIOProtocol | None = None
    #: True while the writer waits in ``poll`` with nothing queued: all sent before is out.
    idle = False

    async def _websocket_handler(self, ws: Any) -> Any:
        if not self.connected:  # not an upgrade from long-polling
            self.wire = protocol_of(ws)
        try:
            return await super()._websocket_handler(ws)
        finally:
            self.wire = None

    def schedule_ping(self) -> None:
        # only after the previous ping was answered (engine.io's rule)
        if self.last_ping:
            self.last_ping = None
            self._ping_timer = asyncio.get_running_loop().call_later(
                self.server.ping_interval, self._ping_due
            )

    def _ping_due(self) -> None:
        self._ping_timer = None
        if not self.closing and not self.closed:
            self.last_ping = time.time()
            self.queue.put_nowait(eio_packet.Packet(eio_packet.PING))

    async def close(self, wait: bool = True, abort: bool = False, reason: Any = None) -> None:
        if self._ping_timer is not None:
            self._ping_timer.cancel()
            self._ping_timer = None
        await super().close(wait=wait, abort=abort, reason=reason)

    async def poll(self) -> list[Any]:
        queue = self.queue
        try:
            if queue.empty():
                self.idle = True
                try:
                    async with asyncio.timeout(
                        self.server.ping_interval + self.server.ping_timeout
                    ):
                        pkt = await queue.get()
                finally:
                    self.idle = False
            else:
                pkt = queue.get_nowait()
        except (TimeoutError, asyncio.CancelledError):
            raise eio_exceptions.QueueEmpty() from None
        queue.task_done()
        if pkt is None:
            return []
        packets = [pkt]
        while not queue.empty():
            pkt = queue.get_nowait()
            queue.task_done()
            if pkt is None:
                queue.put_nowait(None)
                break
            packets.append(pkt)
        return packets


class _PacketJson:
    """The JSON of socket.io packets: the hub's bounded ``loads`` (:func:`hub.schemas.loads`).

    python-socketio decodes with engine.io's ``json``, which *raises* on an integer of
    more than 100 digits: the packet was then dropped with a logged traceback and the
    client never got an ack. Here such a number reaches the handler as an
    ``OversizedNumber``, which validation answers ``invalid`` naming the field.
    """

    dumps = staticmethod(json.dumps)
    loads = staticmethod(bounded_loads)


class UndecodablePacket(ValueError):
    """A client's socket.io packet that is not valid socket.io/JSON."""


class HubPacket(sio_packet.Packet):  # type: ignore[misc]
    json = _PacketJson

    def decode(self, encoded_packet: Any) -> Any:
        try:
            return super().decode(encoded_packet)
        except (ValueError, RecursionError) as exc:
            raise UndecodablePacket(type(exc).__name__) from None


class HubServer(socketio.AsyncServer):  # type: ignore[misc]
    """An AsyncServer that closes connections which never authenticate a namespace.

    A connection (engine.io) that holds no namespace ``auth_timeout`` seconds after it
    opened is closed at the transport level: the engine.io CLOSE packet, then the
    websocket itself — a client that ignores the packet is hung up on anyway (a
    long-polling one finds its session gone). Pending connects (authenticating) get
    a short extension. Closures are counted in ``tally`` (one summary line per
    period), not logged one by one. A namespace the hub does not serve — ``/``
    included — is refused at once: ``connect_error`` ``{"message": "not_found"}``.

    Each of its engine.io sockets is a :class:`LeanSocket`. Every task it starts is
    kept in :attr:`tasks` until done; :meth:`shutdown` cancels what is left.
    """

    #: How often a connection still authenticating at its deadline is looked at again.
    PENDING_RECHECK = 1.0

    def __init__(self, auth_timeout: float, tally: Tally | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.auth_timeout = auth_timeout
        self.tally = tally or Tally(logger, 60.0)
        self.tasks: set[asyncio.Task[Any]] = set()
        self.janitor = MemoryJanitor()
        self._closed = False

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run ``coro`` in a task this server keeps a reference to until it is done."""
        task = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return task

    async def _handle_eio_connect(self, eio_sid: str, environ: dict[str, Any]) -> None:
        socket = self.eio.sockets.get(eio_sid)
        if type(socket) is eio_socket.AsyncSocket:
            socket.__class__ = LeanSocket  # same object and state; only poll differs
        await super()._handle_eio_connect(eio_sid, environ)
        self.tally.add("connections opened")
        self.watch_anonymous(eio_sid, self.auth_timeout)

    async def _handle_eio_disconnect(self, eio_sid: str, reason: Any = None) -> None:
        await super()._handle_eio_disconnect(eio_sid, reason)
        self.janitor.connection_closed()

    async def _handle_connect(self, eio_sid: str, namespace: str | None, data: Any) -> None:
        if (namespace or "/") not in self.namespace_handlers:
            refusal = self.packet_class(
                sio_packet.CONNECT_ERROR, data={"message": "not_found"}, namespace=namespace or "/"
            )
            await self._send_packet(eio_sid, refusal)
            return
        await super()._handle_connect(eio_sid, namespace, data)

    def watch_anonymous(self, eio_sid: str, delay: float) -> None:
        """Close connection ``eio_sid`` in ``delay`` seconds unless it then holds a namespace."""
        if not self._closed:
            asyncio.get_running_loop().call_later(delay, self._deadline, eio_sid)

    def _deadline(self, eio_sid: str) -> None:
        if self._closed or eio_sid not in self.environ:
            return
        pending = False
        for ns in self.namespace_handlers:
            sid = self.manager.sid_from_eio_sid(eio_sid, ns)
            if sid is None:
                continue
            if self.manager.is_connected(sid, ns):
                return
            pending = True  # its connect handler is still running (reading the session)
        if pending:
            self.watch_anonymous(eio_sid, min(self.PENDING_RECHECK, self.auth_timeout))
            return
        self.spawn(self._close_anonymous(eio_sid))

    async def _close_anonymous(self, eio_sid: str) -> None:
        socket = self.eio.sockets.get(eio_sid)
        if socket is None or socket.closed or socket.closing:
            return
        self.tally.add("connections closed: no namespace joined within AUTH_TIMEOUT")
        try:
            await socket.close(wait=False, reason=self.eio.reason.SERVER_DISCONNECT)
        except Exception as exc:  # a disconnect handler failed: close the transport anyway
            logger.warning("closing an anonymous connection: %r", exc)
        # After the CLOSE packet, None stops the websocket writer, which closes the
        # websocket: the transport ends even if the client ignores the packet. A
        # long-polling client finds its session gone.
        socket.queue.put_nowait(None)
        self.eio.sockets.pop(eio_sid, None)

    async def shutdown(self) -> None:
        """Stop watching connections and cancel this server's tasks (app shutdown)."""
        self._closed = True
        self.janitor.close()
        tasks = list(self.tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _handle_eio_message(self, eio_sid: str, data: Any) -> None:
        """A packet that is not socket.io/JSON (malformed, absurdly nested) closes that one
        connection, logged as one warning line: such a client is broken, and there is no
        event or ack id to answer it with."""
        try:
            await super()._handle_eio_message(eio_sid, data)
        except UndecodablePacket as exc:
            logger.warning("closing a connection that sent an undecodable packet (%s)", exc)
            await self.eio.disconnect(eio_sid)


def build_server(settings: Settings, process_id: str, tally: Tally | None = None) -> HubServer:
    """The socket.io server; every socket id it hands out starts with ``process_id.``."""
    manager: socketio.AsyncManager = (
        HubRedisManager(settings.redis_url) if settings.redis_url else LeanEmitManager()
    )
    server = HubServer(
        auth_timeout=settings.auth_timeout,
        tally=tally,
        async_mode="asgi",
        client_manager=manager,
        serializer=HubPacket,
        cors_allowed_origins=list(settings.allowed_origins),
        cors_credentials=True,
        max_http_buffer_size=1_000_000,
        ping_interval=20,
        ping_timeout=20,
        logger=False,
        engineio_logger=False,
    )
    random_id = server.eio.generate_id
    server.eio.generate_id = lambda: f"{process_id}{SEPARATOR}{random_id()}"
    return server
