"""Liveness: a party's socket lost and back (the grace period), and the sweeper's work
(calls past their ring deadline or grace; :mod:`signaling.sweeper` runs it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession

from hub.context import Context
from hub.errors import Conflict
from hub.principal import Principal
from hub.uow import Unit
from signaling import binding, events, store
from signaling.ending import finish
from signaling.models import Call, CallOutcome, CallStatus
from signaling.views import Seen, emit_to, look, require_status


async def calls_of_sid(session: AsyncSession, ctx: Context, sid: str) -> list[Seen]:
    """The live calls socket ``sid`` is a party's device in (read before :func:`party_lost`)."""
    return [
        Seen(c, await ctx.offices.above(session, c.office_id), False)
        for c in await store.calls_of_sid(session, sid)
    ]


async def party_lost(unit: Unit, sid: str, seen: Sequence[Seen] | None = None) -> None:
    """Socket ``sid`` disconnected: a ringing caller cancels; in an active call the
    party gets the grace period (``call_grace``) to ``rejoin`` before the call fails.
    Idempotent, and a no-op for a socket a ``rejoin`` has already replaced.

    ``seen`` is :func:`calls_of_sid` read beforehand; a call that changed since is
    read again here and decided as it is now.
    """
    if seen is None:
        seen = await calls_of_sid(unit.session, unit.ctx, sid)
    now = unit.ctx.clock.now()
    for s in seen:
        if not await _lose(unit, sid, s.call, now, s.offices):
            fresh = await store.call(unit.session, s.call.id)
            if fresh is not None and fresh.status in store.LIVE:
                await _lose(unit, sid, fresh, now, None)


async def _lose(
    unit: Unit, sid: str, c: Call, now: datetime, offices: Sequence[int] | None
) -> bool:
    """Handle the loss of ``sid`` in ``c``; False if ``c`` is no longer as it was read."""
    if c.status is CallStatus.ringing and c.caller_sid == sid:
        try:
            await finish(
                unit, c, CallStatus.ringing, CallOutcome.cancelled, Call.caller_sid == sid,
                offices=offices,
            )  # fmt: skip
        except Conflict:
            return False
        return True
    if c.status is not CallStatus.active:
        return True
    caller_side = c.caller_sid == sid
    column = Call.caller_sid if caller_side else Call.answered_by_sid
    lost = "caller_lost_at" if caller_side else "callee_lost_at"
    changed = await store.change(unit.session, c.id, CallStatus.active, {lost: now}, column == sid)
    if changed is None:
        return False
    out = events.PeerOut(call_id=c.id, party="caller" if caller_side else "callee")
    other = changed.answered_by_sid if caller_side else changed.caller_sid
    emit_to(unit, "peer_lost", out, [other])
    return True


async def rejoin(
    unit: Unit, p: Principal, sid: str, call_id: str, grace: float, seen: Seen | None = None
) -> dict[str, Any]:
    """A lost party of an active call continues on socket ``sid`` (after a reconnect).

    Only while the party is lost, within ``grace`` seconds of the loss (see
    :func:`signaling.binding.check_can_rejoin`): ``forbidden`` while its device is
    still connected; ``conflict`` once the call ended or the grace ran out. The
    other party is told (``peer_rejoined``); the caller then sends a new offer with
    an ICE restart, relayed as usual. A repeat from the socket that already is the
    party's device is acknowledged and changes nothing.
    """
    seen = seen or await look(unit.session, unit.ctx, p, call_id)
    c = seen.call
    require_status(c, CallStatus.active)
    party = binding.party_of(p, c)
    ack = {"call_id": c.id, "party": party, "media": c.media.value}
    if not binding.check_can_rejoin(party, sid, c):
        return ack
    in_time = binding.lost_since(party, unit.ctx.clock.now() - timedelta(seconds=grace))
    moved = await store.change(
        unit.session, c.id, CallStatus.active, binding.moved_to(party, sid), in_time
    )
    if moved is None:  # the grace ran out, the call ended, or another socket rejoined first
        raise Conflict("call_changed")
    other = moved.answered_by_sid if party == "caller" else moved.caller_sid
    emit_to(unit, "peer_rejoined", events.PeerOut(call_id=c.id, party=party), [other])
    return ack


async def overdue(
    session: AsyncSession, now: datetime, grace: float
) -> tuple[list[str], list[str]]:
    """Ids of ringing calls past their deadline at ``now`` and of active calls past the
    grace period."""
    ringing = await store.overdue_ringing(session, now)
    lost = await store.lost_past_grace(session, now - timedelta(seconds=grace))
    return ringing, lost


async def sockets_in_calls(session: AsyncSession) -> list[str]:
    """Socket ids of live calls' parties that are not marked lost yet (see ``party_lost``)."""
    return await store.unlost_sids(session)


async def expire_ringing(unit: Unit, call_id: str) -> bool:
    """An unanswered call whose ring deadline passed becomes ``missed``: logged, the
    ticket marked "call back", the callee notified. False if it was decided otherwise."""
    c = await store.call(unit.session, call_id)
    now = unit.ctx.clock.now()
    if c is None or c.status is not CallStatus.ringing or c.ring_deadline > now:
        return False
    try:
        await finish(unit, c, CallStatus.ringing, CallOutcome.missed, Call.ring_deadline <= now)
    except Conflict:
        return False
    return True


async def fail_lost(unit: Unit, call_id: str, grace: float) -> bool:
    """An active call whose party did not come back within ``grace`` seconds ends ``failed``."""
    c = await store.call(unit.session, call_id)
    if c is None or c.status is not CallStatus.active:
        return False
    cutoff = unit.ctx.clock.now() - timedelta(seconds=grace)
    still_lost = or_(Call.caller_lost_at <= cutoff, Call.callee_lost_at <= cutoff)
    try:
        await finish(unit, c, CallStatus.active, CallOutcome.failed, still_lost)
    except Conflict:
        return False
    return True
