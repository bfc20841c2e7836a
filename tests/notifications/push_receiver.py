"""A Web Push service on loopback: takes encrypted pushes, answers as told, decrypts them.

Subscriptions are made like a browser makes them: a fresh P-256 key pair and a
16-byte auth secret; :meth:`Receiver.decrypt` opens an aes128gcm body with them.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import http_ece
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.support.services import free_port


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass
class Device:
    """A browser's push subscription: the endpoint and the keys only it holds."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @property
    def p256dh(self) -> str:
        return b64(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    def subscription(self) -> dict[str, Any]:
        """As ``PushSubscription.toJSON()``."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": b64(self.auth)},
        }


@dataclass
class Push:
    device: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    answers: dict[str, int] = field(default_factory=dict)
    devices: dict[str, Device] = field(default_factory=dict)
    inbox: asyncio.Queue[Push] = field(default_factory=asyncio.Queue)

    def device(self, name: str) -> Device:
        self.devices[name] = Device(
            f"{self.url}/push/{name}", ec.generate_private_key(ec.SECP256R1()), os.urandom(16)
        )
        return self.devices[name]

    async def next(self, timeout: float = 10) -> Push:
        async with asyncio.timeout(timeout):
            return await self.inbox.get()

    def decrypt(self, push: Push) -> dict[str, Any]:
        device = self.devices[push.device]
        plain = http_ece.decrypt(
            push.body,
            private_key=device.private_key,
            auth_secret=device.auth,
            version="aes128gcm",
        )
        data = json.loads(plain)
        assert isinstance(data, dict)
        return data


@asynccontextmanager
async def run_receiver() -> AsyncIterator[Receiver]:
    port = free_port()
    receiver = Receiver(f"http://127.0.0.1:{port}")

    async def accept(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        receiver.inbox.put_nowait(Push(name, dict(request.headers), await request.read()))
        return web.Response(status=receiver.answers.get(name, 201))

    app = web.Application()
    app.router.add_post("/push/{name}", accept)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        yield receiver
    finally:
        await runner.cleanup()
