"""Live sockets follow their sessions: a revoked one loses its sockets even if nobody said so.

A logout closes its sockets through a control message (``disconnect_session``),
at once on the process that made it and, through Redis, on the others. A message
can be lost (Redis was down), and some changes send none at all (an account
deactivated, every session of a user revoked by hand in the database). So each
process also re-reads the sessions of its own live sockets — in one batched query
(:func:`hub.auth.resolve_principals`) — whenever it re-subscribes to Redis and
every ``SESSION_RECHECK`` seconds, and closes the sockets of every session that is
no longer valid (revoked, expired, its user deactivated or gone).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from hub.auth import resolve_principals
from hub.context import Hub
from hub.db import is_unavailable
from hub.realtime.namespace import disconnect_session
from hub.realtime.server import HubServer

logger = logging.getLogger("hub.sessions")

#: Session ids resolved per query.
CHUNK = 500
PREFIX = "session:"  # hub.realtime.namespace.session_room


class SessionRecheck:
    """Re-validates the sessions behind this process's live sockets; owned by the lifespan."""

    def __init__(self, hub: Hub, sio: HubServer, period: float) -> None:
        self.hub = hub
        self.sio = sio
        self.period = period
        self._task: asyncio.Task[None] | None = None

    def live_sessions(self) -> set[str]:
        """Ids of the sessions that hold a socket on this process (any namespace)."""
        found: set[str] = set()
        for rooms in list(self.sio.manager.rooms.values()):
            for room in list(rooms):
                if isinstance(room, str) and room.startswith(PREFIX):
                    found.add(room[len(PREFIX) :])
        return found

    async def run_once(self) -> int:
        """Close the sockets of every live session no longer valid; returns how many sessions."""
        live = sorted(self.live_sessions())
        gone: list[str] = []
        for start in range(0, len(live), CHUNK):
            chunk = live[start : start + CHUNK]
            async with self.hub.reader() as session:
                valid = await resolve_principals(session, chunk, self.hub.clock.now())
            gone.extend(sid for sid in chunk if sid not in valid)
        for session_id in gone:
            await disconnect_session(self.sio, session_id)
        if gone:
            logger.info("closed the sockets of %d revoked or expired sessions", len(gone))
        return len(gone)

    async def on_resubscribed(self, args: dict[str, Any]) -> None:
        """Control op (local): Redis is back; messages missed meanwhile may have been logouts."""
        del args
        await self._run_logged()

    async def _run_logged(self) -> None:
        try:
            await self.run_once()
        except Exception as exc:
            if is_unavailable(exc):
                logger.warning("session re-check skipped: database unavailable (%r)", exc)
            else:
                logger.exception("session re-check failed")

    async def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="session-recheck")

    async def _run(self) -> None:
        while True:
            await self.hub.clock.sleep(self.period)
            await self._run_logged()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
