"""Settings read once from the environment; a bad value fails fast naming its key."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from hub.account_settings import AccountSettings


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the key."""


def _int(env: Mapping[str, str], key: str, default: int, lo: int, hi: int) -> int:
    raw = env.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{key} must be an integer, got {raw!r}") from None
    if not lo <= value <= hi:
        raise SettingsError(f"{key} must be between {lo} and {hi}, got {value}")
    return value


def _float(env: Mapping[str, str], key: str, default: float) -> float:
    raw = env.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{key} must be a number, got {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{key} must be positive, got {value}")
    return value


def _origins(raw: str, key: str) -> tuple[str, ...]:
    origins: list[str] = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        if item == "*" or "*" in item:
            raise SettingsError(f"{key}: wildcard origins are refused; list exact origins")
        parts = urlsplit(item)
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.path not in ("", "/")
        ):
            raise SettingsError(f"{key}: {item!r} is not scheme://host[:port]")
        origins.append(f"{parts.scheme}://{parts.netloc}")
    return tuple(origins)


def _uris(raw: str, key: str, schemes: tuple[str, ...]) -> tuple[str, ...]:
    uris = tuple(part.strip() for part in raw.split(",") if part.strip())
    for uri in uris:
        if not uri.startswith(tuple(f"{s}:" for s in schemes)):
            raise SettingsError(f"{key}: {uri!r} must start with one of {schemes}")
    return uris


