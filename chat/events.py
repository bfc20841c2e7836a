"""Payloads the ``/tickets`` namespace accepts (it publishes ``hub.timeline.event_view``)."""

from __future__ import annotations

from pydantic import Field

from hub.schemas import Bool, Id, Int, Payload, Seq

MAX_BODY = 4000
CLIENT_ID = r"^[A-Za-z0-9_\-:.]{8,64}$"


class JoinIn(Payload):
    ticket_id: Id
    after_seq: Seq | None = None


class TicketIn(Payload):
    ticket_id: Id


class SendIn(Payload):
    ticket_id: Id
    client_id: str = Field(pattern=CLIENT_ID)
    # Raw length is bounded loosely here; the 1..4000 rule applies after cleaning.
    body: str = Field(default="", max_length=MAX_BODY * 2)
    attachments: list[str] = Field(default_factory=list, max_length=5)


class HistoryIn(Payload):
    ticket_id: Id
    before_seq: Id | None = None
    limit: Int = Field(default=50, ge=1, le=200)


class RangeIn(Payload):
    """Gap fill: events with ``after_seq < seq < before_seq`` (before_seq optional)."""

    ticket_id: Id
    after_seq: Seq
    before_seq: Id | None = None


class EditIn(Payload):
    ticket_id: Id
    seq: Id
    body: str = Field(max_length=MAX_BODY * 2)


class DeleteIn(Payload):
    ticket_id: Id
    seq: Id


class TypingIn(Payload):
    ticket_id: Id
    typing: Bool = True


class ReadIn(Payload):
    ticket_id: Id
    seq: Seq
