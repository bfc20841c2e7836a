"""A chat client that behaves as the protocol asks a real one to (docs/protocol.md).

It keeps the timeline by ``seq``: drops what it already has, asks for the missing
range when it sees a gap, rejoins with ``after_seq`` after a reconnect, and
resends unacknowledged comments with the same ``client_id``.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

import socketio

NS = "/tickets"


@dataclass
class ChatClient:
    url: str
    token: str
    ticket_id: int
    timeline: dict[int, dict[str, Any]] = field(default_factory=dict)
    outbox: dict[str, str] = field(default_factory=dict)  # client_id → body, until acked
    #: every seq up to here that is not in ``timeline`` is not for us (an internal note)
    covered: int = 0
    #: how many ``missing`` calls were made (a hidden seq must not be asked for twice)
    gap_calls: int = 0
    sio: socketio.AsyncClient | None = None
    _gap_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _moved: asyncio.Event = field(default_factory=asyncio.Event)
    _down: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def last_seq(self) -> int:
        """Highest seq held (or known not to be for us) with nothing missing below it."""
        n = self.covered
        while n + 1 in self.timeline:
            n += 1
        return n

    def cover(self, through_seq: int | None) -> None:
        """The server said every seq up to ``through_seq`` we may see is in hand."""
        if through_seq is not None and through_seq >= self.last_seq:
            self.covered = through_seq

    def comments(self) -> list[tuple[int, str, str | None]]:
        return [
            (seq, ev["payload"]["body"], ev["client_id"])
            for seq, ev in sorted(self.timeline.items())
            if ev["kind"] == "comment"
        ]

    async def connect(self) -> None:
        sio = socketio.AsyncClient(reconnection=False)
        sio.on("ticket_event", self._on_event, namespace=NS)
        await sio.connect(
            self.url,
            namespaces=[NS],
            transports=["websocket"],
            auth={"token": self.token},
            headers={"Origin": self.url},
            wait_timeout=10,
        )
        self.sio = sio
        self._down = asyncio.Event()
        ack = await sio.call(
            "join",
            {"ticket_id": self.ticket_id, "after_seq": self.last_seq},
            namespace=NS,
            timeout=15,
        )
        assert ack["ok"], ack
        for ev in ack["events"]:
            self.timeline.setdefault(ev["seq"], ev)
        self.cover(ack.get("through_seq"))
        await self.fill_gaps()
        for client_id, body in list(self.outbox.items()):
            await self._send(client_id, body)

    async def disconnect(self) -> None:
        if self.sio is not None:
            sio, self.sio = self.sio, None
            self._down.set()  # pending acks are lost with the connection
            await sio.disconnect()
            http = getattr(sio.eio, "http", None)
            if http is not None and not http.closed:
                await http.close()

    async def wait_until(self, seq: int, timeout: float = 10) -> None:
        """Until everything up to ``seq`` is in hand (or known not to be for us)."""
        async with asyncio.timeout(timeout):
            while self.last_seq < seq:
                self._moved.clear()
                await self._moved.wait()

    async def _on_event(self, ev: dict[str, Any]) -> None:
        if ev["ticket_id"] != self.ticket_id or ev["seq"] in self.timeline:
            return
        self.timeline[ev["seq"]] = ev
        if ev["seq"] > self.last_seq + 1:
            await self.fill_gaps()
        self._moved.set()

    async def fill_gaps(self) -> None:
        async with self._gap_lock:
            top = max(self.timeline, default=0)
            if top <= self.last_seq or self.sio is None:
                return
            self.gap_calls += 1
            ack = await self.sio.call(
                "missing",
                {"ticket_id": self.ticket_id, "after_seq": self.last_seq, "before_seq": top},
                namespace=NS,
                timeout=15,
            )
            assert ack["ok"], ack
            for ev in ack["events"]:
                self.timeline.setdefault(ev["seq"], ev)
            self.cover(ack.get("through_seq"))

    async def say(self, body: str) -> None:
        client_id = uuid.uuid4().hex
        self.outbox[client_id] = body
        await self._send(client_id, body)

    async def _send(self, client_id: str, body: str) -> None:
        if self.sio is None:
            return  # offline: stays in the outbox until the next connect
        down = self._down
        call = asyncio.ensure_future(
            self.sio.call(
                "send",
                {"ticket_id": self.ticket_id, "client_id": client_id, "body": body},
                namespace=NS,
                timeout=15,
            )
        )
        lost = asyncio.ensure_future(down.wait())
        await asyncio.wait([call, lost], return_when=asyncio.FIRST_COMPLETED)
        lost.cancel()
        if not call.done():
            call.cancel()
            return  # unknown fate: resend with the same client_id after reconnecting
        try:
            ack = call.result()
        except (socketio.exceptions.TimeoutError, socketio.exceptions.BadNamespaceError):
            return
        assert ack["ok"], ack
        ev = ack["event"]
        self.timeline.setdefault(ev["seq"], ev)
        self.outbox.pop(client_id, None)
