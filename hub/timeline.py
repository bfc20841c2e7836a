"""The ticket timeline: the one writer of ``ticket_events`` and its readers.

Every change to a ticket — comment, status change, disposition, call log — is
appended here, in the caller's transaction, with the next per-ticket ``seq``
(gap-free: the counter lives on the ticket row, so concurrent appends to one
ticket queue on its row lock and a rolled-back append gives its number back).
The event is published to the ticket's room once the transaction commits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Insert,
    Table,
    bindparam,
    column,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import manager_of_class, set_committed_value

from hub.clock import iso
from hub.contract import TicketEventOut
from hub.models import Ticket, TicketEvent
from hub.principal import Principal
from hub.uow import Unit
from hub.visibility import INTERNAL_KINDS, is_internal, public_payload

TICKETS_NS = "/tickets"
#: How far back a reconnecting client is replayed; further behind → ``resync_required``.
MAX_REPLAY = 500


def ticket_room(ticket_id: int) -> str:
    return f"ticket:{ticket_id}"


def office_room(office_id: int) -> str:
    return f"office:{office_id}"


def event_view(ev: TicketEvent, *, full: bool = False) -> dict[str, Any]:
    """An event as a client sees it: ``full`` for the office's officers, else the public
    view (officers-only fields left out, ``redacted: true``; see :mod:`hub.visibility`).
    An internal event has no public view: asking for one is a bug."""
    # keys starting with "_" are server-side only (e.g. the audit trail of edits)
    payload = {k: v for k, v in ev.payload.items() if not k.startswith("_")}
    redacted = False
    if not full:
        if is_internal(ev.kind):
            raise ValueError(f"{ev.kind} events are for officers only")
        payload, redacted = public_payload(ev.kind, payload)
    view = {
        "ticket_id": ev.ticket_id,
        "seq": ev.seq,
        "kind": ev.kind,
        "actor": {"id": ev.actor_id, "name": ev.actor_name, "role": ev.actor_role},
        "client_id": ev.client_id,
        "payload": payload,
        "created_at": iso(ev.created_at),
    }
    if redacted:
        view["redacted"] = True
    return view


def publish_event(unit: Unit, ev: TicketEvent, office_id: int) -> None:
    """Queue ``ev`` for its audiences (after commit): the ticket's room gets the public
    view; the office's room gets an internal event, or the whole view of a redacted one."""
    if is_internal(ev.kind):
        rooms = [office_room(office_id)]
        unit.emit("ticket_event", event_out(ev, full=True), rooms, TICKETS_NS)
        return
    public = event_out(ev)
    unit.emit("ticket_event", public, [ticket_room(ev.ticket_id)], TICKETS_NS)
    if public.redacted:
        rooms = [office_room(office_id)]
        unit.emit("ticket_event", event_out(ev, full=True), rooms, TICKETS_NS)


def event_out(ev: TicketEvent, *, full: bool = False) -> TicketEventOut:
    """:func:`event_view` as the ``ticket_event`` model."""
    return TicketEventOut.model_validate(event_view(ev, full=full))


@dataclass(frozen=True)
class NewEvent:
    """An event to append: ``actor`` None is the system (timeouts, routing)."""

    ticket_id: int
    kind: str
    actor: Principal | None
    payload: dict[str, Any]
    client_id: str | None = None

    def build(self, seq: int, now: datetime) -> TicketEvent:
        return TicketEvent(**self.values(seq, now))

    def values(self, seq: int, now: datetime) -> dict[str, Any]:
        """The event's row (every column but the database's ``id``)."""
        a = self.actor
        return {
            "ticket_id": self.ticket_id,
            "seq": seq,
            "kind": self.kind,
            "actor_id": a.user_id if a else None,
            "actor_key": a.actor_key if a else "system",
            "actor_name": a.name if a else "Sistem",
            "actor_role": a.role.value if a else "system",
            "client_id": self.client_id,
            "payload": self.payload,
            "created_at": now,
        }


