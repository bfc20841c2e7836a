"""Payloads the ``/tickets`` namespace accepts (it publishes ``hub.timeline.event_view``)."""

from __future__ import annotations

from pydantic import Field

from hub.schemas import Payload

MAX_BODY = 4000
CLIENT_ID = r"^[A-Za-z0-9_\-:.]{8,64}$"


class JoinIn(Payload):
    ticket_id: int = Field(ge=1)
    after_seq: int | None = Field(default=None, ge=0)


class TicketIn(Payload):
    ticket_id: int = Field(ge=1)


class SendIn(Payload):
    ticket_id: int = Field(ge=1)
    client_id: str = Field(pattern=CLIENT_ID)
    # Raw length is bounded loosely here; the 1..4000 rule applies after cleaning.
    body: str = Field(default="", max_length=MAX_BODY * 2)
    attachments: list[str] = Field(default_factory=list, max_length=5)


class HistoryIn(Payload):
    ticket_id: int = Field(ge=1)
    before_seq: int | None = Field(default=None, ge=1)
    limit: int = Field(default=50, ge=1, le=200)


class RangeIn(Payload):
    """Gap fill: events with ``after_seq < seq < before_seq`` (before_seq optional)."""

    ticket_id: int = Field(ge=1)
    after_seq: int = Field(ge=0)
    before_seq: int | None = Field(default=None, ge=1)


class EditIn(Payload):
    ticket_id: int = Field(ge=1)
    seq: int = Field(ge=1)
    body: str = Field(max_length=MAX_BODY * 2)


class DeleteIn(Payload):
    ticket_id: int = Field(ge=1)
    seq: int = Field(ge=1)


class TypingIn(Payload):
    ticket_id: int = Field(ge=1)
    typing: bool = True


class ReadIn(Payload):
    ticket_id: int = Field(ge=1)
    seq: int = Field(ge=0)
