"""Call queries. Only the call steps (views, placing, ending, liveness) and the relay import it.

Every state change is one conditional UPDATE (``WHERE status = …``) that returns
the fresh row: when two requests race, the database lets exactly one of them
match the row, and the loser sees ``None``. A new call is one conditional INSERT
whose UNIQUE columns decide "one live call per ticket / per callee".

The reads a step needs before it writes (``seen``, ``ticket_facts``…) run on a
reader session, so a write transaction holds SQLite's one writer connection for
the write statements only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    exists,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from hub.models import Office, Ticket
from signaling.models import Call, CallStatus

LIVE = (CallStatus.ringing, CallStatus.active)


async def call(session: AsyncSession, call_id: str) -> Call | None:
    return await session.get(Call, call_id, populate_existing=True)


async def call_with_ticket(session: AsyncSession, call_id: str) -> tuple[Call, bool] | None:
    """The call and its ticket's ``callback_pending``, in one query."""
    row = (
        await session.execute(
            select(Call, Ticket.callback_pending)
            .join(Ticket, Ticket.id == Call.ticket_id)
            .where(Call.id == call_id)
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def ticket_and_office(session: AsyncSession, ticket_id: int) -> tuple[Ticket, Office] | None:
    row = (
        await session.execute(
            select(Ticket, Office)
            .join(Office, Office.id == Ticket.office_id)
            .where(Ticket.id == ticket_id)
        )
    ).first()
    return None if row is None else (row[0], row[1])


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


async def insert_ringing(session: AsyncSession, c: Call) -> bool:
    """Insert the ringing call ``c`` unless it would be a second live call (one statement).

    Nothing is inserted (False) when the ticket or the callee already has a live
    call (the UNIQUE ``live_*`` columns, ``ON CONFLICT DO NOTHING``: no error, so no
    savepoint) or when the caller is in a live call already.
    """
    table = Call.__table__
    values = {col.name: getattr(c, col.key) for col in table.columns}
    caller_busy = exists().where(Call.caller_id == c.caller_id, Call.status.in_(LIVE))
    row = select(*(literal(v, table.c[k].type) for k, v in values.items())).where(~caller_busy)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = (
        dialect.insert(table)
        .from_select(list(values), row)
        .on_conflict_do_nothing()
        .returning(table.c.id)
    )
    return await session.scalar(stmt) is not None


async def insert_ended(session: AsyncSession, c: Call) -> None:
    """Insert a call that is over before it starts (``busy``): no live columns set."""
    values = {col.name: getattr(c, col.key) for col in Call.__table__.columns}
    await session.execute(insert(Call).values(**values))


async def change(
    session: AsyncSession,
    call_id: str,
    when: CallStatus,
    values: dict[str, Any],
    *also: ColumnElement[bool],
) -> Call | None:
    """Write ``values`` if the call is still in status ``when`` (and ``also`` holds).

    Returns the fresh row (one ``UPDATE … RETURNING``), or None when another
    request changed it first.
    """
    return await session.scalar(
        update(Call)
        .where(Call.id == call_id, Call.status == when, *also)
        .values(**values)
        .returning(Call)
        .execution_options(synchronize_session=False, populate_existing=True)
    )


async def answer(
    session: AsyncSession, call_id: str, callee_key: str, values: dict[str, Any], now: datetime
) -> tuple[Call, bool] | None:
    """Write ``values`` if ``callee_key`` is the callee of ``call_id`` and it still rings
    before its deadline: the fresh row and its ticket's ``callback_pending``, in one
    ``UPDATE … RETURNING``; None if any of that does not hold (the caller then reads why).
    """
    pending = select(Ticket.callback_pending).where(Ticket.id == Call.ticket_id).scalar_subquery()
    row = (
        await session.execute(
            update(Call)
            .where(
                Call.id == call_id,
                Call.callee_key == callee_key,
                Call.status == CallStatus.ringing,
                Call.ring_deadline > now,
            )
            .values(**values)
            .returning(Call, pending)
            .execution_options(synchronize_session=False, populate_existing=True)
        )
    ).first()
    return None if row is None else (row[0], bool(row[1]))


async def mark(
    session: AsyncSession,
    call_id: str,
    when: CallStatus,
    values: dict[str, Any],
    *also: ColumnElement[bool],
) -> bool:
    """Like :func:`change`, for a caller who needs only whether it matched."""
    changed = await session.scalar(
        update(Call)
        .where(Call.id == call_id, Call.status == when, *also)
        .values(**values)
        .returning(Call.id)
        .execution_options(synchronize_session=False)
    )
    return changed is not None


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
