"""The few Engine.IO v4 / Socket.IO v5 text frames the load generator speaks.

Pure functions, no I/O: ``encode_*`` build a frame, :func:`decode` splits one. Engine.IO
packet types: ``0`` open, ``2`` ping, ``3`` pong, ``4`` message; Socket.IO (after the
``4``): ``0`` connect, ``2`` event, ``3`` ack, ``4`` connect error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

PING = "2"
PONG = "3"
SIO_CONNECT = "0"
SIO_EVENT = "2"
SIO_ACK = "3"
SIO_CONNECT_ERROR = "4"


@dataclass(frozen=True)
class Frame:
    """One decoded Engine.IO text frame (``sio_type`` etc. only for messages)."""

    eio_type: str
    sio_type: str = ""
    namespace: str = "/"
    ack_id: int | None = None
    data: Any = None


def _prefix(namespace: str) -> str:
    return "" if namespace == "/" else f"{namespace},"


def encode_connect(namespace: str, auth: dict[str, Any] | None = None) -> str:
    body = orjson.dumps(auth).decode() if auth is not None else ""
    return f"40{_prefix(namespace)}{body}"


def encode_event(namespace: str, event: str, data: Any, ack_id: int | None = None) -> str:
    ack = "" if ack_id is None else str(ack_id)
    return f"42{_prefix(namespace)}{ack}{orjson.dumps([event, data]).decode()}"


def encode_ack(namespace: str, ack_id: int, data: Any) -> str:
    return f"43{_prefix(namespace)}{ack_id}{orjson.dumps([data]).decode()}"


def decode(text: str) -> Frame:
    """Split a text frame; raises ``ValueError`` on one this client does not speak."""
    if not text:
        raise ValueError("empty frame")
    eio = text[0]
    if eio != "4":
        payload = orjson.loads(text[1:]) if eio == "0" and len(text) > 1 else text[1:]
        return Frame(eio, data=payload)
    if len(text) < 2:
        raise ValueError("message frame without a socket.io type")
    sio, rest = text[1], text[2:]
    namespace = "/"
    if rest.startswith("/"):
        comma = rest.find(",")
        if comma < 0:
            namespace, rest = rest, ""
        else:
            namespace, rest = rest[:comma], rest[comma + 1 :]
    digits = 0
    while digits < len(rest) and rest[digits].isdigit():
        digits += 1
    ack_id = int(rest[:digits]) if digits else None
    rest = rest[digits:]
    data = orjson.loads(rest) if rest else None
    return Frame("4", sio, namespace, ack_id, data)
