"""Delivery of one-time codes: the console (development), WhatsApp Business, an SMS gateway.

Chosen by ``OTP_SENDER`` (:func:`build_sender`). A sender gets the phone (``62…``) and the
code, and either delivers or raises :class:`DeliveryFailed`. The HTTP senders try again on
a 5xx answer or a network error (``OTP_SEND_ATTEMPTS`` tries in all, backing off), never on
a 4xx (the request itself is wrong; repeating it cannot help). The code never reaches a
log: only the console sender shows it, on standard output, for the developer at the
keyboard.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any, Protocol, TextIO

import aiohttp

from hub.account_settings import AccountSettings
from hub.auth import mask_phone

logger = logging.getLogger("hub.accounts.senders")

#: The SMS text; {code} is the only placeholder. Indonesian first, as every text here.
SMS_TEXT = (
    "ASINAN Kota Bogor: kode verifikasi Anda {code}, berlaku 5 menit. "
    "Jangan berikan kode ini kepada siapa pun. / Your code: {code}"
)


class DeliveryFailed(Exception):
    """The code could not be delivered; ``status`` is the last HTTP status, if any."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.status = status


class OtpSender(Protocol):
    async def send(self, phone: str, code: str) -> None: ...

    async def close(self) -> None: ...


class ConsoleSender:
    """Development: prints the code in a box on standard output (the ``make run`` console)."""

    def __init__(self, out: TextIO | None = None) -> None:
        self._out = out

    async def send(self, phone: str, code: str) -> None:
        out = self._out or sys.stdout
        line = f"KODE OTP (DEV) untuk {mask_phone(phone)}: {code}"
        bar = "═" * (len(line) + 2)
        out.write(f"\n╔{bar}╗\n║ {line} ║\n╚{bar}╝\n\n")
        out.flush()

    async def close(self) -> None:
        return None


class HttpSender:
    """POSTs one JSON request per code, retrying 5xx and network errors with backoff."""

    name = "http"

    def __init__(self, settings: AccountSettings) -> None:
        self._settings = settings
        self._session: aiohttp.ClientSession | None = None

    def request(self, phone: str, code: str) -> tuple[str, dict[str, str], dict[str, Any]]:
        """(url, headers, JSON body) of the request that delivers ``code`` to ``phone``."""
        raise NotImplementedError

    async def send(self, phone: str, code: str) -> None:
        url, headers, body = self.request(phone, code)
        if self._session is None or self._session.closed:
            timeout = aiohttp.ClientTimeout(total=self._settings.otp_send_timeout)
            self._session = aiohttp.ClientSession(timeout=timeout)
        attempts = self._settings.otp_send_attempts
        status: int | None = None
        for attempt in range(1, attempts + 1):
            try:
                async with self._session.post(url, json=body, headers=headers) as response:
                    status = response.status
                    await response.read()
            except (aiohttp.ClientError, TimeoutError) as exc:
                status = None
                logger.warning(
                    "%s sender: attempt %d/%d to %s failed: %s",
                    self.name, attempt, attempts, mask_phone(phone), type(exc).__name__,
                )  # fmt: skip
            else:
                if status < 300:
                    return
                if status < 500:
                    logger.error(
                        "%s sender: refused with HTTP %d for %s (not retried)",
                        self.name, status, mask_phone(phone),
                    )  # fmt: skip
                    raise DeliveryFailed("refused", status)
                logger.warning(
                    "%s sender: attempt %d/%d got HTTP %d", self.name, attempt, attempts, status
                )
            if attempt < attempts:
                await asyncio.sleep(self._settings.otp_send_backoff * 2 ** (attempt - 1))
        raise DeliveryFailed("gave up", status)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


class WhatsAppSender(HttpSender):
    """WhatsApp Business Cloud API: an approved *authentication* template (copy-code button).

    ``POST {WHATSAPP_API_URL}/{version}/{phone number id}/messages`` with a bearer token;
    the code goes in the body parameter and again in the button's URL parameter, as Meta
    documents for authentication templates.
    """

    name = "whatsapp"

    def request(self, phone: str, code: str) -> tuple[str, dict[str, str], dict[str, Any]]:
        s = self._settings
        url = f"{s.whatsapp_api_url}/{s.whatsapp_api_version}/{s.whatsapp_phone_number_id}/messages"
        headers = {"Authorization": f"Bearer {s.whatsapp_token}"}
        body = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": phone,
            "type": "template",
            "template": {
                "name": s.whatsapp_template,
                "language": {"code": s.whatsapp_language},
                "components": [
                    {"type": "body", "parameters": [{"type": "text", "text": code}]},
                    {
                        "type": "button",
                        "sub_type": "url",
                        "index": "0",
                        "parameters": [{"type": "text", "text": code}],
                    },
                ],
            },
        }
        return url, headers, body


class SmsGatewaySender(HttpSender):
    """A generic SMS gateway: ``POST SMS_GATEWAY_URL`` ``{"to", "message", "sender"?}``.

    Authenticated by ``SMS_GATEWAY_AUTH_HEADER`` (default ``Authorization``, sent as
    ``Bearer <SMS_GATEWAY_TOKEN>``; any other header carries the token as it is).
    """

    name = "sms"

    def request(self, phone: str, code: str) -> tuple[str, dict[str, str], dict[str, Any]]:
        s = self._settings
        header = s.sms_gateway_auth_header
        token = s.sms_gateway_token or ""
        value = f"Bearer {token}" if header.lower() == "authorization" else token
        body: dict[str, Any] = {"to": phone, "message": SMS_TEXT.format(code=code)}
        if s.sms_gateway_sender:
            body["sender"] = s.sms_gateway_sender
        return s.sms_gateway_url or "", {header: value}, body


def build_sender(settings: AccountSettings) -> OtpSender:
    """The sender ``OTP_SENDER`` names."""
    if settings.otp_sender == "whatsapp":
        return WhatsAppSender(settings)
    if settings.otp_sender == "sms":
        return SmsGatewaySender(settings)
    return ConsoleSender()
