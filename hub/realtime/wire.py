"""Straight to the wire: one event's websocket frame, written to each idle socket of a room.

The stock way of a packet to a websocket: the room emit puts it on the socket's engine.io
queue; that socket's writer task wakes up, takes it (``LeanSocket.poll``) and hands it to
engine.io's ASGI websocket as ``{"type": "websocket.send", "text": ...}``; uvicorn
(websockets-sansio) then encodes the text to UTF-8, frames it and writes it. For a room of
1,000 watchers that is 1,000 task wake-ups, and 1,000 encodes and framings of the same text.

:func:`write` does the last step for a socket whose writer is idle — waiting in ``poll``
with nothing queued, so nothing sent before is still on its way: it writes the frame,
framed once for the whole room, to the socket's transport at once. Whenever that cannot be
done exactly as uvicorn would (another ASGI server, per-message deflate negotiated on this
connection is framed per connection, writes paused by flow control, a closing socket), it
answers False and the caller queues the packet the stock way.

This relies on uvicorn's and websockets' internals (the protocol behind engine.io's
``asgi_send``, its ``conn``/``transport``/``writable``/``close_sent``): both are pinned
in pyproject.toml, and ``tests/hub/test_wire.py`` fails if what is read here moves.
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame, Opcode
from websockets.protocol import OPEN


def protocol_of(ws: Any) -> WebSocketsSansIOProtocol | None:
    """The uvicorn connection behind engine.io's ASGI websocket ``ws``; None for any other
    server (the socket's packets then always go through its queue)."""
    owner = getattr(getattr(ws, "asgi_send", None), "__self__", None)
    return owner if type(owner) is WebSocketsSansIOProtocol else None


def text_frame(text: str) -> bytes:
    """``text`` as one unmasked websocket text frame, as a server sends it (no extension)."""
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=False)


def write(proto: WebSocketsSansIOProtocol, data: bytes, frame: bytes) -> bool:
    """Send text message ``data`` (UTF-8), framed as ``frame``, on ``proto`` now, as uvicorn's
    ``send`` would; False (nothing written) where it would wait or refuse."""
    if (
        proto.close_sent
        or proto.disconnected
        or not proto.handshake_complete
        or proto.initial_response is not None
        or not proto.writable.is_set()
    ):
        return False
    transport = proto.transport
    conn = proto.conn
    if transport.is_closing() or conn.state is not OPEN or conn.expect_continuation_frame:
        return False
    if conn.extensions or conn.writes:
        # per-message deflate keeps a compression context per connection: frame it there
        conn.send_text(data)
        transport.write(b"".join(conn.data_to_send()))
    else:
        transport.write(frame)
    return True