def _networks(raw: str, key: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """A comma-separated list of addresses or CIDR blocks (``10.0.0.0/8,::1``)."""
    try:
        return tuple(
            ipaddress.ip_network(part.strip(), strict=False)
            for part in raw.split(",")
            if part.strip()
        )
    except ValueError as exc:
        raise SettingsError(f"{key}: {exc}") from None


def _choice(env: Mapping[str, str], key: str, default: str, choices: tuple[str, ...]) -> str:
    value = (env.get(key) or default).lower()
    if value not in choices:
        raise SettingsError(f"{key} must be one of {', '.join(choices)}, got {value!r}")
    return value


def _vapid_subject(raw: str) -> str:
    """Who push services contact about our pushes (RFC 8292): a mailto: or https: URL."""
    if not raw.startswith(("mailto:", "https://")):
        raise SettingsError("VAPID_SUBJECT must be a mailto: or https:// URL")
    return raw


def _secret_key(data_dir: Path) -> str:
    """Generated once and kept under the data folder, so restarts keep sessions."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def _accounts(env: Mapping[str, str], secret_key: str) -> AccountSettings:
    """OTP senders and NIK keys (``hub/account_settings.py``); random keys without a secret."""
    from hub.account_settings import AccountSettings

    if not secret_key:
        return AccountSettings()
    return AccountSettings.from_env(env, secret_key)


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str | None
    secret_key: str = field(repr=False)
    host: str
    port: int
    allowed_origins: tuple[str, ...]
    data_dir: Path
    stun_uris: tuple[str, ...] = ()
    turn_uris: tuple[str, ...] = ()
    turn_secret: str | None = field(default=None, repr=False)
    turn_ttl: int = 600
    ring_timeout: float = 45.0
    call_grace: float = 20.0
    process_ttl: float = 15.0
    auth_timeout: float = 10.0
    max_sockets_per_session: int = 20
    session_recheck: float = 60.0
    log_summary_period: float = 60.0
    cookie_secure: bool = False
    session_days: int = 30
    log_level: str = "INFO"
    vapid_subject: str = "mailto:asinan-hub@localhost"
    comment_burst: int = 10
    comment_per_second: float = 1.0
    accounts: AccountSettings = field(default_factory=lambda: _accounts({}, ""), repr=False)
    password_workers: int = 1
    #: share of a service standard's working time after which a request is "at risk" (%)
    sla_at_risk_percent: int = 75
    #: who may read GET /metrics without a token (addresses / CIDR blocks)
    metrics_allow: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = (
        ipaddress.ip_network("127.0.0.0/8"),
        ipaddress.ip_network("::1/128"),
    )
    #: a bearer token that opens GET /metrics from any address (None: addresses only)
    metrics_token: str | None = field(default=None, repr=False)
    #: ``json`` (one object per line) or ``text`` (for a person at a terminal)
    log_format: str = "json"

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, base_dir: Path | None = None
    ) -> Settings:
        env = os.environ if env is None else env
        base = base_dir or Path.cwd()
        data_dir = Path(env.get("DATA_DIR") or base / "var")
        database_url = env.get("DATABASE_URL") or f"sqlite+aiosqlite:///{data_dir / 'asinan.db'}"
        if not database_url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise SettingsError(
                "DATABASE_URL must be sqlite+aiosqlite:///path or postgresql+asyncpg://…"
            )
        redis_url = env.get("REDIS_URL") or None
        if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise SettingsError("REDIS_URL must be redis://, rediss:// or unix://")
        host = env.get("HOST") or "127.0.0.1"
        port = _int(env, "PORT", 8000, 1, 65535)
        default_origins = f"http://{host}:{port},http://localhost:{port},http://127.0.0.1:{port}"
        origins = _origins(env.get("ALLOWED_ORIGINS") or default_origins, "ALLOWED_ORIGINS")
        if not origins:
            raise SettingsError("ALLOWED_ORIGINS must list at least one origin")
        turn_uris = _uris(env.get("TURN_URIS", ""), "TURN_URIS", ("turn", "turns"))
        turn_secret = env.get("TURN_SECRET") or None
        if turn_uris and not turn_secret:
            raise SettingsError("TURN_SECRET is required when TURN_URIS is set")
        metrics_token = env.get("METRICS_TOKEN") or None
        if metrics_token is not None and len(metrics_token) < 16:
            raise SettingsError("METRICS_TOKEN must be at least 16 characters")
        secret_key = env.get("SECRET_KEY") or _secret_key(data_dir)
        if len(secret_key) < 32:
            raise SettingsError("SECRET_KEY must be at least 32 characters")
        return cls(
            database_url=database_url,
            redis_url=redis_url,
            secret_key=secret_key,
            host=host,
            port=port,
            allowed_origins=origins,
            data_dir=data_dir,
            stun_uris=_uris(env.get("STUN_URIS", ""), "STUN_URIS", ("stun", "stuns")),
            turn_uris=turn_uris,
            turn_secret=turn_secret,
            turn_ttl=_int(env, "TURN_TTL", 600, 60, 3600),
            ring_timeout=_float(env, "RING_TIMEOUT", 45.0),
            call_grace=_float(env, "CALL_GRACE", 20.0),
            process_ttl=_float(env, "PROCESS_TTL", 15.0),
            auth_timeout=_float(env, "AUTH_TIMEOUT", 10.0),
            max_sockets_per_session=_int(env, "MAX_SOCKETS_PER_SESSION", 20, 1, 10_000),
            session_recheck=_float(env, "SESSION_RECHECK", 60.0),
            log_summary_period=_float(env, "LOG_SUMMARY_PERIOD", 60.0),
            cookie_secure=env.get("COOKIE_SECURE", "") in ("1", "true"),
            session_days=_int(env, "SESSION_DAYS", 30, 1, 365),
            log_level=(env.get("LOG_LEVEL") or "INFO").upper(),
            vapid_subject=_vapid_subject(env.get("VAPID_SUBJECT") or "mailto:asinan-hub@localhost"),
            comment_burst=_int(env, "COMMENT_BURST", 10, 1, 1_000_000),
            comment_per_second=_float(env, "COMMENT_PER_SECOND", 1.0),
            accounts=_accounts(env, secret_key),
            password_workers=_int(env, "PASSWORD_WORKERS", 1, 1, 64),
            sla_at_risk_percent=_int(env, "SLA_AT_RISK_PERCENT", 75, 1, 99),
            metrics_allow=_networks(env.get("METRICS_ALLOW") or "127.0.0.0/8,::1", "METRICS_ALLOW"),
            metrics_token=metrics_token,
            log_format=_choice(env, "LOG_FORMAT", "json", ("json", "text")),
        )
