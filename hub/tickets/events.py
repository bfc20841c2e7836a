"""What the tickets package publishes on ``/tickets`` to the officers' office rooms."""

from __future__ import annotations

from hub.contract import Wire


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
