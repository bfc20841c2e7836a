"""Ticket lifecycle: create, read, transition, dispose, transfer.

Every change is one transaction: the ticket row is updated under an optimistic
version check (two officers at once → exactly one wins, the other gets
``conflict``), and the change is appended to the timeline in the same
transaction; events are published after commit by :meth:`hub.context.Hub.unit`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from hub import policy
from hub.auth import mask_phone, normalize_phone
from hub.clock import iso, jakarta_today, utcnow
from hub.errors import Conflict, Forbidden, Invalid, InvalidTransition, NotFound
from hub.models import Channel, Office, Role, ServiceType, Ticket, TicketEvent, TicketStatus
from hub.principal import Principal
from hub.queues.service import ticket_changed, ticket_left
from hub.tickets import store
from hub.tickets.lifecycle import DESK, TRANSITIONS, allowed_actions
from hub.timeline import TICKETS_NS, append_event, events_before, events_between, office_room
from hub.uow import Unit
from notifications.service import notify_ticket_event

HANDLING = policy.HANDLING_ROLES
TicketFilter = store.TicketFilter


@dataclass(frozen=True)
class NewTicket:
    service_code: str
    office_id: int
    channel: Channel
    applicant_name: str | None = None
    applicant_phone: str | None = None


def ticket_number(office: Office, day: date, queue_no: int) -> str:
    return f"{office.code}-{day:%y%m%d}-{queue_no:03d}"


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
        "assignee_id": t.assignee_id,
        "assigned_role": t.assigned_role.value if t.assigned_role else None,
        "version": t.version,
        "last_seq": t.last_seq,
        "callback_pending": t.callback_pending,
        "reject_reason": t.reject_reason,
        "created_at": iso(t.created_at),
        "updated_at": iso(t.updated_at),
        "due_at": iso(t.due_at),
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


async def _service(session: AsyncSession, service_type_id: int) -> ServiceType:
    service = await session.get(ServiceType, service_type_id)
    assert service is not None
    return service


async def _announce(unit: Unit, t: Ticket) -> None:
    service = await _service(unit.session, t.service_type_id)
    unit.emit("ticket_updated", summary_view(t, service), [office_room(t.office_id)], TICKETS_NS)
    await ticket_changed(unit, t, service)


async def create_ticket(unit: Unit, p: Principal, new: NewTicket, access_code_hash: str) -> Ticket:
    """Open a ticket: online by a citizen for themself, walk-in by the front office.

    Takes the office's next queue number for today (Asia/Jakarta) and writes the
    ``created`` event as seq 1. ``access_code_hash`` is hashed by the caller,
    outside the transaction.
    """
    session = unit.session
    service = await store.service_by_code(session, new.service_code)
    if service is None:
        raise Invalid("Layanan tidak dikenal / Unknown service", field="service_code")
    office = await store.office(session, new.office_id)
    if office is None:
        raise Invalid("Kantor tidak dikenal / Unknown office", field="office_id")
    if office.level != service.office_level:
        raise Invalid(
            f"Layanan ini diurus di {service.office_level.value} / "
            f"This service is issued by a {service.office_level.value} office",
            field="office_id",
        )
    if new.channel is Channel.online:
        if p.role is not Role.citizen or p.user_id is None:
            raise Forbidden("Permohonan online hanya oleh warga / Online requests by citizens")
        # An online applicant is the account itself: a name or phone sent along would be
        # ignored, so it is refused rather than silently dropped.
        for name, value in (
            ("applicant_name", new.applicant_name),
            ("applicant_phone", new.applicant_phone),
        ):
            if value is not None:
                raise Invalid(
                    "Pemohon online adalah pemilik akun; data ini diambil dari akun / "
                    "An online applicant is the account holder: this comes from the account",
                    field=name,
                )
        applicant = await store.user(session, p.user_id)
        assert applicant is not None
        applicant_id, name, phone = applicant.id, applicant.full_name, applicant.phone
    else:
        if not policy.can_create_walk_in(p, office.id):
            raise Forbidden("Hanya front office kantor ini / Front office of this office only")
        if not new.applicant_name or not new.applicant_name.strip():
            raise Invalid("Nama pemohon wajib / Applicant name required", field="applicant_name")
        applicant_id, name = None, new.applicant_name.strip()
        phone = normalize_phone(new.applicant_phone) if new.applicant_phone else None
    now = utcnow()
    day = jakarta_today(now)
    queue_no = await store.next_queue_no(session, office.id, day)
    t = Ticket(
        number=ticket_number(office, day, queue_no),
        office_id=office.id,
        service_type_id=service.id,
        applicant_id=applicant_id,
        applicant_name=name,
        applicant_phone=phone,
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
        due_at=now + timedelta(hours=service.sla_hours),
    )
    session.add(t)
    await session.flush()
    await append_event(
        unit,
        t.id,
        "created",
        p,
        {"channel": new.channel.value, "service": service.code, "queue": t.queue_label},
    )
    await _announce(unit, t)
    return t


async def receipt_ticket(session: AsyncSession, ticket_id: int) -> Ticket:
    """The ticket behind a receipt whose access code was checked by the caller
    (:func:`hub.logins.check_receipt_code`); ``not_found`` if it is gone.
    """
    t = await store.ticket(session, ticket_id)
    if t is None:
        raise NotFound("Tanda terima tidak ditemukan / Receipt not found")
    return t


async def service_of(session: AsyncSession, t: Ticket) -> ServiceType:
    return await _service(session, t.service_type_id)


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
    return ticket_view(t, await _service(session, t.service_type_id), p)


async def _bump(session: AsyncSession, t: Ticket, version: int, **values: Any) -> None:
    """Write ``values`` if the ticket is still at ``version``; else ``conflict``."""
    if version != t.version:
        raise Conflict(current_version=t.version)
    result = await session.execute(
        update(Ticket)
        .where(Ticket.id == t.id, Ticket.version == version)
        .values(version=version + 1, updated_at=utcnow(), **values)
        .returning(Ticket.id)
    )
    if result.scalar() is None:
        raise Conflict()


async def transition(
    unit: Unit, p: Principal, ticket_id: int, action: str, version: int, reason: str | None = None
) -> Ticket:
    """Move a ticket along the status table; see :mod:`hub.tickets.lifecycle`.

    Raises ``invalid`` (unknown action, missing reason), ``forbidden`` (role lacks
    the authority), ``invalid_transition`` (not from this status) or ``conflict``
    (someone changed the ticket since ``version``); the documents have their say
    (:mod:`hub.intake.gate`). Nothing changes on error.
    """
    session = unit.session
    t = await visible_ticket(session, p, ticket_id)
    rule = TRANSITIONS.get(action)
    if rule is None:
        raise Invalid(f"Aksi tidak dikenal / Unknown action {action!r}", field="action")
    if not policy.can_transition(p, t, rule.roles):
        raise Forbidden("Peran Anda tidak berwenang / Your role may not do this")
    if version != t.version:
        raise Conflict(current_version=t.version)
    if t.status not in rule.sources:
        raise InvalidTransition(
            f"Tidak bisa {action} dari status {t.status.value} / "
            f"Cannot {action} from {t.status.value}",
            status=t.status.value,
        )
    reason = (reason or "").strip() or None
    if rule.needs_reason and not reason:
        raise Invalid("Alasan penolakan wajib / A reason is required", field="reason")
    from hub.intake.gate import check_transition  # intake reads tickets: no import cycle

    extra = await check_transition(session, t, action)
    target = rule.target(t.status, t.risk)
    values: dict[str, Any] = {"status": target, "assigned_role": DESK[target], "assignee_id": None}
    if target in (TicketStatus.approved, TicketStatus.rejected):
        values["decided_at"] = utcnow()
    if target is TicketStatus.rejected:
        values["reject_reason"] = reason
    if target is TicketStatus.completed:
        values["closed_at"] = utcnow()
    previous = t.status
    await _bump(session, t, version, **values)
    ev = await append_event(
        unit,
        t.id,
        "status_changed",
        p,
        {"action": action, "from": previous.value, "to": target.value, "reason": reason, **extra},
    )
    await notify_ticket_event(unit, ev)
    t = await visible_ticket(session, p, ticket_id)
    await _announce(unit, t)
    return t


async def dispose(
    unit: Unit,
    p: Principal,
    ticket_id: int,
    version: int,
    note: str,
    to_user_id: int | None = None,
    to_role: Role | None = None,
) -> Ticket:
    """Forward (disposisi) a ticket to an officer or a role desk of its office, with a note."""
    session = unit.session
    t = await visible_ticket(session, p, ticket_id)
    policy.check_dispose(p, t)
    if t.status not in DESK or DESK[t.status] is None:
        raise InvalidTransition("Tiket sudah selesai / The ticket is closed")
    if (to_user_id is None) == (to_role is None):
        raise Invalid("Pilih satu: petugas atau peran / Give either to_user_id or to_role")
    target_user = None
    if to_user_id is not None:
        target_user = await store.user(session, to_user_id)
        if (
            target_user is None
            or not target_user.is_active
            or target_user.office_id != t.office_id
            or target_user.role not in HANDLING
        ):
            raise Invalid("Petugas tujuan tidak di kantor ini / No such officer here")
        to_role = target_user.role
    elif to_role not in HANDLING:
        raise Invalid("Peran tujuan tidak valid / Invalid target role", field="to_role")
    assert to_role is not None
    await _bump(session, t, version, assignee_id=to_user_id, assigned_role=to_role)
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
    await notify_ticket_event(unit, ev)
    t = await visible_ticket(session, p, ticket_id)
    await _announce(unit, t)
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
    service = await _service(session, t.service_type_id)
    if office is None or office.level != service.office_level:
        raise Invalid("Kantor tujuan tidak sesuai / Wrong target office", field="to_office_id")
    from_office = t.office_id
    # The ticket keeps its number; it queues anew at the target office (today, its next number).
    day = jakarta_today()
    queue_no = await store.next_queue_no(session, office.id, day)
    label = f"{office.queue_prefix}-{queue_no:03d}"
    await _bump(
        session, t, version, office_id=to_office_id, assignee_id=None,
        queue_day=day, queue_no=queue_no, queue_label=label,
    )  # fmt: skip
    await append_event(
        unit,
        t.id,
        "transferred",
        p,
        {"note": note, "from_office": from_office, "to_office": office.id, "queue": label},
    )
    t = await visible_ticket(session, p, ticket_id)
    await _announce(unit, t)
    unit.emit("ticket_removed", {"id": t.id}, [office_room(from_office)], TICKETS_NS)
    await ticket_left(unit, t, service, from_office)
    unit.control("recheck_ticket", ticket_id=t.id)
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


async def timeline(
    session: AsyncSession, p: Principal, ticket_id: int, after_seq: int, limit: int
) -> list[TicketEvent]:
    await visible_ticket(session, p, ticket_id)
    return await events_between(session, ticket_id, after_seq, limit)


async def history_page(
    session: AsyncSession, p: Principal, ticket_id: int, before_seq: int | None, limit: int
) -> list[TicketEvent]:
    await visible_ticket(session, p, ticket_id)
    return await events_before(session, ticket_id, before_seq, limit)


async def dispositions(session: AsyncSession, p: Principal, ticket_id: int) -> list[TicketEvent]:
    """The disposition history of a ticket (its ``disposed``/``transferred`` events)."""
    await visible_ticket(session, p, ticket_id)
    events = await events_between(session, ticket_id, 0, 10_000)
    return [e for e in events if e.kind in ("disposed", "transferred")]
