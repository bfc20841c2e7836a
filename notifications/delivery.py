"""Was each officer told? A supervisor's summary of the delivery record of their officers.

A notification row *reached* its officer when its latest update was sent live to an open
inbox (``delivered_live_at`` ≥ ``updated_at``), accepted by a push service
(``pushed_at`` ≥ ``updated_at``) or read (``read_at`` set). The per-officer rows are
:func:`notifications.inbox.delivery_record`; this is the roster's one-request overview.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub import policy
from hub.clock import JAKARTA, iso, jakarta_today
from hub.errors import NotFound
from hub.models import Office, Role, User
from hub.principal import Principal
from notifications.models import Notification

#: Whose deliveries a supervisor follows: the officers who handle tickets.
HANDLING = (Role.front_office, Role.staff, Role.approver)

# Never NULL (SQL's three values would hide a row from both counts): every time tested set.
REACHED = or_(
    Notification.read_at.is_not(None),
    and_(
        Notification.delivered_live_at.is_not(None),
        Notification.delivered_live_at >= Notification.updated_at,
    ),
    and_(Notification.pushed_at.is_not(None), Notification.pushed_at >= Notification.updated_at),
)


def start_of_day(now: datetime) -> datetime:
    """Midnight in Asia/Jakarta of ``now``'s office day."""
    return datetime.combine(jakarta_today(now), time(0), JAKARTA)


async def delivery_summary(
    session: AsyncSession, p: Principal, office_id: int | None, now: datetime
) -> list[dict[str, Any]]:
    """Per officer of ``p``'s offices (or of ``office_id`` only), today's notifications
    (updated since midnight WIB): how many, how many reached them, and the latest that did
    not. Supervisors (and admins) only: ``forbidden`` otherwise; an unknown office
    ``not_found``, one not supervised ``forbidden``."""
    if office_id is not None:
        if await session.get(Office, office_id) is None:
            raise NotFound("office_not_found")
        policy.check_supervise(p, office_id)
        offices: frozenset[int] | None = frozenset({office_id})
    else:
        if p.role not in (Role.supervisor, Role.admin):
            policy.check_supervise(p, -1)
        offices = None if p.role is Role.admin else p.office_scope
    reached = func.sum(case((REACHED, 1), else_=0))
    latest_missed = func.max(case((~REACHED, Notification.updated_at), else_=None))
    query = (
        select(User.id, func.count(Notification.id), reached, latest_missed)
        .select_from(Notification)
        .join(User, User.id == Notification.user_id)
        .where(User.role.in_(HANDLING), Notification.updated_at >= start_of_day(now))
        .group_by(User.id)
        .order_by(User.id)
    )
    if offices is not None:
        query = query.where(User.office_id.in_(offices))
    return [
        {
            "user_id": user_id,
            "notifications": int(total),
            "reached": int(got or 0),
            "not_reached": int(total) - int(got or 0),
            "latest_not_reached_at": iso(missed) if missed else None,
        }
        for user_id, total, got, missed in await session.execute(query)
    ]
