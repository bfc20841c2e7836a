"""The echo check: an aiortc peer inside the hub that sends a user's media back.

Before a real call, anyone logged in can offer to the hub (``echo_offer``): the
peer answers, relays every received audio/video track back (aiortc
``MediaRelay``), and echoes each message on a data channel labelled ``echo`` so
the client measures the round-trip time. A registry of live peers (as in
aiortc's ``examples/server/server.py``) closes each one when its socket
disconnects, when it fails, after :data:`ECHO_LIFETIME` seconds, and at shutdown;
at most ``limit`` run at once (media relaying costs CPU), beyond that
``unavailable``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaRelay

from hub.errors import Unavailable
from signaling import sdp

logger = logging.getLogger("signaling.echo")

ECHO_LIFETIME = 60.0
MAX_ECHO_PEERS = 4


class EchoPeers:
    """Live echo peers, one per socket: a new offer from the same socket replaces the old."""

    def __init__(
        self,
        stun_uris: Sequence[str] = (),
        limit: int = MAX_ECHO_PEERS,
        lifetime: float = ECHO_LIFETIME,
    ) -> None:
        self.stun_uris = tuple(stun_uris)
        self.limit = limit
        self.lifetime = lifetime
        self._peers: dict[str, RTCPeerConnection] = {}
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._closing: set[asyncio.Task[None]] = set()
        self._relay = MediaRelay()
        self._idle = asyncio.Event()
        self._idle.set()

    def __len__(self) -> int:
        return len(self._peers)

    async def idle(self) -> None:
        """Return once no echo peer is open (for shutdown checks and tests)."""
        await self._idle.wait()

    async def answer(self, owner: str, description: object) -> dict[str, str]:
        """Answer ``owner``'s offer (validated like any call offer) with an echoing peer.

        The client should send its offer once ICE gathering is complete (no trickle).
        """
        offer = sdp.parse_description(description, "offer")
        await self.close(owner)
        if len(self._peers) >= self.limit:
            raise Unavailable("echo_busy")
        servers = [RTCIceServer(urls=list(self.stun_uris))] if self.stun_uris else []
        pc = RTCPeerConnection(RTCConfiguration(iceServers=servers))
        self._peers[owner] = pc
        self._idle.clear()
        self._timers[owner] = asyncio.get_running_loop().call_later(
            self.lifetime, self._close_soon, owner, pc
        )

        def on_track(track: Any) -> None:
            pc.addTrack(self._relay.subscribe(track))

        def on_datachannel(channel: Any) -> None:
            if channel.label != "echo":
                return

            def on_message(message: Any) -> None:
                channel.send(message)

            channel.on("message", on_message)

        def on_state() -> None:
            if pc.connectionState in ("failed", "closed"):
                self._close_soon(owner, pc)

        pc.on("track", on_track)
        pc.on("datachannel", on_datachannel)
        pc.on("connectionstatechange", on_state)
        try:
            await pc.setRemoteDescription(RTCSessionDescription(sdp=offer.sdp, type="offer"))
            await pc.setLocalDescription(await pc.createAnswer())
        except Exception:
            logger.warning("echo peer could not answer an offer", exc_info=True)
            await self.close(owner)
            raise Unavailable("echo_failed") from None
        local = pc.localDescription
        return {"type": local.type, "sdp": local.sdp}

    def _close_soon(self, owner: str, pc: RTCPeerConnection) -> None:
        task = asyncio.ensure_future(self._close_peer(owner, pc))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    async def _close_peer(self, owner: str, pc: RTCPeerConnection) -> None:
        if self._peers.get(owner) is pc:
            del self._peers[owner]
            timer = self._timers.pop(owner, None)
            if timer is not None:
                timer.cancel()
            if not self._peers:
                self._idle.set()
        try:
            await pc.close()
        except Exception:
            logger.warning("closing an echo peer failed", exc_info=True)

    async def close(self, owner: str) -> None:
        """Close ``owner``'s peer, if any (their socket disconnected or offered again)."""
        pc = self._peers.get(owner)
        if pc is not None:
            await self._close_peer(owner, pc)

    async def close_all(self) -> None:
        """At shutdown: every peer, and any close still in flight."""
        for owner in list(self._peers):
            await self.close(owner)
        if self._closing:
            with contextlib.suppress(Exception):
                await asyncio.gather(*self._closing, return_exceptions=True)
