"""The per-process sweeper: ends calls whose ring deadline or grace period has passed.

Every process runs one; they may find the same overdue call, and the
conditional UPDATE in :mod:`signaling.ending` lets exactly one of them end it.

A process killed outright runs no disconnect handler, so its sockets in calls are
never marked lost. The sweeper also asks :class:`hub.processes.Processes` which
processes stopped beating and handles their sockets as disconnected: a ringing
call they placed is cancelled, an active one gets the grace period and then ends
``failed`` — nobody stays "in a call" for a process that is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from hub.context import Hub
from hub.db import is_unavailable
from hub.processes import process_of
from signaling import liveness

logger = logging.getLogger("signaling.sweeper")


def tick_for(ring_timeout: float, grace: float) -> float:
    """Often enough to end a call within ~20% of its deadline; at most once per second."""
    return min(max(min(ring_timeout, grace) / 5, 0.05), 1.0)


class CallSweeper:
    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.tick = tick_for(hub.settings.ring_timeout, hub.settings.call_grace)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="call-sweeper")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self.sweep()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if is_unavailable(exc):
                    logger.warning("call sweep skipped: database unavailable (%r)", exc)
                else:
                    logger.exception("call sweep failed; retrying")
            await self.hub.clock.sleep(self.tick)

    async def sweep(self) -> int:
        """End every overdue call once; returns how many this process ended."""
        await self.release_dead_processes()
        grace = self.hub.settings.call_grace
        async with self.hub.reader() as session:
            ringing, lost = await liveness.overdue(session, self.hub.clock.now(), grace)
        ended = 0
        for call_id in ringing:
            async with self.hub.unit() as unit:
                ended += await liveness.expire_ringing(unit, call_id)
        for call_id in lost:
            async with self.hub.unit() as unit:
                ended += await liveness.fail_lost(unit, call_id, grace)
        return ended

    async def release_dead_processes(self) -> int:
        """Treat the call sockets of processes that stopped beating as disconnected."""
        async with self.hub.reader() as session:
            sids = await liveness.sockets_in_calls(session)
        owners = {sid: process_of(sid) for sid in sids}
        dead = await self.hub.processes.dead({p for p in owners.values() if p is not None})
        released = 0
        for sid, owner in owners.items():
            if owner in dead:
                logger.info("process %s is gone; releasing its call socket", owner)
                async with self.hub.unit() as unit:
                    await liveness.party_lost(unit, sid)
                released += 1
        return released
