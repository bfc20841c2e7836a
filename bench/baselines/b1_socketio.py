"""B1: a bare python-socketio AsyncServer relaying to a room (no auth, no database, no Redis)."""

from __future__ import annotations

from typing import Any

import socketio

from bench.baselines.relay import relayed_event


class Relay(socketio.AsyncNamespace):  # type: ignore[misc]
    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        return None

    async def on_join(self, sid: str, data: dict[str, Any]) -> dict[str, Any]:
        await self.enter_room(sid, f"ticket:{data['ticket_id']}")
        return {"ok": True}

    async def on_send(self, sid: str, data: dict[str, Any]) -> dict[str, Any]:
        await self.emit("ticket_event", relayed_event(data), room=f"ticket:{data['ticket_id']}")
        return {"ok": True}


def make_app() -> socketio.ASGIApp:
    sio = socketio.AsyncServer(async_mode="asgi", ping_interval=20, ping_timeout=20)
    sio.register_namespace(Relay("/tickets"))
    return socketio.ASGIApp(sio)
