"""The socket.io door: server, authenticated namespaces, the one publisher, the control bus.

Only this module (and the namespaces built on :class:`HubNamespace`) talks to
python-socketio. Services queue events on a :class:`hub.uow.Unit`; the
:class:`SocketPublisher` sends them after commit, through the client manager, so
with ``REDIS_URL`` they reach clients on every process.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from http.cookies import SimpleCookie
from typing import Any

import socketio
from engineio import async_socket as eio_socket
from engineio import exceptions as eio_exceptions
from engineio import packet as eio_packet
from redis.asyncio import Redis
from socketio import packet as sio_packet

from hub.auth import COOKIE_NAME
from hub.context import Hub
from hub.db import is_unavailable
from hub.errors import HubError, Invalid, Unavailable, error_body
from hub.janitor import MemoryJanitor
from hub.logs import Tally
from hub.principal import Principal
from hub.processes import SEPARATOR
from hub.redisconn import connect_redis, redis_options
from hub.schemas import check_size
from hub.schemas import loads as bounded_loads
from hub.settings import Settings
from hub.uow import Control, Outgoing

logger = logging.getLogger("hub.realtime")

CONTROL_CHANNEL = "asinan:control"
SIO_CHANNEL = "asinan:sio"
#: Longest an emit waits for Redis before giving up (logged; clients resume by seq).
PUBLISH_TIMEOUT = 2.0
#: Longest pause between attempts to re-subscribe while Redis is down.
MAX_RESUBSCRIBE_DELAY = 2.0
ControlHandler = Callable[[dict[str, Any]], Awaitable[None]]
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
    as engine.io's ``send_packet`` does.

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
    """

    _ping_timer: asyncio.TimerHandle | None = None
    last_ping: float | None  # engine.io's: when the unanswered ping went out

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
                async with asyncio.timeout(self.server.ping_interval + self.server.ping_timeout):
                    pkt = await queue.get()
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


def cookie_token(environ: dict[str, Any]) -> str | None:
    raw = environ.get("HTTP_COOKIE")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:
        return None
    morsel = jar.get(COOKIE_NAME)
    return morsel.value if morsel else None


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


class SocketPublisher:
    """The single way events leave the hub (see ``tests/test_architecture.py``).

    A control message is applied on this process at once, then published to the
    others (tagged with ``process_id``, so this process skips its own copy): what it
    does here — close a logged-out session's sockets, drop the watchers a transfer
    cut off — never waits for, or depends on, Redis. A control handler is a local
    op when no unit sends it (``resubscribed``, run on every Redis (re)subscription).
    """

    def __init__(self, sio: HubServer, settings: Settings, process_id: str = "") -> None:
        self.sio = sio
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
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        if self._redis is not None:
            await self._redis.aclose()


Handler = Callable[[str, Principal, Any], Awaitable[dict[str, Any] | None]]


class HubNamespace(socketio.AsyncNamespace):  # type: ignore[misc]
    """Authenticates on connect; turns every event into parse → authorize → service → ack.

    Handlers are ``on_<event>(sid, principal, data)`` returning the ack fields;
    a :class:`HubError` becomes ``{"ok": false, "error": …}``, anything else
    ``unavailable`` (logged), and an unknown event ``invalid``.
    """

    def __init__(self, namespace: str, hub: Hub) -> None:
        super().__init__(namespace)
        self.hub = hub

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        token = auth.get("token") if isinstance(auth, dict) else None
        if not isinstance(token, str):
            token = cookie_token(environ)
        try:
            principal = await self.hub.principal_from_token(token)
        except HubError:
            raise socketio.exceptions.ConnectionRefusedError("unauthenticated") from None
        except Exception as exc:
            report_failure(f"connect to {self.namespace}", exc, self.hub.tally)
            raise socketio.exceptions.ConnectionRefusedError("unavailable") from None
        # Counted and entered without yielding to the loop (neither call waits on anything):
        # concurrent connects of one session cannot overshoot the cap.
        room = session_room(principal.session_id)
        limit = self.hub.settings.max_sockets_per_session
        if len(await self.local_sids(room)) >= limit:
            self.hub.tally.add("connects refused: too many sockets of one session")
            raise socketio.exceptions.ConnectionRefusedError(
                "too_many_connections", {"limit": limit}
            )
        await self.enter_room(sid, room)
        await self.save_session(sid, {"principal": principal})
        await self.enter_room(sid, principal.personal_room)
        await self.hub.socket_opened(principal)
        await self.connected(sid, principal)

    async def connected(self, sid: str, principal: Principal) -> None:
        """Hook for namespaces (presence, etc.)."""

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        eio_sid = self.server.manager.eio_sid_from_sid(sid, self.namespace)
        if eio_sid is not None:  # a connection left with no namespace gets closed in time
            self.server.watch_anonymous(eio_sid, self.server.auth_timeout)
        with contextlib.suppress(KeyError):
            principal = await self.principal(sid)
            await self.hub.socket_closed(principal)
            await self.disconnected(sid, principal)

    async def disconnected(self, sid: str, principal: Principal) -> None:
        """Hook for namespaces."""

    async def principal(self, sid: str) -> Principal:
        session = await self.get_session(sid)
        principal = session["principal"]
        assert isinstance(principal, Principal)
        return principal

    async def trigger_event(self, event: str, *args: Any) -> Any:
        if event in ("connect", "disconnect"):
            return await super().trigger_event(event, *args)
        sid = args[0]
        handler: Handler | None = getattr(self, f"on_{event}", None)
        if len(args) != 2 or not isinstance(args[1], dict) or handler is None:
            try:  # one object is sized by the handler's parse; anything else here
                check_size(list(args[1:]))
            except HubError as exc:
                return error_body(exc)
        if handler is None or event.startswith("_"):
            return error_body(Invalid(f"Peristiwa tidak dikenal / Unknown event {event!r}"))
        if len(args) > 2:
            return error_body(Invalid("Kirim satu objek JSON / Send one JSON object"))
        try:
            principal = await self.principal(sid)
            result = await handler(sid, principal, args[1] if len(args) > 1 else None)
        except HubError as exc:
            return error_body(exc)
        except Exception as exc:
            report_failure(f"event {event} on {self.namespace}", exc, self.hub.tally)
            return error_body(Unavailable())
        return {"ok": True, **(result or {})}

    async def local_sids(self, room: str) -> list[str]:
        return [sid for sid, _eio in self.server.manager.get_participants(self.namespace, room)]

    def local_rooms(self, prefix: str) -> list[str]:
        """Rooms of this namespace, starting with ``prefix``, that have sockets on this process."""
        rooms = self.server.manager.rooms.get(self.namespace, {})
        return [r for r in list(rooms) if isinstance(r, str) and r.startswith(prefix)]


def session_room(session_id: str) -> str:
    """Room of every socket of one login session (in each namespace)."""
    return f"session:{session_id}"


def report_failure(what: str, exc: BaseException, tally: Tally) -> None:
    """Log a failed event: one WARNING line without traceback when the database is
    unreachable (and counted for the periodic summary), the traceback otherwise (a bug)."""
    if is_unavailable(exc):
        logger.warning("%s failed: database unavailable (%s)", what, type(exc).__name__)
        tally.add("events failed: database unavailable", logging.WARNING)
    else:
        logger.error("%s failed", what, exc_info=exc)


async def disconnect_session(sio: HubServer, session_id: str) -> None:
    """Close every local socket of a session, in every namespace (control op)."""
    for ns in list(sio.namespace_handlers):
        for sid, _eio in list(sio.manager.get_participants(ns, session_room(session_id))):
            await sio.disconnect(sid, namespace=ns)
