"""What the ``/tickets`` namespace accepts, answers and publishes."""

from __future__ import annotations

from pydantic import Field

from hub.contract import ClientEvent, Empty, NamespaceContract, TicketEventOut, Wire
from hub.schemas import Bool, Id, Int, Payload, Seq
from hub.tickets.events import TicketRemovedOut, TicketSummaryOut
from hub.timeline import TICKETS_NS

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


# ── server → client ────────────────────────────────────────────────────────────


class Reader(Wire):
    id: int | None
    role: str
    name: str | None


class ReadOut(Wire):
    """``read``: someone's read position in a ticket moved (also in ``join``'s ack)."""

    ticket_id: int
    reader: Reader
    seq: int


class Typist(Wire):
    id: int | None
    name: str | None
    role: str
    key: str


class TypingOut(Wire):
    ticket_id: int
    who: Typist
    typing: bool
    expires_in: float


class TicketRevokedOut(Wire):
    """You may no longer see this ticket; you were removed from its room."""

    ticket_id: int


class JoinAck(Wire):
    ticket_id: int
    last_seq: int
    events: list[TicketEventOut]
    reads: list[ReadOut]
    #: with ``after_seq``: the events cover every seq one may see up to it
    through_seq: int | None


class SendAck(Wire):
    event: TicketEventOut
    duplicate: bool


class HistoryAck(Wire):
    events: list[TicketEventOut]
    has_more: bool
    through_seq: int | None


class EventsAck(Wire):
    events: list[TicketEventOut]
    through_seq: int | None


class EventAck(Wire):
    event: TicketEventOut


class TypingAck(Wire):
    sent: bool


class ReadAck(Wire):
    seq: int


CONTRACT = NamespaceContract(
    TICKETS_NS,
    "A ticket's conversation and timeline; officers also get their offices' ticket changes.",
    client={
        "join": ClientEvent(JoinIn, JoinAck, "Watch a ticket; missed events come in the ack."),
        "leave": ClientEvent(TicketIn, Empty, "Stop watching a ticket."),
        "send": ClientEvent(SendIn, SendAck, "Post a comment (idempotent by client_id)."),
        "history": ClientEvent(HistoryIn, HistoryAck, "A page of older events."),
        "missing": ClientEvent(RangeIn, EventsAck, "Events strictly between two seqs."),
        "edit": ClientEvent(EditIn, EventAck, "Correct one's own comment (15 min)."),
        "delete": ClientEvent(DeleteIn, EventAck, "Withdraw one's own comment (15 min)."),
        "typing": ClientEvent(TypingIn, TypingAck, "Typing indicator (throttled)."),
        "read": ClientEvent(ReadIn, ReadAck, "Move one's read position."),
    },
    server={
        "ticket_event": TicketEventOut,
        "typing": TypingOut,
        "read": ReadOut,
        "ticket_revoked": TicketRevokedOut,
        "ticket_updated": TicketSummaryOut,
        "ticket_removed": TicketRemovedOut,
    },
)
