"""Read the audit trail: all of it (admins), or one office's chain (its supervisors).

What a reader gets holds no NIK, phone or address: entries never contain them
(:class:`hub.audit_models.AuditEntry`); the actor is named by role and, for officers,
by the name the office knows them by.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub import policy
from hub.audit_chain import entry_view
from hub.audit_models import AuditEntry
from hub.errors import Forbidden, NotFound
from hub.models import Office, Role, User
from hub.principal import Principal


def may_read(p: Principal, office_id: int) -> bool:
    """Supervisors read the chains of their offices; admins every chain."""
    if p.role is Role.admin:
        return True
    return p.role is Role.supervisor and policy.can_supervise(p, office_id)


async def readable_offices(session: AsyncSession, p: Principal) -> list[dict[str, Any]]:
    """The offices whose trail ``p`` may read, by code (``forbidden`` for other roles)."""
    if p.role not in (Role.supervisor, Role.admin):
        raise Forbidden("supervisors_only")
    query = select(Office).order_by(Office.code)
    if p.role is not Role.admin:
        query = query.where(Office.id.in_(p.office_scope))
    return [
        {"id": o.id, "code": o.code, "name": o.name}
        for o in await session.scalars(query)
        if may_read(p, o.id)
    ]


async def office_trail(
    session: AsyncSession, p: Principal, office_id: int, before_seq: int | None, limit: int
) -> tuple[list[dict[str, Any]], bool]:
    """One office's chain, newest first, at most ``limit`` entries before ``before_seq``,
    and whether there are more. An office one may not read is ``not_found``."""
    if p.role not in (Role.supervisor, Role.admin):
        raise Forbidden("supervisors_only")
    if not may_read(p, office_id) or await session.get(Office, office_id) is None:
        raise NotFound("office_not_found")
    query = (
        select(AuditEntry, User.full_name)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.chain == office_id)
        .order_by(AuditEntry.seq.desc())
        .limit(limit + 1)
    )
    if before_seq is not None:
        query = query.where(AuditEntry.seq < before_seq)
    rows = list((await session.execute(query)).all())
    items = [
        entry_view(e, name if e.actor_role != Role.citizen.value else None)
        for e, name in rows[:limit]
    ]
    return items, len(rows) > limit
