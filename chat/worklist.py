"""The officer's queue with, per ticket, how many comments this officer has not read.

Unread = comments by anyone else after the officer's read position on the ticket
(``read`` on ``/tickets``, stored in :class:`chat.models.ReadPosition`), less those
withdrawn since. Opening the ticket in the console moves the read position to its
end, so the count drops to 0 for that officer only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from chat.models import ReadPosition
from hub.models import TicketEvent
from hub.principal import Principal
from hub.tickets.worklist import WorkFilter, worklist


async def unread_counts(
    session: AsyncSession, reader_key: str, ticket_ids: Sequence[int]
) -> dict[int, int]:
    """Ticket id → comments by others after ``reader_key``'s read position (0 when none)."""
    counts = dict.fromkeys(ticket_ids, 0)
    if not counts:
        return counts
    read = func.coalesce(ReadPosition.seq, 0)
    withdrawn = (
        select(TicketEvent.ticket_id, TicketEvent.payload, read)
        .outerjoin(
            ReadPosition,
            and_(
                ReadPosition.ticket_id == TicketEvent.ticket_id,
                ReadPosition.reader_key == reader_key,
            ),
        )
        .where(
            TicketEvent.ticket_id.in_(counts),
            TicketEvent.kind == "comment_deleted",
            TicketEvent.actor_key != reader_key,
            TicketEvent.seq > read,
        )
    )
    comments = (
        select(TicketEvent.ticket_id, func.count())
        .outerjoin(
            ReadPosition,
            and_(
                ReadPosition.ticket_id == TicketEvent.ticket_id,
                ReadPosition.reader_key == reader_key,
            ),
        )
        .where(
            TicketEvent.ticket_id.in_(counts),
            TicketEvent.kind == "comment",
            TicketEvent.actor_key != reader_key,
            TicketEvent.seq > read,
        )
        .group_by(TicketEvent.ticket_id)
    )
    for ticket_id, n in await session.execute(comments):
        counts[ticket_id] = int(n)
    # a comment withdrawn after my read position was counted above: take it off again
    for ticket_id, payload, seen in await session.execute(withdrawn):
        if int(payload.get("target_seq", 0)) > int(seen):
            counts[ticket_id] = max(0, counts[ticket_id] - 1)
    return counts


async def officer_queue(
    session: AsyncSession, p: Principal, f: WorkFilter, limit: int
) -> tuple[list[dict[str, Any]], bool]:
    """:func:`hub.tickets.worklist.worklist` with each ticket's ``unread`` count for ``p``."""
    items, more = await worklist(session, p, f, limit)
    counts = await unread_counts(session, p.actor_key, [item["id"] for item in items])
    return [{**item, "unread": counts[item["id"]]} for item in items], more
