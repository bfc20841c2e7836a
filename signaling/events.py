"""What the ``/calls`` namespace accepts and what it publishes, as strict schemas.

Inbound models (``*In``) are where untrusted JSON stops; SDP and ICE values stay
plain JSON here and are validated by :mod:`signaling.sdp` in the service, so a
malformed description is ``invalid`` with the field named. Outbound models
(``*Out``) are the only shapes the service emits; tests check live events
against them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from hub.schemas import Id, Int, Payload

CALLS_NS = "/calls"
CALL_ID = r"^[A-Za-z0-9_-]{16,32}$"

MediaName = Literal["audio", "video"]
OutcomeName = Literal["completed", "missed", "declined", "busy", "cancelled", "failed"]
StatusName = Literal["ringing", "active", "ended"]
PartyName = Literal["caller", "callee"]


# ── client → server ────────────────────────────────────────────────────────────


class InviteIn(Payload):
    ticket_id: Id
    media: MediaName = "audio"


class CallIn(Payload):
    """``accept``, ``decline``, ``cancel``, ``hangup``, ``rejoin``, ``ice_servers``."""

    call_id: str = Field(pattern=CALL_ID)


class OfferIn(Payload):
    call_id: str = Field(pattern=CALL_ID)
    description: dict[str, Any]


class AnswerIn(Payload):
    call_id: str = Field(pattern=CALL_ID)
    description: dict[str, Any]


class IceIn(Payload):
    call_id: str = Field(pattern=CALL_ID)
    # null (or an empty candidate string) is end-of-candidates, relayed as null.
    candidate: dict[str, Any] | None


class EchoOfferIn(Payload):
    description: dict[str, Any]


class HistoryQuery(Payload):
    """At most one of ``office_id`` and ``ticket_id`` (a ticket names its office)."""

    office_id: Id | None = None
    ticket_id: Id | None = None
    limit: Int = Field(default=50, ge=1, le=200)

    @model_validator(mode="after")
    def _one_scope(self) -> HistoryQuery:
        if self.office_id is not None and self.ticket_id is not None:
            raise ValueError("give office_id or ticket_id, not both")
        return self


# ── server → client ────────────────────────────────────────────────────────────


class TicketRef(Payload):
    id: int
    number: str


class CallerRef(Payload):
    id: int
    name: str
    office_id: int
    office_name: str


class RingingOut(Payload):
    """To every device of the callee (their personal room)."""

    call_id: str
    ticket: TicketRef
    caller: CallerRef
    media: MediaName
    ring_deadline: str


class RingStoppedOut(Payload):
    """To every device of the callee: stop ringing (``answered`` elsewhere or the call is over)."""

    call_id: str
    reason: Literal["answered", "declined", "cancelled", "timeout", "failed"]


class CallOnlyOut(Payload):
    """``accepted`` and ``declined`` (to the caller's socket)."""

    call_id: str


class DescriptionOut(Payload):
    """``offer`` (to the callee's accepting socket) and ``answer`` (to the caller's socket)."""

    call_id: str
    description: dict[str, str]


class IceOut(Payload):
    call_id: str
    candidate: dict[str, str | int | None] | None


class EndedOut(Payload):
    call_id: str
    outcome: OutcomeName
    duration: float


class MissedCallOut(Payload):
    """To every device of the callee after an unanswered call."""

    call_id: str
    ticket: TicketRef
    caller: CallerRef
    media: MediaName
    at: str


class PeerOut(Payload):
    """``peer_lost`` / ``peer_rejoined``: the other party's connection dropped or came back."""

    call_id: str
    party: PartyName
