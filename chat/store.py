"""Chat queries. Only ``chat.service`` imports this module."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chat.models import Attachment, ReadPosition
from hub.models import TicketEvent


async def comment_by_client_id(
    session: AsyncSession, ticket_id: int, actor_key: str, client_id: str
) -> TicketEvent | None:
    return await session.scalar(
        select(TicketEvent).where(
            TicketEvent.ticket_id == ticket_id,
            TicketEvent.actor_key == actor_key,
            TicketEvent.client_id == client_id,
        )
    )


async def event_at(session: AsyncSession, ticket_id: int, seq: int) -> TicketEvent | None:
    return await session.scalar(
        select(TicketEvent).where(TicketEvent.ticket_id == ticket_id, TicketEvent.seq == seq)
    )


async def read_positions(session: AsyncSession, ticket_id: int) -> list[ReadPosition]:
    return list(
        await session.scalars(select(ReadPosition).where(ReadPosition.ticket_id == ticket_id))
    )


async def read_position(
    session: AsyncSession, ticket_id: int, reader_key: str
) -> ReadPosition | None:
    return await session.get(ReadPosition, (ticket_id, reader_key))


async def attachments(session: AsyncSession, ids: list[str]) -> list[Attachment]:
    if not ids:
        return []
    return list(await session.scalars(select(Attachment).where(Attachment.id.in_(ids))))


async def attachment(session: AsyncSession, attachment_id: str) -> Attachment | None:
    return await session.get(Attachment, attachment_id)
