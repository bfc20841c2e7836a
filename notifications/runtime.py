"""The running parts of notifications in one app: live registries, pusher, minute ticker.

Built in :func:`notifications.handlers.install` and tied to the app's lifespan
(``hub.on_lifespan``): the ticker (escalation of service standards, Redis presence
refresh, a sweep of pushes a dead process left queued) runs between :meth:`Runtime.start` and
:meth:`Runtime.stop`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from typing import Any

from hub.context import Hub
from notifications import escalation, push, subscriptions
from notifications.escalation import Escalated
from notifications.watching import REFRESH, Live

logger = logging.getLogger("notifications.runtime")

TICK = 60.0


class Runtime:
    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.clock = hub.clock
        self.live = Live(hub.redis)
        self.keys = push.VapidKeys(hub.settings.data_dir / "vapid")
        self._tasks: set[asyncio.Task[Any]] = set()
        self._ticker: asyncio.Task[None] | None = None
        hub.use_live(self.live)

    async def start(self) -> None:
        """Start the ticker (idempotent)."""
        if self._ticker is None or self._ticker.done():
            self._ticker = asyncio.create_task(self._tick_forever(), name="notifications-ticker")

    async def stop(self) -> None:
        tasks = [t for t in (self._ticker, *self._tasks) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.live.clear()

    # --- pushes ---

    async def on_push(self, args: dict[str, Any]) -> None:
        """Control op: pushes were queued; try to claim and send them in the background."""
        ids = [int(i) for i in args.get("ids") or []]
        if ids:
            self._spawn(self.drain(ids))

    async def idle(self) -> None:
        """Wait until the pushes in flight are sent and recorded (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, ids: list[int]) -> int:
        """Send the pushes among ``ids`` this process claims; returns how many got through."""
        try:
            async with self.hub.unit() as unit:
                jobs = await subscriptions.claim_pushes(unit, ids)
            if not jobs:
                return 0
            vapid = await asyncio.to_thread(self.keys.vapid)
            sends = [(job, sub) for job in jobs for sub in job.subscriptions]
            outcomes = await asyncio.gather(
                *(
                    asyncio.to_thread(
                        push.send,
                        vapid,
                        self.hub.settings.vapid_subject,
                        sub.endpoint,
                        sub.p256dh,
                        sub.auth,
                        job.payload,
                    )
                    for job, sub in sends
                )
            )
            push.count(self.hub.metrics, "notification", outcomes)
            pushed: set[int] = set()
            ok_subs: list[int] = []
            gone_subs: list[int] = []
            for (job, sub), outcome in zip(sends, outcomes, strict=True):
                if outcome is push.Outcome.sent:
                    pushed.add(job.notification_id)
                    ok_subs.append(sub.id)
                elif outcome is push.Outcome.gone:
                    gone_subs.append(sub.id)
            async with self.hub.unit() as unit:
                await subscriptions.record_pushes(
                    unit, sorted(pushed), ok_subs, gone_subs, self.clock.now()
                )
            return len(pushed)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("push delivery failed")
            return 0

    # --- the minute ticker ---

    async def tick(self, now: datetime | None = None) -> Escalated:
        """One round: escalation of service standards, then pushes left pending."""
        now = now or self.clock.now()
        async with self.hub.unit() as unit:
            warned = await escalation.escalate(unit, now)
        async with self.hub.reader() as session:
            stale = await subscriptions.stale_pushes(session, now)
        if stale:
            await self.drain(stale)
        return warned

    async def _tick_forever(self) -> None:
        elapsed = 0.0
        while True:
            try:
                await self.clock.sleep(REFRESH)
                await self.live.refresh()
                elapsed += REFRESH
                if elapsed >= TICK:
                    elapsed = 0.0
                    await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("notifications ticker round failed")
