"""Loopback message gateways: an SMS gateway and the WhatsApp Cloud API, as the hub sees them.

Each checks what the real one would — the path, the bearer token, the JSON shape (for
WhatsApp, Meta's documented authentication-template message) — and answers 401/400 when
it is wrong. Tests queue the statuses to answer (``answers``, then 200) and read each
delivered code from ``codes``.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.support.services import free_port

TOKEN = "uji-token-gateway-123"
WHATSAPP_VERSION = "v21.0"
WHATSAPP_PHONE_ID = "109876543210"
_CODE = re.compile(r"\b(\d{6})\b")


@dataclass
class Delivery:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    phone: str
    code: str


@dataclass
class Gateway:
    url: str
    kind: str
    answers: list[int] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    deliveries: asyncio.Queue[Delivery] = field(default_factory=asyncio.Queue)

    async def next(self, timeout: float = 10) -> Delivery:
        async with asyncio.timeout(timeout):
            return await self.deliveries.get()

    async def code_for(self, phone: str, timeout: float = 10) -> str:
        """The next code delivered (to ``phone``, in ``62…`` form)."""
        delivery = await self.next(timeout)
        assert delivery.phone == phone, (delivery.phone, phone)
        return delivery.code

    def env(self) -> dict[str, str]:
        """Settings that make the hub deliver through this gateway."""
        if self.kind == "sms":
            return {
                "OTP_SENDER": "sms",
                "SMS_GATEWAY_URL": f"{self.url}/api/sms",
                "SMS_GATEWAY_TOKEN": TOKEN,
                "OTP_SEND_BACKOFF": "0.01",
            }
        return {
            "OTP_SENDER": "whatsapp",
            "WHATSAPP_API_URL": self.url,
            "WHATSAPP_API_VERSION": WHATSAPP_VERSION,
            "WHATSAPP_PHONE_NUMBER_ID": WHATSAPP_PHONE_ID,
            "WHATSAPP_TOKEN": TOKEN,
            "OTP_SEND_BACKOFF": "0.01",
        }


def _whatsapp_code(body: dict[str, Any]) -> tuple[str, str] | None:
    """(phone, code) if ``body`` is an authentication-template message as Meta documents it."""
    try:
        template = body["template"]
        body_part, button = template["components"]
        code = body_part["parameters"][0]["text"]
        ok = (
            body["messaging_product"] == "whatsapp"
            and body["recipient_type"] == "individual"
            and body["type"] == "template"
            and isinstance(template["name"], str)
            and template["language"] == {"code": "id"}
            and body_part == {"type": "body", "parameters": [{"type": "text", "text": code}]}
            and button
            == {
                "type": "button",
                "sub_type": "url",
                "index": "0",
                "parameters": [{"type": "text", "text": code}],
            }
            and set(body) == {"messaging_product", "recipient_type", "to", "type", "template"}
        )
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    return (str(body["to"]), str(code)) if ok else None


def _sms_code(body: dict[str, Any]) -> tuple[str, str] | None:
    message, to = body.get("message"), body.get("to")
    if not isinstance(message, str) or not isinstance(to, str):
        return None
    found = _CODE.search(message)
    return (to, found.group(1)) if found else None


@asynccontextmanager
async def run_gateway(kind: str = "sms", header: str = "Authorization") -> AsyncIterator[Gateway]:
    """A gateway of ``kind`` (``sms`` or ``whatsapp``) on a free loopback port."""
    port = free_port()
    gateway = Gateway(f"http://127.0.0.1:{port}", kind)
    expected_auth = f"Bearer {TOKEN}" if header.lower() == "authorization" else TOKEN

    async def accept(request: web.Request) -> web.Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        gateway.requests.append(
            {"path": request.path, "headers": dict(request.headers), "body": body}
        )
        if request.headers.get(header) != expected_auth:
            return web.json_response({"error": "unauthorized"}, status=401)
        found = None
        if isinstance(body, dict):
            found = _whatsapp_code(body) if kind == "whatsapp" else _sms_code(body)
        if found is None:
            return web.json_response({"error": "bad request shape"}, status=400)
        if gateway.answers:
            status = gateway.answers.pop(0)
            if status >= 300:
                return web.json_response({"error": "told to fail"}, status=status)
        phone, code = found
        gateway.deliveries.put_nowait(
            Delivery(request.path, dict(request.headers), body, phone, code)
        )
        return web.json_response({"messages": [{"id": "wamid.uji"}]})

    app = web.Application()
    if kind == "whatsapp":
        app.router.add_post(f"/{WHATSAPP_VERSION}/{WHATSAPP_PHONE_ID}/messages", accept)
    else:
        app.router.add_post("/api/sms", accept)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        yield gateway
    finally:
        await runner.cleanup()
