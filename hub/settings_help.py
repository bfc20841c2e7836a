"""What ``asinan-hub serve --help`` says of every setting (the README's table, shorter).

One row per environment variable: the field of :class:`hub.settings.Settings` (or of
``settings.accounts``) it fills, its default and what it does.
``tests/hub/test_settings_help.py`` checks that every field has its row and that the help
lists them all.
"""

from __future__ import annotations

from typing import NamedTuple


class SettingHelp(NamedTuple):
    env: str
    #: ``Settings`` field, or ``accounts.<field>`` for :class:`hub.account_settings.AccountSettings`
    field: str
    default: str
    help: str


SETTINGS: tuple[SettingHelp, ...] = (
    SettingHelp("DATABASE_URL", "database_url", "sqlite under DATA_DIR", "sqlite+aiosqlite:///… or postgresql+asyncpg://…"),
    SettingHelp("REDIS_URL", "redis_url", "unset (one process)", "redis://…: fan-out, presence, limits shared by processes"),
    SettingHelp("SECRET_KEY", "secret_key", "generated into DATA_DIR", "signs session tokens (>= 32 chars)"),
    SettingHelp("HOST", "host", "127.0.0.1", "address to listen on"),
    SettingHelp("PORT", "port", "8000", "port to listen on (1-65535)"),
    SettingHelp("ALLOWED_ORIGINS", "allowed_origins", "http://HOST:PORT …", "exact origins of pages, sockets and cookie writes"),
    SettingHelp("DATA_DIR", "data_dir", "./var", "data folder (database, attachments, keys)"),
    SettingHelp("STUN_URIS", "stun_uris", "none", "STUN servers, comma separated"),
    SettingHelp("TURN_URIS", "turn_uris", "none", "TURN servers, comma separated (needs TURN_SECRET)"),
    SettingHelp("TURN_SECRET", "turn_secret", "none", "coturn use-auth-secret shared secret"),
    SettingHelp("TURN_TTL", "turn_ttl", "600", "seconds a TURN credential lasts (60-3600)"),
    SettingHelp("RING_TIMEOUT", "ring_timeout", "45", "seconds a call rings before it is missed"),
    SettingHelp("CALL_GRACE", "call_grace", "20", "seconds a lost call party may rejoin"),
    SettingHelp("PROCESS_TTL", "process_ttl", "15", "seconds without a heartbeat before a process is dead"),
    SettingHelp("AUTH_TIMEOUT", "auth_timeout", "10", "seconds a connection may stay without a namespace"),
    SettingHelp("MAX_SOCKETS_PER_SESSION", "max_sockets_per_session", "20", "sockets per login session, namespace and process"),
    SettingHelp("SESSION_RECHECK", "session_recheck", "60", "seconds between re-checks of live sockets' sessions"),
    SettingHelp("LOG_SUMMARY_PERIOD", "log_summary_period", "60", "seconds summed into one line of repeated incidents"),
    SettingHelp("COOKIE_SECURE", "cookie_secure", "off", "1/true: Secure session cookie, https push endpoints"),
    SettingHelp("SESSION_DAYS", "session_days", "30", "days a login session lasts (1-365)"),
    SettingHelp("LOG_LEVEL", "log_level", "INFO", "Python logging level"),
    SettingHelp("LOG_FORMAT", "log_format", "json", "json (one object per line) or text (for a terminal)"),
    SettingHelp("VAPID_SUBJECT", "vapid_subject", "mailto:asinan-hub@localhost", "Web Push contact (mailto: or https:)"),
    SettingHelp("COMMENT_BURST", "comment_burst", "10", "comments per person in a burst"),
    SettingHelp("COMMENT_PER_SECOND", "comment_per_second", "1.0", "comments per person per second after the burst"),
    SettingHelp("PASSWORD_WORKERS", "password_workers", "1", "threads hashing passwords (1-64)"),
    SettingHelp("SLA_AT_RISK_PERCENT", "sla_at_risk_percent", "75", "share of a service standard's working time after which a request is at risk (1-99)"),
    SettingHelp("METRICS_ALLOW", "metrics_allow", "127.0.0.0/8,::1", "addresses/CIDR blocks that may read GET /metrics"),
    SettingHelp("METRICS_TOKEN", "metrics_token", "none", "bearer token opening GET /metrics from anywhere (>= 16 chars)"),
    SettingHelp("OTP_SENDER", "accounts.otp_sender", "console", "console, whatsapp or sms: how one-time codes are sent"),
    SettingHelp("WHATSAPP_API_URL", "accounts.whatsapp_api_url", "https://graph.facebook.com", "WhatsApp Cloud API"),
    SettingHelp("WHATSAPP_API_VERSION", "accounts.whatsapp_api_version", "v21.0", "WhatsApp Cloud API version"),
    SettingHelp("WHATSAPP_PHONE_NUMBER_ID", "accounts.whatsapp_phone_number_id", "none", "sending number's id (whatsapp)"),
    SettingHelp("WHATSAPP_TOKEN", "accounts.whatsapp_token", "none", "access token (whatsapp)"),
    SettingHelp("WHATSAPP_TEMPLATE", "accounts.whatsapp_template", "asinan_otp", "authentication template name"),
    SettingHelp("WHATSAPP_TEMPLATE_LANGUAGE", "accounts.whatsapp_language", "id", "template language"),
    SettingHelp("SMS_GATEWAY_URL", "accounts.sms_gateway_url", "none", "SMS gateway endpoint (sms)"),
    SettingHelp("SMS_GATEWAY_TOKEN", "accounts.sms_gateway_token", "none", "SMS gateway token (sms)"),
    SettingHelp("SMS_GATEWAY_AUTH_HEADER", "accounts.sms_gateway_auth_header", "Authorization", "header carrying the token"),
    SettingHelp("SMS_GATEWAY_SENDER", "accounts.sms_gateway_sender", "none", "SMS sender id"),
    SettingHelp("OTP_SEND_TIMEOUT", "accounts.otp_send_timeout", "10", "seconds per code delivery request"),
    SettingHelp("OTP_SEND_ATTEMPTS", "accounts.otp_send_attempts", "3", "tries per code delivery (1-10)"),
    SettingHelp("OTP_SEND_BACKOFF", "accounts.otp_send_backoff", "0.5", "first wait between tries, doubling"),
    SettingHelp("NIK_ENCRYPTION_KEY", "accounts.nik_encryption_key", "from SECRET_KEY", "AES-256-GCM key of stored NIKs"),
    SettingHelp("NIK_HASH_KEY", "accounts.nik_hash_key", "from SECRET_KEY", "HMAC key of the NIK lookup hash"),
    SettingHelp("ACCESS_CODE_KEY", "accounts.access_code_key", "from SECRET_KEY", "AES-256-GCM key of access codes"),
)  # fmt: skip


def settings_epilog() -> str:
    """The settings section of ``asinan-hub serve --help``."""
    width = max(len(s.env) for s in SETTINGS)
    lines = ["settings (environment variables; README lists them in full):"]
    for s in SETTINGS:
        lines.append(f"  {s.env:<{width}}  {s.help} [default: {s.default}]")
    return "\n".join(lines)
