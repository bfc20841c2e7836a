"""The closed set of error codes and the one typed hierarchy that carries them.

Every service raises one of these; transport turns them into a socket.io ack
``{"ok": false, "error": {"code", "reason", "message", ...}}`` or an HTTP JSON error, in one
place (:func:`error_body`, and the class's ``status`` for HTTP).

Like Matrix's ``errcode`` + ``error``: ``code`` is the closed set below (what a client
branches on), ``reason`` a stable slug naming the exact case (what the pages translate, from
their i18n tables), ``message`` a short English sentence for developers. The reasons are
stated once, in :data:`hub.error_reasons.REASONS` (code and English text); the parameters a
text needs (limits, fields) travel as details next to them. A raise site names its reason:
``raise NotFound("ticket_not_found")``; without one, the class's generic reason (its code).
``tests/hub/test_errors.py`` and ``tests/test_error_reasons.py`` keep the code, the
registry, the pages' words and ``docs/protocol.md`` saying the same.
"""

from __future__ import annotations

import math
import string
from typing import Any, ClassVar, Literal, get_args

from hub.error_reasons import REASONS

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


class _Keep(dict[str, Any]):
    """Values for a template: lists joined with commas (as the pages do); a placeholder
    without a value stays as written (``{seq}`` in a letter-number rule)."""

    def __init__(self, details: dict[str, Any]) -> None:
        super().__init__(
            (k, ", ".join(map(str, v)) if isinstance(v, list | tuple) else v)
            for k, v in details.items()
        )

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def english(reason: str, details: dict[str, Any]) -> str:
    """The English text of ``reason``, its ``{placeholders}`` filled from ``details``."""
    template = REASONS[reason][1] if reason in REASONS else reason.replace("_", " ")
    return string.Formatter().vformat(template, (), _Keep(details))


class HubError(Exception):
    """Base of every domain error. ``code`` is one of :data:`ERROR_CODES`; ``reason`` a key
    of :data:`~hub.error_reasons.REASONS`. ``message`` replaces the registry's English text
    where a developer needs the exact problem (a malformed SDP line): English only."""

    code: ClassVar[ErrorCode]
    status: ClassVar[int]
    reason_default: ClassVar[str | None] = None

    def __init__(
        self, reason: str | None = None, /, *, message: str | None = None, **details: Any
    ) -> None:
        reason = reason or details.pop("reason", None)  # given by name: the same thing
        self.reason = reason or self.reason_default or self.code
        self.details = details
        self.message = message or english(self.reason, details)
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "reason": self.reason, "message": self.message}
        body.update(self.details)
        return body


class Unauthenticated(HubError):
    code = "unauthenticated"
    status = 401


class Forbidden(HubError):
    code = "forbidden"
    status = 403


class NotFound(HubError):
    code = "not_found"
    status = 404


class Invalid(HubError):
    code = "invalid"
    status = 422


class UnsupportedMediaType(Invalid):
    """A body in another format than the endpoint reads (JSON endpoints: application/json)."""

    status = 415
    reason_default = "unsupported_media_type"


class TooLarge(HubError):
    code = "too_large"
    status = 413


class RateLimited(HubError):
    code = "rate_limited"
    status = 429

    def __init__(self, retry_after: float, reason: str | None = None) -> None:
        # whole seconds, rounded up, never 0: the same figure as the HTTP Retry-After
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(reason, retry_after=self.retry_after)


class Conflict(HubError):
    code = "conflict"
    status = 409


class InvalidTransition(HubError):
    code = "invalid_transition"
    status = 409


class Unavailable(HubError):
    code = "unavailable"
    status = 503


class ResyncRequired(HubError):
    code = "resync_required"
    status = 409


def error_body(exc: HubError) -> dict[str, Any]:
    """The one shape of a failure, for acks and HTTP bodies alike."""
    return {"ok": False, "error": exc.to_dict()}
