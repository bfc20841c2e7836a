"""Structured (JSON-lines) logs; personal data never reaches them.

One JSON object per line: ``ts``, ``level``, ``logger``, ``msg``, then what is known of
the context — ``request_id`` (HTTP: the client's ``X-Request-ID`` or a new one),
``socket_id`` and ``user_id`` (socket.io events), bound in context variables by
:class:`RequestId` and the namespace base — then the ``extra={...}`` fields of the
call, kept as they were given. ``LOG_FORMAT=text`` writes the same as one readable
line instead (a person at a terminal).

Nothing in the hub logs NIK, phone, address, tokens or passwords; as a last guard,
an ``extra`` field named like personal data is replaced by ``"[redacted]"``, and digit
runs that look like a NIK (16) or a phone number (10–15, also written in groups) are
masked wherever they appear.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
import re
import secrets
import sys
from collections import Counter
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hub.clock import Clock, SystemClock

_PII = re.compile(
    r"(?<![\d\w])(\+?\d{10,16}|(?:\+62|62|0)[ .-]?\d{2,4}(?:[ .-]\d{2,5}){2,4})(?![\d\w])"
)
#: ``extra`` fields never written whatever their value (personal data, secrets).
_SECRET_FIELDS = re.compile(
    r"nik|phone|telepon|hp|address|alamat|password|secret|token|access_code|otp", re.IGNORECASE
)


def scrub(text: str) -> str:
    return _PII.sub(lambda m: m.group(1)[:3] + "…", text)


_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "asinan_request_id", default=None
)
_socket_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "asinan_socket_id", default=None
)
_user_id: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "asinan_user_id", default=None
)
_UNSET: Any = object()


def bind_log(
    *, request_id: str | None = _UNSET, socket_id: str | None = _UNSET, user_id: int | None = _UNSET
) -> None:
    """Have the log lines of the current task (and the tasks it starts) carry these ids."""
    if request_id is not _UNSET:
        _request_id.set(request_id)
    if socket_id is not _UNSET:
        _socket_id.set(socket_id)
    if user_id is not _UNSET:
        _user_id.set(user_id)


def log_context() -> dict[str, Any]:
    """The ids bound for the current task (those not known are left out)."""
    found = {
        "request_id": _request_id.get(),
        "socket_id": _socket_id.get(),
        "user_id": _user_id.get(),
    }
    return {k: v for k, v in found.items() if v is not None}


#: The attributes every LogRecord has: anything else on a record came from ``extra``.
_RECORD_FIELDS = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "taskName",
    "color_message",  # uvicorn's own copy of the message with terminal colours
}


def _clean(key: str, value: Any) -> Any:
    if _SECRET_FIELDS.search(key):
        return "[redacted]"
    if isinstance(value, str):
        return scrub(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return {str(k): _clean(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_clean(key, v) for v in value]
    return scrub(str(value))


def extras(record: logging.LogRecord) -> dict[str, Any]:
    """The ``extra={...}`` fields of a log call, cleaned of personal data."""
    return {
        k: _clean(k, v)
        for k, v in record.__dict__.items()
        if k not in _RECORD_FIELDS and not k.startswith("_")
    }


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "msg": scrub(record.getMessage()),
            **log_context(),
        }
        for key, value in extras(record).items():
            entry.setdefault(key, value)  # an extra never hides the line's own fields
        if record.exc_info:
            entry["exc"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``LOG_FORMAT=text``: ``time level logger: message key=value…`` for a terminal."""

    def format(self, record: logging.LogRecord) -> str:
        fields = {**log_context(), **extras(record)}
        tail = "".join(f" {k}={v}" for k, v in fields.items())
        line = f"{self.formatTime(record, '%H:%M:%S')} {record.levelname:<7} {record.name}: "
        line += scrub(record.getMessage()) + tail
        if record.exc_info:
            line += "\n" + scrub(self.formatException(record.exc_info))
        return line


def configure(level: str, fmt: str = "json") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(TextFormatter() if fmt == "text" else JsonFormatter())
    handler.addFilter(_not_per_connection)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


class RequestId:
    """ASGI middleware: each HTTP request gets an id, bound for its log lines and returned.

    The client's (or proxy's) ``X-Request-ID`` is kept when it is a plain token of up to
    64 characters; otherwise a new one is made. The response carries it back.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = given if _REQUEST_ID.fullmatch(given) else secrets.token_hex(8)
        token = _request_id.set(rid)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), (b"x-request-id", rid.encode())]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _request_id.reset(token)


#: uvicorn's (and its websockets library's) lines for every websocket; the first two
#: carry the query string, too. The hub counts connections instead (``Tally``).
_PER_CONNECTION = frozenset(
    {
        '%s - "WebSocket %s" [accepted]',
        '%s - "WebSocket %s" %d',
        "connection open",
        "connection closed",
        "connection rejected (%d %s)",
    }
)


def _not_per_connection(record: logging.LogRecord) -> bool:
    """A connection flood must not become a log flood: :class:`Tally` counts them instead."""
    return not (record.name == "uvicorn.error" and record.msg in _PER_CONNECTION)


class Tally:
    """Counts repeated incidents and writes one summary line per period instead of one each.

    ``add`` is cheap and synchronous (a flood of connections, every event refused
    while the database is down); between :meth:`start` and :meth:`stop` a task
    writes ``"<n> <what> in the last <period> s"`` every ``period`` seconds for each
    incident seen meanwhile, at the level it was added with. ``stop`` writes what
    is left.
    """

    def __init__(self, logger: logging.Logger, period: float, clock: Clock | None = None) -> None:
        self._logger = logger
        self.period = period
        self._clock = clock or SystemClock()
        self._counts: Counter[tuple[int, str]] = Counter()
        self._task: asyncio.Task[None] | None = None

    def add(self, what: str, level: int = logging.INFO, n: int = 1) -> None:
        self._counts[(level, what)] += n

    def flush(self) -> None:
        counts, self._counts = self._counts, Counter()
        for (level, what), n in sorted(counts.items()):
            self._logger.log(level, "%d %s in the last %g s", n, what, self.period)

    async def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="log-tally")

    async def _run(self) -> None:
        while True:
            await self._clock.sleep(self.period)
            self.flush()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self.flush()