def _as_loaded(row: dict[str, Any]) -> TicketEvent:
    """An event holding ``row`` as if read back from the database, for rows inserted
    with Core (:func:`append_events`): the values go straight into the instance's dict,
    as SQLAlchemy's loader puts them, without an attribute event per column (building
    it with the constructor was ~10 % of a batch's CPU). Never added to a session."""
    ev: TicketEvent = _EVENTS.new_instance()
    ev.__dict__.update(row)
    return ev


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
    now = unit.ctx.clock.now()
    row = (
        await unit.session.execute(
            update(Ticket)
            .where(Ticket.id == ticket_id)
            .values(last_seq=Ticket.last_seq + 1, updated_at=now)
            .returning(Ticket.last_seq, Ticket.office_id)
        )
    ).one_or_none()
    assert row is not None, "append_event on a missing ticket"
    seq, office_id = row
    ev = NewEvent(ticket_id, kind, actor, payload, client_id).build(seq, now)
    unit.session.add(ev)
    await unit.session.flush()
    publish_event(unit, ev, office_id)
    return ev


#: Tickets by id, locked in id order, and re-read even when already loaded in the session
#: (their ``last_seq`` may have moved since an unlocked read). Built once (``expanding``
#: IN: compiled once and cached, not rebuilt per batch).
_LOCK_TICKETS = (
    select(Ticket)
    .where(Ticket.id.in_(bindparam("ids", expanding=True)))
    .order_by(Ticket.id)
    .with_for_update()
    .execution_options(populate_existing=True)
)
#: How SQLAlchemy makes a bare ``TicketEvent`` (see :func:`_as_loaded`).
_EVENTS = manager_of_class(TicketEvent)


async def lock_tickets(
    session: AsyncSession, ticket_ids: Sequence[int], read: Mapping[int, Ticket] | None = None
) -> dict[int, Ticket]:
    """Load tickets for :func:`append_events`, locked for the transaction (in id order).

    On PostgreSQL the rows are locked (``FOR UPDATE``; id order, so two batches never
    deadlock) and read again. On SQLite the writer's ``BEGIN IMMEDIATE`` has excluded
    every other writer since the transaction began, so tickets already ``read`` in it
    are current and are returned without a second read.
    """
    wanted = sorted(set(ticket_ids))
    if read is not None and session.get_bind().dialect.name == "sqlite":
        return {i: read[i] for i in wanted if i in read}
    rows = await session.scalars(_LOCK_TICKETS, {"ids": wanted})
    return {t.id: t for t in rows}


async def append_events(
    unit: Unit, tickets: Mapping[int, Ticket], new: Sequence[NewEvent]
) -> list[TicketEvent]:
    """Append many events at once (group commit): one statement on PostgreSQL, two on
    SQLite, whatever their number (:func:`_write`).

    ``tickets`` come from :func:`lock_tickets` in this transaction, so their
    ``last_seq`` is current; events of one ticket get consecutive seqs in list order.
    """
    if not new:
        return []
    now = unit.ctx.clock.now()
    last = {ticket_id: t.last_seq for ticket_id, t in tickets.items()}
    rows: list[dict[str, Any]] = []
    events: list[TicketEvent] = []
    for n in new:
        last[n.ticket_id] += 1
        row = n.values(last[n.ticket_id], now)
        rows.append(row)
        events.append(_as_loaded(row))
    touched = sorted({ev.ticket_id for ev in events})
    await _write(unit.session, [(i, last[i]) for i in touched], now, rows)
    for i in touched:  # the loaded rows agree with the database, without another flush
        set_committed_value(tickets[i], "last_seq", last[i])
        set_committed_value(tickets[i], "updated_at", now)
    for ev in events:
        publish_event(unit, ev, tickets[ev.ticket_id].office_id)
    return events


_TICKETS_TABLE = cast(Table, Ticket.__table__)
_EVENTS_TABLE = cast(Table, TicketEvent.__table__)
#: The tickets' new ``last_seq`` (one row per ticket; SQLite: one execution per ticket).
_BUMP = (
    update(_TICKETS_TABLE)
    .where(_TICKETS_TABLE.c.id == bindparam("b_id"))
    .values(last_seq=bindparam("b_seq"), updated_at=bindparam("b_at"))
)


