"""Ticket lifecycle: open a ticket, move it along the status table.

Every change is one transaction: the ticket row is updated under an optimistic
version check (two officers at once → exactly one wins, the other gets
``conflict``), and the change is appended to the timeline in the same
transaction; events are published after commit by :meth:`hub.context.Hub.unit`.
Each change records its facts (:mod:`hub.tickets.facts`) for the queue board and
notifications, which follow from them. Reads are in :mod:`hub.tickets.views`,
forwarding in :mod:`hub.tickets.forwarding`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import update

from hub import policy
from hub.auth import normalize_phone
from hub.calendar.service import deadlines
from hub.clock import jakarta_today
from hub.errors import Conflict, Forbidden, Invalid, InvalidTransition
from hub.models import Channel, Office, Role, Ticket, TicketStatus, phone_last4
from hub.principal import Principal
from hub.tickets import store
from hub.tickets.events import TicketSummaryOut
from hub.tickets.facts import TicketApproved, TicketChanged, TimelineAppended, TransitionAsked
from hub.tickets.lifecycle import DESK, TRANSITIONS
from hub.tickets.views import service_of, summary_view, visible_ticket
from hub.timeline import TICKETS_NS, append_event, office_room
from hub.uow import Unit


@dataclass(frozen=True)
class NewTicket:
    service_code: str
    office_id: int
    channel: Channel
    applicant_name: str | None = None
    applicant_phone: str | None = None


def ticket_number(office: Office, day: date, queue_no: int) -> str:
    return f"{office.code}-{day:%y%m%d}-{queue_no:03d}"


async def announce(unit: Unit, t: Ticket) -> None:
    """Tell the office's officers (``ticket_updated``) and record the change."""
    service = await service_of(unit.session, t)
    unit.emit(
        "ticket_updated",
        TicketSummaryOut.model_validate(summary_view(t, service)),
        [office_room(t.office_id)],
        TICKETS_NS,
    )
    unit.record(TicketChanged(t, service))


async def bump(unit: Unit, t: Ticket, version: int, **values: Any) -> None:
    """Write ``values`` if the ticket is still at ``version``; else ``conflict``."""
    if version != t.version:
        raise Conflict(current_version=t.version)
    result = await unit.session.execute(
        update(Ticket)
        .where(Ticket.id == t.id, Ticket.version == version)
        .values(version=version + 1, updated_at=unit.ctx.clock.now(), **values)
        .returning(Ticket.id)
    )
    if result.scalar() is None:
        raise Conflict()


