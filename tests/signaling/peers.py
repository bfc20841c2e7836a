"""Real aiortc peers for the media tests: small synthetic tracks, no STUN, typed glue."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiortc import (
    AudioStreamTrack,
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
    VideoStreamTrack,
)
from av import VideoFrame


class SmallVideo(VideoStreamTrack):
    """160x120 grey frames: cheap to encode on a shared 2-core machine."""

    async def recv(self) -> VideoFrame:
        pts, time_base = await self.next_timestamp()
        frame = VideoFrame(160, 120, "yuv420p")
        for plane in frame.planes:
            plane.update(bytes([128]) * plane.buffer_size)
        frame.pts, frame.time_base = pts, time_base
        return frame


def ice_config(servers: list[dict[str, Any]]) -> RTCConfiguration:
    """Hub-issued ``ice_servers`` as aiortc config; ``[]`` means no STUN at all (no stall)."""
    return RTCConfiguration(
        iceServers=[
            RTCIceServer(urls=s["urls"], username=s.get("username"), credential=s.get("credential"))
            for s in servers
        ]
    )


@dataclass
class Peer:
    pc: RTCPeerConnection
    remote: dict[str, asyncio.Future[Any]] = field(default_factory=dict)

    @classmethod
    def make(
        cls, servers: list[dict[str, Any]], media: tuple[str, ...] = ("audio", "video")
    ) -> Peer:
        peer = cls(RTCPeerConnection(ice_config(servers)))
        loop = asyncio.get_running_loop()
        for kind in media:
            peer.remote[kind] = loop.create_future()
            peer.pc.addTrack(AudioStreamTrack() if kind == "audio" else SmallVideo())

        def on_track(track: Any) -> None:
            fut = peer.remote.get(track.kind)
            if fut is not None and not fut.done():
                fut.set_result(track)

        peer.pc.on("track", on_track)
        return peer

    async def offer(self, rewrite: Callable[[str], str] = str) -> dict[str, str]:
        await self.pc.setLocalDescription(await self.pc.createOffer())
        return {"type": "offer", "sdp": rewrite(self.pc.localDescription.sdp)}

    async def answer(
        self, offer: dict[str, str], rewrite: Callable[[str], str] = str
    ) -> dict[str, str]:
        await self.pc.setRemoteDescription(RTCSessionDescription(offer["sdp"], offer["type"]))
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        return {"type": "answer", "sdp": rewrite(self.pc.localDescription.sdp)}

    async def accept_answer(self, answer: dict[str, str]) -> None:
        await self.pc.setRemoteDescription(RTCSessionDescription(answer["sdp"], answer["type"]))

    async def frames(self, timeout: float = 20) -> dict[str, Any]:
        """One decoded frame of every remote track, within ``timeout``."""
        got: dict[str, Any] = {}
        async with asyncio.timeout(timeout):
            for kind, fut in self.remote.items():
                track = await fut
                got[kind] = await track.recv()
        return got

    def selected_pairs(self) -> list[tuple[str, str]]:
        """(local, remote) candidate types of the nominated ICE pair of each transport."""
        pairs = []
        for transceiver in self.pc.getTransceivers():
            connection = transceiver.receiver.transport.transport._connection
            for pair in connection._nominated.values():
                pairs.append((pair.local_candidate.type, pair.remote_candidate.type))
        return pairs

    async def close(self) -> None:
        await self.pc.close()