async def _write(
    session: AsyncSession, seqs: list[tuple[int, int]], now: datetime, rows: list[dict[str, Any]]
) -> None:
    """Raise the tickets' ``last_seq`` to ``seqs`` and insert the events' ``rows``.

    On PostgreSQL that is one statement, one round trip under the tickets' locks: the
    UPDATE is a CTE of the INSERT (PostgreSQL runs a data-modifying CTE to completion,
    read or not). SQLite has no such CTE; there it is two statements, in process.
    """
    if session.get_bind().dialect.name != "postgresql":
        await session.execute(_BUMP, [{"b_id": i, "b_seq": n, "b_at": now} for i, n in seqs])
        await session.execute(insert(_EVENTS_TABLE), rows)
        return
    params: dict[str, Any] = {f"e_{c.name}": [row[c.name] for row in rows] for c in _EVENT_COLUMNS}
    params |= {"b_ids": [i for i, _n in seqs], "b_seqs": [n for _i, n in seqs], "b_at": now}
    await session.execute(_WRITE, params)


#: The events' columns, each bound as one array (``unnest``): the statement is the same
#: whatever the number of events, so it is compiled once and cached.
_EVENT_COLUMNS = [c for c in _EVENTS_TABLE.c if c.name != "id"]


def _write_statement() -> Insert:
    """:func:`_write` on PostgreSQL: the tickets' UPDATE as a CTE of the events' INSERT."""
    t = _TICKETS_TABLE
    new = (
        func.unnest(
            bindparam("b_ids", type_=ARRAY(BigInteger)),
            bindparam("b_seqs", type_=ARRAY(BigInteger)),
        )
        .table_valued(column("id", BigInteger), column("seq", BigInteger))
        .render_derived(name="new")
    )
    bump = (
        update(t)
        .where(t.c.id == new.c.id)
        .values(last_seq=new.c.seq, updated_at=bindparam("b_at", type_=t.c.updated_at.type))
        .returning(t.c.id)
        .cte("bump")
    )
    events = (
        func.unnest(*(bindparam(f"e_{c.name}", type_=ARRAY(c.type)) for c in _EVENT_COLUMNS))
        .table_valued(*(column(c.name, c.type) for c in _EVENT_COLUMNS))
        .render_derived(name="e")
    )
    names = [c.name for c in _EVENT_COLUMNS]
    return insert(_EVENTS_TABLE).from_select(names, select(events)).add_cte(bump)


_WRITE = _write_statement()


async def events_between(
    session: AsyncSession,
    ticket_id: int,
    after_seq: int,
    limit: int,
    before_seq: int | None = None,
    *,
    public: bool = False,
) -> list[TicketEvent]:
    """Events with ``after_seq < seq (< before_seq)``, in seq order, at most ``limit``;
    ``public``: only those the public sees (no internal kinds)."""
    query = select(TicketEvent).where(
        TicketEvent.ticket_id == ticket_id, TicketEvent.seq > after_seq
    )
    if public:
        query = query.where(TicketEvent.kind.not_in(INTERNAL_KINDS))
    if before_seq is not None:
        query = query.where(TicketEvent.seq < before_seq)
    rows = await session.scalars(query.order_by(TicketEvent.seq).limit(limit))
    return list(rows)


async def events_before(
    session: AsyncSession,
    ticket_id: int,
    before_seq: int | None,
    limit: int,
    *,
    public: bool = False,
) -> list[TicketEvent]:
    """The ``limit`` events just before ``before_seq`` (newest page first if None), in seq
    order; ``public``: only those the public sees (no internal kinds)."""
    query = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
    if public:
        query = query.where(TicketEvent.kind.not_in(INTERNAL_KINDS))
    if before_seq is not None:
        query = query.where(TicketEvent.seq < before_seq)
    rows = await session.scalars(query.order_by(TicketEvent.seq.desc()).limit(limit))
    return sorted(rows, key=lambda e: e.seq)
