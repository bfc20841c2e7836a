"""What an idle connection holds, made small (issue #22, scenario b).

An idle socket is mostly its queues: engine.io's outgoing packets and uvicorn's incoming
messages were each an ``asyncio.Queue`` — four deques (≈ 620 bytes each, empty) and an
``Event`` — about 3 KiB apiece whatever they hold. :class:`LeanQueue` is the same queue
for what engine.io and uvicorn ask of it, in a few slots and a list.

:class:`LeanWebSocketProtocol` is uvicorn's websockets-sansio protocol with those queues
and events, and without the handshake's request and response (their headers) once the
websocket is accepted. :class:`LeanReader` reads a websocket without a task per message.
All rely on library internals: ``pyproject.toml`` bounds the versions and
``tests/hub/test_lean_sockets.py`` fails if the internals they replace move.
"""

from __future__ import annotations

import asyncio
from typing import Any

from engineio import async_socket as eio_socket
from engineio import exceptions as eio_exceptions
from engineio import packet as eio_packet
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

#: uvicorn's ``ws`` setting that selects :class:`LeanWebSocketProtocol`.
WS_PROTOCOL = "hub.realtime.lean:LeanWebSocketProtocol"


class LeanQueue:
    """An unbounded FIFO with ``asyncio.Queue``'s methods, in a few slots.

    ``get`` waits its turn (first come, first served); a cancelled ``get`` that had been
    woken passes its wake-up on. ``task_done``/``join`` count as asyncio's do. Items sit
    in a list read from ``_head``, compacted once half of it is read.
    """

    __slots__ = ("_getters", "_head", "_items", "_joiners", "_unfinished")

    def __init__(self) -> None:
        self._items: list[Any] = []
        self._head = 0
        self._getters: list[asyncio.Future[None]] | None = None
        self._unfinished = 0
        self._joiners: list[asyncio.Future[None]] | None = None

    def qsize(self) -> int:
        return len(self._items) - self._head

    def empty(self) -> bool:
        return self._head >= len(self._items)

    def full(self) -> bool:
        return False

    def put_nowait(self, item: Any) -> None:
        self._items.append(item)
        self._unfinished += 1
        self._wake_getter()

    async def put(self, item: Any) -> None:
        self.put_nowait(item)

    def get_nowait(self) -> Any:
        items, head = self._items, self._head
        if head >= len(items):
            raise asyncio.QueueEmpty
        item = items[head]
        head += 1
        if head == len(items):
            items.clear()
            head = 0
        elif head > 32 and head * 2 > len(items):
            del items[:head]
            head = 0
        self._head = head
        return item

    async def get(self) -> Any:
        while self.empty():
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            if self._getters is None:
                self._getters = []
            self._getters.append(waiter)
            try:
                await waiter
            except BaseException:
                if waiter in self._getters:
                    self._getters.remove(waiter)
                elif not self.empty():
                    self._wake_getter()  # it was woken, then cancelled: wake the next
                raise
        return self.get_nowait()

    def _wake_getter(self) -> None:
        getters = self._getters
        while getters:
            waiter = getters.pop(0)
            if not waiter.done():
                waiter.set_result(None)
                return

    def task_done(self) -> None:
        if self._unfinished <= 0:
            raise ValueError("task_done() called too many times")
        self._unfinished -= 1
        if self._unfinished == 0 and self._joiners:
            for joiner in self._joiners:
                if not joiner.done():
                    joiner.set_result(None)
            self._joiners = None

    async def join(self) -> None:
        if self._unfinished > 0:
            joiner: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            if self._joiners is None:
                self._joiners = []
            self._joiners.append(joiner)
            await joiner


class LeanEvent:
    """``asyncio.Event`` for one connection's ``writable`` flag, in two slots."""

    __slots__ = ("_value", "_waiters")

    def __init__(self) -> None:
        self._value = False
        self._waiters: list[asyncio.Future[bool]] | None = None

    def is_set(self) -> bool:
        return self._value

    def set(self) -> None:
        if not self._value:
            self._value = True
            waiters, self._waiters = self._waiters, None
            for waiter in waiters or ():
                if not waiter.done():
                    waiter.set_result(True)

    def clear(self) -> None:
        self._value = False

    async def wait(self) -> bool:
        if self._value:
            return True
        waiter: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        if self._waiters is None:
            self._waiters = []
        self._waiters.append(waiter)
        try:
            return await waiter
        finally:
            if self._waiters is not None and waiter in self._waiters:
                self._waiters.remove(waiter)


class LeanWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websockets-sansio protocol, holding less per open connection.

    Its incoming queue is a :class:`LeanQueue`, ``writable`` a :class:`LeanEvent`; the
    handshake's request and response (headers parsed twice over) are let go once the
    websocket is accepted — uvicorn reads them only until then. Behaviour is uvicorn's.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = LeanQueue()  # type: ignore[assignment]
        self.writable = LeanEvent()  # type: ignore[assignment]
        self.writable.set()

    async def send(self, message: Any) -> None:
        await super().send(message)
        if self.handshake_complete and self.__dict__.get("response") is not None:
            self.request = None  # type: ignore[assignment]
            self.response = None  # type: ignore[assignment]


class LeanReader(eio_socket.AsyncSocket):  # type: ignore[misc]
    """engine.io's websocket loop without a task per message read.

    engine.io reads each message in a new task (``ensure_future``) under ``wait_for``:
    an idle socket held that task, its coroutines and ``wait_for``'s waiter all the time.
    Here the read is awaited in place under ``asyncio.timeout`` (same bound: ping
    interval + ping timeout). The rest is engine.io's (4.x) for a socket that opens
    as a websocket: its writer task, the packets, how the socket closes. An upgrade
    from long-polling goes engine.io's way.
    """

    connected: bool  # engine.io's: the socket has opened (a websocket, or long-polling)
    upgraded: bool

    async def _websocket_handler(self, ws: Any) -> Any:
        if self.connected:  # an upgrade from long-polling
            return await super()._websocket_handler(ws)
        self.connected = True
        self.upgraded = True
        server = self.server
        writer_task = asyncio.ensure_future(self._lean_writer(ws))
        timeout = server.ping_interval + server.ping_timeout
        limit = server.max_http_buffer_size
        while True:
            try:
                async with asyncio.timeout(timeout):
                    data = await ws.wait()
            except asyncio.CancelledError:
                break
            except Exception:  # timed out, the peer left (OSError), …
                break
            if data is None:  # connection closed by client
                break
            if len(data) > limit:
                break  # engine.io: "packet is too large"
            pkt = eio_packet.Packet(encoded_packet=data)
            try:
                await self.receive(pkt)
            except eio_exceptions.UnknownPacketError:
                pass
            except eio_exceptions.SocketIsClosedError:
                server.logger.info("Receive error -- socket is closed")
                break
            except Exception:
                server.logger.exception("Unknown receive error")
        await self.queue.put(None)  # unlock the writer task so it can exit
        await writer_task
        await self.close(wait=False, abort=True, reason=server.reason.TRANSPORT_CLOSE)
        return None

    async def _lean_writer(self, ws: Any) -> None:
        """engine.io's writer: every packet queued, until the queue says stop."""
        while True:
            try:
                packets = await self.poll()
            except eio_exceptions.QueueEmpty:
                break
            if not packets:
                break
            try:
                for pkt in packets:
                    await ws.send(pkt.encode())
            except BaseException:  # engine.io's bare except: a failed send ends the writer
                break
        await ws.close()
