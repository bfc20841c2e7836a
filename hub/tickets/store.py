"""Ticket queries. Only services import this module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hub.models import (
    Channel,
    Office,
    QueueCounter,
    Role,
    ServiceType,
    Ticket,
    TicketStatus,
    User,
)


async def next_queue_no(session: AsyncSession, office_id: int, day: date) -> int:
    """Take the next queue number of ``office_id`` on ``day``.

    One upsert that increments and returns under the counter row's lock: two
    concurrent creates wait on each other, and a rolled-back create gives its
    number back, so numbers are unique and gap-free.
    """
    keys = [QueueCounter.office_id, QueueCounter.day]
    bump = {"last": QueueCounter.last + 1}
    stmt: postgresql.Insert | sqlite.Insert
    if session.get_bind().dialect.name == "postgresql":
        pg = postgresql.insert(QueueCounter).values(office_id=office_id, day=day, last=1)
        stmt = pg.on_conflict_do_update(index_elements=keys, set_=bump)
    else:
        lite = sqlite.insert(QueueCounter).values(office_id=office_id, day=day, last=1)
        stmt = lite.on_conflict_do_update(index_elements=keys, set_=bump)
    value = await session.scalar(stmt.returning(QueueCounter.last))
    assert value is not None
    return int(value)


async def service_by_code(session: AsyncSession, code: str) -> ServiceType | None:
    return await session.scalar(select(ServiceType).where(ServiceType.code == code))


async def office(session: AsyncSession, office_id: int) -> Office | None:
    return await session.get(Office, office_id)


async def user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def ticket(session: AsyncSession, ticket_id: int) -> Ticket | None:
    return await session.get(Ticket, ticket_id, populate_existing=True)


@dataclass(frozen=True)
class TicketFilter:
    office_ids: frozenset[int] | None = None
    applicant_id: int | None = None
    ticket_id: int | None = None
    status: TicketStatus | None = None
    service_code: str | None = None
    assignee_id: int | None = None
    channel: Channel | None = None
    day: date | None = None


def _filtered(f: TicketFilter) -> Select[Ticket]:
    q = select(Ticket)
    if f.office_ids is not None:
        q = q.where(Ticket.office_id.in_(f.office_ids))
    if f.applicant_id is not None:
        q = q.where(Ticket.applicant_id == f.applicant_id)
    if f.ticket_id is not None:
        q = q.where(Ticket.id == f.ticket_id)
    if f.status is not None:
        q = q.where(Ticket.status == f.status)
    if f.service_code is not None:
        q = q.join(ServiceType, ServiceType.id == Ticket.service_type_id).where(
            ServiceType.code == f.service_code
        )
    if f.assignee_id is not None:
        q = q.where(Ticket.assignee_id == f.assignee_id)
    if f.channel is not None:
        q = q.where(Ticket.channel == f.channel)
    if f.day is not None:
        q = q.where(Ticket.queue_day == f.day)
    return q


async def list_tickets(
    session: AsyncSession, f: TicketFilter, before_id: int | None, limit: int
) -> list[Ticket]:
    """Newest first; keyset pagination on id (stable while new tickets arrive)."""
    q = _filtered(f)
    if before_id is not None:
        q = q.where(Ticket.id < before_id)
    return list(await session.scalars(q.order_by(Ticket.id.desc()).limit(limit)))


async def service_types(session: AsyncSession) -> dict[int, ServiceType]:
    return {s.id: s for s in await session.scalars(select(ServiceType))}


async def reference(session: AsyncSession) -> tuple[list[ServiceType], list[Office]]:
    """Every service type and every office, by id (the public reference for forms)."""
    services = list(await session.scalars(select(ServiceType).order_by(ServiceType.id)))
    offices = list(await session.scalars(select(Office).order_by(Office.id)))
    return services, offices


async def active_officers(session: AsyncSession, office_id: int, roles: list[Role]) -> list[User]:
    """The active officers of an office with one of ``roles``, by name."""
    if not roles:
        return []
    query = select(User).where(
        User.office_id == office_id, User.is_active.is_(True), User.role.in_(roles)
    )
    return list(await session.scalars(query.order_by(User.full_name, User.id)))
