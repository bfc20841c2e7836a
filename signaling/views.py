"""Calls as the parties and supervisors see them, and the reads every step starts with.

A call one is not a party of is ``not_found``, the same as a missing one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub import policy
from hub.clock import iso
from hub.context import Context
from hub.errors import Conflict, NotFound
from hub.models import Office, Role, Ticket
from hub.principal import Principal
from hub.ratelimit import RateLimiter
from hub.schemas import Payload
from hub.settings import Settings
from hub.tickets.views import find_ticket
from hub.uow import Unit
from signaling import store
from signaling.binding import is_callee, is_caller
from signaling.events import CALLS_NS
from signaling.facts import CallChanged
from signaling.iceservers import refreshed_ice_servers
from signaling.models import Call, CallStatus


def callee_key_of(t: Ticket) -> str:
    """The applicant of a ticket: a citizen account, or the walk-in receipt holder."""
    return f"u:{t.applicant_id}" if t.applicant_id is not None else f"w:{t.id}"


def callee_room(c: Call) -> str:
    """Every device of the callee (matches :attr:`Principal.personal_room`)."""
    kind, _, key = c.callee_key.partition(":")
    return f"user:{key}" if kind == "u" else f"walkin:{key}"


def duration_of(c: Call) -> float:
    if c.answered_at is None or c.ended_at is None:
        return 0.0
    return round(max((c.ended_at - c.answered_at).total_seconds(), 0.0), 3)


def call_view(c: Call) -> dict[str, Any]:
    """A call as the history shows it."""
    return {
        "call_id": c.id,
        "ticket_id": c.ticket_id,
        "office_id": c.office_id,
        "caller": {"id": c.caller_id, "name": c.caller_name},
        "media": c.media.value,
        "status": c.status.value,
        "outcome": c.outcome.value if c.outcome else None,
        "created_at": iso(c.created_at),
        "answered_at": iso(c.answered_at) if c.answered_at else None,
        "ended_at": iso(c.ended_at) if c.ended_at else None,
        "duration_s": duration_of(c),
    }


def emit_to(unit: Unit, event: str, body: Payload, rooms: Sequence[str | None]) -> None:
    """Queue a ``/calls`` event for ``rooms`` (sockets or personal rooms; None skipped)."""
    targets = [r for r in rooms if r]
    if targets:
        unit.emit(event, body, targets, CALLS_NS)


def record_change(unit: Unit, c: Call, offices: Sequence[int] | None) -> None:
    """Record the change for the dashboards, with the office chain read before the
    transaction (None: their projection looks it up)."""
    unit.record(CallChanged(c, None if offices is None else tuple(offices)))


@dataclass(frozen=True)
class Seen:
    """A call as it was read before the write transaction, and what the write needs.

    Who the parties are never changes; status and sockets may have changed
    since, which every write re-checks in its WHERE clause.
    """

    call: Call
    #: The call's office and those above it, whose dashboards see it (``ctx.offices``).
    offices: list[int]
    #: The ticket's "call back" marker (only a missed call of this ticket sets it).
    callback_pending: bool


async def party_call(session: AsyncSession, p: Principal, call_id: str) -> Call:
    """The call if ``p`` is its caller or callee; ``not_found`` alike for missing and foreign."""
    c = await store.call(session, call_id)
    if c is None or not (is_caller(p, c) or is_callee(p, c)):
        raise NotFound("call_not_found")
    return c


async def look(session: AsyncSession, ctx: Context, p: Principal, call_id: str) -> Seen:
    """:func:`party_call`, with the offices above the call's and the ticket's callback marker."""
    found = await store.call_with_ticket(session, call_id)
    if found is None or not (is_caller(p, found[0]) or is_callee(p, found[0])):
        raise NotFound("call_not_found")
    c, pending = found
    return Seen(c, await ctx.offices.above(session, c.office_id), pending)


def require_status(c: Call, *allowed: CallStatus) -> None:
    if c.status not in allowed:
        raise Conflict(
            "call_state_wrong",
            status=c.status.value,
        )


async def ice_servers(
    session: AsyncSession, limiter: RateLimiter, settings: Settings, p: Principal, call_id: str
) -> list[dict[str, object]]:
    """Fresh ICE servers for a party of a ringing or active call: a refresh, which
    spends a token of ``p``'s TURN rate limit (see :mod:`signaling.iceservers`)."""
    c = await party_call(session, p, call_id)
    require_status(c, CallStatus.ringing, CallStatus.active)
    return await refreshed_ice_servers(limiter, settings, p)


async def history(
    session: AsyncSession,
    p: Principal,
    office_id: int | None,
    ticket_id: int | None,
    limit: int,
) -> list[dict[str, Any]]:
    """Calls newest first, for supervisors of the office (of the ticket, if one is given)."""
    office_ids: list[int] | None
    if ticket_id is not None:
        t = await find_ticket(session, ticket_id)
        if t is None:
            raise NotFound("ticket_not_found")
        policy.check_supervise(p, t.office_id)
        office_ids = None
    elif office_id is not None:
        if await session.get(Office, office_id) is None:  # for everyone, like /queues watch
            raise NotFound("office_not_found")
        policy.check_supervise(p, office_id)
        office_ids = [office_id]
    else:
        if p.role not in (Role.supervisor, Role.admin):
            policy.check_supervise(p, -1)
        office_ids = None if p.role is Role.admin else sorted(p.office_scope)
    rows = await store.history(session, office_ids, ticket_id, limit)
    return [call_view(c) for c in rows]
