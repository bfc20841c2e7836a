"""What one may see of tickets: a ticket, a page of tickets, its timeline.

A ticket one may not see is ``not_found``, the same as a missing one
(:func:`hub.policy.check_view_ticket`); the applicant's phone is masked for all but
the applicant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub import policy
from hub.auth import mask_phone
from hub.clock import iso
from hub.errors import NotFound
from hub.models import Role, ServiceType, Ticket, TicketEvent
from hub.principal import Principal
from hub.tickets import store
from hub.tickets.desks import holder_view
from hub.tickets.lifecycle import allowed_actions
from hub.timeline import event_view, events_between
from hub.visibility import covered_through

TicketFilter = store.TicketFilter


def ticket_view(t: Ticket, service: ServiceType, viewer: Principal) -> dict[str, Any]:
    """What a viewer sees of a ticket; the phone is masked for all but the applicant."""
    own = viewer.user_id is not None and viewer.user_id == t.applicant_id
    own = own or viewer.ticket_id == t.id
    return {
        "id": t.id,
        "number": t.number,
        "queue": t.queue_label,
        "queue_day": t.queue_day.isoformat(),
        "office_id": t.office_id,
        "service": {"code": service.code, "name": service.name, "name_en": service.name_en},
        "channel": t.channel.value,
        "status": t.status.value,
        "risk": t.risk.value,
        "applicant_name": t.applicant_name,
        "applicant_phone": t.applicant_phone if own else mask_phone(t.applicant_phone),
        # the applicant sees the desk that holds the request, not which colleague
        "assignee_id": t.assignee_id if policy.can_see_internal(viewer, t) else None,
        "assigned_role": t.assigned_role.value if t.assigned_role else None,
        "version": t.version,
        "last_seq": t.last_seq,
        "callback_pending": t.callback_pending,
        "reject_reason": t.reject_reason,
        "created_at": iso(t.created_at),
        "updated_at": iso(t.updated_at),
        "due_at": iso(t.due_at),
        "at_risk_at": iso(t.at_risk_at or t.due_at),
        "actions": allowed_actions(t.status, viewer.role) if viewer.is_officer else [],
    }


def summary_view(t: Ticket, service: ServiceType) -> dict[str, Any]:
    """Queue metadata for office rooms: no comment text, NIK or phone."""
    return {
        "id": t.id,
        "number": t.number,
        "queue": t.queue_label,
        "office_id": t.office_id,
        "service": service.code,
        "channel": t.channel.value,
        "status": t.status.value,
        "assignee_id": t.assignee_id,
        "assigned_role": t.assigned_role.value if t.assigned_role else None,
        "version": t.version,
        "created_at": iso(t.created_at),
        "updated_at": iso(t.updated_at),
    }


async def service_of(session: AsyncSession, t: Ticket) -> ServiceType:
    service = await session.get(ServiceType, t.service_type_id)
    assert service is not None
    return service


async def find_ticket(session: AsyncSession, ticket_id: int) -> Ticket | None:
    """The ticket, unchecked: for re-checking others' access, never to answer a client."""
    return await store.ticket(session, ticket_id)


async def visible_ticket(session: AsyncSession, p: Principal, ticket_id: int) -> Ticket:
    """The ticket if ``p`` may see it; ``not_found`` alike for missing and foreign tickets."""
    t = await store.ticket(session, ticket_id)
    policy.check_view_ticket(p, t)
    assert t is not None
    return t


async def view(session: AsyncSession, p: Principal, t: Ticket) -> dict[str, Any]:
    """A ticket with who holds it now (:func:`hub.tickets.desks.holder_view`)."""
    out = ticket_view(t, await service_of(session, t), p)
    out["holder"] = await holder_view(session, t, policy.can_see_internal(p, t))
    return out


async def receipt_ticket(session: AsyncSession, ticket_id: int) -> Ticket:
    """The ticket behind a receipt whose access code was checked by the caller
    (:func:`hub.logins.check_receipt_code`); ``not_found`` if it is gone.
    """
    t = await store.ticket(session, ticket_id)
    if t is None:
        raise NotFound("receipt_not_found")
    return t


async def list_for(
    session: AsyncSession, p: Principal, f: store.TicketFilter, before_id: int | None, limit: int
) -> tuple[list[dict[str, Any]], int | None]:
    """Tickets ``p`` may see, newest first, and the cursor of the next page (or None)."""
    # Every filter narrows what one may see; none is ignored for any role.
    if p.is_walk_in:
        f = store.TicketFilter(**{**f.__dict__, "ticket_id": p.ticket_id})
    elif p.role is Role.citizen:
        f = store.TicketFilter(**{**f.__dict__, "applicant_id": p.user_id})
    else:
        scope = p.office_scope
        if f.office_ids is not None:
            scope = frozenset(f.office_ids & scope)
        f = store.TicketFilter(**{**f.__dict__, "office_ids": scope})
    rows = await store.list_tickets(session, f, before_id, limit + 1)
    services = await store.service_types(session)
    items = [ticket_view(t, services[t.service_type_id], p) for t in rows[:limit]]
    return items, (rows[limit - 1].id if len(rows) > limit else None)


@dataclass(frozen=True)
class TimelinePage:
    """Events after a seq as the asker may see them (``full``: as the office's officers),
    covering every seq up to ``through_seq`` (:mod:`hub.visibility`)."""

    events: list[TicketEvent]
    full: bool
    through_seq: int

    def views(self) -> list[dict[str, Any]]:
        return [event_view(e, full=self.full) for e in self.events]


async def timeline(
    session: AsyncSession, p: Principal, ticket_id: int, after_seq: int, limit: int
) -> TimelinePage:
    """Up to ``limit`` events after ``after_seq``, internal ones only for the office's officers."""
    t = await visible_ticket(session, p, ticket_id)
    full = policy.can_see_internal(p, t)
    rows = await events_between(session, ticket_id, after_seq, limit, public=not full)
    top = rows[-1].seq if rows else None
    through = max(after_seq, covered_through(top, t.last_seq, len(rows) >= limit))
    return TimelinePage(rows, full, through)
