"""The audit trail of administration: append an entry, read the latest.

Every admin action (pages, API, command line) calls :func:`record` in the transaction
that makes the change, so an entry exists exactly when the change does. Summaries carry
no personal data (see :class:`hub.accounts.models.AuditEntry`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.accounts.models import AuditEntry
from hub.clock import iso
from hub.principal import Principal
from hub.uow import Unit


def record(
    unit: Unit,
    actor: Principal | None,
    action: str,
    target_type: str,
    target_id: int | None,
    *,
    office_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Append one entry; ``actor`` None is the command line."""
    summary: dict[str, Any] = {}
    if before is not None:
        summary["before"] = before
    if after is not None:
        summary["after"] = after
    unit.session.add(
        AuditEntry(
            actor_id=actor.user_id if actor else None,
            actor_role=actor.role.value if actor else "cli",
            action=action,
            target_type=target_type,
            target_id=target_id,
            office_id=office_id,
            summary=summary,
            at=unit.ctx.clock.now(),
        )
    )


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value changed, before and after."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


async def latest(session: AsyncSession, before_id: int | None, limit: int) -> list[dict[str, Any]]:
    """Entries newest first; ``before_id`` pages back."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return [
        {
            "id": e.id,
            "at": iso(e.at),
            "actor_id": e.actor_id,
            "actor_role": e.actor_role,
            "action": e.action,
            "target_type": e.target_type,
            "target_id": e.target_id,
            "office_id": e.office_id,
            "summary": e.summary,
        }
        for e in await session.scalars(query)
    ]
