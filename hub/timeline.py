"""The ticket timeline: the one writer of ``ticket_events`` and its readers.

Every change to a ticket — comment, status change, disposition, call log — is
appended here, in the caller's transaction, with the next per-ticket ``seq``
(gap-free: the counter lives on the ticket row, so concurrent appends to one
ticket queue on its row lock and a rolled-back append gives its number back).
The event is published to the ticket's room once the transaction commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.clock import iso, utcnow
from hub.models import Ticket, TicketEvent
from hub.principal import Principal
from hub.uow import Unit

TICKETS_NS = "/tickets"
#: How far back a reconnecting client is replayed; further behind → ``resync_required``.
MAX_REPLAY = 500


def ticket_room(ticket_id: int) -> str:
    return f"ticket:{ticket_id}"


def office_room(office_id: int) -> str:
    return f"office:{office_id}"


def event_view(ev: TicketEvent) -> dict[str, Any]:
    return {
        "ticket_id": ev.ticket_id,
        "seq": ev.seq,
        "kind": ev.kind,
        "actor": {"id": ev.actor_id, "name": ev.actor_name, "role": ev.actor_role},
        "client_id": ev.client_id,
        # keys starting with "_" are server-side only (e.g. the audit trail of edits)
        "payload": {k: v for k, v in ev.payload.items() if not k.startswith("_")},
        "created_at": iso(ev.created_at),
    }


async def append_event(
    unit: Unit,
    ticket_id: int,
    kind: str,
    actor: Principal | None,
    payload: dict[str, Any],
    client_id: str | None = None,
) -> TicketEvent:
    """Append one event with the next seq and queue its publication after commit.

    ``actor`` None is the system (timeouts, routing). Must run inside the
    transaction that makes the change the event records.
    """
    seq = await unit.session.scalar(
        update(Ticket)
        .where(Ticket.id == ticket_id)
        .values(last_seq=Ticket.last_seq + 1, updated_at=utcnow())
        .returning(Ticket.last_seq)
    )
    assert seq is not None, "append_event on a missing ticket"
    ev = TicketEvent(
        ticket_id=ticket_id,
        seq=seq,
        kind=kind,
        actor_id=actor.user_id if actor else None,
        actor_key=actor.actor_key if actor else "system",
        actor_name=actor.name if actor else "Sistem",
        actor_role=actor.role.value if actor else "system",
        client_id=client_id,
        payload=payload,
        created_at=utcnow(),
    )
    unit.session.add(ev)
    await unit.session.flush()
    unit.emit("ticket_event", event_view(ev), [ticket_room(ticket_id)], TICKETS_NS)
    return ev


async def events_between(
    session: AsyncSession, ticket_id: int, after_seq: int, limit: int, before_seq: int | None = None
) -> list[TicketEvent]:
    """Events with ``after_seq < seq (< before_seq)``, in seq order, at most ``limit``."""
    query = select(TicketEvent).where(
        TicketEvent.ticket_id == ticket_id, TicketEvent.seq > after_seq
    )
    if before_seq is not None:
        query = query.where(TicketEvent.seq < before_seq)
    rows = await session.scalars(query.order_by(TicketEvent.seq).limit(limit))
    return list(rows)


async def events_before(
    session: AsyncSession, ticket_id: int, before_seq: int | None, limit: int
) -> list[TicketEvent]:
    """The ``limit`` events just before ``before_seq`` (newest page first if None), in seq order."""
    query = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
    if before_seq is not None:
        query = query.where(TicketEvent.seq < before_seq)
    rows = await session.scalars(query.order_by(TicketEvent.seq.desc()).limit(limit))
    return sorted(rows, key=lambda e: e.seq)
