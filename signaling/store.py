"""Call queries. Only :mod:`signaling.service` imports this module.

Every state change is one conditional UPDATE (``WHERE status = …``): when two
requests race, the database lets exactly one of them match the row, and the
loser sees ``None``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.models import Office, Ticket
from signaling.models import Call, CallStatus

LIVE = (CallStatus.ringing, CallStatus.active)


async def call(session: AsyncSession, call_id: str) -> Call | None:
    return await session.get(Call, call_id, populate_existing=True)


async def office(session: AsyncSession, office_id: int) -> Office | None:
    return await session.get(Office, office_id)


async def ticket(session: AsyncSession, ticket_id: int) -> Ticket | None:
    return await session.get(Ticket, ticket_id, populate_existing=True)


async def live_call_of_ticket(session: AsyncSession, ticket_id: int) -> Call | None:
    return await session.scalar(select(Call).where(Call.live_ticket_id == ticket_id))


async def live_calls_touching(
    session: AsyncSession, ticket_id: int, caller_id: int, callee_key: str
) -> list[Call]:
    """Ringing or active calls on this ticket, of this caller or of this callee (one query)."""
    rows = await session.scalars(
        select(Call).where(
            or_(
                Call.live_ticket_id == ticket_id,
                Call.live_callee_key == callee_key,
                (Call.caller_id == caller_id) & Call.status.in_(LIVE),
            )
        )
    )
    return list(rows)


async def change(
    session: AsyncSession,
    call_id: str,
    when: CallStatus,
    values: dict[str, Any],
    *also: ColumnElement[bool],
) -> Call | None:
    """Write ``values`` if the call is still in status ``when`` (and ``also`` holds).

    Returns the fresh row, or None when another request changed it first.
    """
    changed = await session.scalar(
        update(Call)
        .where(Call.id == call_id, Call.status == when, *also)
        .values(**values)
        .returning(Call.id)
        .execution_options(synchronize_session=False)
    )
    if changed is None:
        return None
    return await call(session, call_id)


async def calls_of_sid(session: AsyncSession, sid: str) -> Sequence[Call]:
    """Live calls in which socket ``sid`` is the caller's or the callee's device."""
    rows = await session.scalars(
        select(Call).where(
            Call.status.in_(LIVE), or_(Call.caller_sid == sid, Call.answered_by_sid == sid)
        )
    )
    return list(rows)


async def unlost_sids(session: AsyncSession) -> list[str]:
    """Sockets of live calls not yet marked lost: a ringing caller's, an active call's parties'."""
    rows = await session.execute(
        select(
            Call.status, Call.caller_sid, Call.answered_by_sid,
            Call.caller_lost_at, Call.callee_lost_at,
        ).where(Call.status.in_(LIVE))
    )  # fmt: skip
    sids: list[str] = []
    for status, caller_sid, callee_sid, caller_lost, callee_lost in rows:
        if caller_sid and caller_lost is None:
            sids.append(caller_sid)
        if status is CallStatus.active and callee_sid and callee_lost is None:
            sids.append(callee_sid)
    return sids


async def overdue_ringing(session: AsyncSession, now: datetime, limit: int = 100) -> list[str]:
    rows = await session.scalars(
        select(Call.id)
        .where(Call.status == CallStatus.ringing, Call.ring_deadline <= now)
        .limit(limit)
    )
    return list(rows)


async def lost_past_grace(session: AsyncSession, cutoff: datetime, limit: int = 100) -> list[str]:
    """Active calls in which a party's connection has been gone since before ``cutoff``."""
    rows = await session.scalars(
        select(Call.id)
        .where(
            Call.status == CallStatus.active,
            or_(Call.caller_lost_at <= cutoff, Call.callee_lost_at <= cutoff),
        )
        .limit(limit)
    )
    return list(rows)


async def set_callback_pending(session: AsyncSession, ticket_id: int, pending: bool) -> None:
    await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id)
        .values(callback_pending=pending)
        .execution_options(synchronize_session=False)
    )


async def history(
    session: AsyncSession,
    office_ids: Sequence[int] | None,
    ticket_id: int | None,
    limit: int,
) -> list[Call]:
    """Calls newest first, by office (the office of the ticket when the call was placed)."""
    q = select(Call)
    if office_ids is not None:
        q = q.where(Call.office_id.in_(office_ids))
    if ticket_id is not None:
        q = q.where(Call.ticket_id == ticket_id)
    rows = await session.scalars(q.order_by(Call.created_at.desc(), Call.id).limit(limit))
    return list(rows)
