"""The officer's worklist: the tickets of one's offices, searched, narrowed and ordered.

What an officer's queue shows (``GET /api/officer/queue``, with the unread counts
that :mod:`chat.worklist` adds): search by ticket number, queue number or applicant
name; *mine* (assigned to me), *my desk* (the ticket's status sits on my role's desk,
:data:`hub.tickets.lifecycle.DESK`), open or closed; oldest waiting first, by the
service standard's deadline, or newest first.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.errors import Forbidden
from hub.models import Channel, ServiceType, Ticket, TicketStatus
from hub.principal import Principal
from hub.tickets import store
from hub.tickets.lifecycle import DESK, OPEN_STATUSES
from hub.tickets.views import ticket_view


class Scope(enum.StrEnum):
    all = "all"
    mine = "mine"
    desk = "desk"


class State(enum.StrEnum):
    open = "open"
    closed = "closed"
    all = "all"


class Order(enum.StrEnum):
    waiting = "waiting"  # oldest first: the longest wait on top
    due = "due"  # the nearest service-standard deadline first
    newest = "newest"


@dataclass(frozen=True)
class WorkFilter:
    text: str = ""
    scope: Scope = Scope.all
    state: State = State.open
    order: Order = Order.waiting
    status: TicketStatus | None = None
    channel: Channel | None = None
    service_code: str | None = None


CLOSED = frozenset(TicketStatus) - OPEN_STATUSES
#: A search of this many digits or fewer is a queue number; longer, a part of the ticket number.
QUEUE_NO_DIGITS = 4


def desk_statuses(p: Principal) -> frozenset[TicketStatus]:
    """The statuses in which a ticket sits on ``p``'s desk (none for supervisors)."""
    return frozenset(s for s, role in DESK.items() if role is p.role)


def _query(p: Principal, f: WorkFilter) -> Select[Ticket]:
    q = select(Ticket).where(Ticket.office_id.in_(p.office_scope))
    if f.state is State.open:
        q = q.where(Ticket.status.in_(OPEN_STATUSES))
    elif f.state is State.closed:
        q = q.where(Ticket.status.in_(CLOSED))
    if f.scope is Scope.mine:
        q = q.where(Ticket.assignee_id == p.user_id)
    elif f.scope is Scope.desk:
        q = q.where(Ticket.status.in_(desk_statuses(p)))
    if f.status is not None:
        q = q.where(Ticket.status == f.status)
    if f.channel is not None:
        q = q.where(Ticket.channel == f.channel)
    if f.service_code is not None:
        q = q.join(ServiceType, ServiceType.id == Ticket.service_type_id).where(
            ServiceType.code == f.service_code
        )
    text = f.text.strip()
    if text.isascii() and text.isdigit() and len(text) <= QUEUE_NO_DIGITS:
        q = q.where(Ticket.queue_no == int(text))  # "7" is the queue number A-007
    elif text:
        q = q.where(
            or_(
                Ticket.number.icontains(text, autoescape=True),
                Ticket.queue_label.icontains(text, autoescape=True),
                Ticket.applicant_name.icontains(text, autoescape=True),
            )
        )
    if f.order is Order.due:
        return q.order_by(Ticket.due_at, Ticket.id)
    if f.order is Order.newest:
        return q.order_by(Ticket.id.desc())
    return q.order_by(Ticket.created_at, Ticket.id)


async def worklist(
    session: AsyncSession, p: Principal, f: WorkFilter, limit: int
) -> tuple[list[dict[str, Any]], bool]:
    """Ticket views (:func:`hub.tickets.views.ticket_view` and ``desk``: the role whose desk
    the ticket is on, null once closed) of ``p``'s offices matching ``f``, in its order, at
    most ``limit``, and whether there are more. Officers (and supervisors) only: others
    get ``forbidden``."""
    if not p.is_officer:
        raise Forbidden("officers_only")
    if not p.office_scope:
        return [], False
    # ``office_scope`` is exactly what :func:`hub.policy.can_view_ticket` lets an officer see
    rows = list(await session.scalars(_query(p, f).limit(limit + 1)))
    services = await store.service_types(session)
    items = []
    for t in rows[:limit]:
        desk = DESK.get(t.status)
        items.append(
            {**ticket_view(t, services[t.service_type_id], p), "desk": desk and desk.value}
        )
    return items, len(rows) > limit
