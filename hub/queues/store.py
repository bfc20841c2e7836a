"""Queue queries. Only ``hub.queues`` services and presence import this module."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.models import Office, ServiceType, Ticket, TicketStatus, User
from hub.policy import HANDLING_ROLES
from hub.tickets.lifecycle import OPEN_STATUSES, WAITING_STATUSES
from signaling.models import Call, CallStatus


async def office(session: AsyncSession, office_id: int) -> Office | None:
    return await session.get(Office, office_id)


async def subtree(session: AsyncSession, office_id: int) -> list[Office]:
    """The office and every office under it."""
    root = await session.get(Office, office_id)
    if root is None:
        return []
    found = [root]
    frontier = [root.id]
    while frontier:
        rows = list(await session.scalars(select(Office).where(Office.parent_id.in_(frontier))))
        found.extend(rows)
        frontier = [o.id for o in rows]
    return found


async def ancestors(session: AsyncSession, office_id: int) -> list[int]:
    """``office_id`` and its parents up to the kota, nearest first."""
    chain: list[int] = []
    current: int | None = office_id
    while current is not None and current not in chain:
        chain.append(current)
        current = await session.scalar(select(Office.parent_id).where(Office.id == current))
    return chain


async def board_tickets(
    session: AsyncSession, office_ids: Iterable[int], since: datetime
) -> list[tuple[Ticket, ServiceType]]:
    """Open tickets of the offices, and those decided or closed since ``since``."""
    q = (
        select(Ticket, ServiceType)
        .join(ServiceType, ServiceType.id == Ticket.service_type_id)
        .where(
            Ticket.office_id.in_(list(office_ids)),
            or_(
                Ticket.status.in_(list(OPEN_STATUSES)),
                Ticket.decided_at >= since,
                Ticket.closed_at >= since,
            ),
        )
        .order_by(Ticket.id)
    )
    return [(row[0], row[1]) for row in await session.execute(q)]


async def officers(session: AsyncSession, office_ids: Iterable[int]) -> list[User]:
    q = select(User).where(
        User.office_id.in_(list(office_ids)),
        User.role.in_(list(HANDLING_ROLES)),
        User.is_active.is_(True),
    )
    return list(await session.scalars(q.order_by(User.id)))


async def user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def live_calls(session: AsyncSession, office_ids: Iterable[int]) -> list[Call]:
    q = select(Call).where(
        Call.office_id.in_(list(office_ids)),
        Call.status.in_([CallStatus.ringing, CallStatus.active]),
    )
    return list(await session.scalars(q.order_by(Call.id)))


async def waiting_ahead(session: AsyncSession, t: Ticket) -> int:
    """Waiting tickets of ``t``'s office that queue before it (created earlier)."""
    q = select(func.count(Ticket.id)).where(
        Ticket.office_id == t.office_id,
        Ticket.status.in_(list(WAITING_STATUSES)),
        or_(
            Ticket.created_at < t.created_at,
            (Ticket.created_at == t.created_at) & (Ticket.id < t.id),
        ),
    )
    return int(await session.scalar(q) or 0)


async def decided_since(
    session: AsyncSession, office_id: int, since: datetime
) -> list[tuple[str, datetime, datetime]]:
    """(service code, created, decided) of the office's tickets decided since ``since``."""
    q = (
        select(ServiceType.code, Ticket.created_at, Ticket.decided_at)
        .join(ServiceType, ServiceType.id == Ticket.service_type_id)
        .where(
            Ticket.office_id == office_id,
            Ticket.decided_at >= since,
            Ticket.status.in_(
                [TicketStatus.approved, TicketStatus.rejected, TicketStatus.completed]
            ),
        )
        .order_by(Ticket.decided_at)
    )
    rows = await session.execute(q)
    return [(row[0], row[1], row[2]) for row in rows if row[2] is not None]


async def waiting_by_office(session: AsyncSession) -> dict[int, int]:
    """How many tickets wait in each office (every office, zero included)."""
    waiting = Ticket.status.in_(list(WAITING_STATUSES))
    q = (
        select(Office.id, func.count(Ticket.id))
        .outerjoin(Ticket, (Ticket.office_id == Office.id) & waiting)
        .group_by(Office.id)
    )
    return {int(office_id): int(n) for office_id, n in await session.execute(q)}
