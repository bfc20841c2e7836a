"""What a report reads: per-ticket and per-call facts of a period, nothing personal.

Each query selects only ids, times, statuses and the rejection reason; ``office_ids``
None means every office (admins), else the reader's offices.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.models import Office, ServiceType, Ticket, TicketStatus
from signaling.models import Call, CallOutcome


@dataclass(frozen=True)
class Scope:
    office_ids: Sequence[int] | None
    service_type_id: int | None
    start: datetime
    end: datetime


Q = TypeVar("Q", bound=Select[*tuple[Any, ...]])


def _within(query: Q, scope: Scope, office: Any, service: Any) -> Q:
    if scope.office_ids is not None:
        query = query.where(office.in_(scope.office_ids))
    if scope.service_type_id is not None:
        query = query.where(service == scope.service_type_id)
    return query


async def received(session: AsyncSession, scope: Scope) -> list[tuple[int, int, datetime]]:
    """(office, service, created_at) of the requests made in the period."""
    query = select(Ticket.office_id, Ticket.service_type_id, Ticket.created_at).where(
        Ticket.created_at >= scope.start, Ticket.created_at < scope.end
    )
    rows = await session.execute(_within(query, scope, Ticket.office_id, Ticket.service_type_id))
    return [(r[0], r[1], r[2]) for r in rows.all()]


async def completed(
    session: AsyncSession, scope: Scope
) -> list[tuple[int, int, datetime, datetime]]:
    """(office, service, created_at, closed_at) of the requests completed in the period."""
    query = select(
        Ticket.office_id, Ticket.service_type_id, Ticket.created_at, Ticket.closed_at
    ).where(
        Ticket.status == TicketStatus.completed,
        Ticket.closed_at >= scope.start,
        Ticket.closed_at < scope.end,
    )
    rows = await session.execute(_within(query, scope, Ticket.office_id, Ticket.service_type_id))
    return [(r[0], r[1], r[2], r[3]) for r in rows.all() if r[3] is not None]


async def decided(
    session: AsyncSession, scope: Scope
) -> list[tuple[int, int, TicketStatus, datetime, datetime, str | None]]:
    """(office, service, status, decided_at, due_at, reject reason) of the requests
    approved or rejected in the period (a completed one was approved first)."""
    query = select(
        Ticket.office_id, Ticket.service_type_id, Ticket.status, Ticket.decided_at,
        Ticket.due_at, Ticket.reject_reason,
    ).where(Ticket.decided_at >= scope.start, Ticket.decided_at < scope.end)  # fmt: skip
    rows = await session.execute(_within(query, scope, Ticket.office_id, Ticket.service_type_id))
    return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows.all() if r[3] is not None]


async def calls(
    session: AsyncSession, scope: Scope
) -> list[tuple[int, int, datetime | None, datetime | None, CallOutcome | None]]:
    """(office, service of its ticket, answered_at, ended_at, outcome) of the calls placed
    in the period."""
    query = (
        select(
            Call.office_id, Ticket.service_type_id, Call.answered_at, Call.ended_at, Call.outcome
        )
        .join(Ticket, Ticket.id == Call.ticket_id)
        .where(Call.created_at >= scope.start, Call.created_at < scope.end)
    )
    rows = await session.execute(_within(query, scope, Call.office_id, Ticket.service_type_id))
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows.all()]


async def offices(session: AsyncSession, office_ids: Sequence[int] | None) -> dict[int, str]:
    query = select(Office.id, Office.name).order_by(Office.id)
    if office_ids is not None:
        query = query.where(Office.id.in_(office_ids))
    return {r[0]: r[1] for r in (await session.execute(query)).all()}


async def services(session: AsyncSession) -> dict[int, ServiceType]:
    rows = await session.execute(select(ServiceType).order_by(ServiceType.code))
    return {s.id: s for s in rows.scalars()}
