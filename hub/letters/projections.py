"""The letter follows from the approval: a projection of the ticket lifecycle's facts.

The ticket actions record :class:`hub.tickets.facts.TicketApproved`; the letter is issued
from it inside the approval's transaction (``Hub.on_fact`` runs projections before the
commit), so an approval without its letter, or a letter without its approval, never
commits. The lifecycle never imports this package.
"""

from __future__ import annotations

from hub.context import Hub
from hub.letters.service import issue_letter
from hub.tickets.facts import TicketApproved
from hub.uow import Unit


async def _issue(unit: Unit, fact: TicketApproved) -> None:
    await issue_letter(unit, fact.approver, fact.ticket)


def subscribe(hub: Hub) -> None:
    hub.on_fact(TicketApproved, _issue)
