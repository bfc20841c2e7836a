"""What the ticket lifecycle records on a unit, for the packages downstream of it.

The live queue board (:mod:`hub.queues.projections`) and notifications
(:mod:`notifications.projections`) subscribe to these (``Hub.on_fact``); the ticket
actions never import them. A fact holds the rows as the action left them; its
projections run in the same transaction, just before it commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from hub.models import ServiceType, Ticket, TicketEvent
from hub.principal import Principal


@dataclass(frozen=True)
class TicketChanged:
    """A ticket was opened or changed (status, desk, assignee, office)."""

    ticket: Ticket
    service: ServiceType


@dataclass(frozen=True)
class TicketLeft:
    """A ticket was transferred away from ``from_office_id`` (recorded after its
    :class:`TicketChanged` at the new office)."""

    ticket: Ticket
    service: ServiceType
    from_office_id: int


@dataclass(frozen=True)
class TimelineAppended:
    """A ticket action appended ``event`` to the ticket's timeline (created, a status
    change, a disposition, a transfer). Comments, posted in batches, are not recorded
    this way: :mod:`chat.posting` notifies the batch itself."""

    event: TicketEvent


@dataclass(frozen=True)
class TicketApproved:
    """``approver`` approved ``ticket`` (the letter is issued from this, in the same
    transaction: if it cannot be, the approval rolls back)."""

    ticket: Ticket
    approver: Principal


@dataclass(frozen=True)
class TransitionAsked:
    """Asked (``Unit.ask``) before ``action`` changes ``ticket``: a downstream package may
    refuse it (the documents of :mod:`hub.intake.gate`) or add fields to its event."""

    ticket: Ticket
    action: str


@dataclass(frozen=True)
class RequestAsked:
    """Asked (``Unit.ask``) when the letter of ``ticket`` is issued: what the request said.

    Intake (:mod:`hub.intake.gate`) answers ``form``: the filled fields in the form's order,
    each ``{code, label, kind, value}`` (the ``KEPERLUAN`` field is the purpose), and
    ``nik_cipher``: a walk-in applicant's NIK as the accounts' ``NikVault`` sealed it (an
    online applicant's is in their account), or None. Without intake the answer is empty.
    """

    ticket: Ticket
