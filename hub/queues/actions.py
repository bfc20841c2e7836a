"""Dashboard use cases: watch an office, reassign, queue position.

Each opens its own transaction (or read): ``actions.x(hub, principal, ...)`` → one
``hub.unit()`` or ``hub.reader()`` → services → a view. The handlers and routes parse and
answer; they never hold a session. Apart from :mod:`hub.queues.service` because the ticket
service imports that module (for its delta hook); these import the ticket service.
"""

from __future__ import annotations

from typing import Any

from hub import policy
from hub.context import Hub
from hub.models import Role
from hub.principal import Principal
from hub.queues import service as queues
from hub.queues.board import Roster
from hub.queues.events import ticket_item
from hub.tickets import forwarding, views


async def check_watch(hub: Hub, p: Principal, office_id: int) -> None:
    """``not_found`` for an unknown office; ``forbidden`` unless ``p`` may supervise it."""
    async with hub.reader() as session:
        await queues.check_watch(session, p, office_id)


async def snapshot(hub: Hub, p: Principal, office_id: int, roster: Roster) -> dict[str, Any]:
    """The office's board as of now (authorized like :func:`check_watch`)."""
    async with hub.reader() as session:
        return await queues.snapshot(session, p, office_id, roster, hub.clock.now())


async def reassign(
    hub: Hub,
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
    async with hub.unit() as unit:
        t = await views.visible_ticket(unit.session, p, ticket_id)
        policy.check_supervise(p, t.office_id)
        t = await forwarding.dispose(unit, p, ticket_id, version, note, to_user_id, to_role)
        return ticket_item(t, await views.service_of(unit.session, t)).json_dict()


async def queue_position(hub: Hub, p: Principal, ticket_id: int) -> dict[str, Any]:
    """Position and estimated wait of a ticket, for whoever may view it."""
    async with hub.reader() as session:
        t = await views.visible_ticket(session, p, ticket_id)
        return await queues.position_of(session, t, hub.clock.now())


async def count_waiting(hub: Hub) -> None:
    """Set ``asinan_requests_waiting{office}`` from the database (run at each scrape)."""
    async with hub.reader() as session:
        counts = await queues.waiting_by_office(session)
    gauge = hub.metrics.waiting
    gauge.clear()  # an office removed since the last scrape leaves no stale series
    for office_id, n in counts.items():
        gauge.labels(str(office_id)).set(n)
