"""B0: a raw ASGI websocket relay — no framework, the socket.io frames parsed minimally.

It answers the Engine.IO open, accepts any namespace connect, acks ``join`` (enter the
ticket's room) and ``send`` (relay ``ticket_event`` to the room, then ack), like the hub.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any

import orjson

from bench.baselines.relay import relayed_event
from bench.protocol import decode

Send = Callable[[dict[str, Any]], Awaitable[None]]
Receive = Callable[[], Awaitable[dict[str, Any]]]

OPEN = '0{"sid":"%s","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}'
rooms: dict[str, set[Send]] = defaultdict(set)


async def _websocket(receive: Receive, send: Send) -> None:
    joined: set[str] = set()
    first = await receive()
    if first["type"] != "websocket.connect":
        return
    await send({"type": "websocket.accept"})
    await send({"type": "websocket.send", "text": OPEN % secrets.token_urlsafe(12)})
    try:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if not text or text[0] != "4":
                continue
            frame = decode(text)
            ns = frame.namespace
            prefix = "" if ns == "/" else f"{ns},"
            if frame.sio_type == "0":
                sid = secrets.token_urlsafe(12)
                await send({"type": "websocket.send", "text": f'40{prefix}{{"sid":"{sid}"}}'})
                continue
            if frame.sio_type != "2" or not isinstance(frame.data, list):
                continue
            event, data = frame.data[0], frame.data[1] if len(frame.data) > 1 else {}
            if event == "join":
                room = f"{ns}:ticket:{data['ticket_id']}"
                rooms[room].add(send)
                joined.add(room)
            elif event == "send":
                out = f"42{prefix}" + orjson.dumps(["ticket_event", relayed_event(data)]).decode()
                for member in list(rooms.get(f"{ns}:ticket:{data['ticket_id']}", ())):
                    try:
                        await member({"type": "websocket.send", "text": out})
                    except Exception:
                        rooms[f"{ns}:ticket:{data['ticket_id']}"].discard(member)
            if frame.ack_id is not None:
                ack = f"43{prefix}{frame.ack_id}" + '[{"ok":true}]'
                await send({"type": "websocket.send", "text": ack})
    finally:
        for room in joined:
            rooms[room].discard(send)


async def app(scope: dict[str, Any], receive: Receive, send: Send) -> None:
    if scope["type"] == "websocket":
        await _websocket(receive, send)
    elif scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    else:
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})
