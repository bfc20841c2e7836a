"""Placing a call: an officer rings the applicant (invite); the callee answers (accept).

Exactly one call per ticket can ring or be live, and the first accept wins; the
database decides both races (UNIQUE ``live_*`` columns, conditional UPDATE).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub import policy
from hub.clock import iso
from hub.context import Context
from hub.errors import Conflict, Forbidden
from hub.models import Office, Ticket
from hub.principal import Principal
from hub.uow import Unit
from signaling import events, store
from signaling.binding import is_callee
from signaling.ending import log_call
from signaling.iceservers import ice_servers_for
from signaling.models import Call, CallOutcome, CallStatus, Media
from signaling.ringing import ring_elsewhere, ringing_view
from signaling.views import (
    Seen,
    callee_key_of,
    callee_room,
    emit_to,
    look,
    record_change,
    require_status,
)


def new_call_id() -> str:
    """22 URL-safe characters from 128 random bits: unguessable, so ids cannot be probed."""
    return secrets.token_urlsafe(16)


@dataclass(frozen=True)
class Placed:
    call: Call
    ice_servers: list[dict[str, object]]

    def ack(self) -> dict[str, Any]:
        c = self.call
        return {
            "call_id": c.id,
            "status": c.status.value,
            "outcome": c.outcome.value if c.outcome else None,
            "media": c.media.value,
            "ring_deadline": iso(c.ring_deadline),
            "ice_servers": self.ice_servers,
        }


@dataclass(frozen=True)
class InvitePlan:
    """What an invite needs to know before it writes (see :func:`plan_invite`)."""

    ticket: Ticket
    office: Office
    #: The callee was in another call when we looked: log ``busy`` without ringing.
    busy: bool
    #: The ticket's office and those above it (``ctx.offices``).
    offices: list[int]
    ice_servers: list[dict[str, object]]


def _refuse_if_taken(live: Sequence[Call], ticket_id: int, caller_id: int) -> None:
    if any(c.live_ticket_id == ticket_id for c in live):
        raise Conflict("ticket_has_call")
    if any(c.caller_id == caller_id and c.status in store.LIVE for c in live):
        raise Conflict("caller_in_call")


async def plan_invite(
    session: AsyncSession,
    ctx: Context,
    p: Principal,
    ticket_id: int,
    live_calls: bool = True,
) -> InvitePlan:
    """May ``p`` ring the ticket, is it (or ``p``) already in a call, is the callee busy.

    ``live_calls=False`` skips the last three questions: the INSERT answers them (it
    inserts nothing when any holds), and only then does :func:`invite` read which.
    """
    found = await store.ticket_and_office(session, ticket_id)
    policy.check_call(p, found[0] if found else None)
    assert found is not None and p.user_id is not None
    t, office = found
    key = callee_key_of(t)
    if live_calls:
        live = await store.live_calls_touching(session, t.id, p.user_id, key)
        _refuse_if_taken(live, t.id, p.user_id)
        if any(c.live_callee_key == key for c in live):
            return InvitePlan(t, office, True, [], [])
    servers = ice_servers_for(ctx.settings, p)
    return InvitePlan(t, office, False, await ctx.offices.above(session, t.office_id), servers)


async def invite(
    unit: Unit,
    p: Principal,
    sid: str,
    ticket_id: int,
    media: str,
    plan: InvitePlan | None = None,
) -> Placed:
    """An officer who may handle the ticket rings its applicant on every device.

    Exactly one call per ticket can ring or be live (a second invite is
    ``conflict``, also when two officers race); if the applicant is in another
    call the attempt is logged at once as ``busy``. ``sid`` becomes the caller's
    device for the relay. Writes one conditional INSERT (the UNIQUE ``live_*``
    columns decide a race); ``plan`` is :func:`plan_invite`'s, read beforehand.
    """
    session = unit.session
    if plan is None:
        # Most invites ring: try the INSERT first, read the live calls only if it refuses.
        plan = await plan_invite(session, unit.ctx, p, ticket_id, live_calls=False)
    t = plan.ticket
    assert p.user_id is not None
    key = callee_key_of(t)
    now = unit.ctx.clock.now()
    c = _new_call(p, sid, t, key, media, now, unit.ctx.settings.ring_timeout)
    if not plan.busy:
        if await store.insert_ringing(session, c):
            ring = ringing_view(c, t.number, plan.office)
            emit_to(unit, "ringing", ring, [callee_room(c)])
            ring_elsewhere(unit, c, ring)  # closed browsers: Web Push
            record_change(unit, c, plan.offices)
            return Placed(c, plan.ice_servers)
        # A live call holds the ticket, the caller or the callee (since we looked, if we did).
        live = await store.live_calls_touching(session, t.id, p.user_id, key)
        _refuse_if_taken(live, t.id, p.user_id)
        if not any(x.live_callee_key == key for x in live):
            raise Conflict("call_changed")  # … and ended again: let the officer retry
    c.status, c.outcome, c.ended_at = CallStatus.ended, CallOutcome.busy, now
    c.live_ticket_id = c.live_callee_key = None
    await store.insert_ended(session, c)
    await log_call(unit, c)
    return Placed(c, [])


def _new_call(
    p: Principal, sid: str, t: Ticket, key: str, media: str, now: datetime, ring: float
) -> Call:
    assert p.user_id is not None
    return Call(
        id=new_call_id(),
        ticket_id=t.id,
        office_id=t.office_id,
        caller_id=p.user_id,
        caller_name=p.name,
        caller_role=p.role.value,
        caller_sid=sid,
        callee_key=key,
        callee_user_id=t.applicant_id,
        answered_by_sid=None,
        media=Media(media),
        status=CallStatus.ringing,
        outcome=None,
        live_ticket_id=t.id,
        live_callee_key=key,
        awaiting_answer=False,
        caller_lost_at=None,
        callee_lost_at=None,
        created_at=now,
        ring_deadline=now + timedelta(seconds=ring),
        answered_at=None,
        ended_at=None,
    )


@dataclass(frozen=True)
class AcceptPlan:
    seen: Seen
    ice_servers: list[dict[str, object]]


async def plan_accept(
    session: AsyncSession, ctx: Context, p: Principal, call_id: str
) -> AcceptPlan:
    seen = await look(session, ctx, p, call_id)
    if not is_callee(p, seen.call):
        raise Forbidden("callee_answers_only")
    require_status(seen.call, CallStatus.ringing)
    return AcceptPlan(seen, ice_servers_for(ctx.settings, p))


async def accept(
    unit: Unit,
    p: Principal,
    sid: str,
    call_id: str,
    plan: AcceptPlan | None = None,
) -> Placed:
    """The callee answers on device ``sid``; the first accept wins, the other devices stop.

    Only while ringing and before the ring deadline; a second accept (another
    device, or racing a cancel) is ``conflict``.
    """
    session = unit.session
    now = unit.ctx.clock.now()
    answered = {"status": CallStatus.active, "answered_at": now, "answered_by_sid": sid}
    if plan is None:
        # The usual case in one statement: the UPDATE checks what the plan's read would
        # (``p`` is the callee, the call rings, before its deadline). Only when it
        # matches nothing does the plan read why, and raise as it always has.
        got = await store.answer(session, call_id, p.actor_key, answered, now)
        if got is not None:
            c, pending = got
            offices = await unit.ctx.offices.above(session, c.office_id)
            servers = ice_servers_for(unit.ctx.settings, p)
            return await _answered(unit, c, now, pending, offices, servers)
        plan = await plan_accept(session, unit.ctx, p, call_id)
    won = await store.change(
        session, plan.seen.call.id, CallStatus.ringing, answered, Call.ring_deadline > now
    )
    if won is None:
        raise Conflict("call_not_ringing")
    pending, offices = plan.seen.callback_pending, plan.seen.offices
    return await _answered(unit, won, now, pending, offices, plan.ice_servers)


async def _answered(
    unit: Unit,
    won: Call,
    now: datetime,
    callback_pending: bool,
    offices: list[int],
    ice_servers: list[dict[str, object]],
) -> Placed:
    """What follows the accept that won: the marker, the dashboards, both sides told."""
    if callback_pending:
        # The applicant has been reached: the officer's "call back" marker is done.
        await store.set_callback_pending(unit.session, won.ticket_id, False)
    record_change(unit, won, offices)
    # call set-up time, invite → accepted, on the app's clock (both ends stored by it)
    setup = max((now - won.created_at).total_seconds(), 0.0)
    unit.after_commit(lambda: unit.ctx.metrics.call_setup.observe(setup))
    emit_to(unit, "accepted", events.CallOnlyOut(call_id=won.id), [won.caller_sid])
    stop = events.RingStoppedOut(call_id=won.id, reason="answered")
    emit_to(unit, "ring_stopped", stop, [callee_room(won)])
    return Placed(won, ice_servers)
