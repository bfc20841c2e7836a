"""Ticket use cases for the HTTP routes: each opens its own transaction (or read).

``actions.x(hub, principal, ...)`` → one ``hub.unit()`` or ``hub.reader()`` → the ticket
service → a view. Routes parse and answer; they never hold a session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hub import logins
from hub.auth import make_access_code
from hub.context import Hub
from hub.errors import NotFound
from hub.models import Role
from hub.principal import Principal
from hub.tickets import forwarding, service, views


@dataclass(frozen=True)
class Created:
    ticket_id: int
    ticket: dict[str, Any]
    #: shown once, printed on the receipt; only its hash is stored
    access_code: str


async def create(hub: Hub, p: Principal, new: service.NewTicket) -> Created:
    """A new ticket and its access code; the code is hashed off the loop before the write."""
    code = make_access_code()
    code_hash = await hub.passwords.hash(code)  # slow by design: off the loop, before the write
    async with hub.unit() as unit:
        t = await service.create_ticket(unit, p, new, code_hash)
        view = await views.view(unit.session, p, t)
    return Created(t.id, view, code)


async def list_tickets(
    hub: Hub, p: Principal, f: views.TicketFilter, before_id: int | None, limit: int
) -> tuple[list[dict[str, Any]], int | None]:
    async with hub.reader() as session:
        return await views.list_for(session, p, f, before_id, limit)


async def ticket(hub: Hub, p: Principal, ticket_id: int) -> dict[str, Any]:
    async with hub.reader() as session:
        t = await views.visible_ticket(session, p, ticket_id)
        return await views.view(session, p, t)


async def transition(
    hub: Hub, p: Principal, ticket_id: int, action: str, version: int, reason: str | None
) -> dict[str, Any]:
    async with hub.unit() as unit:
        t = await service.transition(unit, p, ticket_id, action, version, reason)
        return await views.view(unit.session, p, t)


async def dispose(
    hub: Hub,
    p: Principal,
    ticket_id: int,
    version: int,
    note: str,
    to_user_id: int | None,
    to_role: Role | None,
) -> dict[str, Any]:
    async with hub.unit() as unit:
        t = await forwarding.dispose(
            unit, p, ticket_id, version, note, to_user_id=to_user_id, to_role=to_role
        )
        return await views.view(unit.session, p, t)


async def transfer(
    hub: Hub, p: Principal, ticket_id: int, version: int, to_office_id: int, note: str
) -> dict[str, Any]:
    async with hub.unit() as unit:
        t = await forwarding.transfer(unit, p, ticket_id, version, to_office_id, note)
        return await views.view(unit.session, p, t)


async def events(
    hub: Hub, p: Principal, ticket_id: int, after_seq: int, limit: int
) -> views.TimelinePage:
    async with hub.reader() as session:
        return await views.timeline(session, p, ticket_id, after_seq, limit)


async def dispositions(hub: Hub, p: Principal, ticket_id: int) -> list[dict[str, Any]]:
    async with hub.reader() as session:
        return await forwarding.dispositions(session, p, ticket_id)


@dataclass(frozen=True)
class Receipt:
    number: str
    queue_label: str
    service_name: str
    applicant_name: str
    created_at: datetime


async def receipt(hub: Hub, address: str, ticket_id: int, access_code: str) -> Receipt:
    """What the printable receipt shows, once ``access_code`` is checked (rate limited like
    the receipt login, per ticket and per address); ``not_found`` otherwise."""
    await logins.check_receipt_code(hub, address, ticket_id, access_code)
    async with hub.reader() as session:
        t = await views.receipt_ticket(session, ticket_id)
        svc = await views.service_of(session, t)
        return Receipt(t.number, t.queue_label, svc.name, t.applicant_name, t.created_at)


async def may_view(hub: Hub, p: Principal, ticket_id: int) -> bool:
    """Does the ticket exist and may ``p`` see it (missing and foreign alike: False)?
    For pages, which answer a not-found page rather than an error."""
    try:
        async with hub.reader() as session:
            await views.visible_ticket(session, p, ticket_id)
    except NotFound:
        return False
    return True
