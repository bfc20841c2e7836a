"""Chat queries. Only the domain modules of chat (service, posting, attachments) import it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from chat.models import Attachment, ReadPosition
from hub.keyed import keys_match, rows_by_keys
from hub.models import Ticket, TicketEvent


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


#: The resend lookup for a batch, by how many keys it takes (:mod:`hub.keyed`).
_BY_CLIENT_IDS: dict[int, Select[TicketEvent]] = {}
_CLIENT_KEY = (TicketEvent.ticket_id, TicketEvent.actor_key, TicketEvent.client_id)


def _by_client_ids(size: int) -> Select[TicketEvent]:
    query = _BY_CLIENT_IDS.get(size)
    if query is None:
        query = _BY_CLIENT_IDS[size] = select(TicketEvent).where(keys_match(_CLIENT_KEY, size))
    return query


async def comments_by_client_ids(
    session: AsyncSession, keys: Sequence[tuple[int, str, str]]
) -> dict[tuple[int, str, str], TicketEvent]:
    """Comments already stored under (ticket id, actor key, client id), by that key."""
    return await rows_by_keys(
        session,
        keys,
        _by_client_ids,
        lambda e: (e.ticket_id, e.actor_key, e.client_id or ""),
    )


async def last_seq(session: AsyncSession, ticket_id: int) -> int:
    found = await session.scalar(select(Ticket.last_seq).where(Ticket.id == ticket_id))
    return int(found or 0)


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


async def attachments(
    session: AsyncSession, ids: list[str], fresh: bool = False
) -> list[Attachment]:
    """Attachments by id; ``fresh``: re-read even those already loaded in the session."""
    if not ids:
        return []
    query = select(Attachment).where(Attachment.id.in_(ids))
    if fresh:
        query = query.execution_options(populate_existing=True)
    return list(await session.scalars(query))


async def attachment(session: AsyncSession, attachment_id: str) -> Attachment | None:
    return await session.get(Attachment, attachment_id)
