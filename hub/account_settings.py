"""Settings of accounts: which sender delivers one-time codes, the NIK and access-code keys.

Read by :meth:`hub.settings.Settings.from_env` (``settings.accounts``); a bad value
fails fast naming its key. Tokens and keys stay out of ``repr``. Part of the core's
settings (``hub.accounts`` reads them; the core never imports a feature package).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from hub.settings import SettingsError

SenderKind = Literal["console", "whatsapp", "sms"]
SENDERS: tuple[SenderKind, ...] = ("console", "whatsapp", "sms")


def parse_key(raw: str, name: str) -> bytes:
    """A 32-byte key given as URL-safe base64 (``base64.urlsafe_b64encode(os.urandom(32))``)."""
    try:
        key = base64.urlsafe_b64decode(raw.encode() + b"=" * (-len(raw) % 4))
    except (ValueError, TypeError):
        raise ValueError(f"{name} must be URL-safe base64") from None
    if len(key) != 32:
        raise ValueError(f"{name} must decode to 32 bytes, got {len(key)}")
    return key


def derive_key(secret_key: str, label: str) -> bytes:
    """A 32-byte key derived from ``SECRET_KEY`` for ``label`` (used when none is set)."""
    return hmac.new(secret_key.encode(), f"asinan-hub:{label}".encode(), hashlib.sha256).digest()


def _url(env: Mapping[str, str], key: str, default: str | None = None) -> str | None:
    raw = env.get(key) or default
    if raw is None:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"{key} must be an http(s):// URL, got {raw!r}")
    return raw.rstrip("/")


def _key(env: Mapping[str, str], key: str, secret_key: str, label: str) -> bytes:
    raw = env.get(key)
    if not raw:
        return derive_key(secret_key, label)
    try:
        return parse_key(raw, key)
    except ValueError as exc:
        raise SettingsError(str(exc)) from None


def _positive(env: Mapping[str, str], key: str, default: float) -> float:
    raw = env.get(key)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{key} must be a number, got {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{key} must be positive, got {value}")
    return value


@dataclass(frozen=True)
class AccountSettings:
    otp_sender: SenderKind = "console"
    whatsapp_api_url: str = "https://graph.facebook.com"
    whatsapp_api_version: str = "v21.0"
    whatsapp_phone_number_id: str | None = None
    whatsapp_token: str | None = field(default=None, repr=False)
    whatsapp_template: str = "asinan_otp"
    whatsapp_language: str = "id"
    sms_gateway_url: str | None = None
    sms_gateway_token: str | None = field(default=None, repr=False)
    sms_gateway_auth_header: str = "Authorization"
    sms_gateway_sender: str | None = None
    otp_send_timeout: float = 10.0
    #: tries per code delivery (the first and the retries on a 5xx or a network error)
    otp_send_attempts: int = 3
    otp_send_backoff: float = 0.5
    nik_encryption_key: bytes = field(default_factory=lambda: os.urandom(32), repr=False)
    nik_hash_key: bytes = field(default_factory=lambda: os.urandom(32), repr=False)
    #: AES-256-GCM key of the tickets' access codes (shown again to their owner; hub/intake)
    access_code_key: bytes = field(default_factory=lambda: os.urandom(32), repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str], secret_key: str) -> AccountSettings:
        sender = env.get("OTP_SENDER") or "console"
        if sender not in SENDERS:
            raise SettingsError(f"OTP_SENDER must be one of {', '.join(SENDERS)}, got {sender!r}")
        whatsapp_id = env.get("WHATSAPP_PHONE_NUMBER_ID") or None
        whatsapp_token = env.get("WHATSAPP_TOKEN") or None
        sms_url = _url(env, "SMS_GATEWAY_URL")
        sms_token = env.get("SMS_GATEWAY_TOKEN") or None
        if sender == "whatsapp" and not (whatsapp_id and whatsapp_token):
            raise SettingsError(
                "WHATSAPP_PHONE_NUMBER_ID and WHATSAPP_TOKEN are required when OTP_SENDER=whatsapp"
            )
        if sender == "sms" and not (sms_url and sms_token):
            raise SettingsError(
                "SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN are required when OTP_SENDER=sms"
            )
        if whatsapp_id is not None and not whatsapp_id.isdigit():
            raise SettingsError("WHATSAPP_PHONE_NUMBER_ID must be digits")
        header = env.get("SMS_GATEWAY_AUTH_HEADER") or "Authorization"
        if not header.replace("-", "").isalnum():
            raise SettingsError(f"SMS_GATEWAY_AUTH_HEADER is not a header name: {header!r}")
        attempts_raw = env.get("OTP_SEND_ATTEMPTS") or "3"
        if not attempts_raw.isdigit() or not 1 <= int(attempts_raw) <= 10:
            raise SettingsError(f"OTP_SEND_ATTEMPTS must be between 1 and 10, got {attempts_raw!r}")
        return cls(
            otp_sender=sender,  # checked against SENDERS above
            whatsapp_api_url=_url(env, "WHATSAPP_API_URL", "https://graph.facebook.com") or "",
            whatsapp_api_version=env.get("WHATSAPP_API_VERSION") or "v21.0",
            whatsapp_phone_number_id=whatsapp_id,
            whatsapp_token=whatsapp_token,
            whatsapp_template=env.get("WHATSAPP_TEMPLATE") or "asinan_otp",
            whatsapp_language=env.get("WHATSAPP_TEMPLATE_LANGUAGE") or "id",
            sms_gateway_url=sms_url,
            sms_gateway_token=sms_token,
            sms_gateway_auth_header=header,
            sms_gateway_sender=env.get("SMS_GATEWAY_SENDER") or None,
            otp_send_timeout=_positive(env, "OTP_SEND_TIMEOUT", 10.0),
            otp_send_attempts=int(attempts_raw),
            otp_send_backoff=_positive(env, "OTP_SEND_BACKOFF", 0.5),
            nik_encryption_key=_key(env, "NIK_ENCRYPTION_KEY", secret_key, "nik-encryption"),
            nik_hash_key=_key(env, "NIK_HASH_KEY", secret_key, "nik-hash"),
            access_code_key=_key(env, "ACCESS_CODE_KEY", secret_key, "access-code"),
        )
