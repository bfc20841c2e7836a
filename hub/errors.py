"""The closed set of error codes and the one typed hierarchy that carries them.

Every service raises one of these; transport turns them into a socket.io ack
``{"ok": false, "error": {"code", "message", ...}}`` or an HTTP JSON error, in one
place (:func:`error_body`, and the class's ``status`` for HTTP).

The codes are stated once, in :data:`ErrorCode`; each class states its code, HTTP status
and default message once. ``tests/hub/test_errors.py`` checks that every code has its
class and that the table in ``docs/protocol.md`` says the same.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar, Literal, get_args

ErrorCode = Literal[
    "unauthenticated",
    "forbidden",
    "not_found",
    "invalid",
    "too_large",
    "rate_limited",
    "conflict",
    "invalid_transition",
    "unavailable",
    "resync_required",
]

#: Every code, in the order of :data:`ErrorCode` (and of the table in ``docs/protocol.md``).
ERROR_CODES: tuple[ErrorCode, ...] = get_args(ErrorCode)


class HubError(Exception):
    """Base of every domain error. ``code`` is one of :data:`ERROR_CODES`."""

    code: ClassVar[ErrorCode]
    status: ClassVar[int]
    default_message: ClassVar[str]

    def __init__(self, message: str | None = None, **details: Any) -> None:
        self.message = message or self.default_message
        self.details = details
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        body.update(self.details)
        return body


class Unauthenticated(HubError):
    code = "unauthenticated"
    status = 401
    default_message = "Silakan masuk terlebih dahulu / Please log in"


class Forbidden(HubError):
    code = "forbidden"
    status = 403
    default_message = "Anda tidak berwenang / Not allowed"


class NotFound(HubError):
    code = "not_found"
    status = 404
    default_message = "Tidak ditemukan / Not found"


class Invalid(HubError):
    code = "invalid"
    status = 422
    default_message = "Data tidak valid / Invalid input"


class UnsupportedMediaType(Invalid):
    """A body in another format than the endpoint reads (JSON endpoints: application/json)."""

    status = 415
    default_message = "Format isi harus application/json / Content-Type must be application/json"


class TooLarge(HubError):
    code = "too_large"
    status = 413
    default_message = "Data terlalu besar / Too large"


class RateLimited(HubError):
    code = "rate_limited"
    status = 429
    default_message = "Terlalu sering, coba lagi nanti / Too many requests"

    def __init__(self, retry_after: float, message: str | None = None) -> None:
        # whole seconds, rounded up, never 0: the same figure as the HTTP Retry-After
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(message, retry_after=self.retry_after)


class Conflict(HubError):
    code = "conflict"
    status = 409
    default_message = "Sudah diubah oleh orang lain / Changed by someone else"


class InvalidTransition(HubError):
    code = "invalid_transition"
    status = 409
    default_message = "Perubahan status tidak diizinkan / Transition not allowed"


class Unavailable(HubError):
    code = "unavailable"
    status = 503
    default_message = "Layanan sedang tidak tersedia / Service unavailable"


class ResyncRequired(HubError):
    code = "resync_required"
    status = 409
    default_message = "Muat ulang riwayat / Reload the history"


def error_body(exc: HubError) -> dict[str, Any]:
    """The one shape of a failure, for acks and HTTP bodies alike."""
    return {"ok": False, "error": exc.to_dict()}
