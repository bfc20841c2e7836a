"""Ending a call: declined, cancelled, hung up, missed or failed — logged on the
ticket's timeline, both sides told, a missed call recorded for the callee's inbox."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement

from hub.clock import iso
from hub.errors import Conflict, Forbidden
from hub.models import Role
from hub.principal import Principal
from hub.timeline import append_event
from hub.uow import Unit
from signaling import binding, events, store
from signaling.binding import is_callee, is_caller
from signaling.facts import CallMissed
from signaling.models import Call, CallOutcome, CallStatus
from signaling.views import (
    Seen,
    call_view,
    callee_room,
    duration_of,
    emit_to,
    look,
    record_change,
    require_status,
)

_STOP_REASON = {
    CallOutcome.declined: "declined",
    CallOutcome.cancelled: "cancelled",
    CallOutcome.missed: "timeout",
    CallOutcome.failed: "failed",
    CallOutcome.completed: "cancelled",
}


async def decline(unit: Unit, p: Principal, call_id: str, seen: Seen | None = None) -> Call:
    """The callee refuses a ringing call (any of their devices)."""
    seen = seen or await look(unit.session, unit.ctx, p, call_id)
    c = seen.call
    if not is_callee(p, c):
        raise Forbidden("callee_declines_only")
    require_status(c, CallStatus.ringing)
    done = await finish(unit, c, CallStatus.ringing, CallOutcome.declined, offices=seen.offices)
    emit_to(unit, "declined", events.CallOnlyOut(call_id=done.id), [done.caller_sid])
    return done


async def cancel(
    unit: Unit, p: Principal, sid: str, call_id: str, seen: Seen | None = None
) -> Call:
    """The caller gives up before the callee answers, from the inviting socket ``sid``."""
    seen = seen or await look(unit.session, unit.ctx, p, call_id)
    c = seen.call
    if not is_caller(p, c):
        raise Forbidden("caller_cancels_only")
    binding.device_party(p, sid, c)
    require_status(c, CallStatus.ringing)
    stop, mine = CallOutcome.cancelled, binding.device_is("caller", sid)
    return await finish(unit, c, CallStatus.ringing, stop, mine, offices=seen.offices)


async def hangup(
    unit: Unit, p: Principal, sid: str, call_id: str, seen: Seen | None = None
) -> Call:
    """Either party's device ``sid`` ends the call; while ringing this is the caller's
    cancel or the callee's decline (from any of the callee's devices)."""
    seen = seen or await look(unit.session, unit.ctx, p, call_id)
    c = seen.call
    if c.status is CallStatus.ringing and is_caller(p, c):
        return await cancel(unit, p, sid, call_id, seen)
    if c.status is CallStatus.ringing:
        return await decline(unit, p, call_id, seen)
    party = binding.device_party(p, sid, c)
    require_status(c, CallStatus.active)
    done, mine = CallOutcome.completed, binding.device_is(party, sid)
    return await finish(unit, c, CallStatus.active, done, mine, offices=seen.offices)


async def finish(
    unit: Unit,
    c: Call,
    when: CallStatus,
    outcome: CallOutcome,
    *also: ColumnElement[bool],
    offices: Sequence[int] | None = None,
) -> Call:
    """End ``c`` if it is still in ``when``: free the ticket and callee, log, tell both sides."""
    session = unit.session
    done = await store.change(
        session,
        c.id,
        when,
        {
            "status": CallStatus.ended,
            "outcome": outcome,
            "ended_at": unit.ctx.clock.now(),
            "live_ticket_id": None,
            "live_callee_key": None,
        },
        *also,
    )
    if done is None:
        raise Conflict("call_changed")
    await log_call(unit, done)
    record_change(unit, done, offices)
    ended = events.EndedOut(call_id=done.id, outcome=outcome.value, duration=duration_of(done))
    if when is CallStatus.active:
        emit_to(unit, "ended", ended, [done.caller_sid, done.answered_by_sid])
    else:
        emit_to(unit, "ended", ended, [done.caller_sid])
        stop = events.RingStoppedOut(call_id=done.id, reason=_STOP_REASON[outcome])
        emit_to(unit, "ring_stopped", stop, [callee_room(done)])
    if outcome is CallOutcome.missed:
        await store.set_callback_pending(session, done.ticket_id, True)
        await on_missed_call(unit, done)
    return done


async def log_call(unit: Unit, c: Call) -> None:
    """The call log entry on the ticket's timeline; the caller is its actor.

    Every ended call passes here (finished, or logged ``busy`` without ringing): the one
    place it is counted by outcome (``asinan_calls_total``), once the log is committed.
    """
    calls = unit.ctx.metrics.calls.labels(str(c.outcome.value if c.outcome else "unknown"))
    unit.after_commit(calls.inc)
    caller = Principal(
        session_id="", user_id=c.caller_id, role=Role(c.caller_role), name=c.caller_name
    )
    payload = call_view(c)
    payload["started_at"] = payload.pop("created_at")
    for key in ("status", "ticket_id", "office_id"):
        payload.pop(key)
    await append_event(unit, c.ticket_id, "call", caller, payload)


async def on_missed_call(unit: Unit, c: Call) -> None:
    """Tell the callee about a call they missed (in the transaction that marks it missed).

    Records it (notifications write an inbox item, and a Web Push to closed browsers,
    see :mod:`notifications.projections`), then emits ``missed_call`` to every device
    of the callee.
    """
    unit.record(CallMissed(c))
    session = unit.session
    t = await store.ticket(session, c.ticket_id)
    office = await store.office(session, c.office_id)
    assert t is not None and office is not None
    missed = events.MissedCallOut(
        call_id=c.id,
        ticket=events.TicketRef(id=t.id, number=t.number),
        caller=events.CallerRef(
            id=c.caller_id, name=c.caller_name, office_id=office.id, office_name=office.name
        ),
        media=c.media.value,
        at=iso(c.ended_at or unit.ctx.clock.now()),
    )
    emit_to(unit, "missed_call", missed, [callee_room(c)])
