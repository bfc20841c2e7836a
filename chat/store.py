"""Chat queries. Only the domain modules of chat (service, posting, attachments) import it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, and_, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from chat.models import Attachment, ReadPosition
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


#: Keys looked up in one query at most (SQLite's expression depth is bounded).
CHUNK = 64
#: The resend lookup for a batch, by how many keys it takes (1, 2, 4 … 64; see below).
_BY_CLIENT_IDS: dict[int, Select[TicketEvent]] = {}


def _by_client_ids(size: int) -> Select[TicketEvent]:
    """``(ticket_id = :t0 AND actor_key = :a0 AND client_id = :c0) OR …``, ``size`` terms.

    Each term is one search of the unique index (SQLite: ``MULTI-INDEX OR``;
    PostgreSQL: a bitmap OR). Neither a row-value IN (SQLite scans the table) nor an IN
    list per column (SQLite searches every combination of the three lists: 50 comments
    of 30 tickets and 40 speakers are 60,000 searches, ~12 ms) does that. Built once per
    size, the sizes rounded up to a power of two (the last key repeated), so a handful
    of statements is compiled and cached.
    """
    query = _BY_CLIENT_IDS.get(size)
    if query is None:
        query = _BY_CLIENT_IDS[size] = select(TicketEvent).where(
            or_(
                *(
                    and_(
                        TicketEvent.ticket_id == bindparam(f"t{i}"),
                        TicketEvent.actor_key == bindparam(f"a{i}"),
                        TicketEvent.client_id == bindparam(f"c{i}"),
                    )
                    for i in range(size)
                )
            )
        )
    return query


async def comments_by_client_ids(
    session: AsyncSession, keys: Sequence[tuple[int, str, str]]
) -> dict[tuple[int, str, str], TicketEvent]:
    """Comments already stored under (ticket id, actor key, client id), by that key
    (one query per :data:`CHUNK` keys)."""
    wanted = list(dict.fromkeys(keys))
    found: dict[tuple[int, str, str], TicketEvent] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        size = 1 << (len(chunk) - 1).bit_length()
        chunk += [chunk[-1]] * (size - len(chunk))
        params: dict[str, object] = {}
        for i, (ticket_id, actor_key, client_id) in enumerate(chunk):
            params[f"t{i}"], params[f"a{i}"], params[f"c{i}"] = ticket_id, actor_key, client_id
        rows = await session.scalars(_by_client_ids(size), params)
        found.update({(e.ticket_id, e.actor_key, e.client_id or ""): e for e in rows})
    return found


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
