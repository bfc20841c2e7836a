"""A completed request offers its survey: a projection of the ticket lifecycle's facts.

Every way a request completes (the counter's pickup, the electronic receipt, the
``complete`` transition) appends a ``status_changed`` event to ``completed`` and records
:class:`~hub.tickets.facts.TimelineAppended`; the applicant is then offered the survey in
their inbox (and by push), in the completing transaction.
"""

from __future__ import annotations

from hub.context import Hub
from hub.models import Ticket, TicketStatus
from hub.tickets.facts import TimelineAppended
from hub.uow import Unit
from notifications.fanout import notify_survey_offer


async def _completed(unit: Unit, fact: TimelineAppended) -> None:
    ev = fact.event
    if ev.kind != "status_changed" or ev.payload.get("to") != TicketStatus.completed.value:
        return
    t = await unit.session.get(Ticket, ev.ticket_id)
    if t is not None:
        await notify_survey_offer(unit, t)


def subscribe(hub: Hub) -> None:
    hub.on_fact(TimelineAppended, _completed)
