"""What the tickets package publishes on ``/tickets`` to the officers' office rooms."""

from __future__ import annotations

from pydantic import Field

from hub.contract import TicketEventOut, Wire


class TicketSummaryOut(Wire):
    """``ticket_updated``: queue metadata of a ticket of one's offices (no comment text,
    NIK or phone)."""

    id: int
    number: str
    queue: str
    office_id: int
    service: str
    channel: str
    status: str
    assignee_id: int | None
    assigned_role: str | None
    version: int
    created_at: str
    updated_at: str


class TicketRemovedOut(Wire):
    """``ticket_removed``: the ticket moved to another office."""

    id: int


# ── HTTP answers ───────────────────────────────────────────────────────────────


class ServiceRef(Wire):
    code: str
    name: str
    name_en: str


class HolderOfficer(Wire):
    id: int
    name: str
    active: bool


class Holder(Wire):
    """Who holds the ticket now: its desk, and (for the office's officers) the colleague."""

    desk: str | None
    officer: HolderOfficer | None


class TicketOut(Wire):
    """A ticket as its viewer sees it (``hub.tickets.views.ticket_view``)."""

    id: int
    number: str
    queue: str
    queue_day: str
    office_id: int
    service: ServiceRef
    channel: str
    status: str
    risk: str
    applicant_name: str | None
    #: masked for all but the applicant
    applicant_phone: str | None
    assignee_id: int | None
    assigned_role: str | None
    version: int
    last_seq: int
    callback_pending: bool
    reject_reason: str | None
    created_at: str
    updated_at: str
    due_at: str
    #: when the request becomes "at risk" of missing its service standard (§14)
    at_risk_at: str
    #: what the viewer's role may do now
    actions: list[str]
    #: one ticket and the answers of its changes (not in lists)
    holder: Holder | None = Field(default=None, exclude_if=lambda v: v is None)


class TicketAnswer(Wire):
    ticket: TicketOut


class TicketsAnswer(Wire):
    tickets: list[TicketOut]
    next_cursor: str | None


class EventsAnswer(Wire):
    events: list[TicketEventOut]
    #: every event one may see up to it is in this answer
    through_seq: int


class DispositionsAnswer(Wire):
    dispositions: list[TicketEventOut]


class QueueTicketOut(TicketOut):
    """A ticket of the officer's queue: whose desk it is on, and comments unread by them."""

    desk: str | None
    unread: int


class QueueAnswer(Wire):
    tickets: list[QueueTicketOut]
    more: bool
