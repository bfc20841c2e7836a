"""Web Push for a ringing call: a citizen with no page of the hub open is rung too.

Signaling tells every process that a call rings (the control op
:data:`signaling.ringing.RINGING_OP`, after commit). The process that claims the call
(a Redis ``SET NX``; without Redis there is one process) pushes it to the callee's
subscriptions unless the callee has an open inbox socket (a page of the hub open:
it rings there) or turned call pushes off (``push_opt_out`` ``missed_call`` covers
incoming and missed calls). The push lives only as long as the ring
(TTL = the seconds left until the ring deadline) and is sent with ``Urgency: high``;
its ``tag`` is per call, so duplicates replace each other. The service worker opens
the ticket page, where the hub replays the ringing call to the new socket.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime
from typing import Any

from pywebpush import WebPushException, webpush

from notifications import push, store
from notifications.runtime import Runtime

logger = logging.getLogger("notifications.ringpush")

#: Below this many seconds of ring left, a push would arrive too late to answer.
MIN_RING_LEFT = 3
#: How long a process's claim on a call's push is kept (longer than any ring).
CLAIM_TTL = 300


def ring_payload(ringing: dict[str, Any]) -> dict[str, Any]:
    """What the push carries: who calls about which ticket, and where to answer. No PII."""
    caller = ringing.get("caller") or {}
    ticket = ringing.get("ticket") or {}
    media = "Panggilan video" if ringing.get("media") == "video" else "Panggilan suara"
    who = " · ".join(str(x) for x in (caller.get("name"), caller.get("office_name")) if x)
    return {
        "title": f"{media} masuk",
        "body": f"{who} — {ticket.get('number', '')}".strip(" —"),
        "url": f"/tickets/{ticket.get('id')}",
        "tag": f"call-{ringing.get('call_id')}",
        "ticket_number": ticket.get("number"),
        "kind": "incoming_call",
        "call_id": ringing.get("call_id"),
        "ring_deadline": ringing.get("ring_deadline"),
    }


def seconds_left(ring_deadline: str | None, now: datetime) -> int:
    if not ring_deadline:
        return 0
    deadline = datetime.fromisoformat(ring_deadline.replace("Z", "+00:00"))
    return int((deadline - now).total_seconds())


def send_ring(
    vapid: Any,
    subject: str,
    endpoint: str,
    p256dh: str,
    auth: str,
    payload: dict[str, Any],
    ttl: int,
) -> push.Outcome:
    """Encrypt and post one ring push (blocking, like :func:`notifications.push.send`)."""
    try:
        webpush(
            subscription_info={"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
            data=json.dumps(payload, ensure_ascii=False),
            vapid_private_key=vapid,
            vapid_claims={"sub": subject},
            content_encoding="aes128gcm",
            ttl=ttl,
            headers={"Urgency": "high"},
            timeout=push.SEND_TIMEOUT,
        )
    except WebPushException as exc:
        if exc.status_code in (404, 410):
            return push.Outcome.gone
        logger.warning("ring push refused (%s)", exc.status_code)
        return push.Outcome.failed
    except Exception as exc:
        logger.warning("ring push failed: %s", type(exc).__name__)
        return push.Outcome.failed
    return push.Outcome.sent


class RingPusher:
    """Handles :data:`~signaling.ringing.RINGING_OP` on every process; one sends."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.tasks: set[asyncio.Task[Any]] = set()

    async def on_ringing(self, args: dict[str, Any]) -> None:
        """Control op: send in the background (the control bus never waits on push services)."""
        task = asyncio.create_task(self.ring(args))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def idle(self) -> None:
        """Wait until the ring pushes in flight are done (tests)."""
        while self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)

    async def stop(self) -> None:
        """Cancel the ring pushes in flight (shutdown)."""
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)

    async def _claim(self, call_id: str) -> bool:
        redis = self.runtime.hub.redis
        if redis is None:
            return True
        try:
            return bool(await redis.set(f"asinan:ringpush:{call_id}", "1", nx=True, ex=CLAIM_TTL))
        except Exception:
            return True  # Redis away: this process sends (a duplicate replaces, same tag)

    async def ring(self, args: dict[str, Any]) -> int:
        """Push the ringing call to the callee's devices; returns how many took it."""
        try:
            user_id = int(args["callee_user_id"])
            ringing: dict[str, Any] = dict(args["ringing"])
            ttl = seconds_left(ringing.get("ring_deadline"), self.runtime.hub.clock.now())
            if ttl < MIN_RING_LEFT or not await self._claim(str(ringing.get("call_id"))):
                return 0
            if user_id in await self.runtime.live.online_of([user_id]):
                return 0  # a page of the hub is open: it rings there
            hub = self.runtime.hub
            async with hub.reader() as session:
                subs = await store.subscriptions_of(session, [user_id])
                # no subscription (most callees): nothing to push, the preference unread
                prefs = await store.prefs(session, user_id) if subs else None
            if not subs or (prefs is not None and "missed_call" in (prefs.push_opt_out or [])):
                return 0
            vapid = await asyncio.to_thread(self.runtime.keys.vapid)
            payload = ring_payload(ringing)
            subject = hub.settings.vapid_subject
            outcomes = await asyncio.gather(
                *(
                    asyncio.to_thread(
                        send_ring, vapid, subject, s.endpoint, s.p256dh, s.auth, payload, ttl
                    )
                    for s in subs
                )
            )
            push.count(hub.metrics, "ring", outcomes)
            ok = [s.id for s, o in zip(subs, outcomes, strict=True) if o is push.Outcome.sent]
            gone = [s.id for s, o in zip(subs, outcomes, strict=True) if o is push.Outcome.gone]
            async with hub.unit() as unit:
                await store.touch_subscriptions(unit.session, ok, unit.ctx.clock.now())
                await store.delete_subscriptions(unit.session, gone)
            return len(ok)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("ring push failed")
            return 0