async def create_ticket(unit: Unit, p: Principal, new: NewTicket, access_code_hash: str) -> Ticket:
    """Open a ticket: online by a citizen for themself, walk-in by the front office.

    Takes the office's next queue number for today (Asia/Jakarta) and writes the
    ``created`` event as seq 1. ``access_code_hash`` is hashed by the caller,
    outside the transaction.
    """
    session = unit.session
    service = await store.service_by_code(session, new.service_code)
    if service is None:
        raise Invalid("service_unknown", field="service_code")
    office = await store.office(session, new.office_id)
    if office is None:
        raise Invalid("office_unknown", field="office_id")
    if office.level != service.office_level:
        raise Invalid(
            "service_office_level",
            field="office_id",
            level=service.office_level.value,
        )
    if new.channel is Channel.online:
        if p.role is not Role.citizen or p.user_id is None:
            raise Forbidden("online_requests_citizens_only")
        # An online applicant is the account itself: a name or phone sent along would be
        # ignored, so it is refused rather than silently dropped.
        for name, value in (
            ("applicant_name", new.applicant_name),
            ("applicant_phone", new.applicant_phone),
        ):
            if value is not None:
                raise Invalid(
                    "online_applicant_from_account",
                    field=name,
                )
        applicant = await store.user(session, p.user_id)
        assert applicant is not None
        applicant_id, name, phone = applicant.id, applicant.full_name, applicant.phone
    else:
        if not policy.can_create_walk_in(p, office.id):
            raise Forbidden("office_front_office_only")
        if not new.applicant_name or not new.applicant_name.strip():
            raise Invalid("applicant_name_required", field="applicant_name")
        applicant_id, name = None, new.applicant_name.strip()
        phone = normalize_phone(new.applicant_phone) if new.applicant_phone else None
    now = unit.ctx.clock.now()
    day = jakarta_today(now)
    share = unit.ctx.settings.sla_at_risk_percent / 100
    due, at_risk = await deadlines(session, office.id, service, now, share)
    queue_no = await store.next_queue_no(session, office.id, day)
    t = Ticket(
        number=ticket_number(office, day, queue_no),
        office_id=office.id,
        service_type_id=service.id,
        applicant_id=applicant_id,
        applicant_name=name,
        applicant_phone=phone,
        phone_last4=phone_last4(phone),
        channel=new.channel,
        status=TicketStatus.submitted,
        risk=service.risk,
        assigned_role=DESK[TicketStatus.submitted],
        queue_day=day,
        queue_no=queue_no,
        queue_label=f"{office.queue_prefix}-{queue_no:03d}",
        access_code_hash=access_code_hash,
        version=1,
        last_seq=0,
        created_at=now,
        updated_at=now,
        due_at=due,
        at_risk_at=at_risk,
    )
    session.add(t)
    await session.flush()
    ev = await append_event(
        unit,
        t.id,
        "created",
        p,
        {"channel": new.channel.value, "service": service.code, "queue": t.queue_label},
    )
    unit.record(TimelineAppended(ev))
    await announce(unit, t)
    return t


async def transition(
    unit: Unit, p: Principal, ticket_id: int, action: str, version: int, reason: str | None = None
) -> Ticket:
    """Move a ticket along the status table; see :mod:`hub.tickets.lifecycle`.

    Raises ``invalid`` (unknown action, missing reason), ``forbidden`` (role lacks
    the authority), ``invalid_transition`` (not from this status) or ``conflict``
    (someone changed the ticket since ``version``); the documents have their say
    (:class:`~hub.tickets.facts.TransitionAsked`, answered by :mod:`hub.intake.gate`).
    Nothing changes on error.
    """
    session = unit.session
    t = await visible_ticket(session, p, ticket_id)
    rule = TRANSITIONS.get(action)
    if rule is None:
        raise Invalid("unknown_action", field="action", action=action)
    if not policy.can_transition(p, t, rule.roles):
        raise Forbidden("role_not_allowed")
    if version != t.version:
        raise Conflict(current_version=t.version)
    if t.status not in rule.sources:
        raise InvalidTransition(
            "action_not_from_status",
            status=t.status.value,
            action=action,
        )
    reason = (reason or "").strip() or None
    if rule.needs_reason and not reason:
        raise Invalid("reject_reason_required", field="reason")
    extra = await unit.ask(TransitionAsked(t, action))
    target = rule.target(t.status, t.risk)
    values: dict[str, Any] = {"status": target, "assigned_role": DESK[target], "assignee_id": None}
    if target in (TicketStatus.approved, TicketStatus.rejected):
        values["decided_at"] = unit.ctx.clock.now()
    if target is TicketStatus.rejected:
        values["reject_reason"] = reason
    if target is TicketStatus.completed:
        values["closed_at"] = unit.ctx.clock.now()
    previous = t.status
    await bump(unit, t, version, **values)
    ev = await append_event(
        unit,
        t.id,
        "status_changed",
        p,
        {"action": action, "from": previous.value, "to": target.value, "reason": reason, **extra},
    )
    unit.record(TimelineAppended(ev))
    if action == "approve":  # the letter is issued with the approval, or neither happens
        unit.record(TicketApproved(t, p))
    t = await visible_ticket(session, p, ticket_id)
    await announce(unit, t)
    return t
