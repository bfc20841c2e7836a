"""The live queue board as a projection of what tickets and calls record.

Each delta is queued on the unit of the change it describes (see
:meth:`hub.context.Hub.on_fact`), so it leaves only after that change has committed,
in the place of the fact among the unit's events. It goes to the room of the
ticket's (or call's) office and of every office above it, so a kecamatan or kota
dashboard sees its whole subtree.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hub.context import Hub
from hub.queues import QUEUES_NS, queue_room, store
from hub.queues.events import CallDelta, TicketDelta, call_item, ticket_item
from hub.tickets.facts import TicketChanged, TicketLeft
from hub.uow import Unit
from signaling.facts import CallChanged


async def rooms_of(session: AsyncSession, office_id: int) -> list[str]:
    return [queue_room(o) for o in await store.ancestors(session, office_id)]


async def ticket_changed(unit: Unit, fact: TicketChanged) -> None:
    """A ``queue_ticket`` delta for the ticket at its (current) office."""
    item = ticket_item(fact.ticket, fact.service)
    rooms = await rooms_of(unit.session, fact.ticket.office_id)
    unit.emit("queue_ticket", TicketDelta(ticket=item), rooms, QUEUES_NS)


async def ticket_left(unit: Unit, fact: TicketLeft) -> None:
    """After a transfer, tell the old office's dashboards (the delta removes it there)."""
    item = ticket_item(fact.ticket, fact.service)
    rooms = await rooms_of(unit.session, fact.from_office_id)
    unit.emit("queue_ticket", TicketDelta(ticket=item), rooms, QUEUES_NS)


async def call_changed(unit: Unit, fact: CallChanged) -> None:
    """A ``queue_call`` delta (ring, answer, end); the caller's state follows from it.

    To the offices the call's step read before its transaction, when it did (no query
    here), else to those looked up now.
    """
    c = fact.call
    if fact.offices is None:
        rooms = await rooms_of(unit.session, c.office_id)
    else:
        rooms = [queue_room(o) for o in fact.offices]
    unit.emit("queue_call", CallDelta(call=call_item(c)), rooms, QUEUES_NS)


def subscribe(hub: Hub) -> None:
    """Feed the board from ticket and call facts (every hub that runs the services)."""
    hub.on_fact(TicketChanged, ticket_changed)
    hub.on_fact(TicketLeft, ticket_left)
    hub.on_fact(CallChanged, call_changed)
