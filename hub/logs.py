"""Structured (JSON-lines) logs; personal data never reaches them.

Nothing in the hub logs NIK, phone, address, tokens or passwords; as a last
guard, digit runs that look like a NIK (16) or a phone number (10–15) are masked.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import sys
from collections import Counter

from hub.clock import Clock, SystemClock

_PII = re.compile(r"(?<!\d)(\+?\d{10,16})(?!\d)")


def scrub(text: str) -> str:
    return _PII.sub(lambda m: m.group(1)[:3] + "…", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "msg": scrub(record.getMessage()),
        }
        if record.exc_info:
            entry["exc"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(_not_per_connection)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


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
