"""Forwarding a ticket: a disposition to an officer or a desk of its office, a transfer
to another office, and the history of both.

Like every ticket change: under the optimistic version check, appended to the
timeline in the same transaction, with its facts recorded (:mod:`hub.tickets.facts`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub import policy
from hub.clock import jakarta_today
from hub.errors import Conflict, Invalid, InvalidTransition
from hub.models import Role, Ticket
from hub.principal import Principal
from hub.tickets import store
from hub.tickets.desks import check_target
from hub.tickets.events import TicketRemovedOut
from hub.tickets.facts import TicketLeft, TimelineAppended
from hub.tickets.lifecycle import DESK
from hub.tickets.service import announce, bump
from hub.tickets.views import service_of, visible_ticket
from hub.timeline import TICKETS_NS, append_event, event_view, events_between, office_room
from hub.uow import Unit


async def dispose(
    unit: Unit,
    p: Principal,
    ticket_id: int,
    version: int,
    note: str,
    to_user_id: int | None = None,
    to_role: Role | None = None,
) -> Ticket:
    """Forward (disposisi) a ticket to an officer or a role desk of its office, with a note.

    Only to a desk (or an officer) that can act on the ticket in its status, with an active
    officer there (:func:`hub.tickets.desks.check_target`): otherwise ``invalid`` naming
    ``to_user_id`` or ``to_role``, and nothing changes. The note and the colleague's name
    are for the office's officers (:mod:`hub.visibility`)."""
    session = unit.session
    t = await visible_ticket(session, p, ticket_id)
    policy.check_dispose(p, t)
    if t.status not in DESK or DESK[t.status] is None:
        raise InvalidTransition("ticket_closed")
    if (to_user_id is None) == (to_role is None):
        raise Invalid("forward_target_required")
    if version != t.version:  # what the sender saw is stale: that first, then the target
        raise Conflict(current_version=t.version)
    # no dead ends: only someone who can act on it now (hub.tickets.desks)
    to_role, target_user = await check_target(session, t, to_user_id, to_role)
    await bump(unit, t, version, assignee_id=to_user_id, assigned_role=to_role)
    ev = await append_event(
        unit,
        t.id,
        "disposed",
        p,
        {
            "note": note,
            "to_user": {"id": target_user.id, "name": target_user.full_name}
            if target_user
            else None,
            "to_role": to_role.value,
        },
    )
    unit.record(TimelineAppended(ev))
    t = await visible_ticket(session, p, ticket_id)
    await announce(unit, t)
    return t


async def transfer(
    unit: Unit, p: Principal, ticket_id: int, version: int, to_office_id: int, note: str
) -> Ticket:
    """Move a ticket to another office (a supervisor's correction of a wrong office).

    The old office's officers lose access at once: every process re-checks who
    may stay in the ticket's room.
    """
    session = unit.session
    t = await visible_ticket(session, p, ticket_id)
    policy.check_supervise(p, t.office_id)
    policy.check_supervise(p, to_office_id)
    office = await store.office(session, to_office_id)
    service = await service_of(session, t)
    if office is None or office.level != service.office_level:
        raise Invalid("target_office_wrong", field="to_office_id")
    from_office = t.office_id
    # The ticket keeps its number; it queues anew at the target office (today, its next number).
    day = jakarta_today(unit.ctx.clock.now())
    queue_no = await store.next_queue_no(session, office.id, day)
    label = f"{office.queue_prefix}-{queue_no:03d}"
    await bump(
        unit, t, version, office_id=to_office_id, assignee_id=None,
        queue_day=day, queue_no=queue_no, queue_label=label,
    )  # fmt: skip
    ev = await append_event(
        unit,
        t.id,
        "transferred",
        p,
        {"note": note, "from_office": from_office, "to_office": office.id, "queue": label},
    )
    unit.record(TimelineAppended(ev))
    t = await visible_ticket(session, p, ticket_id)
    await announce(unit, t)
    unit.emit("ticket_removed", TicketRemovedOut(id=t.id), [office_room(from_office)], TICKETS_NS)
    unit.record(TicketLeft(t, service, from_office))
    unit.control("recheck_ticket", ticket_id=t.id)
    return t


async def dispositions(session: AsyncSession, p: Principal, ticket_id: int) -> list[dict[str, Any]]:
    """The disposition history of a ticket (its ``disposed``/``transferred`` events), whole
    for the office's officers, without their notes for the others (:mod:`hub.visibility`)."""
    t = await visible_ticket(session, p, ticket_id)
    full = policy.can_see_internal(p, t)
    events = await events_between(session, ticket_id, 0, 10_000)
    return [event_view(e, full=full) for e in events if e.kind in ("disposed", "transferred")]
