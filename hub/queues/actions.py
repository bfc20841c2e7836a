"""Dashboard actions that go through the ticket service: reassign, queue position.

A use case that owns its step of the transaction: it checks the supervisor's
authority, then calls the ticket service, whose facts feed the board's deltas
(:mod:`hub.queues.projections`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from hub import policy
from hub.models import Role
from hub.principal import Principal
from hub.queues import service as queues
from hub.queues.events import ticket_item
from hub.tickets import forwarding, views
from hub.uow import Unit


async def reassign(
    unit: Unit,
    p: Principal,
    ticket_id: int,
    version: int,
    note: str,
    to_user_id: int | None = None,
    to_role: Role | None = None,
) -> dict[str, Any]:
    """A supervisor forwards a ticket from the dashboard: a disposition in its timeline.

    Only supervisors (and admins) of the ticket's office; otherwise exactly
    :func:`hub.tickets.forwarding.dispose` (``conflict`` on a stale version, …).
    """
    t = await views.visible_ticket(unit.session, p, ticket_id)
    policy.check_supervise(p, t.office_id)
    t = await forwarding.dispose(unit, p, ticket_id, version, note, to_user_id, to_role)
    return ticket_item(t, await views.service_of(unit.session, t)).json_dict()


async def queue_position(
    session: AsyncSession, p: Principal, ticket_id: int, now: datetime
) -> dict[str, Any]:
    """Position and estimated wait of a ticket, for whoever may view it."""
    t = await views.visible_ticket(session, p, ticket_id)
    return await queues.position_of(session, t, now)
