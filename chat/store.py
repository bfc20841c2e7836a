"""Chat queries. Only the domain modules of chat (service, posting, attachments) import it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from chat.models import Attachment, ReadPosition
from hub.keyed import CHUNK, key_params, keys_match, rows_by_keys
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


#: A batch's tickets and their comments already stored under its keys, by key count.
_TICKETS_WITH: dict[int, Select[Ticket, TicketEvent]] = {}


def _tickets_with(size: int) -> Select[Ticket, TicketEvent]:
    query = _TICKETS_WITH.get(size)
    if query is None:
        found = select(TicketEvent).where(keys_match(_CLIENT_KEY, size))
        # materialized: searched once, not once per ticket (SQLite's plan otherwise)
        stored = aliased(TicketEvent, found.cte("stored").prefix_with("MATERIALIZED"))
        query = _TICKETS_WITH[size] = (
            select(Ticket, stored)
            .outerjoin(stored, stored.ticket_id == Ticket.id)
            .where(Ticket.id.in_(bindparam("ids", expanding=True)))
        )
    return query


async def tickets_and_comments(
    session: AsyncSession, keys: Sequence[tuple[int, str, str]]
) -> tuple[dict[int, Ticket], dict[tuple[int, str, str], TicketEvent]]:
    """A batch's tickets by id (not locked) and the comments already stored under its
    (ticket id, actor key, client id) keys, by key: one query (two past :data:`CHUNK` keys)."""
    wanted = list(dict.fromkeys(keys))
    ticket_ids = sorted({k[0] for k in wanted})
    if not wanted or len(wanted) > CHUNK:
        rows = await session.scalars(select(Ticket).where(Ticket.id.in_(ticket_ids)))
        return {t.id: t for t in rows}, await comments_by_client_ids(session, wanted)
    size, params = key_params(wanted)
    params["ids"] = ticket_ids
    tickets: dict[int, Ticket] = {}
    stored: dict[tuple[int, str, str], TicketEvent] = {}
    for t, ev in await session.execute(_tickets_with(size), params):
        tickets[t.id] = t
        if ev is not None:
            stored[(ev.ticket_id, ev.actor_key, ev.client_id or "")] = ev
    return tickets, stored


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
