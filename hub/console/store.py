"""Queries of the desk tools. Only :mod:`hub.console` services import this module."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.console.models import CannedReply
from hub.models import Office, TicketEvent


async def event_by_client_id(
    session: AsyncSession, ticket_id: int, actor_key: str, client_id: str
) -> TicketEvent | None:
    return await session.scalar(
        select(TicketEvent).where(
            TicketEvent.ticket_id == ticket_id,
            TicketEvent.actor_key == actor_key,
            TicketEvent.client_id == client_id,
        )
    )


async def replies_of(session: AsyncSession, office_ids: Collection[int]) -> list[CannedReply]:
    """The canned replies of the offices, by office then title."""
    if not office_ids:
        return []
    query = select(CannedReply).where(CannedReply.office_id.in_(sorted(office_ids)))
    return list(await session.scalars(query.order_by(CannedReply.office_id, CannedReply.title)))


async def reply(session: AsyncSession, reply_id: int) -> CannedReply | None:
    return await session.get(CannedReply, reply_id, populate_existing=True)


async def title_taken(
    session: AsyncSession, office_id: int, title: str, other_than: int | None = None
) -> bool:
    query = select(CannedReply.id).where(
        CannedReply.office_id == office_id, CannedReply.title == title
    )
    if other_than is not None:
        query = query.where(CannedReply.id != other_than)
    return await session.scalar(query.limit(1)) is not None


async def count_of(session: AsyncSession, office_id: int) -> int:
    query = select(func.count()).select_from(CannedReply)
    return int(await session.scalar(query.where(CannedReply.office_id == office_id)) or 0)


async def offices(session: AsyncSession, office_ids: Collection[int]) -> list[Office]:
    if not office_ids:
        return []
    query = select(Office).where(Office.id.in_(sorted(office_ids)))
    return list(await session.scalars(query.order_by(Office.id)))
